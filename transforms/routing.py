"""How a stage routes its decisions: kept documents, rejections, and failures (the dead letters).

Every per-document stage is a `DecideFn` whose `decide()` is a pure `Document -> Document |
Rejection` call; `apply_decisions` turns it into three PCollections. Exceptions never reach the
runner (which would retry and then kill the job) and never vanish: Beam's
`with_exception_handling` catches them per element and we turn each into a `Failure`.
"""

from __future__ import annotations

from typing import Iterable, NamedTuple

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


class DecideFn(beam.DoFn):
    """Base DoFn: subclasses set `stage` and implement `decide`; resources go in `setup()`."""

    stage = "stage"

    def decide(self, doc: Document) -> Document | Rejection:  # pragma: no cover - abstract
        raise NotImplementedError

    def process(self, doc: Document) -> Iterable:
        out = self.decide(doc)
        if isinstance(out, Rejection):
            Metrics.counter(self.stage, f"rejected_{out.reason}").inc()
            yield pvalue.TaggedOutput(REJECTED, out)
        else:
            Metrics.counter(self.stage, "kept").inc()
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
