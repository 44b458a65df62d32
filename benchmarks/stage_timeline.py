"""Where a CLI run's wall time goes, stage by stage, as Beam's local runner runs it.

`python -m benchmarks.stage_timeline [--workers 2] [--docs 2000] [--top 12] [-- CLI flags...]`

Runs `pipeline.run` in this process on the throughput corpus, with the runner's bundle execution
(`FnApiRunner._execute_bundle`) timed: for each stage, when it started (seconds since the run
began), its wall time, the CPU the worker processes spent on it (their `/proc` counters read
before and after; 0 with 1 in-process worker, whose CPU is the runner's) and the bytes of its
input when it comes from a Flatten or a stage before (a grouped input shows 0). Prints how many stages ran, the wall time of the small ones (under 0.1 s) together, and the
largest stages with the steps fused into them.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from benchmarks.corpus import WORK, corpus_in
from benchmarks.throughput import OURS_1, OURS_2, _tree_sample

FLAGS = {1: OURS_1, 2: OURS_2}  # the throughput benchmark's runs


def _descendants_cpu() -> dict[int, float]:
    """CPU seconds of every process under this one (its RSS, also read, is not needed here)."""
    cpu: dict[int, float] = {}
    _tree_sample(os.getpid(), cpu)
    cpu.pop(os.getpid(), None)
    return cpu


def _input_bytes(bundle_input) -> int:
    """Bytes of the stage's input read from plain buffers. A grouping buffer is not read: iterating
    it partitions it once for all, and the runner could no longer split it between workers."""
    from apache_beam.runners.portability.fn_api_runner.execution import ListBuffer

    buffers = getattr(bundle_input, "data", {})
    return sum(len(chunk) for buffer in buffers.values() if isinstance(buffer, ListBuffer) for chunk in buffer)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, choices=sorted(FLAGS), default=2)
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--top", type=int, default=12)
    ap.add_argument("--output", default=os.path.join(WORK, "timeline-out"))
    ap.add_argument("cli", nargs="*", help="more flags for pipeline.run (after --)")
    args = ap.parse_args()

    from apache_beam.runners.portability.fn_api_runner import fn_runner

    from pipeline import run

    rows: list[tuple[float, float, float, int, str]] = []
    execute = fn_runner.FnApiRunner._execute_bundle

    def timed(self, context, manager, bundle_input):
        nbytes = _input_bytes(bundle_input)
        before, started = _descendants_cpu(), time.perf_counter()
        try:
            return execute(self, context, manager, bundle_input)
        finally:
            after = _descendants_cpu()
            workers = sum(c - before.get(pid, 0.0) for pid, c in after.items())
            rows.append((started - t0, time.perf_counter() - started, workers, nbytes, manager.stage.name))

    fn_runner.FnApiRunner._execute_bundle = timed
    corpus = corpus_in(WORK, args.docs)
    t0 = time.perf_counter()
    code = run.main(["--input", corpus, "--output", args.output, "--overwrite", "--progress", "0", *FLAGS[args.workers], *args.cli])
    total = time.perf_counter() - t0
    small = [r for r in rows if r[1] < 0.1]
    print(f"{len(rows)} stages run in {total:.2f} s (first at {rows[0][0]:.2f} s); {len(small)} under 0.1 s: "
          f"{sum(r[1] for r in small):.2f} s wall, {sum(r[2] for r in small):.2f} worker CPU s together")
    print("start s  wall s  worker CPU s  input MB  stage (its fused steps)")
    for start, wall, workers, nbytes, name in sorted(rows, key=lambda r: -r[1])[: args.top]:
        steps = [s.strip("()").replace("ref_AppliedPTransform_", "") for s in name.split("+")]
        print(f"{start:7.2f} {wall:7.3f} {workers:13.2f} {nbytes / 1e6:9.2f}  {steps[0]} + {len(steps) - 1} more")
    sys.exit(code)


if __name__ == "__main__":
    main()
