"""The stage order, in one place. No logic: each stage is a PTransform from transforms/."""

from __future__ import annotations

from typing import NamedTuple

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipeline.config import Config
from pipeline.io import (
    CLEAN_SCHEMA,
    FAILED_SCHEMA,
    REJECTED_SCHEMA,
    ReadDocuments,
    WriteParquet,
    doc_row,
    failed_row,
    rejected_row,
    with_run_metadata,
)
from pipeline.progress import TallyProgress, stage_outputs
from pipeline.report import STATS_FILE, CountOutcomes
from transforms.boilerplate import RemoveBoilerplate
from transforms.clean import StripCruft
from transforms.exact_dedup import RemoveExactDuplicates
from transforms.extract import ExtractText
from transforms.language import DetectLanguage
from transforms.near_dedup import RemoveNearDuplicates
from transforms.quality import FilterLowQuality
from transforms.routing import StageOutputs


class Outputs(NamedTuple):
    clean: beam.PCollection
    rejected: beam.PCollection
    failed: beam.PCollection
    stats: beam.PCollection  # dicts of stage counts for the report


def output_paths(out_dir: str) -> dict[str, str]:
    return {
        "clean": FileSystems.join(out_dir, "clean"),
        "rejected": FileSystems.join(out_dir, "rejected"),
        "failed": FileSystems.join(out_dir, "failed"),
        "stats": FileSystems.join(out_dir, STATS_FILE),
    }


def process(p: beam.Pipeline, cfg: Config, inputs: list[str], progress: TallyProgress | None = None) -> tuple[beam.PCollection, Outputs]:
    """Read and run every stage; returns (everything read, the three outcome collections).
    With `progress`, each stage's outputs are also tallied for the progress lines."""
    read = p | "Read" >> ReadDocuments(inputs, cfg.read)
    labelled: list[tuple[str, StageOutputs]] = [("Read", read)]
    docs = read.kept
    for label, transform in (
        ("ExtractText", ExtractText(cfg.extract)),
        ("StripCruft", StripCruft(cfg.clean)),
        ("RemoveBoilerplate", RemoveBoilerplate(cfg.boilerplate)),
        ("DetectLanguage", DetectLanguage(cfg.language)),
        # after language: stop words and word-based rules depend on the document's language
        ("FilterLowQuality", FilterLowQuality(cfg.quality)),
        ("RemoveExactDuplicates", RemoveExactDuplicates(cfg.exact_dedup)),
        ("RemoveNearDuplicates", RemoveNearDuplicates(cfg.near_dedup)),
    ):
        out = docs | label >> transform
        labelled.append((label, out))
        docs = out.kept
        if label == "ExtractText":
            # A file or range is read, and its pages extracted, by one worker; the documents are
            # spread before the costly stages, once the raw HTML is gone (issue 17).
            docs = docs | "SpreadDocuments" >> beam.Reshuffle()
    if progress is not None:
        _ = stage_outputs(labelled) | "TallyProgress" >> progress
    stages = [out for _, out in labelled]
    rejected = tuple(s.rejected for s in stages) | "AllRejected" >> beam.Flatten()
    failed = tuple(s.failed for s in stages) | "AllFailed" >> beam.Flatten()
    everything_read = (read.kept, read.rejected, read.failed) | "AllRead" >> beam.Flatten()
    # Stages may add a `stats` PCollection of count dicts (near dedup: clusters, verified pairs).
    stats = tuple(s.stats for s in stages if hasattr(s, "stats")) | "AllStageStats" >> beam.Flatten()
    return everything_read, Outputs(docs, rejected, failed, stats)


def build(p: beam.Pipeline, cfg: Config, inputs: list[str], out_dir: str, run_metadata: dict[str, str],
          progress: TallyProgress | None = None) -> None:
    """The whole job: stages, the three Parquet outputs, the counts for the report and, when
    given, the tallies behind the progress lines."""
    everything_read, outputs = process(p, cfg, inputs, progress)
    paths = output_paths(out_dir)
    for name, pcoll, schema, to_row in (
        ("clean", outputs.clean, CLEAN_SCHEMA, doc_row),
        ("rejected", outputs.rejected, REJECTED_SCHEMA, rejected_row),
        ("failed", outputs.failed, FAILED_SCHEMA, failed_row),
    ):
        prefix = FileSystems.join(paths[name], "part")
        _ = pcoll | f"Write{name.title()}" >> WriteParquet(prefix, with_run_metadata(schema, run_metadata), cfg.write, to_row)
    _ = (everything_read, outputs.clean, outputs.rejected, outputs.failed, outputs.stats) | "CountOutcomes" >> CountOutcomes(paths["stats"])
