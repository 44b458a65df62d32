"""End-to-end throughput against datatrove, and where our time goes: one command, one table.

`python -m benchmarks.throughput [--docs 2000] [--repeats 3] [--dt-repeats 1] [--no-datatrove]`

1. Builds the deterministic corpus (`benchmarks/corpus.py`: real article texts from ../shared/data,
   cruft lines, 10% near-duplicates, 2% exact copies) as JSONL under --work.
2. Runs our real CLI (`python -m pipeline.run`, default config, so stages merged later are measured
   too) with 1 worker (in-memory runner) and 2 workers (multi-processing runner), and datatrove's
   local executor on the same file (`benchmarks/datatrove_job.py`, in datatrove's own venv, given by
   --datatrove-python or $DATATROVE_PYTHON; default /tmp/dtvenv/bin/python). Every run is a fresh
   process; the figures are medians of --repeats runs, in the same invocation so the ratios share
   the machine's load. Peak memory is the largest sum of RSS over the run's process tree, sampled
   every 50 ms (shared pages of forked workers count once per process: an upper bound).
   Then our wall time by phase: the driver's start and report, building the graph, running it.
3. Where the time goes: each stage's own functions timed directly on the corpus
   (`benchmarks/stage_costs.py`, CPU ms per document), Beam's fixed cost (the CPU of a run on 20
   documents: start-up, graph, per-stage set-up, report) and, from the 1-worker runs' CPU, the
   per-document rest (coders, shuffles, bundles).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.corpus import WORK, corpus_path, load_articles, write_corpus

REPO = Path(__file__).resolve().parent.parent
OURS_1 = ["--direct_running_mode=in_memory", "--direct_num_workers=1"]
OURS_2 = ["--direct_running_mode=multi_processing", "--direct_num_workers=2"]


@dataclass
class Run:
    wall: float
    peak_mb: float
    cpu: float  # user + system seconds of the whole process tree
    detail: str = ""
    timings: dict | None = None  # ours: report.json's build_seconds and run_seconds
    timed_out: bool = False  # killed at `timed`'s timeout


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _tree_sample(root: int, cpu: dict[int, float]) -> float:
    """RSS (MB) of the process tree under `root`; records each process's CPU seconds in `cpu`."""
    kids, todo, total = _children_map(), [root], 0
    tick = os.sysconf("SC_CLK_TCK")
    while todo:
        pid = todo.pop()
        todo += kids.get(pid, [])
        try:
            with open(f"/proc/{pid}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            with open(f"/proc/{pid}/stat", "rb") as f:
                stat = f.read()
            fields = stat[stat.rfind(b")") + 2 :].split()
            cpu[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        except (OSError, IndexError, ValueError):
            pass
    return total / 1e6


def timed(cmd: list[str], env: dict[str, str] | None = None, timeout: float | None = None) -> Run:
    """Run `cmd` from the repo root; wall time and peak memory of its whole process tree. Past
    `timeout` seconds the run and its workers are killed and `Run.timed_out` is set."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    peak, cpu = [0.0], {}  # cpu: last CPU seconds seen per process (the final 50 ms are missed)

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_sample(proc.pid, cpu))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # its own session: the run and its workers only
        proc.communicate()
        sampler.join()
        return Run(time.perf_counter() - started, peak[0], sum(cpu.values()), timed_out=True)
    wall = time.perf_counter() - started
    sampler.join()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:4])}... exited {proc.returncode}:\n{err[-3000:]}")
    return Run(wall, peak[0], sum(cpu.values()), out + err)


def ours(corpus: str, out: str, flags: list[str]) -> Run:
    shutil.rmtree(out, ignore_errors=True)
    run = timed([sys.executable, "-m", "pipeline.run", "--input", corpus, "--output", out, *flags])
    with open(os.path.join(out, "report.json"), encoding="utf-8") as f:
        run.timings = json.load(f)["timings"]
    return run


def datatrove(python: str, corpus: str, work: str, tasks: int) -> Run:
    shutil.rmtree(work, ignore_errors=True)
    env = dict(os.environ, PYTHONPATH="")  # datatrove's venv must not see our packages
    run = timed([python, "benchmarks/datatrove_job.py", "--input", corpus, "--work", work, "--tasks", str(tasks)], env)
    stages = [line for line in run.detail.splitlines() if line.startswith("DATATROVE_STAGES")]
    run.detail = stages[-1].split(" ", 1)[1] if stages else ""
    return run


def where_time_goes(work: str, corpus: str, n: int, cpu_1: float | None, repeats: int) -> None:
    """Per-stage CPU ms/doc timed directly, and what Beam adds: the fixed cost (CPU of a run on 20
    documents) and the per-document rest of the 1-worker run's CPU."""
    from benchmarks.stage_costs import stage_costs
    from pipeline.config import load_config

    rows = stage_costs(corpus, load_config(), repeats)
    small = os.path.join(work, "corpus-20.jsonl")
    write_corpus(small, 20)
    fixed = statistics.median(ours(small, f"{work}/out-20", OURS_1).cpu for _ in range(repeats))
    stages_ms = sum(ms for name, ms in rows if not name.startswith(" "))  # indented rows: comparisons, not run
    print(f"\nwhere the time goes (1 worker, CPU; stages timed directly, medians of {repeats})")
    print(f"{'part':<60} | {'ms/doc':>7} | {'s per ' + str(n):>11}")
    print("-" * 86)
    for name, ms in rows:
        print(f"{name:<60} | {ms:>7.2f} | {ms * n / 1000:>11.1f}")
    print(f"{'Beam, fixed: start-up, graph, stage set-up, report (20-doc run)':<60} | {'':>7} | {fixed:>11.1f}")
    if cpu_1 is not None:
        rest = cpu_1 - fixed - stages_ms * n / 1000
        print(f"{'Beam, per document: coders, shuffles, bundles (the rest)':<60} | {rest / n * 1000:>7.2f} | {rest:>11.1f}")
        print(f"{'total (1-worker run, CPU)':<60} | {cpu_1 / n * 1000:>7.2f} | {cpu_1:>11.1f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3, help="runs of each of our settings (median)")
    ap.add_argument("--dt-repeats", type=int, default=1, help="datatrove runs (median); it is slow")
    ap.add_argument("--dt-tasks", default="1", help="comma-separated datatrove task counts, e.g. 1,2")
    ap.add_argument("--datatrove-python", default=os.environ.get("DATATROVE_PYTHON", "/tmp/dtvenv/bin/python"))
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument("--no-profile", action="store_true")
    ap.add_argument("--only-profile", action="store_true", help="just the per-stage costs (no end-to-end runs)")
    ap.add_argument("--wcxb-pages", type=int, default=None,
                    help="build the corpus from the first N WCXB pages only (356 approximates the corpus before 2026-12-04)")
    ap.add_argument("--work", default=WORK)
    args = ap.parse_args()

    corpus = corpus_path(args.work, args.docs, args.wcxb_pages)
    n, size = write_corpus(corpus, args.docs, wcxb_pages=args.wcxb_pages)
    # The corpus is built from ../shared/data, which can change under the benchmark (its WCXB set
    # grew from 356 to 1,497 pages, and datatrove's time fell from 93-97 s to 55 s, docs/runners.md):
    # the source article count and a digest of the bytes make a different corpus visible.
    with open(corpus, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    print(f"corpus: {n} documents, {size / 1e6:.2f} MB, {len(load_articles(wcxb_pages=args.wcxb_pages))} source articles, sha256 {digest} ({corpus}); "
          f"{os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}")

    settings: list[tuple[str, int, object]] = [] if args.only_profile else [
        ("newsclean, 1 worker (in_memory)", 1, lambda: ours(corpus, f"{args.work}/out", OURS_1)),
        ("newsclean, 2 workers (multi_processing)", 2, lambda: ours(corpus, f"{args.work}/out", OURS_2)),
    ]
    repeats = {name: args.repeats for name, _, _ in settings}
    if not args.no_datatrove and not args.only_profile:
        for t in (int(x) for x in args.dt_tasks.split(",")):
            name = f"datatrove {t} task{'s' if t > 1 else ''} (no language filter)"
            settings.append((name, t, lambda t=t: datatrove(args.datatrove_python, corpus, f"{args.work}/dt", t)))
            repeats[name] = args.dt_repeats
    results: dict[str, list[Run]] = {name: [] for name, _, _ in settings}
    for i in range(max(repeats.values(), default=0)):  # interleaved, so a burst of load hits every setting alike
        for name, _, fn in settings:
            if i < repeats[name]:
                results[name].append(fn())
                print(f"  run {i + 1}: {name}: {results[name][-1].wall:.1f} s", file=sys.stderr)

    if settings:
        _table(settings, results, n)

    if not args.no_profile:
        ours_1 = results.get(settings[0][0]) if settings else None
        cpu_1 = statistics.median(r.cpu for r in ours_1) if ours_1 else None
        where_time_goes(args.work, corpus, n, cpu_1, max(1, args.repeats))


def _table(settings: list, results: dict[str, list[Run]], n: int) -> None:
    dt = next((name for name, cores, _ in settings if name.startswith("datatrove") and cores == 1), None)
    dt_1 = statistics.median(r.wall for r in results[dt]) if dt else None
    dt_cpu = statistics.median(r.cpu for r in results[dt]) if dt else None
    print(f"\n{'setting':<44} | {'cores':>5} | {'wall s (median)':>15} | {'docs/s':>7} | {'docs/s/core':>11} | "
          f"{'CPU s':>6} | {'docs/CPU-s':>10} | {'peak MB':>7} | {'wall vs datatrove':>17} | {'CPU vs datatrove':>16}")
    print("-" * 166)
    for name, cores, _ in settings:
        wall = statistics.median(r.wall for r in results[name])
        peak = max(r.peak_mb for r in results[name])
        cpu = statistics.median(r.cpu for r in results[name])
        ratio = f"{dt_1 / wall:.2f}x faster" if dt_1 else "-"
        cpu_ratio = f"{dt_cpu / cpu:.2f}x less" if dt_cpu else "-"
        print(f"{name:<44} | {cores:>5} | {wall:>15.1f} | {n / wall:>7.1f} | {n / wall / cores:>11.1f} | "
              f"{cpu:>6.1f} | {n / cpu:>10.1f} | {peak:>7.0f} | {ratio:>17} | {cpu_ratio:>16}")
        for r in results[name]:
            if r.detail and name.startswith("datatrove"):
                print(f"{'':<44}   stages (s): {r.detail}")
    _phases(settings, results)


def _phases(settings: list, results: dict[str, list[Run]]) -> None:
    """Our runs' wall time by phase (medians): the driver's start (imports, options) and end
    (report.json and report.html), building the job graph, and running it (runner start-up,
    worker processes, every stage)."""
    ours = [name for name, _, _ in settings if results[name] and results[name][0].timings]
    if not ours:
        return
    print(f"\n{'our wall time by phase (s, medians)':<44} | {'start+report':>12} | {'graph':>6} | {'run':>6} | {'total':>6}")
    print("-" * 86)
    for name in ours:
        runs = results[name]
        build = statistics.median(r.timings["build_seconds"] for r in runs)
        running = statistics.median(r.timings["run_seconds"] for r in runs)
        edges = statistics.median(r.wall - r.timings["wall_seconds"] for r in runs)
        total = statistics.median(r.wall for r in runs)
        print(f"{name:<44} | {edges:>12.1f} | {build:>6.1f} | {running:>6.1f} | {total:>6.1f}")


if __name__ == "__main__":
    main()
