"""The input formats (by extension, or --format) and the read settings (`ReadConfig`); archives
that are not a format are refused by their first bytes."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from pipeline.inflate import (
    without_compression,
)

FORMATS = ("text", "jsonl", "json", "csv", "tsv", "parquet", "html", "warc")
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jl": "jsonl",  # Scrapy's JSON lines feed
    ".json": "json",  # one array of records (Scrapy's JSON feed, pandas' orient="records"), or one object
    ".csv": "csv",  # a header row, then a record a row
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".wet": "warc",  # Common Crawl's WET files (CC-MAIN-...warc.wet.gz): WARC conversion records of page text
}
UTF8_BOM = b"\xef\xbb\xbf"

# Formats read as one document per file: their ids carry no record position.
ONE_PER_FILE = ("text", "html")



@dataclass(frozen=True)
class ReadConfig:
    format: str = "auto"  # auto (by extension) | text | jsonl | parquet | html | warc
    id_field: str = "id"  # JSONL/CSV/Parquet field names; a dotted one reaches into nested objects (field_paths)
    url_field: str = "url"
    title_field: str = "title"
    text_field: str = "text"
    published_field: str = "published"
    html_field: str = "html"  # JSONL/Parquet: a non-empty value sends the record to extraction
    max_document_bytes: int = 10_000_000  # larger documents are rejected as document_too_large
    # Uncompressed JSONL and Parquet files larger than this are read in parts of about this size
    # (byte ranges; runs of row groups) by many workers (64 MiB, Beam's own desired bundle size
    # for text files); 0: every file read whole.
    split_bytes: int = 64 << 20
    # Compression bombs: a compressed file stops (the rest of it one failed record) once it has inflated
    # past this many bytes, or past this many times the compressed bytes read (judged after the
    # first 64 MiB). Text inflates 3-10-fold, a bomb ~1,000-fold.
    max_inflated_bytes: int = 64 << 30
    max_inflation_ratio: float = 100.0
    # One record (a JSONL line, a WARC record) longer than max_document_bytes is rejected and
    # skipped; one longer than this stops the file there (the rest one failed record).
    max_record_bytes: int = 1 << 30

    def __post_init__(self) -> None:
        if self.format not in ("auto", *FORMATS):
            raise ValueError(f"read.format must be auto or one of {', '.join(FORMATS)}, not {self.format!r}")
        if not self.text_field.strip():  # the others may be "" (not read); a record is its text
            raise ValueError("read.text_field must name the field that holds a record's text, not be empty")
        if not 1 << 20 <= self.max_inflated_bytes <= 1 << 50:
            raise ValueError(f"read.max_inflated_bytes must be between 1 MiB (1048576) and 1 PiB, not {self.max_inflated_bytes}")
        if not 10 <= self.max_inflation_ratio <= 1_000_000:
            raise ValueError(f"read.max_inflation_ratio must be between 10 and 1000000, not {self.max_inflation_ratio:g}")
        if not self.max_document_bytes <= self.max_record_bytes <= 1 << 50:
            raise ValueError(f"read.max_record_bytes must be between read.max_document_bytes ({self.max_document_bytes}) "
                             f"and 1 PiB, not {self.max_record_bytes}")



class BadRecord(ValueError):
    """An input record that cannot become a Document (malformed JSON, no text field, ...)."""



def format_of(path: str, configured: str = "auto") -> str:
    if configured != "auto":
        return configured
    name = without_compression(posixpath.basename(path))
    ext = posixpath.splitext(name)[1]
    if is_archive_name(path):  # "pass --format" pointed the wrong way: read so, its bytes were records of garbage
        raise BadRecord(f"{posixpath.basename(path)!r} is an archive: unpack it and read the files it holds")
    if ext not in EXTENSIONS:
        raise BadRecord(f"cannot tell the format of {path!r} from its extension; pass --format")
    return EXTENSIONS[ext]



# Archives hold files, not records: a zip, 7z or rar file starts with its magic; a tar has "ustar" at
# byte 257, inside whatever compresses it (`tar czf crawl.jsonl.gz crawl.jsonl`, for gzip).
_ARCHIVE_MAGIC = ((0, b"PK\x03\x04", "zip"), (0, b"PK\x05\x06", "zip"), (0, b"7z\xbc\xaf\x27\x1c", "7z"),
                  (0, b"Rar!\x1a\x07", "rar"), (257, b"ustar", "tar"))
_ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tbz2", ".txz", ".7z", ".rar")



def is_archive_name(path: str) -> bool:
    return without_compression(posixpath.basename(path)).endswith(_ARCHIVE_SUFFIXES)



def archive_in(head: bytes) -> str:
    """The kind of archive a file's first (inflated) bytes show, "" for none."""
    return next((kind for at, magic, kind in _ARCHIVE_MAGIC if head[at : at + len(magic)] == magic), "")



def refuse_archive(head: bytes, path: str) -> None:
    """Raise BadRecord when the file is an archive. Read as the format its name says, a zip named
    `.jsonl` was a "malformed JSON" failure per newline in its compressed bytes (2 records came out as
    12 failures), a tar's header was glued to the first record of each file it holds (each failed as
    malformed JSON, the others read as if nothing were wrong)."""
    if kind := archive_in(head):
        raise BadRecord(f"{posixpath.basename(path)!r} is a {kind} archive: unpack it and read the files it holds")
