"""The stage order, in one place. No logic: each stage is a PTransform from transforms/ (per-document
stages with no shuffle between them run together, as one DecideInOrder step)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems

from pipeline.config import Config
from pipeline.read import ReadDocuments, ReadOutputs
from pipeline.write import CLEAN_SCHEMA, doc_row, failed_row, FAILED_SCHEMA, identity_row, rejected_row, REJECTED_SCHEMA, with_run_metadata, WriteParquet
from transforms.prior_dedup import INDEX_SCHEMA
from pipeline.progress import TallyProgress, stage_outputs
from pipeline.report import STATS_FILE, CountOutcomes
from transforms import boilerplate, exact_dedup, extract, language, near_dedup, pii, prior_dedup, quality, url_filter
from transforms.boilerplate import RemoveBoilerplate
from transforms.clean import STAGE as CLEAN
from transforms.clean import CleanFiles, StripCruft, read_clean_files
from transforms.exact_dedup import RemoveExactDuplicates
from transforms.extract import ExtractTextFn
from transforms.language import DetectLanguageFn
from transforms.pii import RedactFn
from transforms.prior_dedup import INDEX_DIR, IndexRowFn, ReadIndex, RemovePriorDuplicates, index_pattern, index_settings
from transforms.near_dedup import RemoveNearDuplicates
from transforms.quality import AssessQualityFn, RejectTooShortFn
from transforms.records import Document, Rejection
from transforms.routing import DecideInOrder, SpreadDocuments, StageOutputs
from transforms.sample import SampleRecords
from transforms.url_filter import FilterUrlsFn


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
        "index": FileSystems.join(out_dir, INDEX_DIR),
    }


def process(p: beam.Pipeline, cfg: Config, inputs: list[str], progress: TallyProgress | None = None,
            leave_out: Sequence[str] = (), indexes: Sequence[tuple[str, tuple]] | None = None,
            clean_files: CleanFiles | None = None) -> tuple[beam.PCollection, Outputs]:
    """Read and run every stage; returns (a mark per record read, the three outcome collections).
    With `progress`, each stage's outputs are also tallied for the progress lines, under the
    stage names the records and the report use. Files under `leave_out` are not read.
    `clean_files`: the rule pack's and weights' texts as the run read them (else read here)."""
    read = p | "Read" >> ReadDocuments(inputs, cfg.read, leave_out)
    sample_stats = []
    if cfg.sample.fraction < 1.0:
        read, sample_stats = _sample(read, cfg)
    labelled: list[tuple[str, StageOutputs]] = [("read", read)]
    docs = read.kept
    # Per-document stages with no shuffle between them run as one step (DecideInOrder): the same
    # decisions in the same order, without Beam's per-element cost of a ParDo per stage.
    mark = progress is not None
    for stage, label, transform in (
        ("", "FilterUrlsAndExtract", DecideInOrder((
            # before extraction: a blocked page costs nothing more
            (url_filter.STAGE, FilterUrlsFn(cfg.url_filter)),
            (extract.STAGE, ExtractTextFn(cfg.extract)),
        ), mark)),
        (CLEAN, "StripCruft", StripCruft(cfg.clean, clean_files)),
        (boilerplate.STAGE, "RemoveBoilerplate", RemoveBoilerplate(cfg.boilerplate)),
        ("", "RedactDetectAndFilter", DecideInOrder((
            # once the text is final: every later stage (and text_hash) sees the redacted text
            (pii.STAGE, RedactFn(cfg.pii)),
            # the quality stage's length rule first: language identification costs most on a few words
            (quality.STAGE, RejectTooShortFn(cfg.quality)),
            (language.STAGE, DetectLanguageFn(cfg.language)),
            # after language: stop words and word-based rules depend on the document's language
            (quality.STAGE, AssessQualityFn(cfg.quality)),
        ), mark)),
        *_prior_dedup(p, cfg, indexes),
        (exact_dedup.STAGE, "RemoveExactDuplicates", RemoveExactDuplicates(cfg.exact_dedup)),
        (near_dedup.STAGE, "RemoveNearDuplicates", RemoveNearDuplicates(cfg.near_dedup)),
    ):
        out = docs | label >> transform
        parts = out if isinstance(transform, DecideInOrder) else [(stage, out)]
        labelled.extend(parts)
        docs = parts[-1][1].kept
        if label == "FilterUrlsAndExtract":
            # A file or range is read, and its pages extracted, by one worker; the documents are
            # spread before the costly stages, once the raw HTML is gone (issue 17).
            docs = docs | "SpreadDocuments" >> SpreadDocuments()
    if progress is not None:
        _ = stage_outputs(labelled) | "TallyProgress" >> progress
    stages = [out for _, out in labelled]
    rejected = tuple(s.rejected for s in stages) | "AllRejected" >> beam.Flatten()
    failed = tuple(s.failed for s in stages) | "AllFailed" >> beam.Flatten()
    # The report counts what was read; a mark per record crosses into that count, not the record
    # (read documents still hold their raw HTML, and a Flatten is a stage boundary in Beam's runners).
    everything_read = tuple(
        part | f"MarkRead{name}" >> beam.Map(_read_mark) for name, part in (("Kept", read.kept), ("Rejected", read.rejected), ("Failed", read.failed))
    ) | "AllRead" >> beam.Flatten()
    # Stages may add a `stats` PCollection of count dicts (near dedup: clusters, verified pairs; read:
    # what the field names set away from their defaults found).
    stats = (*(s.stats for s in stages if hasattr(s, "stats")), *sample_stats) | "AllStageStats" >> beam.Flatten()
    return everything_read, Outputs(docs, rejected, failed, stats)


def _prior_dedup(p: beam.Pipeline, cfg: Config, indexes: Sequence[tuple[str, tuple]] | None = None) -> list[tuple[str, str, beam.PTransform]]:
    """The stage that dedups against earlier runs' indexes (`--dedup-against`), when any is given:
    the index files `check_indexes` checked (`indexes`), which the job verifies it reads as they
    were; without them, what each run's index pattern matches when the job runs."""
    if not cfg.prior_dedup.against:
        return []
    runs = list(indexes) if indexes is not None else [(run, index_pattern(run)) for run in cfg.prior_dedup.against]
    index = p | "ReadIndex" >> ReadIndex(runs)
    return [(prior_dedup.STAGE, "RemovePriorDuplicates", RemovePriorDuplicates(cfg.prior_dedup, cfg.near_dedup, index))]


def _read_mark(_: object) -> int:
    return 1


def _document_id(doc: Document) -> str:
    return doc.id


def _rejection_id(rej: Rejection) -> str:
    return rej.doc.id


def _sample(read: ReadOutputs, cfg: Config) -> tuple[ReadOutputs, list[beam.PCollection]]:
    """Keep the read documents and read rejections in the sample (`--sample`); failures to read are
    always kept (they name a file, not a document). Returns the sampled read outputs and the stats
    counting what was left out."""
    kept = read.kept | "SampleKept" >> SampleRecords(cfg.sample, _document_id)
    rejected = read.rejected | "SampleRejected" >> SampleRecords(cfg.sample, _rejection_id)
    left_out = (
        (kept.sampled_out, rejected.sampled_out)
        | "SampledOut" >> beam.Flatten()
        | "CountSampledOut" >> beam.combiners.Count.Globally().without_defaults()
        | "SampledOutStats" >> beam.Map(lambda n: {"sampled_out": n})
    )
    return read._replace(kept=kept.kept, rejected=rejected.kept), [left_out]


def build(p: beam.Pipeline, cfg: Config, inputs: list[str], out_dir: str, run_metadata: dict[str, str],
          progress: TallyProgress | None = None, leave_out: Sequence[str] = (),
          indexes: Sequence[tuple[str, tuple]] | None = None, clean_files: CleanFiles | None = None) -> None:
    """The whole job: stages, the three Parquet outputs, the counts for the report and, when
    given, the tallies behind the progress lines. Files under `leave_out` (the run's own
    output, lock and staging folder) are not read. `clean_files`: the rule pack's and weights'
    texts as the run read them once (`read_clean_files`), which the clean stage and the report's
    look-alikes use; without them each reads the files itself."""
    if clean_files is None:
        clean_files = read_clean_files(cfg.clean)
    everything_read, outputs = process(p, cfg, inputs, progress, leave_out, indexes, clean_files)
    paths = output_paths(out_dir)
    for name, pcoll, schema, to_row in (
        ("clean", outputs.clean, CLEAN_SCHEMA, doc_row),
        ("rejected", outputs.rejected, REJECTED_SCHEMA, rejected_row),
        ("failed", outputs.failed, FAILED_SCHEMA, failed_row),
    ):
        prefix = FileSystems.join(paths[name], "part")
        _ = pcoll | f"Write{name.title()}" >> WriteParquet(prefix, with_run_metadata(schema, run_metadata), cfg.write, to_row)
    if cfg.prior_dedup.write_index:
        index = with_run_metadata(INDEX_SCHEMA.with_metadata(index_settings(cfg.near_dedup)), {**run_metadata, **index_settings(cfg.near_dedup)})
        _ = (
            outputs.clean
            | "IndexRows" >> beam.ParDo(IndexRowFn(cfg.near_dedup))
            | "WriteIndex" >> WriteParquet(FileSystems.join(paths["index"], "part"), index, cfg.write, identity_row)
        )
    _ = (everything_read, outputs.clean, outputs.rejected, outputs.failed, outputs.stats) | "CountOutcomes" >> CountOutcomes(paths["stats"], cfg.clean, clean_files)
