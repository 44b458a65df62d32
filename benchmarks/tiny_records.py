"""Many tiny records end to end: docs/s and peak memory of the CLI on JSONL files of short texts.

    python -m benchmarks.tiny_records [--docs 20000,200000] [--timeout 900] [--work /tmp/newsclean-tiny]

Writes, for each count, a JSONL file of that many short records (one to twelve words, 20-80
characters: the captions, labels, comments and stubs a scrape is full of; deterministic, seeded),
and a few real-length articles among them (one in 1,000, so the stages after the length check see
documents too). Runs the real CLI on it (`python -m pipeline.run`, default config, one worker in
memory, as `benchmarks.throughput`), and prints the wall time, documents per second, peak memory of
the process tree (RSS summed, sampled every 50 ms) and the CPU seconds, with the outcome counts of
report.json. A run that passes --timeout is killed and reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.throughput import OURS_1, timed

WORDS = (
    "the a of to and in on for with by from new city council said today more read share photo video "
    "click here subscribe login menu home news sport weather update live breaking report police school "
    "market price rise fall week year local world business opinion comment reply like follow"
).split()
ARTICLE = (
    "The city council voted on Tuesday to expand the bus network to three new districts, a plan "
    "that has been debated for more than two years. Supporters said the new routes would cut "
    "commuting times for thousands of residents who now rely on cars, while opponents warned that "
    "the cost of the project could rise if fuel prices keep climbing. The first of the new lines is "
    "expected to open next spring, and the council will review the budget again in the autumn. "
)


def write_tiny(path: str, n: int, seed: int = 0) -> int:
    """`n` JSONL records, all short but one in 1,000, which is a real-length article; returns bytes."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            if i % 1000 == 999:
                text = ARTICLE + f"This is record {i}."
            else:
                text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12))).capitalize()
            f.write(json.dumps({"id": f"t{i}", "text": text}) + "\n")
    return os.path.getsize(path)


def run_cli(corpus: str, out: str, timeout: float) -> dict:
    """The CLI on `corpus`: wall seconds, peak MB of its process tree, CPU seconds, and report.json
    (None if it did not finish within `timeout`)."""
    shutil.rmtree(out, ignore_errors=True)
    run = timed([sys.executable, "-m", "pipeline.run", "--input", corpus, "--output", out, *OURS_1], timeout=timeout)
    report = None if run.timed_out else json.loads((Path(out) / "report.json").read_text(encoding="utf-8"))
    return {"wall": run.wall, "peak_mb": run.peak_mb, "cpu": run.cpu, "report": report}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default="20000,200000", help="comma-separated record counts")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds before a run is killed")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "newsclean-tiny"))
    args = ap.parse_args(argv)
    os.makedirs(args.work, exist_ok=True)
    print(f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}; 1 worker (in_memory); timeout {args.timeout:g} s")
    print(f"{'records':>8} | {'MB':>5} | {'wall s':>7} | {'docs/s':>7} | {'peak MB':>7} | {'CPU s':>6} | outcome")
    print("-" * 100)
    for n in (int(x) for x in args.docs.split(",")):
        corpus = os.path.join(args.work, f"tiny-{n}.jsonl")
        size = write_tiny(corpus, n)
        r = run_cli(corpus, os.path.join(args.work, f"out-{n}"), args.timeout)
        if r["report"] is None:
            outcome = f"did not finish in {args.timeout:g} s"
            rate = "-"
        else:
            rep = r["report"]
            reasons = rep.get("rejected_by_reason", {})
            top = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items(), key=lambda kv: -kv[1])[:3])
            outcome = f"clean {rep['counts']['clean']}, rejected {rep['counts']['rejected']} ({top})"
            rate = f"{n / r['wall']:.0f}"
        print(f"{n:>8} | {size / 1e6:>5.1f} | {r['wall']:>7.1f} | {rate:>7} | {r['peak_mb']:>7.0f} | {r['cpu']:>6.1f} | {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
