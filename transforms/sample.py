"""A deterministic sample of the input: `--sample 0.01` keeps the documents whose id hashes into the
first 1% of the hash space, so the same documents are chosen on every run, runner and worker count,
and a larger fraction keeps a superset of a smaller one (tune on 1%, check on 10%).

Documents left out of the sample are not processed and not written; the report counts them
(`sampled_out`) apart from the input, so its `balanced` check covers what was sampled.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TypeVar

import apache_beam as beam

STAGE = "sample"
_SPACE = 1 << 64
Record = TypeVar("Record")


@dataclass(frozen=True)
class SampleConfig:
    fraction: float = 1.0  # share of documents kept, by a hash of the id; 1.0 keeps all
    seed: int = 0  # another seed draws another sample of the same size

    def __post_init__(self) -> None:
        if not 0.0 < self.fraction <= 1.0:
            raise ValueError(f"sample.fraction must be in (0, 1], got {self.fraction}")


def in_sample(record_id: str, cfg: SampleConfig) -> bool:
    """Whether the record with this id is in the sample (pure; the same answer everywhere)."""
    if cfg.fraction >= 1.0:
        return True
    digest = hashlib.blake2b(f"{cfg.seed}\x00{record_id}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") < cfg.fraction * _SPACE


class _SampleFn(beam.DoFn):
    OUT = "sampled_out"

    def __init__(self, cfg: SampleConfig, id_of):
        self.cfg = cfg
        self.id_of = id_of

    def process(self, record):
        if in_sample(self.id_of(record), self.cfg):
            yield record
        else:
            yield beam.pvalue.TaggedOutput(self.OUT, 1)


class SampleRecords(beam.PTransform):
    """record -> the records in the sample (main output) and, tagged `sampled_out`, a 1 for each
    record left out (for the report's count). `id_of` gives a record's id."""

    def __init__(self, cfg: SampleConfig, id_of):
        super().__init__()
        self.cfg = cfg
        self.id_of = id_of

    def expand(self, records: beam.PCollection):
        # Kept records are typed as they came in (Beam's inference of process() would make them a
        # Union with TaggedOutput once the input is typed, which a typed next step refuses).
        sample = (
            beam.ParDo(_SampleFn(self.cfg, self.id_of))
            .with_input_types(Record)
            .with_output_types(Record, **{_SampleFn.OUT: int})
        )
        return records | sample.with_outputs(_SampleFn.OUT, main="kept")
