"""Finding and opening the inputs: patterns, folders and links through Beam's `FileSystems`,
compression by name and by magic bytes, and the plan of reads (whole files, byte ranges, row
groups)."""

from __future__ import annotations

import contextlib
import glob
import os
import posixpath
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes, FileMetadata, FileSystem
from apache_beam.io.filesystems import FileSystems

from pipeline.decoding import (
    Utf8Read,
)
from pipeline.formats import (
    EXTENSIONS,
    UTF8_BOM,
    BadRecord,
    ReadConfig,
    archive_in,
    format_of,
    is_archive_name,
    refuse_archive,
)
from pipeline.inflate import (
    CappedReader,
    GzipMemberReader,
    compression_by_magic,
    compression_of,
)
from pipeline.splits import (
    ReadTask,
    lone_cr_lines,
    plan_reads,
    row_group_tasks,
)

# formats read from a folder only with --format (metadata files share their extensions)
_ASKED_FOR_IN_FOLDERS = ("json", "csv", "tsv")



@contextlib.contextmanager
def open_decompressed(path: str, cfg: ReadConfig | None = None) -> Iterator[Any]:
    """The file's bytes, decompressed as its name says (pipeline.inflate.COMPRESSIONS, any case),
    through any Beam filesystem.

    Beam's own gzip reader ends quietly at a truncated stream, which would lose the tail of a file
    without a trace; ours raise TruncatedInput, which the reader turns into a failed record, and
    InflatedTooLarge past the read caps (a compression bomb).
    """
    cfg = cfg or ReadConfig()
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as raw:
        kind = compression_of(path) or compression_in(raw, path)
        caps = (cfg.max_inflated_bytes, cfg.max_inflation_ratio, posixpath.basename(path))
        if kind == "gzip":
            # unbuffered: a read returns what was inflated before a cut, and the next one raises
            yield GzipMemberReader(raw, *caps)
        elif kind:
            yield CappedReader(raw, kind, *caps)
        else:
            yield raw



_PARQUET = b"PAR1"



def compression_in(f: Any, path: str) -> str:
    """The compression an opened file's first bytes show when its name shows none (a `.jsonl`
    that is really gzip: pipeline.inflate.compression_by_magic), read without moving the file on.
    A Parquet file named as another format raises BadRecord: read as lines of text, its bytes were
    as many "malformed JSON" failures as they held newlines."""
    head = _first_bytes(f)
    kind = packed_as(head)
    if kind == "parquet":  # the Parquet reader does not come here
        raise BadRecord(f"{posixpath.basename(path)!r} is a Parquet file (it starts with PAR1) read as another format: "
                        "name it .parquet")
    if kind == "archive":
        refuse_archive(head, path)
    return kind



def packed_as(head: bytes) -> str:
    """What a file's first bytes show it packed as, other than lines of text: a compression
    (pipeline.inflate.compression_by_magic), "parquet", "archive" (a zip, 7z or rar), or ""."""
    if head.startswith(_PARQUET):
        return "parquet"
    return "archive" if archive_in(head) else compression_by_magic(head)



def _first_bytes(f: Any, n: int = 10) -> bytes:
    """Up to `n` first bytes of a file just opened, left to be read; b"" where that cannot be done."""
    if hasattr(f, "peek"):  # a buffered file (local files, cloud storage): also a pipe, which cannot seek
        return f.peek(n)[:n]
    if f.seekable():
        head = f.read(n)
        f.seek(0)
        return head
    return b""



def read_at_most(f: Any, n: int) -> bytes:
    """Up to `n` bytes of `f`, fewer only at its end (an unbuffered read may return less)."""
    parts, size = [], 0
    while size < n and (chunk := f.read(min(n - size, 1 << 20))):
        parts.append(chunk)
        size += len(chunk)
    return b"".join(parts)



_GLOB = re.compile(r"[*?\[]")



def match_input(pattern: str, fmt: str = "auto", strict: bool = False) -> list[Any]:
    """The files (Beam FileMetadata, sorted by path) that one --input names.

    A path that exists as a file is that file, even when its name holds glob characters (`[`);
    a directory (a local one, or a URI ending in `/`) is every file under it, recursively, whose
    extension names a format (every file with a --format), hidden and `_`-named files and folders
    (`.git`, `_SUCCESS`) left out; anything else is a glob. With `strict`, nothing found is a
    ValueError saying so in one line.
    """
    pattern = from_file_uri(pattern)
    if _is_directory(pattern):
        if strict and is_finished_run(pattern):
            # its clean, rejected, failed and index Parquet are not one kind of record: the index
            # rows failed one by one ("field 'text' is missing") and rejected documents came back
            raise ValueError(f"input {pattern!r} is an earlier run's output folder (it holds _SUCCESS and report.json): "
                             "name its clean/ folder to read its clean documents")
        found = _directory_files(pattern, fmt)
        if strict and not found:
            raise ValueError(f"input {pattern!r} is a directory with no file of a known format "
                             f"({', '.join(sorted(e for e, f in EXTENSIONS.items() if f not in _ASKED_FOR_IN_FOLDERS))}, optionally "
                             "compressed: .gz, .bz2, .xz, .zst); pass --format to read every file (--format json, csv or tsv "
                             "for a folder of such files)")
        return found
    if _GLOB.search(pattern):
        try:
            return [FileSystems.get_filesystem(pattern).metadata(pattern)]
        except Exception:  # noqa: BLE001, S110 - no such file: the name is a glob
            pass
    found = glob_files(pattern)
    if "://" not in pattern and _GLOB.search(pattern):
        found = [m for m in found if not _special(m.path)] + _broken_links(pattern, found)
    if not found and not _GLOB.search(pattern) and "://" in pattern:
        found = _directory_files(pattern, fmt)  # an object-store folder named without its `/`
    if strict and not found:
        raise ValueError(f"input {pattern!r} matches no file")
    return sorted(found, key=lambda m: m.path)



def glob_files(pattern: str) -> list[Any]:
    """The files a glob matches through Beam's file systems, where `**/` is any number of folders,
    none too, as in the shell's globstar and Python's `glob`: Beam reads `**` as any characters,
    so `data/**/*.jsonl` needed a `/` on each side of them and left out `data/a.jsonl` without a
    word (hostile round 23), while its own check for links to nothing (`_broken_links`, Python's
    glob) named them. Matched once, with each `**/` as `**` (which also matches none), then kept
    by the pattern with `(?:.*/)?` for each `**/`.

    A local glob with no folder before its first glob character (`*.jsonl`, `**/*.jsonl`, run in
    the data's folder) is matched in the current folder: Beam lists the folder of the text before
    the first glob character, here none, and such an --input "matched no file" (hostile round 23)."""
    if "://" not in pattern and "/" not in re.match(r"[^[*?]*", pattern).group(0):
        return [FileMetadata(m.path.removeprefix("./"), m.size_in_bytes, m.last_updated_in_seconds) for m in glob_files("./" + pattern)]
    if "**/" not in pattern:
        return FileSystems.match([pattern])[0].metadata_list
    wider = FileSystems.match([pattern.replace("**/", "**")])[0].metadata_list
    pieces = (FileSystem.translate_pattern(piece).removeprefix("(?ms)").removesuffix(r"\Z") for piece in pattern.split("**/"))
    exact = re.compile("(?ms)" + "(?:.*/)?".join(pieces) + r"\Z")
    return [m for m in wider if exact.match(m.path)]



def is_finished_run(folder: str) -> bool:
    """Whether `folder` holds a finished run of this pipeline (its _SUCCESS and report.json)."""
    root = folder.rstrip("/") or "/"
    return all(FileSystems.exists(FileSystems.join(root, name)) for name in ("_SUCCESS", "report.json"))



def distinct_files(matched: Iterable[Iterable[Any]]) -> list[Any]:
    """The files several --input patterns matched, each once, in the order first matched: a file
    named by two of them (`--input data/ --input 'data/*.jsonl'`, `data/./a.txt` and `data/a.txt`)
    was read twice, its records counted twice and rejected as copies of themselves (hostile round 9).
    So was a file reached through a link (`--input data/ --input mirror/` with `mirror -> data`, or
    `latest.jsonl -> 2026-12-07.jsonl` in one folder: hostile round 18), and so was one under two
    hard links (a snapshot made with `cp -al` or rsnapshot named beside the folder it copies:
    hostile round 26). Local files are compared as the file they are on disk (device and inode,
    links followed; a link to nothing by the path it resolves to); URIs as written."""
    seen: set[object] = set()
    out = []
    for files in matched:
        for m in files:
            key = m.path if "://" in m.path else _local_identity(m.path)
            if key not in seen:
                seen.add(key)
                out.append(m)
    return out



def _local_identity(path: str) -> object:
    try:
        st = os.stat(path)
    except OSError:  # a link to nothing: its read fails, once
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino)



def without_files_under(files: Iterable[Any], paths: Sequence[str]) -> list[Any]:
    """`files` but those that are one of `paths` or under one of them as a folder: the run's own
    output folder, its lock file and its staging folder, which the run makes before its files are
    matched (`--input 'data/*' --output data/run` read `data/run.lock`, the run's own lock, as an
    input, a failure "cannot tell the format" in every run; with --format text a record rejected
    `empty_input`: hostile round 16). Local paths are compared absolute and normalised."""
    def key(path: str) -> str:
        return path.rstrip("/") if "://" in path else os.path.normpath(os.path.abspath(path))

    tops = [(top, top + ("/" if "://" in top else os.sep)) for top in map(key, paths)]

    def left_out(path: str) -> bool:
        k = key(path)
        return any(k == top or k.startswith(folder) for top, folder in tops)

    return [m for m in files if not left_out(m.path)]


def from_file_uri(path: str) -> str:
    """The local path a `file:` URI names (`file:///data/*.jsonl`, `file://localhost/data/`, its
    %XX decoded, as browsers and `pathlib.Path.as_uri()` write them); any other path unchanged.
    Beam has no file system for `file://`: such an --input stopped the run with Beam's "Unable to
    get filesystem ... pip install apache-beam[gcp]". A URI naming another host is a ValueError."""
    if path[:7].lower() != "file://":
        return path
    rest = path[7:]
    host, slash, _ = rest.partition("/")
    if host.lower() not in ("", "localhost") or not slash:
        raise ValueError(f"{path!r} names a file on another host ({host!r}): pass a local path, or mount it")
    return urllib.parse.unquote(rest[len(host):], errors="surrogateescape")



def _is_directory(pattern: str) -> bool:
    return pattern.endswith("/") or ("://" not in pattern and os.path.isdir(pattern))



def _directory_files(folder: str, fmt: str) -> list[Any]:
    root = folder.rstrip("/") or "/"
    if "://" in folder:
        found = FileSystems.match([FileSystems.join(root, "**")])[0].metadata_list
    else:  # walked, not globbed: a folder may have `[` in its name
        found = [_local_metadata(path) for path in _walk(root) if not _special(path)]
    keep = []
    relative = [m.path[len(root):].replace("\\", "/").strip("/").split("/") for m in found]
    # an earlier run's output left beside the inputs (`--output data/run1` under `--input data/`):
    # its clean, rejected, failed and index Parquet files are not input
    names = {"/".join(parts) for parts in relative}
    runs = {parts[:-1] for parts in map(tuple, relative) if len(parts) > 1 and parts[-1] == "_SUCCESS" and "/".join((*parts[:-1], "report.json")) in names}
    for m, parts in zip(found, relative):
        if any(part.startswith((".", "_")) for part in parts):
            continue
        if any(tuple(parts[:k]) in runs for k in range(len(parts))):
            continue
        if fmt == "auto" and is_archive_name(m.path):  # it may hold the records: its failure says to unpack it, where it was left out without a word
            keep.append(m)
            continue
        # in a folder, .json and .csv are too common names for metadata (report.json,
        # dataset_info.json, metadata.csv) to be read as records unless asked for; named as a
        # file or a glob they are read
        if fmt == "auto" and format_or_auto(m.path, ReadConfig()) in ("auto", *_ASKED_FOR_IN_FOLDERS):
            continue
        keep.append(m)
    return sorted(keep, key=lambda m: m.path)



def _walk(root: str) -> Iterator[str]:
    """The files under a local folder, through links to folders too (`data/2024 -> /mnt/disk2/2024`):
    os.walk does not follow them, and such a folder's files were left out without a word, while
    a glob (`data/*/*.jsonl`) read them. A link to a folder inside the root (read where it is), to
    the root or above it (a loop), or to a folder already walked is not followed; folders are
    walked in name order, so the same files are found under the same names on every machine."""
    real_root = os.path.realpath(root)
    seen = {real_root}

    def inside(path: str, folder: str) -> bool:
        return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)

    for folder, dirs, files in os.walk(root, followlinks=True):
        kept = []
        for name in sorted(dirs):
            path = os.path.join(folder, name)
            real = os.path.realpath(path)
            if os.path.islink(path) and (inside(real, real_root) or inside(real_root, real) or real in seen):
                continue
            seen.add(real)
            kept.append(name)
        dirs[:] = kept
        yield from (os.path.join(folder, name) for name in files)



def _local_metadata(path: str) -> FileMetadata:
    """A local file's metadata; a link to nothing (`dead.txt -> gone.txt`) or a file that vanished
    is there with size 0, so its read fails with the OS's error as that file's failed record. One
    such entry used to refuse the whole run ("Path does not exist") before anything was read."""
    try:
        return FileMetadata(path, os.path.getsize(path), os.path.getmtime(path))
    except OSError:
        return FileMetadata(path, 0)



def _special(path: str) -> bool:
    """A named pipe, socket or device (not a regular file, not a link to nothing). Found in a folder
    or by a glob, it is not input, as `find -type f` would not list it: opening a named pipe left in
    a folder (`pipe.jsonl`) waited for a writer forever, and the whole run hung. Named on its own
    (`--input /dev/stdin --format jsonl`) it is read."""
    return os.path.exists(path) and not os.path.isfile(path) and not os.path.isdir(path)



def _broken_links(pattern: str, found: list[Any]) -> list[FileMetadata]:
    """Links to nothing that a local glob names: Beam's match drops them without a word, so a file
    the user's glob named vanished from the run; here they are failed records like any unreadable file."""
    matched = {m.path for m in found}
    return [FileMetadata(path, 0) for path in sorted(glob.glob(pattern, recursive=True))
            if path not in matched and os.path.islink(path) and not os.path.exists(path)]



def plan_file_reads(m: Any, cfg: ReadConfig) -> list[ReadTask]:
    """plan_reads for one matched file; a JSONL file in UTF-16 or UTF-32 (its byte-order mark
    read here, only for a file big enough to split) is read whole: a byte range after the first
    has no mark to be decoded by. So is one of pretty-printed objects, or of lines ending with a
    lone CR: ranges are cut at LF. So is a compressed one whose name does not say so (ranges of
    compressed bytes hold no lines), and a Parquet file so named (its one failure says so)."""
    fmt = format_or_auto(m.path, cfg)
    tasks = plan_reads(m.path, m.size_in_bytes, fmt, cfg.split_bytes)
    if fmt == "jsonl" and len(tasks) > 1:
        try:
            with FileSystems.open(m.path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                if packed_as(_first_bytes(f)):
                    return [ReadTask(m.path)]
                utf8 = Utf8Read(f.read)
                head = peek(utf8, PEEK)[0]
                whole = bool(utf8.codec) or pretty_printed(head) or lone_cr_lines(head) or bool(archive_in(head))
        except Exception:  # noqa: BLE001 - unreadable: the reads fail and say so, where failures are routed
            whole = False
        if whole:
            return [ReadTask(m.path)]
    return tasks



PEEK = 1 << 16



def peek(read: Callable[[int], bytes], n: int) -> tuple[bytes, Callable[[int], bytes]]:
    """The first bytes of a stream (up to `n`, fewer only at its end), and a `read` that hands
    them out again first. A read that breaks in the head (a cut gzip) raises only once the bytes
    before the break are handed out, so the records before it are still read."""
    parts, size, error = [], 0, None
    try:
        while size < n and (chunk := read(n - size)):
            parts.append(chunk)
            size += len(chunk)
    except Exception as exc:  # noqa: BLE001 - raised again in its place, after what came before
        error = exc
    head = left = b"".join(parts)

    def again(size: int) -> bytes:
        nonlocal left
        if left:
            out, left = left[:size], left[size:]
            return out
        if error is not None:
            raise error
        return read(size)

    return head, again



def pretty_printed(head: bytes) -> bool:
    """The file starts with a line that is a lone `{` or `[`: JSON objects pretty-printed one after
    another (`jq '.[]' items.json > items.jsonl`; jq indents unless told -c), or a pretty-printed
    array, not JSON lines. Read a line at a time, each of its lines failed (3 records came out as
    12 failed ones and none read); read as a .json file is, each object is a record. No JSON line
    is a lone `{` or `[`."""
    first = head.removeprefix(UTF8_BOM).lstrip(b" \t\r\n").split(b"\n", 1)[0]
    return first.strip() in (b"{", b"[")



def format_or_auto(path: str, cfg: ReadConfig) -> str:
    try:
        return format_of(path, cfg.format)
    except ValueError:  # an unknown extension fails in ReadFileFn, where failures are routed
        return "auto"



def parquet_runs(path: str, split_bytes: int) -> list[tuple[ReadTask, int]]:
    """A big Parquet file's runs of row groups and their row counts, from its footer; the whole
    file when the footer cannot be read (its read then fails with the error)."""
    try:
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
            meta = pq.ParquetFile(f).metadata
            groups = [meta.row_group(i) for i in range(meta.num_row_groups)]
            sizes = [(g.num_rows, sum(g.column(j).total_compressed_size for j in range(g.num_columns))) for g in groups]
    except Exception:  # noqa: BLE001 - not readable as Parquet
        return [(ReadTask(path), 0)]
    return row_group_tasks(path, sizes, split_bytes)
