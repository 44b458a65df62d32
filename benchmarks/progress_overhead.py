"""Does progress reporting slow a run? The CLI on generated JSONL, with and without --progress.

    python -m benchmarks.progress_overhead [--docs 600] [--repeats 3] [--tally-elements 200000]

First the cost of one tallied element, measured in-process: a pipeline of trivial elements with
and without a tally on them (CPU time, median of 3). A document passes one tally per stage.

Documents are the samples/ articles with their paragraphs shuffled and numbered (so exact dedup
keeps them), written to a temporary JSONL. Runs alternate off / on so load from other processes
hits both alike. The table gives medians of the CPU time of the whole process (user + system, the
figure least disturbed by other jobs on a shared machine), of the pipeline's own wall time
("Done in ...") and of the process wall time, and the on/off ratios.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(corpus: Path, out: Path, progress: float) -> tuple[float, float, float, int]:
    cpu0 = _children_cpu()
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline.run", "--input", str(corpus), "--output", str(out), "--overwrite", "--progress", str(progress)],
        cwd=REPO, capture_output=True, text=True, check=True,
    )
    total = time.monotonic() - started
    cpu = _children_cpu() - cpu0
    pipeline = float(re.search(r"Done in ([\d.]+)s", proc.stdout).group(1))
    lines = sum(1 for line in proc.stderr.splitlines() if line.startswith("progress "))
    return cpu, pipeline, total, lines


def _self_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _add_one(x: int) -> int:
    return x + 1


def tally_cost(n: int, repeats: int = 3) -> float:
    """Microseconds of CPU per element a tally adds on the in-process DirectRunner."""
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipeline.progress import TallyProgress, stage_outputs
    from transforms.routing import StageOutputs

    options = ["--runner=DirectRunner", "--direct_running_mode=in_memory", "--direct_num_workers=1"]
    times: dict[bool, list[float]] = {False: [], True: []}
    with tempfile.TemporaryDirectory(prefix="tally-bench-") as folder:
        for _ in range(repeats):
            for tally in (False, True):
                p = beam.Pipeline(options=PipelineOptions(options))
                docs = p | "Docs" >> beam.Create(range(n)) | "Work" >> beam.Map(_add_one)
                if tally:
                    empty = p | "Empty" >> beam.Create([])
                    _ = stage_outputs([("Read", StageOutputs(docs, empty, empty))]) | "Tally" >> TallyProgress(folder)
                started = _self_cpu()
                p.run().wait_until_finish()
                times[tally].append(_self_cpu() - started)
    return (statistics.median(times[True]) - statistics.median(times[False])) / n * 1e6


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=600, help="0: only the per-element tally cost")
    ap.add_argument("--tally-elements", type=int, default=200_000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--interval", type=float, default=2.0, help="--progress value of the 'on' runs")
    args = ap.parse_args()
    per_element = tally_cost(args.tally_elements)
    print(f"one tally: {per_element:.1f} µs CPU per element ({args.tally_elements:,} elements, median of 3)")
    if args.docs <= 0:
        return
    with tempfile.TemporaryDirectory(prefix="progress-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        make_corpus(corpus, args.docs)
        results: dict[str, list[tuple[float, float, float, int]]] = {"off": [], "on": []}
        for r in range(args.repeats):
            for mode, interval in (("off", 0.0), ("on", args.interval)) if r % 2 == 0 else (("on", args.interval), ("off", 0.0)):
                res = run_once(corpus, Path(tmp) / "out", interval)
                results[mode].append(res)
                print(f"  run {r + 1} {mode}: cpu {res[0]:.1f}s, pipeline {res[1]:.1f}s, process {res[2]:.1f}s, {res[3]} progress lines",
                      file=sys.stderr)
    med = {mode: [statistics.median(x[k] for x in rs) for k in range(4)] for mode, rs in results.items()}
    print(f"\n{args.docs} documents, median of {args.repeats} runs each (alternating), progress every {args.interval:g}s\n")
    print(f"{'progress':<10}{'cpu s':>8}{'pipeline s':>12}{'process s':>12}{'lines':>8}")
    for mode in ("off", "on"):
        cpu, pipe, total, lines = med[mode]
        print(f"{mode:<10}{cpu:>8.1f}{pipe:>12.1f}{total:>12.1f}{lines:>8.0f}")
    print(f"\non/off ratio: cpu {med['on'][0] / med['off'][0]:.3f}, pipeline wall {med['on'][1] / med['off'][1]:.3f}")
    per_doc_ms = med["off"][0] / args.docs * 1e3
    print(f"CPU per document {per_doc_ms:.1f} ms; 4 tallies per document (reader + 3 stages) = "
          f"{4 * per_element:.0f} µs = {100 * 4 * per_element / 1e3 / per_doc_ms:.2f}% of it")
    for k, name in ((0, "cpu"), (1, "pipeline wall")):
        print(f"per-run {name} seconds: " + "; ".join(f"{m}: " + ", ".join(f"{x[k]:.1f}" for x in rs) for m, rs in results.items()))


if __name__ == "__main__":
    main()
