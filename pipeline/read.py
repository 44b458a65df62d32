"""Reading sources into Documents (`ReadDocuments`).

Reading goes through Beam's `FileSystems`, so local paths, globs, folders and cloud URIs (gs://,
s3://, hdfs://) behave alike. Every record read ends in exactly one place: a Document
on the main output, a Rejection (an empty or oversized input) or a Failure (an unreadable record,
or the part of a file after it broke).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable, Iterator, NamedTuple, Protocol, Sequence, TypeVar

import apache_beam as beam
from apache_beam import pvalue
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from pipeline.charsets import fallback_codec
from pipeline.csv_rows import MalformedRow, iter_csv_records
from pipeline.decoding import (
    Utf8Read,
)
from pipeline.documents import (
    csv_document,
    derived_id,
    file_key,
    html_document,
    iter_jsonl_lines,
    jsonl_document,
    mapped_document,
    mapped_fields,
    shown_path,
    text_document,
)
from pipeline.field_paths import FieldsFound, watched_fields
from pipeline.formats import (
    ONE_PER_FILE,
    BadRecord,
    ReadConfig,
    format_of,
    refuse_archive,
)
from pipeline.id_bloom import BuildIdBloom, may_hold
from pipeline.inflate import (
    compression_of,
)
from pipeline.inputs import (
    PEEK,
    compression_in,
    distinct_files,
    format_or_auto,
    match_input,
    open_decompressed,
    parquet_runs,
    peek,
    plan_file_reads,
    pretty_printed,
    read_at_most,
    without_files_under,
)
from pipeline.json_array import iter_json_records
from pipeline.parquet_rows import parquet_rows
from pipeline.splits import (
    ReadTask,
    count_records,
    cr_as_lf,
    lone_cr_lines,
    range_records,
    with_first_positions,
)
from pipeline.warc_documents import iter_warc
from transforms.records import (
    Document,
    Failure,
    Rejection,
)
from transforms.routing import (
    FAILED,
    KEPT,
    REJECTED,
    decode_document,
    encode_document,
)


class _CountRecordsFn(beam.DoFn):
    """A byte range of a split JSONL file -> (path, (range, records it owns)); the range over a
    big Parquet file -> (path, (run of row groups, its rows)) per run."""

    def __init__(self, cfg: ReadConfig):
        self.cfg = cfg

    def process(self, task: ReadTask) -> Iterator[tuple[str, tuple[ReadTask, int]]]:
        if format_or_auto(task.path, self.cfg) == "parquet":
            for run in parquet_runs(task.path, self.cfg.split_bytes):
                yield file_key(task.path), run
            return
        try:
            with FileSystems.open(task.path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                count = count_records(f, task, self.cfg.max_document_bytes, self.cfg.max_record_bytes)
        except Exception:  # the read of this range will fail the same way and say so
            count = 0
        yield file_key(task.path), (task, count)



# The tag of the counts of what the field names found (`field_paths.FieldsFound.stats`)
FIELDS = "read_fields"



class ReadOutputs(NamedTuple):
    kept: beam.PCollection  # Document
    rejected: beam.PCollection  # Rejection
    failed: beam.PCollection  # Failure
    stats: beam.PCollection  # dict: what the field names set away from their defaults found, for the report



class ReadFileFn(beam.DoFn):
    """ReadTask (a file, a byte range of a split JSONL file or row groups of a split Parquet file)
    -> Document, with REJECTED and FAILED tagged outputs, and on FIELDS, after the records of a
    task read by field names set away from their defaults, what those names found (a dict)."""

    def __init__(self, cfg: ReadConfig):
        self.cfg = cfg
        self.watched = watched_fields(cfg)

    def process(self, task: ReadTask) -> Iterator:
        path = task.path  # opened as it is; named in records as `name`, which any coder can encode
        name = shown_path(path)
        position = task.first_position
        fmt = "text"  # names a failure before the format is known (one record per file)
        limit, record_limit = self.cfg.max_document_bytes, self.cfg.max_record_bytes  # of one record
        found = FieldsFound(self.watched, name, task.whole) if self.watched else None
        try:
            fmt = format_of(path, self.cfg.format)
            if fmt in ONE_PER_FILE:
                to_document = text_document if fmt == "text" else html_document
                with open_decompressed(path, self.cfg) as f:
                    data = read_at_most(f, self.cfg.max_document_bytes + 1)
                    refuse_archive(data, name)
                    yield self._route(to_document(name, data, self.cfg))
            elif fmt == "warc":
                # iter_warc inflates gzip members itself (a .warc.gz named so or not): Beam's
                # decompression would hide where a truncated file broke
                raw = FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED)
                if (compression_of(path) or compression_in(raw, path)) not in ("", "gzip"):  # .warc.zst, .warc.bz2, ...
                    raw.close()
                    raw = None
                with raw or open_decompressed(path, self.cfg) as f:
                    for position, out in iter_warc(name, f, self.cfg):
                        yield self._route(out)
                        position += 1
            elif fmt == "jsonl":
                # a byte range of a split file (uncompressed by plan_reads), or a whole file
                with open_decompressed(path, self.cfg) as f:
                    # a whole file may be UTF-16/32 (with a BOM: plan_file_reads never splits such
                    # a file), pretty-printed objects or lines ending with a lone CR (nor such files)
                    if task.whole:
                        head, read = peek(Utf8Read(f.read), PEEK)
                        refuse_archive(head, name)
                        read = cr_as_lf(read) if lone_cr_lines(head) else read
                        records = (iter_json_records(read, limit, record_limit) if pretty_printed(head)
                                   else iter_jsonl_lines(read, limit, record_limit))
                    else:
                        records = range_records(f, task, limit, record_limit)
                    for position, line in records:
                        yield self._guarded(name, position, lambda: jsonl_document(name, position, line, self.cfg, found=found), fmt)
                        position += 1
            elif fmt == "json":
                with open_decompressed(path, self.cfg) as f:
                    head, read = peek(Utf8Read(f.read), PEEK)
                    refuse_archive(head, name)
                    for position, element in iter_json_records(read, limit, record_limit):
                        yield self._guarded(name, position, lambda: jsonl_document(name, position, element, self.cfg, "json", found), fmt)
                        position += 1
            elif fmt in ("csv", "tsv"):
                with open_decompressed(path, self.cfg) as f:
                    delimiter = "," if fmt == "csv" else "\t"
                    head, read = peek(Utf8Read(f.read), PEEK)
                    refuse_archive(head, name)
                    flags, rows = iter_csv_records(read, delimiter, limit, fallback_codec, mapped_fields(self.cfg), record_limit)
                    for position, row in rows:
                        yield self._guarded(name, position, lambda: csv_document(name, position, row, fmt, self.cfg, flags, found), fmt)
                        position += 1
            else:
                with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                    first = position  # a run of row groups starts at its first row's position
                    groups = range(task.start, task.end) if task.row_groups else None
                    for offset, row in parquet_rows(f, self.cfg, groups):
                        position = first + offset
                        yield self._guarded(name, position, lambda: mapped_document(name, position, row(), "parquet", self.cfg, found=found), fmt)
                        position += 1  # should the file break before the next row
        except Exception as exc:  # the file broke part-way: what was read stays, the rest is one failure
            # a one-page file's failure carries the id its document would have had
            yield pvalue.TaggedOutput(FAILED, Failure.from_exception("read", name, position, derived_id(name, position, fmt), exc))
        if found is not None and found.records:
            yield pvalue.TaggedOutput(FIELDS, found.stats())

    def _guarded(self, path: str, position: int, make, fmt: str) -> Any:
        # `make` maps one record already read: whatever it raises (a BadRecord, or JSON nested
        # past Python's recursion limit) is that record's failure, and the file's next records
        # are still read. Errors of the reading itself reach the file-level handler above.
        try:
            return self._route(make())
        except Exception as exc:  # noqa: BLE001 - one record's error must not cost the rest of its file
            # A record the reader refused (BadRecord, MalformedRow) fails without a traceback: its
            # message says why, and a file whose every record is refused (the text field named
            # otherwise) took several times as long and as much memory formatting them (measured in
            # docs/reading.md, hostile round 7). Any other error keeps its traceback.
            verdict = isinstance(exc, (BadRecord, MalformedRow))
            return pvalue.TaggedOutput(FAILED, Failure.from_exception("read", path, position, derived_id(path, position, fmt), exc,
                                                                      with_traceback=not verdict))

    @staticmethod
    def _route(out: Document | Rejection | Failure) -> Any:
        if isinstance(out, Failure):
            return pvalue.TaggedOutput(FAILED, out)
        return pvalue.TaggedOutput(REJECTED, out) if isinstance(out, Rejection) else out



class ReadDocuments(beam.PTransform):
    """File patterns -> kept: Document, rejected: Rejection (empty/too large), failed: Failure,
    stats: dict (what field names set away from their defaults found: the report's warnings)."""

    def __init__(self, patterns: list[str], cfg: ReadConfig, leave_out: Sequence[str] = ()):
        super().__init__()
        self.patterns = patterns
        self.cfg = cfg
        self.leave_out = tuple(leave_out)  # the run's own output, lock and staging folder (`without_files_under`)

    def expand(self, pbegin: beam.pvalue.PBegin) -> ReadOutputs:
        cfg = self.cfg
        tasks = (
            pbegin
            # as bytes: a path typed in a shell may not be UTF-8 (its bytes come as lone
            # surrogates, which Beam's string coder refuses: the job could not even be built)
            # all patterns in one element, so that a file two of them name is read once
            | "Patterns" >> beam.Create([tuple(pattern.encode("utf-8", "surrogatepass") for pattern in self.patterns)])
            | "Match" >> beam.FlatMap(_match_encoded, cfg.format, self.leave_out)
            | "PlanReads" >> beam.FlatMap(plan_file_reads, cfg)
        )
        whole = tasks | "WholeFiles" >> beam.Filter(lambda t: t.whole)
        ranges = (
            tasks
            | "FileRanges" >> beam.Filter(lambda t: not t.whole)
            | "SpreadRanges" >> beam.Reshuffle()
            | "CountRecords" >> beam.ParDo(_CountRecordsFn(cfg))
            | "GroupRangesByFile" >> beam.GroupByKey()
            | "NumberRanges" >> beam.FlatMap(lambda kv: with_first_positions(kv[1]))
        )
        results = (
            (whole, ranges)
            | "AllReads" >> beam.Flatten()
            # Runners fuse a chain of ParDos into one stage fed by its first element; without these
            # shuffles Dataflow/Flink would read every file and run every stage up to the first
            # GroupByKey on the worker that got the single Create element.
            | "SpreadFiles" >> beam.Reshuffle()
            | "Parse" >> beam.ParDo(ReadFileFn(cfg)).with_outputs(REJECTED, FAILED, FIELDS, main=KEPT)
        )
        # Ids given twice in a run (two files, or one file twice) are flagged, not dropped: counting
        # moves only (id, count) pairs through a combiner, and the ids seen more than once reach the
        # flagging step as a side input, so no document is shuffled for it. A multimap side input is
        # looked up key by key (portable runners fetch a key's values from the runner and keep them
        # for the bundle), so a worker never holds every repeated id: a dict side input would load
        # all of them on every worker, and a crawl stitched from overlapping dumps can repeat
        # millions.
        # A Bloom filter of the repeated ids (pipeline/id_bloom.py, 1 MiB) spares the lookup to the
        # records whose id is surely not among them: nearly all.
        counted = (
            (results[KEPT] | "KeptIds" >> beam.Map(_id_of), results[REJECTED] | "RejectedIds" >> beam.Map(_id_of))
            | "AllIds" >> beam.Flatten()
            | "CountIds" >> beam.combiners.Count.PerElement()
            | "RepeatedIds" >> beam.Filter(lambda kv: kv[1] > 1)
        )
        repeated = beam.pvalue.AsMultiMap(counted)
        bloom = beam.pvalue.AsSingleton(
            counted | "RepeatedIdKeys" >> beam.Keys() | "RepeatedIdBloom" >> beam.CombineGlobally(BuildIdBloom())
        )
        # The flagging waits for the side input, so the documents read are held between two stages;
        # they wait as their coder's bytes: Beam's local runner re-splits a collection written in
        # fewer pieces than it has workers (one file read) by decoding and re-encoding every element.
        kept = (
            results[KEPT]
            | "EncodeKept" >> beam.Map(encode_document).with_output_types(bytes)
            | "FlagDuplicateIds" >> beam.Map(_flag_encoded_duplicate_id, repeated, bloom)
        )
        rejected = results[REJECTED] | "FlagDuplicateRejectedIds" >> beam.Map(flag_duplicate_id, repeated, bloom)
        # A file or range is read by one worker; its documents are spread after extraction
        # (pipeline/build.py), so that raw HTML never crosses a shuffle.
        return ReadOutputs(kept, rejected, results[FAILED], results[FIELDS])



def _match_encoded(patterns: tuple[bytes, ...], fmt: str, leave_out: tuple[str, ...] = ()) -> list[Any]:
    matched = distinct_files(match_input(pattern.decode("utf-8", "surrogatepass"), fmt) for pattern in patterns)
    return without_files_under(matched, leave_out) if leave_out else matched



DUPLICATE_ID = "duplicate_id"



def _id_of(out: Document | Rejection) -> str:
    return out.doc.id if isinstance(out, Rejection) else out.id



class IdCounts(Protocol):
    """A multimap side input of (id, count): an id read more than once gives its count, any other
    id gives no values (a `defaultdict(list)` serves in tests)."""

    def __getitem__(self, key: str) -> Iterable[int]: ...



def _flag_encoded_duplicate_id(encoded: bytes, repeated: IdCounts, bloom: bytes | None = None) -> Document:
    return flag_duplicate_id(decode_document(encoded), repeated, bloom)



# A record comes back as what it was. Beam (2.78 on) reads these annotations as type hints: Read's
# kept documents must be typed Document, which is what the stage after it takes.
Record = TypeVar("Record", Document, Rejection)



def flag_duplicate_id(out: Record, repeated: IdCounts, bloom: bytes | None = None) -> Record:
    """The record, flagged `duplicate_id` when its id was read more than once in the run. `bloom`
    (pipeline/id_bloom.py) of the same ids, when given, spares the lookup where it answers no."""
    record_id = _id_of(out)
    if bloom is not None and not may_hold(bloom, record_id):
        return out
    if not any(True for _ in repeated[record_id]):
        return out
    if isinstance(out, Rejection):
        return dataclasses.replace(out, doc=out.doc.with_(flags=(*out.doc.flags, DUPLICATE_ID)))
    return out.with_(flags=(*out.flags, DUPLICATE_ID))
