"""Dedup against earlier runs: what earlier runs published survives; a new copy of it is rejected.

News arrives every day and the same wire story appears on day 1, day 2 and day 9 on different
sites. Each run writes, next to its outputs, an index of its clean documents (`OUT/index/*.parquet`:
the id, the exact-dedup hash, the LSH band keys and the sorted shingle hashes the exact Jaccard
check needs). A later run given `--dedup-against OUT` treats those documents as survivors that are
never removed, and rejects a new document that is

- an exact copy of one of them (same `text_hash`): `duplicate_exact`, or
- a near copy (shares an LSH band with one and its shingle Jaccard, checked exactly, is at least
  `near_dedup.threshold`): `duplicate_near`,

with `duplicate_of` naming the earlier id and `detail` naming the earlier run. The new run's own
exact and near dedup then run on what is left.

Everything is a Beam join on small keys; the index is never loaded into one worker, and no worker
holds more than a stated number of values of one key, however many documents share it:

    new docs ─► (text_hash, node), (band key, node)            index ─► (text_hash, ref), (band key, ref)
                                                               combined per key: the smallest ref of
                                                               a hash, the `max_candidates` smallest
                                                               of a band bucket (SmallestRefs)
    join on text_hash ─► exact decisions (node, ref)           new nodes streamed past <= 1 ref
    join on band key ─► candidate pairs (ref, node)            new nodes streamed past <= k refs
    Distinct pairs (a pair found through several bands is shipped once)
    join on ref with the index's shingle hashes ─► (node, ref, hashes of ref), nodes streamed
    join on node with the documents ─► each document decided once: its own shingles are
    computed there, only when it has a candidate, so no new document's hashes cross a shuffle. A
    node holds at most 1 + bands x `max_candidates` candidates (each distinct ref once).

The joins are `routing.JoinByKey` (tagged values in one GroupByKey), not CoGroupByKey: Beam's
Python CoGroupByKey builds a list per side, so a hot key would be held whole however the code
reading it streams.

A ref is (earlier id, earlier run, its text_hash): an id is not unique in a run (two files may
each hold an `x`; both are kept, flagged `duplicate_id`), and with (id, run) alone the shingles of
one of them were shipped for both, so a near copy of the other passed, which one depending on
arrival order (hostile round 19). Decisions are the same whatever the runner, worker count or
order: an exact match is taken before a near one; among matches the highest Jaccard wins, then the
smallest (run, id).
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterable, Iterator

import apache_beam as beam
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.io.filesystems import FileSystems

from transforms import minhash
from transforms.exact_dedup import text_hash
from transforms.near_dedup import BandSigner, NearDedupConfig, SigningFn, banding, node_key
from transforms.records import Document, Failure, Reason, Rejection
from transforms.routing import FAILED, KEPT, REJECTED, Counters, JoinByKey, Note, StageOutputs, route_decision

STAGE = "prior_dedup"
INDEX_DIR = "index"
SUCCESS_FILE = "_SUCCESS"  # what a run writes last, once its outputs are in place
REPORT_FILE = "report.json"  # its counts: an index holds a row for each clean document
MAX_REPORT_BYTES = 64 << 20  # a run's report is about 100 KB; past this it is not one
# 2: letters of scripts written without spaces (Chinese, Japanese, Thai...) are shingled one by
# one (minhash._spaceless_tokens), and words keep the combining marks inside and after them
# (minhash._marked_words: the vowel signs of Devanagari, Bengali, Tamil and the other Indic
# scripts, Hebrew and Arabic points). A version 1 index holds the same band keys and shingle
# hashes for every other document, but its documents in the first scripts were cut into whole
# clauses, and its words with marks into fragments at each mark, so a near copy of one would not
# be found: version 1 is refused unless accept_index_version_1.
INDEX_VERSION = "2"
OLD_INDEX_VERSION = "1"
# What a later run needs to dedup against this one's clean documents: index_row's columns
INDEX_SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("text_hash", pa.string()),
        pa.field("band_keys", pa.list_(pa.binary())),
        pa.field("shingles", pa.large_binary()),  # sorted uint64 shingle hashes, little-endian
    ]
)
_EXACT, _BANDS = "exact", "bands"
# Columns this pipeline always fills (index_row). An index written by another tool with a null in
# one passed the schema check (pyarrow reads a nullable column as the same type): a copy was
# rejected as "same text as None", and a null id beside a text id under one key stopped the run in
# SmallestRefs with a TypeError (hostile round 19). Such an index is refused, not read in part.
REQUIRED_COLUMNS = ("id", "text_hash", "shingles")


@dataclass(frozen=True)
class PriorDedupConfig:
    against: tuple[str, ...] = ()  # earlier runs' output folders (local or cloud); --dedup-against
    write_index: bool = True  # write OUT/index/ for later runs to dedup against
    # earlier documents compared per band bucket (the smallest refs): a bucket shared by thousands
    # of earlier documents (a template's band) costs this many candidate pairs per new document
    max_candidates: int = 100
    # use an index written before version 2 anyway: right for a run that held no Chinese,
    # Japanese, Thai, Lao, Khmer or Myanmar text; near copies of such text in it pass unnoticed
    accept_index_version_1: bool = False
    # use an index without its run's report.json (one another tool wrote): its rows cannot be
    # checked against the run's clean count, so an index missing files is read as whole
    accept_index_without_report: bool = False

    def __post_init__(self) -> None:
        if self.max_candidates < 1:
            raise ValueError(f"prior_dedup.max_candidates must be >= 1, got {self.max_candidates}")


def index_settings(near: NearDedupConfig) -> dict[str, str]:
    """What band keys and shingles depend on: an index is usable only by a run with the same values."""
    bands, rows = banding(near)
    return {"index_version": INDEX_VERSION, "num_perm": str(near.num_perm), "ngram": str(near.ngram),
            "seed": str(near.seed), "bands": str(bands), "rows": str(rows)}  # fmt: skip


def index_pattern(run: str) -> str:
    return FileSystems.join(run, INDEX_DIR, "*.parquet")


def run_of(path: str) -> str:
    """The earlier run `path` names: itself, or the run whose index folder it is.

    `--dedup-against RUN/index` (the folder that holds the index, which is what a user looking for
    "the index" finds) said "no index found (RUN/index/index/*.parquet)" (hostile round 22). A
    folder named `index` that holds index files and no `index/` of its own can only be a run's
    index, so it is read as its run, whose _SUCCESS and settings are then checked as any run's
    are. Anything else (or a place that cannot be listed) is left as given, for `check_indexes`
    to judge and name."""
    folder = path.rstrip("/") or path
    try:
        head, tail = FileSystems.split(folder)
        if tail != INDEX_DIR or not head or _any_file(index_pattern(folder)):
            return path
        return head if _any_file(index_pattern(head)) else path
    except Exception:  # noqa: BLE001 - an unreadable bucket: check_indexes says so, naming it as given
        return path


def _any_file(pattern: str) -> bool:
    return bool(FileSystems.match([pattern])[0].metadata_list)


# An index file as it was checked: (path, size in bytes, time of its last change as its file system tells it)
IndexFile = tuple[str, int, float]


def check_indexes(cfg: PriorDedupConfig, near: NearDedupConfig) -> list[tuple[str, tuple[IndexFile, ...]]]:
    """(run, its index files as checked) of each earlier run, for `ReadIndex` to read those files
    and no others (`IndexChanged`), checked when the pipeline is built: a run
    without an index, one whose band keys were made with other settings, one with an index file
    that cannot be read or lacks a column of INDEX_SCHEMA, one whose files hold more or fewer rows
    than its report counts clean documents, or without a readable report.json unless
    accept_index_without_report (`missing_rows`), or one that did not finish (no _SUCCESS) is a ValueError naming the run (its keys would never match and every copy would pass
    silently, or the job would fail part-way)."""
    want = index_settings(near)
    out, counted = [], []
    for run in cfg.against:
        pattern = index_pattern(run)
        try:
            found = sorted((m.path, m.size_in_bytes, m.last_updated_in_seconds) for m in FileSystems.match([pattern])[0].metadata_list)
            files = [path for path, _, _ in found]
        except Exception as exc:  # noqa: BLE001 - an unreadable bucket is the same mistake to the user
            raise ValueError(f"--dedup-against {run}: cannot list its index: {str(exc)[:200]}") from exc
        if not files:
            raise ValueError(f"--dedup-against {run}: no index found ({pattern}); was it written by a finished run?")
        # Every file's footer, not only the first: a second file cut short (a copy interrupted) or
        # from another run stopped the job part-way with a traceback (ArrowInvalid, KeyError
        # 'band_keys'; hostile round 9). A footer is a few KB; a run's index is a few files.
        with ThreadPoolExecutor(max_workers=min(16, len(files))) as pool:
            checked = list(pool.map(lambda path: index_file_check(path, want, cfg.accept_index_version_1), files))
        for problem, _ in checked:
            if problem:
                raise ValueError(f"--dedup-against {run}: {problem}")
        out.append((run, tuple(found)))
        counted.append((sum(rows for _, rows in checked), len(files)))
    # an index without _SUCCESS was left by a run stopped during its swap, or is a staging folder
    # still being written: it may hold another run's documents or only part of them, and copies of
    # those were rejected, or passed, without a word
    for run in cfg.against:
        if not FileSystems.exists(FileSystems.join(run.rstrip("/"), SUCCESS_FILE)):
            raise ValueError(f"--dedup-against {run!r} holds no finished run (no {SUCCESS_FILE}): it was stopped "
                             f"or is still being written; if you know it finished, create {SUCCESS_FILE} in it")
    # after _SUCCESS: a run still being written has no report yet, and that is what to say of it
    for (run, _), (rows, files) in zip(out, counted):
        if (problem := missing_rows(run, rows, files, cfg.accept_index_without_report)) is not None:
            raise ValueError(f"--dedup-against {run}: {problem}")
    return out


def index_row(doc: Document, signer: BandSigner) -> dict:
    """A clean document's entry in its run's index."""
    hashes, keys = signer.sign(doc.text)
    return {"id": doc.id, "text_hash": doc.text_hash or text_hash(doc.text), "band_keys": keys, "shingles": hashes.tobytes()}


# (earlier id, earlier run, its text_hash): see the module docstring
Ref = tuple[str, str, str]


def ref_order(ref: Ref) -> tuple[str, str, str]:
    """Refs are (id, run, text_hash); the order every choice among them follows: (run, id, text_hash)."""
    return ref[1], ref[0], *ref[2:]


def pick_exact(refs: Iterable[Ref]) -> Ref:
    """The earlier document an exact copy is rejected in favour of: the smallest (run, id)."""
    return min(refs, key=ref_order)


def index_file_check(path: str, want: dict[str, str], accept_version_1: bool = False) -> tuple[str | None, int]:
    """(why one index file cannot be read by this run, else None; the rows its footer counts, for
    `missing_rows`): its footer is read once, for both."""
    try:
        with FileSystems.open(path) as f:
            footer = pq.ParquetFile(f).metadata
        found = footer.schema.to_arrow_schema()
    except Exception as exc:  # noqa: BLE001 - not Parquet, truncated, unreadable: one line naming the file
        return f"cannot read its index file {path}: {str(exc)[:200]}", 0
    return footer_problem(path, footer, found, want, accept_version_1), footer.num_rows


def footer_problem(path: str, footer: pq.FileMetaData, found: pa.Schema, want: dict[str, str], accept_version_1: bool) -> str | None:
    """Why an index file whose footer (`found`: its schema) is this cannot be read by this run (a
    column missing or of another type, other dedup settings, an index version 1 not accepted),
    else None."""
    missing = [c.name for c in INDEX_SCHEMA if not found.get_all_field_indices(c.name)]
    if missing:
        return f"its index file {path} lacks the column(s) {', '.join(missing)}; was it written by this pipeline?"
    if twice := [c.name for c in INDEX_SCHEMA if len(found.get_all_field_indices(c.name)) > 1]:
        return (f"its index file {path} holds the column {twice[0]} more than once: which one is the index's cannot be "
                "told; it was written by another tool: rerun that day")
    if other := [(c, found.field(c.name).type) for c in INDEX_SCHEMA if read_as(found.field(c.name).type) != read_as(c.type)]:
        column, kind = other[0]
        return (f"its index file {path} holds {column.name} as {kind}, not {column.type}: it was written by another "
                f"tool; write {column.name} as {column.type}, or rerun that day")
    if (nulls := null_rows(path, footer)) is not None:
        return nulls
    meta = {k.decode(): v.decode() for k, v in (found.metadata or {}).items()}
    if not any(k in meta for k in want):
        # DuckDB's COPY, Spark, polars and pyarrow without the schema write a file's values without
        # its key-value metadata: "its index has bands=None" read as other settings, not as none
        return (f"its index file {path} holds none of the settings its band keys were made with ({', '.join(want)}): "
                "the tool that wrote or copied it dropped the file's metadata; copy an index's files as they are, "
                "or rerun that day")
    if meta.get("index_version") == OLD_INDEX_VERSION and want.get("index_version") == INDEX_VERSION:
        if not accept_version_1:
            return (f"its index is version {OLD_INDEX_VERSION}, written before letters of Chinese, Japanese, Thai, Lao, "
                    "Khmer and Myanmar text were shingled one by one, and before words kept their combining marks "
                    "(Devanagari, Bengali, Tamil and the other Indic scripts, pointed Hebrew and Arabic): near copies "
                    "of its documents in those scripts would pass unnoticed (its other documents compare as before). "
                    "Run that day again to rebuild its index, or pass --set prior_dedup.accept_index_version_1=true "
                    "to use it as it is")
        meta = {**meta, "index_version": INDEX_VERSION}
    differ = sorted(k for k, v in want.items() if meta.get(k) != v)
    if differ:
        k = differ[0]
        return f"its index has {k}={meta.get(k)!r}, this run {k}={want[k]!r}; dedup settings must match"
    return None


def published_count(run: str) -> int | str:
    """How many clean documents `run` published, as its report.json counts them; else why that
    cannot be told (no report.json, or one that is not this pipeline's)."""
    path = FileSystems.join(run.rstrip("/"), REPORT_FILE)
    try:
        if not FileSystems.exists(path):
            return f"no {REPORT_FILE} beside its index"
        with FileSystems.open(path) as f:
            count = json.loads(f.read(MAX_REPORT_BYTES + 1))["counts"]["clean"]
    except Exception as exc:  # noqa: BLE001 - not JSON, another layout, unreadable: the same to the user
        return f"its {REPORT_FILE} cannot be read as a run's report ({type(exc).__name__})"
    if type(count) is not int or count < 0:
        return f"its {REPORT_FILE} counts no clean documents (counts.clean is {str(count)[:40]!r})"
    return count


def missing_rows(run: str, rows: int, files: int, accept_without_report: bool = False) -> str | None:
    """Why the index files of `run` do not hold one row per clean document its report counts (one
    deleted, or a copy of one beside it, or one from another run), or why that cannot be checked,
    else None.

    A run writes one index row per clean document. An index with a file deleted (a clean-up, a
    partial copy, a sync that had not finished) was read as it was, and copies of the missing
    file's documents passed as new without a word (hostile round 27: a run of 20 documents whose
    one non-empty index file was gone rejected none of 5 exact copies). The footers give the rows
    without reading them. An index copied without its run's report.json (or beside a damaged
    one) was read unchecked, a file lost in the copy as silently (hostile round 28): refused unless
    `accept_without_report` (an index another tool wrote has no report)."""
    published = published_count(run)
    if isinstance(published, str):
        if accept_without_report:
            return None
        return (f"{published}: whether its index holds a row for each clean document the run published cannot be "
                f"checked (copies of a file lost from it would pass as new); copy the run's {REPORT_FILE} with its "
                f"index, or, for an index another tool wrote, pass --set prior_dedup.accept_index_without_report=true")
    if rows == published:
        return None
    what = "files are missing from it" if rows < published else "files were added to it or copied into it twice"
    return (f"its index holds {rows:,} row(s) in {files:,} file(s), but the run published {published:,} clean "
            f"document(s) (its {REPORT_FILE}): {what}; restore its index folder as the run wrote it, or rerun that day")


def read_as(kind: pa.DataType) -> pa.DataType:
    """The type of the Python values a column of `kind` is read as (`to_pylist`): str, bytes, a list.
    An index copied by another tool keeps its values but not always its Arrow types (polars writes
    large_string, large_list; a categorical id is a dictionary; Arrow's view types), and such an
    index was refused as "another type" though it reads as the same rows (hostile round 21)."""
    if pa.types.is_dictionary(kind):
        return read_as(kind.value_type)
    if pa.types.is_large_string(kind) or pa.types.is_string_view(kind):
        return pa.string()
    if pa.types.is_large_binary(kind) or pa.types.is_binary_view(kind) or pa.types.is_fixed_size_binary(kind):
        return pa.binary()
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_list_view(kind) or pa.types.is_large_list_view(kind):
        return pa.list_(read_as(kind.value_type))  # the item's name and nullability read the same
    return kind


def null_rows(path: str, meta: pq.FileMetaData) -> str | None:
    """Why an index file holding rows with a null in a REQUIRED_COLUMNS column cannot be used, as
    its footer's statistics tell (read already for the schema: nothing more is read), else None. A
    writer that stored no statistics is caught when the file is read (`missing_value`)."""
    where = {meta.schema.column(i).path: i for i in range(meta.num_columns)}
    for name in REQUIRED_COLUMNS:
        nulls = 0
        for group in range(meta.num_row_groups):
            stats = meta.row_group(group).column(where[name]).statistics
            nulls += stats.null_count if stats is not None and stats.has_null_count else 0
        if nulls:
            return (f"its index file {path} holds {nulls} row(s) with no {name} (this pipeline writes none): "
                    "it was written by another tool; drop those rows or rerun that day")
    return None


def missing_value(row: dict) -> str | None:
    """The first REQUIRED_COLUMNS column a row read from an index leaves null, else None."""
    return next((name for name in REQUIRED_COLUMNS if row[name] is None), None)


class IndexDamaged(ValueError):
    """An earlier run's index file whose footer reads but whose pages do not (a disk error, a copy
    damaged in transit): deduplicating against part of an index would let copies of what the rest
    holds pass without a word, so the run stops with this error."""


# How the error reads, so the CLI finds it in the text Beam re-raises a worker's error as
_DAMAGED = re.compile(r"--dedup-against \S.*? is damaged \(.*?\): .*?rerun it or drop it from --dedup-against")


def read_index_file(path: str, run: str) -> Iterator[dict]:
    """The rows of one index file, row group by row group, each page checked against its checksum
    where the writer stored one (runs since hostile round 10 do: a damaged page of zstd data could
    decompress to other bytes without an error). Any failure to read is `IndexDamaged`, one line
    naming the run, the file and what to do: Beam's own reader stopped the job with pyarrow's
    traceback ("Couldn't deserialize thrift", "Page was smaller than expected"), or read garbage."""
    try:
        with FileSystems.open(path) as f:
            index = pq.ParquetFile(f, page_checksum_verification=True)
            for group in range(index.num_row_groups):
                for row in index.read_row_group(group, columns=INDEX_SCHEMA.names).to_pylist():
                    if (name := missing_value(row)) is not None:  # a writer without statistics: see null_rows
                        raise IndexDamaged(f"--dedup-against {run}: its index file {path} is damaged (a row with no "
                                           f"{name}, which this pipeline never writes): rerun it or drop it from "
                                           "--dedup-against")
                    yield row
    except IndexDamaged:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever pyarrow or the filesystem raise, the file is unreadable
        error = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise IndexDamaged(f"--dedup-against {run}: its index file {path} is damaged ({error}): "
                           "rerun it or drop it from --dedup-against") from exc


def damaged_index(error: BaseException) -> str | None:
    """The one line of an `IndexDamaged` that stopped the run (raised as it is, or carried in the
    text of the RuntimeError Beam re-raises a worker's error as), else None."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, IndexDamaged):
            return str(seen)
        seen = seen.__cause__ or seen.__context__
    found = _CHANGED.search(str(error)) or _DAMAGED.search(str(error))
    return found.group(0) if found else None


class IndexChanged(IndexDamaged):
    """An earlier run's index file that is no longer the one `check_indexes` checked when this run
    was built: another run replaced that run (`--output RUN --overwrite`) or its files were deleted
    or rewritten while this run waited or read. Reading on would dedup against no index, another
    run's, or a mix of two."""


_CHANGED = re.compile(r"--dedup-against \S.*? changed while this run read it \(.*?\): .*?then run again")


def index_changed(run: str, file: IndexFile) -> IndexChanged | None:
    """The error for an index file that is not now as it was checked (gone, or of another size or
    time of change), else None."""
    path, size, changed = file
    try:
        now = FileSystems.match([path])[0].metadata_list
    except Exception:  # noqa: BLE001 - cannot be listed: as good as gone
        now = []
    found = [m for m in now if m.path == path]
    if any(m.size_in_bytes == size and m.last_updated_in_seconds == changed for m in found):
        return None
    what = "replaced or rewritten" if found else "deleted"
    return IndexChanged(f"--dedup-against {run} changed while this run read it (its index file {path} was {what} "
                        "after this run checked it: another run replaced it?): nothing was written; wait for "
                        "whatever writes it to finish, then run again")


def _index_files(item: tuple[str, str | tuple[IndexFile, ...]]) -> Iterator[tuple[str, str | IndexFile]]:
    """(run, its index files as checked) -> (run, file) of each; (run, file pattern) -> (run, path)
    of each index file the pattern matches now (a caller that checked nothing)."""
    run, files = item
    if isinstance(files, str):
        for match in FileSystems.match([files])[0].metadata_list:
            yield run, match.path
        return
    for file in files:
        yield run, tuple(file)


def _index_rows(item: tuple[str, str | IndexFile]) -> Iterator[tuple[str, dict]]:
    """(run, file) -> (run, row) of each row of that index file. A file as it was checked is
    compared with what is there before it is opened and after it is read: a run that `check_indexes`
    checked and another run then replaced read the other run's index, or none, or a mix of the two
    files by files, without a word (hostile round 29). A file read from before such a change to its
    end is the file checked, whatever happens to its name after; the check after the read fails such
    a run too, on the safe side. Rows already given out before the failure go nowhere: the job fails."""
    run, file = item
    if isinstance(file, str):
        for row in read_index_file(file, run):
            yield run, row
        return
    if (changed := index_changed(run, file)) is not None:
        raise changed
    try:
        for row in read_index_file(file[0], run):
            yield run, row
    except IndexDamaged:
        if (changed := index_changed(run, file)) is not None:
            raise changed from None  # deleted between the check and the open: not damaged
        raise
    if (changed := index_changed(run, file)) is not None:
        raise changed


class ReadIndex(beam.PTransform):
    """Earlier runs' (run, its index files as `check_indexes` checked them, or a file pattern) ->
    (run, row) of every index row (dicts of INDEX_SCHEMA's columns), the files of every run read in
    parallel by `read_index_file`; a file checked that changed since fails the job (`IndexChanged`).

    One transform for all the runs, not one per run: a daily crawl deduplicating against a year of
    runs built 4 steps per run into the job graph, and the runner held each one (hostile round 27:
    150 runs of 20 documents took 1.2 GB and 30 s, 6 MB and 0.15 s a run however small)."""

    def __init__(self, runs: list[tuple[str, str]]):
        super().__init__()
        self.runs = list(runs)

    def expand(self, p: beam.pvalue.PBegin) -> beam.PCollection:
        return (
            p
            | "Runs" >> beam.Create(self.runs, reshuffle=False)
            | "Match" >> beam.FlatMap(_index_files)
            | "Spread" >> beam.Reshuffle()
            | "Rows" >> beam.FlatMap(_index_rows)
        )


class SmallestRefs(beam.CombineFn):
    """Refs of one key -> its `k` smallest distinct refs by (run, id), in that order. A runner
    combines each worker's refs before the shuffle, so a band bucket shared by a million earlier
    documents (a template's band) crosses it as a few lists of k, and the join holds k refs, not a
    million. Which refs are kept does not depend on the order they arrive in."""

    def __init__(self, k: int):
        self.k = k

    def create_accumulator(self) -> list:
        return []

    def add_input(self, acc: list, ref) -> list:
        acc.append(tuple(ref))
        return self._smallest(acc) if len(acc) >= 4 * self.k else acc  # trimmed now and then: amortised O(1)

    def merge_accumulators(self, accumulators) -> list:
        return self._smallest(itertools.chain.from_iterable(accumulators))

    def extract_output(self, acc: list) -> list:
        return self._smallest(acc)

    def _smallest(self, refs) -> list:
        return heapq.nsmallest(self.k, set(refs), key=ref_order)


def best_near(own: np.ndarray, candidates: Iterable[tuple[Ref, bytes]], threshold: float) -> tuple[Ref, float] | None:
    """The candidate with the highest exact Jaccard at or above `threshold` (ties: smallest (run, id))."""
    best: tuple[float, Ref] | None = None
    for ref, raw in candidates:
        j = minhash.jaccard(own, np.frombuffer(raw, dtype=np.uint64))
        if j >= threshold and (best is None or (-j, *ref_order(ref)) < (-best[0], *ref_order(best[1]))):
            best = (j, ref)
    return None if best is None else (best[1], best[0])


def decide(doc: Document, exact: list[Ref], near: list[tuple[Ref, bytes]], cfg: NearDedupConfig) -> Document | Rejection:
    """One new document's verdict from its exact matches and near candidates in earlier runs."""
    if exact:
        old_id, run = pick_exact(exact)[:2]
        return Rejection.of(doc, Reason.DUPLICATE_EXACT, f"same text as {old_id} in earlier run {run}", STAGE, duplicate_of=old_id)
    if near:
        found = best_near(minhash.shingle_hashes(doc.text, cfg.ngram), near, cfg.threshold)
        if found is not None:
            ref, j = found
            old_id, run = ref[:2]
            return Rejection.of(doc, Reason.DUPLICATE_NEAR, f"Jaccard {j:.3f} with {old_id} in earlier run {run}", STAGE, duplicate_of=old_id)
    return doc


# --- Beam ------------------------------------------------------------------------------------


class _KeysFn(SigningFn):
    """Document -> (node, Document); tagged: (text_hash, node) and (band key, node) per band."""

    def process(self, doc: Document):
        assert self.signer is not None
        node = node_key(doc)
        yield node, doc
        yield pvalue.TaggedOutput(_EXACT, (text_hash(doc.text), node))
        for key in self.signer.sign(doc.text)[1]:
            yield pvalue.TaggedOutput(_BANDS, (key, node))


def _index_entries(item: tuple[str, dict]):
    """(run, index row) -> (text_hash, ref), tagged (band key, ref) and (ref, shingles)."""
    run, row = item
    ref = (row["id"], run, row["text_hash"])  # the hash tells apart two documents of one id (module docstring)
    yield row["text_hash"], ref
    for key in row["band_keys"] or ():
        yield pvalue.TaggedOutput(_BANDS, (key, ref))
    yield pvalue.TaggedOutput("shingles", (ref, row["shingles"]))


def _side(notes: Iterable[Note], tag: str):
    """The first value of one side of a joined group (a side combined to one value per key)."""
    return next((note.value for note in notes if note.tag == tag), None)


def _exact_matches(item: tuple[str, Iterable[Note]]):
    """(text hash, [old: [its smallest ref] | new: node ...]) -> (node, exact match). The group is
    read twice, the new nodes streamed: a hash copied a million times today is not held."""
    _, notes = item
    smallest = _side(notes, "old")
    if smallest:
        for note in notes:
            if note.tag == "new":
                yield note.value, ("e", smallest[0], b"")


def _candidates(item: tuple[bytes, Iterable[Note]]):
    """(band key, [old: its smallest refs | new: node ...]) -> (ref, node) pairs, nodes streamed."""
    _, notes = item
    refs = _side(notes, "old")
    if refs:
        for note in notes:
            if note.tag == "new":
                for ref in refs:
                    yield ref, note.value


def _ship_old_hashes(item: tuple[Ref, Iterable[Note]]):
    """(ref, [shingles: its hashes | nodes: node ...]) -> (node, its hashes) for every new node that
    has the ref as a candidate; the pairs are distinct, so once per node, and the nodes streamed."""
    ref, notes = item
    shingles = _side(notes, "shingles")
    if shingles is not None:
        for note in notes:
            if note.tag == "nodes":
                yield note.value, ("n", ref, shingles)


class _DecideFn(beam.DoFn):
    """(node, {docs, matches}) -> kept Document / tagged rejected Rejection / tagged failed Failure,
    one outcome per document: a failure names the document's own id and source."""

    def __init__(self, near: NearDedupConfig):
        self.near = near
        self.counters = Counters(STAGE)

    def process(self, item: tuple[bytes, Iterable[Note]]):
        _, notes = item
        matches = [note.value for note in notes if note.tag == "matches"]  # bounded: see the module
        exact = sorted({ref for kind, ref, _ in matches if kind == "e"})
        near = sorted({(ref, raw) for kind, ref, raw in matches if kind == "n"})
        for note in notes:
            if note.tag == "docs":
                doc = note.value
                yield from route_decision(STAGE, doc, lambda doc=doc: decide(doc, exact, near, self.near), self.counters)


class RemovePriorDuplicates(beam.PTransform):
    """Document -> kept: Document, rejected: Rejection (duplicate_exact / duplicate_near of a
    document an earlier run published), failed: Failure. `index` holds (run name, index row) for
    every row of every earlier run (`ReadIndex`), the rows as `index_row` gives them."""

    def __init__(self, cfg: PriorDedupConfig, near: NearDedupConfig, index: beam.PCollection):
        super().__init__()
        self.cfg = cfg
        self.near = near
        self.index = index

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        keyed = docs | "Keys" >> beam.ParDo(_KeysFn(self.near)).with_outputs(_EXACT, _BANDS, main="docs").with_exception_handling(
            main_tag="docs", dead_letter_tag=FAILED
        )
        key_failures = keyed[FAILED] | "KeyFailures" >> beam.Map(Failure.from_dead_letter, stage=STAGE)
        old = self.index | "IndexEntries" >> beam.FlatMap(_index_entries).with_outputs(_BANDS, "shingles", main=_EXACT)
        old_exact = old[_EXACT] | "SmallestOfHash" >> beam.CombinePerKey(SmallestRefs(1))
        old_bands = old[_BANDS] | "SmallestOfBucket" >> beam.CombinePerKey(SmallestRefs(self.cfg.max_candidates))
        old_shingles = old["shingles"]

        exact = {"new": keyed[_EXACT], "old": old_exact} | "JoinExact" >> JoinByKey() | "ExactMatches" >> beam.FlatMap(_exact_matches)
        pairs = (
            {"new": keyed[_BANDS], "old": old_bands}
            | "JoinBands" >> JoinByKey()
            | "Candidates" >> beam.FlatMap(_candidates)
            | "DistinctPairs" >> beam.Distinct()
        )
        near = (
            {"shingles": old_shingles, "nodes": pairs}
            | "JoinShingles" >> JoinByKey()
            | "ShipShingles" >> beam.FlatMap(_ship_old_hashes)
        )
        matches = (exact, near) | "AllMatches" >> beam.Flatten()
        results = (
            {"docs": keyed["docs"], "matches": matches}
            | "JoinDecisions" >> JoinByKey()
            | "Decide" >> beam.ParDo(_DecideFn(self.near)).with_outputs(REJECTED, FAILED, main=KEPT)
        )
        failed = (key_failures, results[FAILED]) | "AllFailures" >> beam.Flatten()
        return StageOutputs(results[KEPT], results[REJECTED], failed)


class IndexRowFn(SigningFn):
    """Clean Document -> its row in this run's index (`index_row`), for later runs."""

    def process(self, doc: Document):
        assert self.signer is not None
        yield index_row(doc, self.signer)
