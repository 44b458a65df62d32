"""Does progress reporting slow a run? The CLI on generated JSONL, with and without --progress.

    python -m benchmarks.progress_overhead [--docs 1000] [--repeats 3]

Documents are the samples/ articles with their paragraphs shuffled and numbered (so exact dedup
keeps them), written to a temporary JSONL. Runs alternate off / on so load from other processes
hits both alike; the table gives the median of the pipeline's own wall time ("Done in ...") and of
the whole process, and the on/off ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def make_corpus(path: Path, n: int, seed: int = 0) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            paras = [p for p in texts[i % len(texts)].split("\n") if p.strip()]
            head, body = paras[:1], paras[1:]
            rnd.shuffle(body)
            text = "\n".join(head + body + [f"Reference number {i} of this edition."])
            f.write(json.dumps({"id": f"doc-{i}", "url": f"https://site{i % 23}.example.com/{i}", "text": text}) + "\n")


def run_once(corpus: Path, out: Path, progress: float) -> tuple[float, float, int]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.run", "--input", str(corpus), "--output", str(out), "--overwrite", "--progress", str(progress)],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    total = time.monotonic() - started
    pipeline = float(re.search(r"Done in ([\d.]+)s", proc.stdout).group(1))
    lines = sum(1 for line in proc.stderr.splitlines() if line.startswith("progress "))
    return pipeline, total, lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--interval", type=float, default=2.0, help="--progress value of the 'on' runs")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="progress-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        make_corpus(corpus, args.docs)
        results: dict[str, list[tuple[float, float, int]]] = {"off": [], "on": []}
        for r in range(args.repeats):
            for mode, interval in (("off", 0.0), ("on", args.interval)) if r % 2 == 0 else (("on", args.interval), ("off", 0.0)):
                results[mode].append(run_once(corpus, Path(tmp) / "out", interval))
                print(f"  run {r + 1} {mode}: pipeline {results[mode][-1][0]:.1f}s, process {results[mode][-1][1]:.1f}s, "
                      f"{results[mode][-1][2]} progress lines", file=sys.stderr)
    med = {mode: (statistics.median(x[0] for x in rs), statistics.median(x[1] for x in rs), statistics.median(x[2] for x in rs))
           for mode, rs in results.items()}
    print(f"\n{args.docs} documents, median of {args.repeats} runs each (alternating), progress every {args.interval:g}s\n")
    print(f"{'progress':<10}{'pipeline s':>12}{'process s':>12}{'docs/s':>10}{'lines':>8}")
    for mode in ("off", "on"):
        pipe, total, lines = med[mode]
        print(f"{mode:<10}{pipe:>12.1f}{total:>12.1f}{args.docs / pipe:>10.1f}{lines:>8.0f}")
    print(f"\non/off ratio of pipeline time: {med['on'][0] / med['off'][0]:.3f}")
    print("per-run pipeline seconds: " + "; ".join(f"{m}: " + ", ".join(f"{x[0]:.1f}" for x in rs) for m, rs in results.items()))


if __name__ == "__main__":
    main()
