"""How a stage routes its decisions: kept documents, rejections, and failures (the dead letters).

Every per-document stage is a `DecideFn` whose `decide()` is a pure `Document -> Document |
Rejection` call; `apply_decisions` turns it into three PCollections. Exceptions never reach the
runner (which would retry and then kill the job) and never vanish: Beam's
`with_exception_handling` catches them per element and we turn each into a `Failure`.
"""

from __future__ import annotations

from typing import Any, Iterable, NamedTuple

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from transforms.records import Document, Failure, Rejection

KEPT = "kept"
REJECTED = "rejected"
FAILED = "failed"


class StageOutputs(NamedTuple):
    kept: beam.PCollection  # Document
    rejected: beam.PCollection  # Rejection
    failed: beam.PCollection  # Failure


class Counters:
    """One stage's Beam counters, each made once per DoFn instance: `Metrics.counter` builds a
    metric name on every call, and the counter it returns reports to whichever bundle is running."""

    def __init__(self, stage: str):
        self.stage = stage
        self._made: dict[str, Any] = {}

    def inc(self, name: str, n: int = 1) -> None:
        counter = self._made.get(name)
        if counter is None:
            counter = self._made[name] = Metrics.counter(self.stage, name)
        counter.inc(n)


class DecideFn(beam.DoFn):
    """Base DoFn: subclasses set `stage` and implement `decide`; resources go in `setup()`."""

    stage = "stage"
    _counters: Counters | None = None  # made on the first element (subclasses own __init__ and setup)

    def decide(self, doc: Document) -> Document | Rejection:  # pragma: no cover - abstract
        raise NotImplementedError

    def process(self, doc: Document) -> Iterable:
        if self._counters is None:
            self._counters = Counters(self.stage)
        out = self.decide(doc)
        if isinstance(out, Rejection):
            self._counters.inc(f"rejected_{out.reason}")
            yield pvalue.TaggedOutput(REJECTED, out)
        else:
            self._counters.inc("kept")
            yield out


def route(pcoll: beam.PCollection, label: str, fn: beam.DoFn, stage: str) -> StageOutputs:
    """Apply a DoFn that yields kept documents on the main output and `REJECTED` tagged outputs."""
    results = pcoll | label >> beam.ParDo(fn).with_outputs(REJECTED, main=KEPT).with_exception_handling(
        main_tag=KEPT, dead_letter_tag=FAILED
    )
    failed = results[FAILED] | f"{label}Failures" >> beam.Map(Failure.from_dead_letter, stage=stage)
    return StageOutputs(results[KEPT], results[REJECTED], failed)


def apply_decisions(pcoll: beam.PCollection, label: str, fn: DecideFn) -> StageOutputs:
    return route(pcoll, label, fn, fn.stage)
