"""Progress while a run goes: documents read and where they ended up, on stderr every few seconds.

Runners differ in what they expose while a job runs, so progress has two sources, and the driver
prints whichever has news:

- A sidecar folder. Tally DoFns, hung off each stage's own kept / rejected / failed outputs,
  count documents and write their count to a small JSON file in a local folder at most every
  `interval` seconds and at the end of each bundle. A driver thread sums the files and prints one
  line. This works wherever workers share the driver's disk: the DirectRunner in-process or
  multi-process, Prism or Flink in loopback mode. It is what the default DirectRunner needs: its
  `run()` returns only when the job is over, so the driver has no live result to ask.
- Beam metrics. The same tallies increment counters in the `newsclean.progress` namespace; when
  `run()` returns while the job is still running (Dataflow, Flink, Prism), the driver polls
  `result.metrics()` when the sidecar is empty. A runner that cannot answer while running is
  asked again only at the end.

On remote workers the sidecar folder does not exist: the first write fails and that tally stops
trying, so nothing breaks and nothing is slowed. Counts are "attempted" counts: a retried bundle
may count twice until the run ends. They never feed the outputs: report.json counts the
outcome records themselves.

Each tally costs an increment, a Beam counter increment and a clock read per document: far below
the cost of cleaning and language detection (docs/report.md has the measured overhead).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections import Counter
from typing import Any, Iterable, Mapping, Sequence, TextIO

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter

from pipeline.usage import say
from transforms.routing import FAILED, KEPT, REJECTED

NAMESPACE = "newsclean.progress"
OUTCOMES = (KEPT, REJECTED, FAILED)  # a stage's outputs; counter names: <stage>.<outcome>
DEFAULT_INTERVAL = 2.0  # seconds between progress lines
QUIET_REPEAT = 30.0  # with no change, repeat the line this often so a long shuffle does not look hung
# `--progress` is held to these bounds. Below the least, each tally wrote its file for every
# document (33 tallies: 33 writes a document) and the driver thread polled without pause: a run of
# 3,000 short records took 39.9 s at --progress 0.000001 against 15.4 s at 2 (hostile round 31). Past the
# most (the longest wait a thread can make, less the second `stop` adds to its join), the printer's
# thread died with an OverflowError traceback (`--progress 1e10`); a longer wait is no wait at all.
MIN_INTERVAL = 0.1
MAX_INTERVAL = threading.TIMEOUT_MAX - 1


def bounded_interval(seconds: float) -> float:
    """`seconds` between progress lines, held to MIN_INTERVAL .. MAX_INTERVAL."""
    return min(max(seconds, MIN_INTERVAL), MAX_INTERVAL)


# --- the line ---------------------------------------------------------------------------------


def progress_line(counts: Mapping[str, int], stages: Sequence[str], elapsed: float, busy: float = 0.0) -> str:
    """One line, a live funnel in the report's terms: documents in, then for each stage (named as
    in report.json's `funnel`, the first being `read`) the documents it has passed on so far and,
    after a minus sign, those it rejected or failed. The rate is over `busy` seconds, the time since
    the first document was counted (not start-up)."""
    def n(stage: str, outcome: str) -> int:
        return int(counts.get(f"{stage}.{outcome}", 0))

    if not stages:
        return f"progress {elapsed:,.0f}s: running"
    first = stages[0]
    total = n(first, KEPT) + n(first, REJECTED) + n(first, FAILED)
    rate = f", {total / busy:,.0f} docs/s" if busy >= 1.0 and total else ""
    parts = [f"{total:,} in"]
    for stage in stages:
        gone = n(stage, REJECTED) + n(stage, FAILED)
        parts.append(f"{stage} {n(stage, KEPT):,}" + (f" (−{gone:,})" if gone else ""))
    return f"progress {elapsed:,.0f}s{rate}: " + " → ".join(parts)


# --- inside the pipeline ----------------------------------------------------------------------


class _TallyFn(beam.DoFn):
    """Counts its elements into a Beam counter and, when the sidecar folder is reachable, into a
    JSON file of its own there. Emits nothing."""

    def __init__(self, key: str, folder: str | None, interval: float):
        self.key = key
        self.folder = folder
        self.interval = interval

    def setup(self) -> None:
        self._count = 0
        self._counter = Metrics.counter(NAMESPACE, self.key)
        self._path = os.path.join(self.folder, f"{uuid.uuid4().hex}.json") if self.folder and os.path.isdir(self.folder) else None
        self._next = 0.0
        self._dirty = False

    def process(self, element: Any) -> Iterable[None]:
        self._count += 1
        self._counter.inc()
        self._dirty = True
        if self._path and time.monotonic() >= self._next:
            self._flush()
        return ()

    def finish_bundle(self) -> None:
        self._flush()

    def teardown(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if not (self._path and self._dirty):
            return
        self._next = time.monotonic() + self.interval
        self._dirty = False
        tmp = self._path + ".tmp"
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump({self.key: self._count}, f)
            os.replace(tmp, self._path)  # the driver never reads a half-written file
        except OSError:
            self._path = None  # the folder went away (or was never ours): stop trying, quietly


class TallyProgress(beam.PTransform):
    """{"<stage>.<kept|rejected|failed>": PCollection} -> nothing; counts for the progress lines.
    `folder` None: Beam counters only. Build it with `stage_outputs()`, stages in order."""

    def __init__(self, folder: str | None, interval: float = DEFAULT_INTERVAL):
        super().__init__()
        self.folder = folder
        self.interval = bounded_interval(interval)
        self.stages: list[str] = []  # stage names in pipeline order, known once applied

    def expand(self, outputs: Mapping[str, beam.PCollection]) -> None:
        for key in outputs:
            stage = key.rsplit(".", 1)[0]
            if stage not in self.stages:
                self.stages.append(stage)
        for key, pcoll in outputs.items():
            label = "Tally" + "".join(part[:1].upper() + part[1:] for part in key.replace("_", ".").split("."))
            _ = pcoll | label >> beam.ParDo(_TallyFn(key, self.folder, self.interval))


def stage_outputs(stages: Sequence[tuple[str, Any]]) -> dict[str, beam.PCollection]:
    """(stage, StageOutputs) pairs -> the keyed collections TallyProgress counts, in stage order.
    Tapping each stage's own outputs (not a Flatten of them) keeps the tallies inside the fused
    stage that produces the documents, so the counts move while documents flow."""
    # A stage applied in parts (quality's length rule before language detection, its other rules
    # after) is one step of the line, placed where its last part runs, as in the report's funnel:
    # what its last part kept, what all its parts rejected or failed.
    order: list[str] = []
    outs: dict[str, list[Any]] = {}
    for label, out in stages:
        if label in order:
            order.remove(label)
        order.append(label)
        outs.setdefault(label, []).append(out)
    tapped: dict[str, beam.PCollection] = {}
    for label in order:
        for outcome in OUTCOMES:
            pcolls = [getattr(o, outcome) for o in outs[label]]
            if outcome == KEPT or len(pcolls) == 1:
                tapped[f"{label}.{outcome}"] = pcolls[-1]
            else:
                tapped[f"{label}.{outcome}"] = tuple(pcolls) | f"Tally{label.title()}{outcome.title()}Parts" >> beam.Flatten()
    return tapped


# --- in the driver ----------------------------------------------------------------------------


def read_sidecar(folder: str) -> Counter[str]:
    """The sum of every tally's last written counts."""
    total: Counter[str] = Counter()
    try:
        names = os.listdir(folder)
    except OSError:
        return total
    for name in names:
        if not name.endswith(".json"):
            continue
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                total.update({k: int(v) for k, v in json.load(f).items()})
        except (OSError, ValueError):
            continue  # replaced or removed while listing: the next poll sees it
    return total


def metric_counts(result: Any) -> Counter[str]:
    """Our counters from a (running) PipelineResult: attempted values, summed over steps."""
    counts: Counter[str] = Counter()
    query = result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))
    for c in query.get("counters", []):
        value = c.attempted if c.attempted is not None else c.committed
        counts[c.key.metric.name] += int(value or 0)
    return counts


class ProgressPrinter:
    """A driver thread printing a progress line every `interval` seconds while the counts move.

    Use as a context manager around `pipeline.run()`, passing `tally` to the pipeline's build;
    `attach(result)` lets it poll the runner's metrics when `run()` returned before the job ended.
    Leaving the context prints the final counts.
    """

    def __init__(self, interval: float = DEFAULT_INTERVAL, stream: TextIO | None = None):
        self.interval = bounded_interval(interval)
        self.stream = stream
        # A local folder; on remote workers it does not exist and the tallies count in Beam counters only.
        self.folder = tempfile.mkdtemp(prefix="newsclean-progress-")
        self.tally = TallyProgress(self.folder, interval)  # for build(); its stages name the line's steps
        self._result: Any = None
        self._metrics_ok = True
        self._first_seen: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="newsclean-progress", daemon=True)
        self._started = time.monotonic()
        self._last: Counter[str] | None = None
        self._last_printed = 0.0
        self.lines: list[str] = []

    def __enter__(self) -> "ProgressPrinter":
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop(final=exc[0] is None)

    def attach(self, result: Any) -> None:
        self._result = result

    def counts(self, *, final: bool = False) -> Counter[str]:
        counts = read_sidecar(self.folder)
        if not counts and self._result is not None and (self._metrics_ok or final):
            try:
                counts = metric_counts(self._result)
            except Exception:  # noqa: BLE001 - no live metrics on this runner: ask again at the end only
                self._metrics_ok = False
        return counts

    def _emit(self, line: str) -> None:
        self.lines.append(line)
        say(line, self.stream)  # a stream that cannot be written is let go: progress never stops a run

    def poll(self, *, final: bool = False) -> None:
        now = time.monotonic()
        counts = self.counts(final=final)
        if counts and self._first_seen is None:
            self._first_seen = now
        changed = counts != self._last
        quiet_for = now - (self._last_printed or self._started)
        if (changed and counts) or (not final and quiet_for >= QUIET_REPEAT):
            busy = now - self._first_seen if self._first_seen is not None else 0.0
            self._emit(progress_line(counts, self.tally.stages, now - self._started, busy))
            self._last, self._last_printed = counts, now

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - progress must never take the run down
                pass

    def stop(self, *, final: bool = True) -> None:
        if self._stop.is_set():
            return
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 1)
        if final:
            self.poll(final=True)  # the complete counts, unless the last line already showed them
        shutil.rmtree(self.folder, ignore_errors=True)

