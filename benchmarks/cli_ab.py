"""Same-machine A/B of whole CLI runs from two (or more) checkouts: CPU seconds and wall time.

`python -m benchmarks.cli_ab --tree base=/tmp/base --tree new=. [--workers 1] [--repeats 3] [--corpus F]`

Each repeat runs `python -m pipeline.run` once from every checkout in turn (interleaved, so a burst
of load on a shared machine hits each alike), with that checkout first on PYTHONPATH. CPU is user +
system of the run's whole process tree (its worker processes included), the figure a loaded
machine disturbs least; the medians are printed at the end. A checkout of a commit is made with
`git archive <commit> | tar -x -C /tmp/base`. The default corpus is the throughput benchmark's.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from benchmarks.corpus import corpus_in
from benchmarks.throughput import OURS_1, OURS_2

FLAGS = {1: OURS_1, 2: OURS_2}  # the throughput benchmark's runs


def run_once(tree: str, corpus: str, out: str, workers: int) -> tuple[float, float]:
    """(CPU seconds of the process tree, wall seconds) of one CLI run from checkout `tree`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "pipeline.run", "--input", corpus, "--output", out, "--overwrite", "--progress", "0", *FLAGS[workers]],
        cwd=tree, env=dict(os.environ, PYTHONPATH=tree), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tree", action="append", required=True, help="NAME=PATH of a checkout; give two or more")
    ap.add_argument("--workers", type=int, choices=sorted(FLAGS), default=1)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--corpus", default="", help="a JSONL file (default: the throughput corpus of --docs)")
    ap.add_argument("--work", default=os.path.join(tempfile.gettempdir(), "newsclean-ab"))
    args = ap.parse_args()
    trees = dict(t.split("=", 1) for t in args.tree)
    corpus = args.corpus or corpus_in(args.work, args.docs)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in trees}
    for i in range(args.repeats):
        for name, tree in trees.items():
            runs[name].append(run_once(os.path.abspath(tree), corpus, os.path.join(args.work, f"out-{name}"), args.workers))
            cpu, wall = runs[name][-1]
            print(f"run {i + 1} {name}: {cpu:.2f} CPU s, {wall:.1f} s wall, load {os.getloadavg()[0]:.1f}", flush=True)
    for name, rs in runs.items():
        print(f"{name}: median {statistics.median(c for c, _ in rs):.2f} CPU s, {statistics.median(w for _, w in rs):.1f} s wall "
              f"({args.workers} worker(s), {len(rs)} runs)")


if __name__ == "__main__":
    main()
