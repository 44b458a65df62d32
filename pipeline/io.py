"""Reading sources into Documents and writing the outputs as Parquet; the pyarrow schemas live here.

Reading goes through Beam's `FileSystems`, so local paths, globs, folders and cloud URIs (gs://,
s3://, hdfs://) behave alike. Every record read ends in exactly one place: a Document
on the main output, a Rejection (an empty or oversized input) or a Failure (an unreadable record,
or the part of a file after it broke).
"""

from __future__ import annotations

import codecs
import contextlib
import dataclasses
import datetime
import decimal
import glob
import io
import json
import os
import posixpath
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Mapping, Protocol, TypeVar

import apache_beam as beam
import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam import pvalue
from apache_beam.io.filesystem import CompressionTypes, FileMetadata
from apache_beam.io.filesystems import FileSystems

from pipeline.csv_rows import MalformedRow, iter_csv_records
from pipeline.decoding import Utf8Read, strip_control_references, strip_controls, undo_double_encoding, utf16_encoding
from pipeline.inflate import RATIO_FLOOR, CappedReader, DamagedInput, GzipMemberReader, InflatedTooLarge, TruncatedInput, compression_by_magic, compression_of, without_compression  # noqa: F401 - re-exported
from pipeline.json_array import iter_json_records
from pipeline.parquet_pages import BadPageHeader, ChunkPages, chunk_pages
from pipeline.sized_parquet import SizedWriteToParquet
from pipeline.http_body import UndecodableBody, decoded_body  # noqa: F401 - UndecodableBody re-exported
from pipeline.id_bloom import BuildIdBloom, may_hold
from pipeline.warc import NotWarc, RawRecord, Unframed, ended_http_head, iter_raw_records, join_segments
from pipeline.splits import (
    ReadTask,
    RecordTooLarge,  # noqa: F401 - re-exported
    count_records,
    cr_as_lf,
    iter_lines,
    lone_cr_lines,
    numbered_records,
    plan_reads,
    range_records,
    row_group_tasks,
    with_first_positions,
)
from transforms.prior_dedup import INDEX_SCHEMA  # noqa: F401 - re-exported: the writers' schema of OUT/index/
from transforms.quality import SIGNALS
from transforms.records import (
    URL_USERINFO_REMOVED,
    Document,
    Failure,
    Reason,
    Rejection,
    domain_of,
    without_userinfo,
)
from transforms.routing import FAILED, KEPT, REJECTED, StageOutputs, decode_document, encode_document

SCHEMA_VERSION = "7"  # 2: q_<signal> quality columns; 3: removed_examples (a few removed lines per rule, for the report); 4: q_lower_sentence_start_frac; 5: q_prose_line_count, q_prose_char_frac; 6: pii_counts; 7: q_lede_line_count, q_lede_sentence_count, q_code_line_count, q_top_5gram_unit_frac
FORMATS = ("text", "jsonl", "json", "csv", "tsv", "parquet", "html", "warc")
_EXTENSIONS = {
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
# formats read from a folder only with --format (metadata files share their extensions)
_ASKED_FOR_IN_FOLDERS = ("json", "csv", "tsv")
_BOM = b"\xef\xbb\xbf"
# Formats read as one document per file: their ids carry no record position.
_ONE_PER_FILE = ("text", "html")


CODECS = ("zstd", "snappy", "gzip", "brotli", "lz4", "none")


@dataclass(frozen=True)
class ReadConfig:
    format: str = "auto"  # auto (by extension) | text | jsonl | parquet | html | warc
    id_field: str = "id"  # JSONL/Parquet field names
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


@dataclass(frozen=True)
class WriteConfig:
    codec: str = "zstd"
    num_shards: int = 0  # 0: the runner chooses, sized to the data
    record_batch_size: int = 1000
    # Each writer starts a new file once it has written this many bytes (checked after each row
    # group), so a big run gives many files of a size readers and uploads handle well.
    max_file_bytes: int = 256 << 20
    row_group_bytes: int = 64 << 20  # Arrow bytes buffered into one row group (Beam's default)

    def __post_init__(self) -> None:
        # checked here so a typo is a config error before the run, not a crash in the sink
        if self.codec not in CODECS:
            raise ValueError(f"write.codec must be one of {', '.join(CODECS)}, not {self.codec!r}")


class BadRecord(ValueError):
    """An input record that cannot become a Document (malformed JSON, no text field, ...)."""


# --- pure reading functions --------------------------------------------------------------------


def format_of(path: str, configured: str = "auto") -> str:
    if configured != "auto":
        return configured
    name = without_compression(posixpath.basename(path))
    ext = posixpath.splitext(name)[1]
    if is_archive_name(path):  # "pass --format" pointed the wrong way: read so, its bytes were records of garbage
        raise BadRecord(f"{posixpath.basename(path)!r} is an archive: unpack it and read the files it holds")
    if ext not in _EXTENSIONS:
        raise BadRecord(f"cannot tell the format of {path!r} from its extension; pass --format")
    return _EXTENSIONS[ext]


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


def decode_bytes(data: bytes) -> tuple[str, tuple[str, ...]]:
    """UTF-8 (a BOM dropped), UTF-16/32 (by BOM or NUL pattern), else the detected charset, else
    UTF-8 with replacement; flags say which."""
    flags: tuple[str, ...] = ()
    if data.startswith(_BOM):
        data, flags = data[len(_BOM) :], ("bom_removed",)
    elif utf16 := _decode_utf16(data):
        return utf16
    try:
        return data.decode("utf-8"), flags
    except UnicodeDecodeError:
        pass
    if (text := decode_cesu8(data)) is not None:
        return text, (*flags, "decoded_as_cesu_8")
    return decode_detected(data, flags)


def decode_cesu8(data: bytes) -> str | None:
    """Bytes that are UTF-8 but for characters past U+FFFF written as two encoded surrogate
    halves (CESU-8: Oracle's `UTF8` character set, Java's modified UTF-8), read with each pair
    joined into its character; None for any other bytes. They used to go to charset detection: a
    trophy emoji came out in clean as "н\xa0јнї†", flagged only `decoded_as_cp1251`."""
    if b"\xed" not in data:
        return None
    try:
        text = data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return None
    if not _SURROGATE.search(text):
        return None
    try:
        return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le")  # a half without its pair raises
    except UnicodeDecodeError:
        return None


def _decode_utf16(data: bytes) -> tuple[str, tuple[str, ...]] | None:
    codec, bom = utf16_encoding(data)
    if not codec:
        return None
    flags = ("bom_removed",) * bool(bom) + (f"decoded_as_{codec}",)
    try:
        return data[bom:].decode(codec), flags
    except UnicodeDecodeError:  # cut mid-character, or half a surrogate pair: replaced, and said so as for UTF-8
        return data[bom:].decode(codec, errors="replace"), (*flags, "decoded_with_replacement")


def fallback_codec(data: bytes) -> tuple[str, str]:
    """(codec, flag) for bytes that are not UTF-8: UTF-8 with replacement when they mostly are,
    else the detected charset, else UTF-8 with replacement."""
    if mostly_utf8(data):
        return "utf-8", "decoded_with_replacement"
    encoding = detect_charset(data)
    return (encoding, f"decoded_as_{encoding}") if encoding else ("utf-8", "decoded_with_replacement")


def decode_detected(data: bytes, flags: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """The last resort of every decoder: the detected charset, else UTF-8 with replacement."""
    codec, flag = fallback_codec(data)
    if codec != "utf-8":
        try:
            return data.decode(codec), flags + (flag,)
        except (UnicodeDecodeError, LookupError):
            pass
    return data.decode("utf-8", errors="replace"), flags + ("decoded_with_replacement",)


_DETECT_BYTES = 200_000  # what detection looks at: a page's worth
_NON_ASCII = re.compile("[^\x00-\x7f\ufffd]")  # a character that decoded from a multi-byte UTF-8 sequence


def mostly_utf8(data: bytes) -> bool:
    """More characters decode as valid multi-byte UTF-8 than invalid bytes fail to: UTF-8 with a
    flaw (a file or field cut mid-character, a stray byte), not a legacy code page, whose letters
    above 0x7F almost never form a valid UTF-8 sequence. Such text used to go to detection, which
    read it in a code page: one cut character at the end of a German text, and every umlaut came
    out as mojibake ("verÃ¶ffentlicht") in clean, flagged only `decoded_as_iso8859_14`."""
    text = data[:_DETECT_BYTES].decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data[:_DETECT_BYTES].count("\ufffd".encode())
    return len(_NON_ASCII.findall(text)) > bad


def detect_charset(data: bytes) -> str:
    """The likeliest legacy charset of bytes that are not UTF-8 (as Python names it, read as browsers
    read it), or '' if Python has no codec for it.

    Firefox's detector (chardetng: byte-pair scores per legacy web encoding, trained on Wikipedia
    in each language's code pages) picks what a browser shows for an unlabelled page.
    charset_normalizer, used before, ranks by a "chaos" score that cannot tell look-alike code
    pages apart: on news texts in their own Windows code page it read French as cp1257 ("aprčs"),
    Hebrew as cp1251 (Cyrillic letters), Hungarian, Latvian, Estonian, Croatian, Romanian and
    Turkish wrongly, 9 of 27 languages, each into clean with only a `decoded_as_` flag; chardetng
    reads all 27 right (tests/legacy_texts.py).
    """
    from chardetng_py import detect

    return _codec(detect(data[:_DETECT_BYTES]))


def _without_controls(text: str, flags: tuple[str, ...], references: bool = False) -> tuple[str, tuple[str, ...]]:
    """`text` with a double encoding undone and its controls removed (with `references`, a page's
    references to controls too: pipeline/decoding.py), and the flags saying which happened."""
    text, undone = undo_double_encoding(text)  # first: the Latin-1 form holds C1 characters that are bytes of the text
    text, changed = strip_controls(text)
    if references:
        text, referenced = strip_control_references(text)
        changed = changed or referenced
    return text, flags + ("double_encoding_undone",) * undone + ("control_chars_removed",) * changed


def page_without_controls(html: str, flags: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """`_without_controls` for a page: the references to controls go too."""
    return _without_controls(html, flags, references=True)


def looks_binary(data: bytes) -> bool:
    """NUL bytes in the first 8 KB: no text encoding we accept produces them."""
    head = data[:8192]
    return head.count(0) > max(1, len(head) // 1000)


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def shown_path(path: str) -> str:
    """A path as records carry it (source, id). A file name that is not UTF-8 (Latin-1 names
    unpacked from an old zip) comes from the OS with each bad byte as a lone surrogate (Python's
    surrogateescape), which Beam's string coder cannot encode: one such file crashed the whole run
    ("surrogates not allowed" in Read/KeptIds). Such a byte is shown as %XX, as in a URL."""
    if not _SURROGATE.search(path):
        return path
    return _SURROGATE.sub("\ufffd", _ESCAPED_BYTE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", path))


def _file_key(path: str) -> bytes:
    # a string key must be valid UTF-8 for Beam's coder (a name that is not UTF-8 holds surrogates); bytes need not
    return path.encode("utf-8", "surrogatepass")


def derived_id(path: str, position: int, fmt: str) -> str:
    """Stable id from the file name (and line/row for multi-record files), the same on any machine."""
    name = posixpath.basename(path.replace("\\", "/"))
    return name if fmt in _ONE_PER_FILE else f"{name}:{position}"


def _check_size(doc: Document, raw_len: int, cfg: ReadConfig) -> Document | Rejection:
    if not doc.text.strip():
        return Rejection.of(doc, Reason.EMPTY_INPUT, "no text", "read")
    if raw_len > cfg.max_document_bytes:
        detail = f"{raw_len} bytes > read.max_document_bytes={cfg.max_document_bytes}"
        return Rejection.of(doc.with_(text=doc.text[:1000]), Reason.DOCUMENT_TOO_LARGE, detail, "read")
    return doc


def text_document(path: str, data: bytes, cfg: ReadConfig) -> Document | Rejection:
    """A whole text file as one document."""
    if looks_binary(data) and not utf16_encoding(data)[0]:
        raise BadRecord("binary content (NUL bytes), not text")
    if _sniff_html(data.removeprefix(_BOM)):
        # a page saved as .txt: cleaning its markup as text would keep menus and scripts and lose
        # the article, so it goes to extraction like any .html file
        out = html_document(path, data, cfg, fmt="html")
        return out.with_(flags=(*out.flags, "html_in_text_file")) if isinstance(out, Document) else out
    text, flags = _without_controls(*decode_bytes(data))
    doc = Document(
        id=derived_id(path, 0, "text"),
        text=text,
        source=path,
        source_format="text",
        flags=flags,
        chars_in=len(text),
    )
    return _check_size(doc, len(data), cfg)


# --- HTML and WARC -----------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]{1,40})""", re.I)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9_:.\-]{1,40})""", re.I)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
# 7-bit stateful encodings, whose bytes are also valid UTF-8: trust the declaration before UTF-8.
_NOT_UTF8_SAFE = ("iso2022_jp", "iso2022_kr", "hz")
# A declared UTF-16/32 on bytes that are not (checked first, by BOM and NULs) is read as UTF-8, as
# browsers do for <meta> (WHATWG: a page whose <meta> could be read is not UTF-16).
_WIDE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")


def charset_of(content_type: str) -> str:
    """The charset parameter of a Content-Type header value, or ''."""
    m = _HEADER_CHARSET.search(content_type or "")
    return m.group(1) if m else ""


# Charsets that browsers read as a wider encoding than their name (WHATWG Encoding Standard), as
# Python names them. Read narrowly, the bytes the wider one adds became C1 controls, which are then
# removed: a page declaring tis-620 or iso-8859-9 lost its “quotes”, dashes and € without a word; or
# they fail, and the page went to detection (Shift_JIS pages use NEC's ① and ㈱, EUC-KR pages UHC's
# syllables, GB2312 pages GBK's characters).
_AS_BROWSERS_READ = {
    "latin_1": "cp1252", "iso8859_1": "cp1252", "ascii": "cp1252", "iso8859_9": "cp1254", "tis_620": "cp874",
    "iso8859_11": "cp874", "gb2312": "gb18030", "gbk": "gb18030", "shift_jis": "cp932", "euc_kr": "cp949",
    "big5": "big5hkscs",
}
# WHATWG labels Python does not know
_LABELS = {"windows-874": "cp874", "x-gbk": "gb18030", "windows-31j": "cp932", "x-sjis": "cp932",
           "iso-8859-8-i": "iso8859_8", "x-mac-cyrillic": "mac_cyrillic", "x-mac-roman": "mac_roman"}


# Python codecs that are no web encoding: browsers do not know their labels (the WHATWG Encoding
# Standard has no UTF-7) and read such a page as if nothing were declared. Decoded as declared, a
# page's "Google+Facebook deal" became "GoogleᖧṮ訤 deal" in clean, and "+ADw-script+AD4-" became
# "<script>" (the old UTF-7 cross-site trick).
_NO_WEB_ENCODING = frozenset({"utf_7"})


def _codec(name: str) -> str:
    """Python's codec for a declared (or detected) charset as browsers read it, '' if unknown."""
    name = name.strip().lower()
    try:
        codec = _LABELS.get(name) or (codecs.lookup(name).name.replace("-", "_") if name else "")
    except LookupError:
        return ""
    return "" if codec in _NO_WEB_ENCODING else _AS_BROWSERS_READ.get(codec, codec)


def decode_html(data: bytes, declared: str = "") -> tuple[str, tuple[str, ...]]:
    """Decode a page: BOM, then valid UTF-8, then the HTTP (`declared`) and <meta> charsets, then
    detection (chardetng, Firefox's detector), then UTF-8 with replacement. Never raises on a bad byte.

    Valid UTF-8 wins over a declared single-byte charset: text with multi-byte sequences that
    decodes as UTF-8 is almost never anything else, while servers often declare ISO-8859-1 for
    pages that are UTF-8. A declaration that does not fit the bytes is flagged and skipped.
    """
    if data.startswith(_BOM):
        return data[len(_BOM) :].decode("utf-8", errors="replace"), ("bom_removed",)
    if utf16 := _decode_utf16(data):
        return utf16
    if (text := decode_cesu8(data)) is not None:  # before the declarations: a single-byte charset reads anything
        return text, ("decoded_as_cesu_8",)
    meta = _META_CHARSET.search(data[:4096])
    declarations = [("http", _codec(declared)), ("meta", _codec(meta.group(1).decode("ascii")) if meta else "")]
    flags: tuple[str, ...] = tuple(f"{where}_charset_wrong" for where, c in declarations if c in _WIDE)
    declarations = [(where, "" if c in _WIDE else c) for where, c in declarations]
    if _header_loses(data, *(c for _, c in declarations)):
        declarations, flags = declarations[::-1], flags + ("http_charset_wrong",)
    first = [(where, c) for where, c in declarations if c in _NOT_UTF8_SAFE]
    for where, codec in first + [("utf8", "utf_8")] + [d for d in declarations if d not in first]:
        if not codec:
            continue
        try:
            return data.decode(codec), flags + ((f"decoded_as_{codec}",) if codec not in ("utf_8", "cp1252") else ())
        except (UnicodeDecodeError, LookupError):
            if where != "utf8":
                flags += (f"{where}_charset_wrong",)
    return decode_detected(data, flags)


def _header_loses(data: bytes, http: str, meta: str) -> bool:
    """Whether the page's <meta> charset, not the HTTP header's, is the one its bytes are in, when
    the two disagree: the one the detector (chardetng) names. Browsers take the header's, which is
    often the server's default (ISO-8859-1) rather than the page's: a Cyrillic page declared
    windows-1251 in its <meta> reached clean as Latin mojibake ("ñëå äîëãèõ"), unflagged. Where
    the detector names neither, the header stays first, as browsers have it."""
    if not http or not meta or http == meta or data.isascii():
        return False
    return detect_charset(data) == meta


def html_document(
    path: str,
    data: bytes,
    cfg: ReadConfig,
    position: int = 0,
    fmt: str = "html",
    url: str = "",
    declared_charset: str = "",
    record_id: str = "",
) -> Document | Rejection:
    """One HTML page (a file or a WARC response body) as a document for extraction: `html` set, no text."""
    doc = _page_document(path, position, fmt, url, record_id)
    if len(data) > cfg.max_document_bytes:
        detail = f"{len(data)}+ bytes > read.max_document_bytes={cfg.max_document_bytes}"
        return Rejection.of(doc, Reason.DOCUMENT_TOO_LARGE, detail, "read")
    if not data.strip():
        return Rejection.of(doc, Reason.EMPTY_INPUT, "empty page", "read")
    html, flags = page_without_controls(*decode_html(data, declared_charset))
    return doc.with_(html=html, flags=doc.flags + flags)


def _page_document(path: str, position: int, fmt: str, url: str, record_id: str) -> Document:
    """The record of a page before extraction: where it came from, no text yet."""
    url, had_userinfo = without_userinfo(url)
    return Document(
        id=record_id or derived_id(path, position, fmt),
        text="",
        source=path,
        source_format=fmt,
        position=position,
        url=url,
        domain=domain_of(url),
        flags=(URL_USERINFO_REMOVED,) * had_userinfo,
    )


def warc_document(path: str, position: int, raw: RawRecord, cfg: ReadConfig) -> Document | Rejection | None:
    """A WARC record: a document for a response, resource or conversion record, None for records
    that are not pages (warcinfo, request, metadata, revisit, ...); a non-HTML one is rejected
    as not_html, a response whose HTTP status is not 2xx as http_error. A record whose
    Content-Length did not match its real extent carries `warc_length_mismatch`. A body whose
    transfer or content coding cannot be undone raises UndecodableBody (pipeline/http_body.py). One
    the crawler cut (`WARC-Truncated`) carries `warc_truncated`."""
    kind = raw.headers.get("warc-type", "").lower()
    if kind not in ("response", "resource", "conversion"):
        return None
    if raw.unjoined:  # half a page, read as the whole of it, reached clean without a word
        raise BadRecord(f"a segmented WARC record: {raw.unjoined}")
    url = _target_uri(raw.headers.get("warc-target-uri", ""))
    record_id = _record_id(raw)
    flags = ("warc_length_mismatch",) * raw.length_mismatch + ("warc_truncated",) * warc_truncated(raw.headers)
    whole = raw.length == len(raw.content)  # else only the head of an oversized record was kept
    ended = ended_http_head(raw.content) if kind == "response" else raw.content
    content = raw.content if ended is None else ended  # None: the body cannot be told from the head
    flags += ("http_head_unended",) * (len(content) != len(raw.content))

    def rejected(reason: Reason, detail: str) -> Rejection:
        page = _page_document(path, position, "warc", url, record_id)
        return Rejection.of(page.with_(flags=page.flags + tuple(flags)), reason, detail, "read")

    headers, body = http_head(content, url) if kind == "response" else (None, content)
    if kind != "response":  # a stored file (warcit, Webrecorder), a page's text: no HTTP part; the WARC header names its type
        content_type = raw.headers.get("content-type", "")
        if kind == "conversion" and _TEXT_TYPE.fullmatch(content_type.split(";", 1)[0].strip()):
            return conversion_text(path, position, raw, cfg, url, record_id, flags)
    else:
        content_type = (headers.get_header("Content-Type") if headers is not None else None) or ""
        status = (headers.get_statuscode() or "") if headers is not None else ""
        if status.isdigit() and not status.startswith("2"):
            # a 404 page, a login wall's 403, a redirect's stub: the server's answer, not the page the
            # URL names (crawlers store these too); such text reached clean when it was long enough
            return rejected(Reason.HTTP_ERROR, f"HTTP status {status}")
        if ended is None:  # read as headers, the page came out empty
            return rejected(Reason.NOT_HTML, "HTTP headers without an end: no blank line, no markup where the body starts")
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and mime not in _HTML_TYPES:  # not decoded: an image's bytes are no page however they are coded
        return rejected(Reason.NOT_HTML, f"content type {mime!r}")
    if whole and headers is not None:
        body, decoded = decoded_body(body, _header(headers, "Transfer-Encoding"), _header(headers, "Content-Encoding"),
                                     cfg.max_document_bytes)
        flags += decoded
    if not mime and not _sniff_html(body):
        if whole and not body.strip():  # nothing to sniff: an empty answer, as one typed text/html is
            return rejected(Reason.EMPTY_INPUT, "empty page")
        return rejected(Reason.NOT_HTML, "content type 'missing'")
    if not whole:
        return rejected(Reason.DOCUMENT_TOO_LARGE, f"{raw.length}+ bytes > read.max_document_bytes={cfg.max_document_bytes}")
    out = html_document(path, body, cfg, position, "warc", url, charset_of(content_type), record_id)
    if isinstance(out, Rejection):  # an empty or oversized page keeps what the reading found (a body cut short)
        return dataclasses.replace(out, doc=out.doc.with_(flags=flags + out.doc.flags))
    return out.with_(flags=flags + out.flags)


# A conversion record of text: Common Crawl's WET files say text/plain; a converter may say nothing.
_TEXT_TYPE = re.compile(r"(?i)(?:text/plain)?")


def conversion_text(path: str, position: int, raw: RawRecord, cfg: ReadConfig, url: str, record_id: str,
                    flags: tuple[str, ...]) -> Document | Rejection:
    """A WARC conversion record holding a page's text (Common Crawl's WET files: the text of each
    page of a crawl) as a text document, with the record's id and target URI.

    Such records were skipped as no page: `--format warc` on WET files (as the error for their
    `.wet` name advised) read a crawl's text as nothing at all, 0 records in, exit 0, balanced."""
    doc = _page_document(path, position, "warc", url, record_id)
    if raw.length != len(raw.content):  # only the head of an oversized record was kept
        return Rejection.of(doc.with_(flags=doc.flags + flags), Reason.DOCUMENT_TOO_LARGE,
                            f"{raw.length}+ bytes > read.max_document_bytes={cfg.max_document_bytes}", "read")
    if looks_binary(raw.content) and not utf16_encoding(raw.content)[0]:
        raise BadRecord("a conversion record of binary content (NUL bytes), not text")
    text, decoded = _without_controls(*decode_bytes(raw.content))
    return _check_size(doc.with_(text=text, chars_in=len(text), flags=doc.flags + flags + decoded), len(raw.content), cfg)


def warc_truncated(headers: Mapping[str, str]) -> bool:
    """The crawler cut the record's block (`WARC-Truncated: length`, `time`, `disconnect` or
    `unspecified`, WARC 1.1 section 5.13): the block is whole as stored, so nothing in its framing
    shows the page is part of one, and it read as the whole page without a word (the article cut
    mid-sentence, in clean). Any value counts: the standard allows others."""
    return bool(headers.get("warc-truncated", "").strip())


def _record_id(raw: RawRecord) -> str:
    return raw.headers.get("warc-record-id", "").strip("<>")


def _target_uri(value: str) -> str:
    """A WARC-Target-URI as the page's URL: Wget 1.19 wrote it inside `<>`, as warcio also reads it."""
    return value[1:-1].strip() if value.startswith("<") and value.endswith(">") else value


def http_head(content: bytes, url: str) -> tuple[Any, bytes]:
    """A response record's HTTP status and headers (warcio's StatusAndHeaders), and the bytes after
    them; (None, content) for a response that is not HTTP (a `dns:` or `ftp:` record).

    warcio's record loader parses the HTTP part only when the record's WARC-Target-URI starts with
    `http:` or `https:`, in lower case: a response without the header made it raise
    AttributeError, which failed the rest of the WARC file with it, and one for `HTTPS://...` was
    read with its HTTP headers as its body and rejected as not_html. The head is parsed here when
    the URI is HTTP's in any case, or the content starts like an HTTP response."""
    from warcio.recordloader import ArcWarcRecordLoader
    from warcio.statusandheaders import StatusAndHeadersParser

    if not (content.startswith(b"HTTP/") or url.lower().startswith(("http:", "https:"))):
        return None, content
    stream = io.BytesIO(content)
    try:
        headers = StatusAndHeadersParser(ArcWarcRecordLoader.HTTP_TYPES, verify=False).parse(stream)
    except EOFError:  # no content at all
        return None, content
    return headers, stream.read()


def _header(headers: Any, name: str) -> str:
    """Every value of a header named `name` (any case), joined as HTTP joins repeated fields."""
    return ", ".join(value for key, value in headers.headers if key.lower() == name.lower())


def _sniff_html(body: bytes) -> bool:
    """The bytes start like an HTML page (doctype or <html>, after any byte-order mark or XML
    declaration), whatever the file is called. A UTF-8 BOM before `<!doctype html>` in a response
    without a Content-Type got it rejected as not_html ("content type 'missing'")."""
    head = body[:1024].removeprefix(_BOM).lstrip().lower()
    if head.startswith(b"<?xml"):  # XHTML's declaration, before its doctype
        head = head[head.find(b"?>") + 2 :].lstrip() if b"?>" in head else b""
    return head.startswith((b"<!doctype html", b"<html"))


# Room for a response's HTTP headers beside a body of read.max_document_bytes.
_HTTP_HEADROOM = 1 << 16


def iter_warc(path: str, stream: Any, cfg: ReadConfig) -> Iterator[tuple[int, Document | Rejection | Failure]]:
    """(position, outcome) for every response and resource record; other record types are not documents.
    A record that raises (a body whose coding cannot be undone) is a Failure of its own.

    Records are cut at their real boundaries (pipeline/warc.py), gzip members inflated here:
    warcio would stop silently at a truncated member. Plain records and gzip members may follow
    one another in one file, either way round. A file cut short raises TruncatedInput
    after the records before the cut were yielded.
    """
    # unbuffered: a read returns what was inflated before a cut, and the next one raises
    reader = GzipMemberReader(stream, cfg.max_inflated_bytes, cfg.max_inflation_ratio, posixpath.basename(path))
    position = 0
    try:
        keep = cfg.max_document_bytes + _HTTP_HEADROOM
        for raw in join_segments(iter_raw_records(reader.read, keep, cfg.max_record_bytes, reader.inflate_from), keep):
            if isinstance(raw, Unframed):
                yield position, Failure.from_exception("read", path, position, derived_id(path, position, "warc"), BadRecord(
                    f"bytes {raw.offset} to {raw.end} are not a WARC record ({raw.reason}): the records after them are read"))
                position += 1
                continue
            try:
                out = warc_document(path, position, raw, cfg)
            except Exception as exc:  # noqa: BLE001 - one framed record's error (a body that cannot be decoded): its own failure
                # raised on, it failed the rest of the file with it, though the next records are framed apart
                out = Failure.from_exception("read", path, position, _record_id(raw) or derived_id(path, position, "warc"), exc)
            if out is not None:
                yield position, out
                position += 1
    except NotWarc as exc:
        raise BadRecord(f"not a WARC file (or a broken one): {exc}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _field_str(record: Mapping[str, Any], name: str) -> str:
    """A field as text: strings as they are, numbers as their decimal form (ids often are numbers),
    dates and times in ISO 8601, bytes decoded; a list, an object or a boolean is not text."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = decode_bytes(value)[0]
    elif isinstance(value, (datetime.date, datetime.time)):
        value = value.isoformat()
    elif isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        value = str(value)
    elif not isinstance(value, str):
        raise BadRecord(f"field {name!r} is a {type(value).__name__}, not text")
    return _SURROGATE.sub("\ufffd", value)


_SURROGATES_REPLACED = "lone_surrogates_replaced"


def _with_surrogates_flagged(flags: tuple[str, ...], record: Mapping[str, Any], cfg: ReadConfig) -> tuple[str, ...]:
    """`flags` with lone_surrogates_replaced (once) when the title, url or published field holds
    half a surrogate pair, which `_field_str` replaces as the text's are: a title changed so was
    flagged nowhere, while the same change in the text was."""
    fields = (record.get(name) for name in (cfg.title_field, cfg.url_field, cfg.published_field) if name)
    if _SURROGATES_REPLACED in flags or not any(isinstance(v, str) and _SURROGATE.search(v) for v in fields):
        return flags
    return (*flags, _SURROGATES_REPLACED)


def mapped_fields(cfg: ReadConfig) -> frozenset[str]:
    """The field names a record is read through (`read.*_field`)."""
    return frozenset(name for name in (cfg.id_field, cfg.url_field, cfg.title_field, cfg.text_field, cfg.published_field,
                                       cfg.html_field) if name)


def mapped_document(path: str, position: int, record: Any, fmt: str, cfg: ReadConfig, flags=(), raw_len=0) -> Document | Rejection:
    """A JSON object or Parquet row as a document, through the configured field names."""
    if not isinstance(record, dict):
        raise BadRecord(f"expected an object, got {type(record).__name__}")
    html = record.get(cfg.html_field) if cfg.html_field else None
    if html is not None and not isinstance(html, (str, bytes)):
        raise BadRecord(f"field {cfg.html_field!r} is a {type(html).__name__}, not a page")
    if html and html.strip():
        return _mapped_html_document(path, position, record, html, fmt, cfg, flags)
    text = record.get(cfg.text_field)
    if text is None and html is not None:  # a page field there but blank: an empty page, not a broken record
        text = ""
    if text is None:
        raise BadRecord(f"field {cfg.text_field!r} is missing or null{_other_case(record, cfg.text_field)}")
    if isinstance(text, bytes):  # a Parquet BINARY column without the UTF8 annotation (Spark, Hive): decoded as a text file is
        text, decoded = decode_bytes(text)
        flags = (*flags, *decoded)
    if not isinstance(text, str):
        raise BadRecord(f"field {cfg.text_field!r} is a {type(text).__name__}, not a string")
    if _SURROGATE.search(text):
        # JSON may escape half a surrogate pair ("\\ud800"); such text cannot be written as UTF-8
        text, flags = _SURROGATE.sub("\ufffd", text), (*flags, _SURROGATES_REPLACED)
    text, flags = _without_controls(text, _with_surrogates_flagged(tuple(flags), record, cfg))
    title, title_changed = strip_controls(_field_str(record, cfg.title_field))
    if title_changed and "control_chars_removed" not in flags:
        flags += ("control_chars_removed",)
    url, had_userinfo = without_userinfo(_field_str(record, cfg.url_field))
    flags += (URL_USERINFO_REMOVED,) * had_userinfo
    doc = Document(
        id=_field_str(record, cfg.id_field) or derived_id(path, position, fmt),
        text=text,
        source=path,
        source_format=fmt,
        position=position,
        url=url,
        domain=domain_of(url),
        title=title,
        published=_field_str(record, cfg.published_field),
        flags=flags,
        chars_in=len(text),
    )
    return _check_size(doc, raw_len or len(text.encode("utf-8", "surrogatepass")), cfg)


def _other_case(record: dict, field: str) -> str:
    """A hint for a record without `field` but with a key that is `field` in another case ("Text"):
    an export's column names, which the field mapping takes as written."""
    other = next((k for k in record if isinstance(k, str) and k != field and k.lower() == field.lower()), None)
    return f" (the record has {other!r}: set read.text_field={other})" if other else ""


def csv_document(path: str, position: int, row: dict | MalformedRow, fmt: str, cfg: ReadConfig, flags=()) -> Document | Rejection:
    """A CSV or TSV row as a document; a row the reader found malformed fails as itself."""
    if isinstance(row, MalformedRow):
        raise row
    return mapped_document(path, position, row, fmt, cfg, flags)


def _mapped_html_document(path: str, position: int, record: Mapping[str, Any], html: str | bytes, fmt: str, cfg: ReadConfig, flags=()) -> Document | Rejection:
    """A JSONL/Parquet record that carries its page: extraction fills the text later."""
    if isinstance(html, str) and _SURROGATE.search(html):
        # JSON may escape half a surrogate pair ("\\ud800"); lxml stops parsing at one, so the rest of
        # the page was lost without a word (an article cut mid-word, then rejected as too short)
        html, flags = _SURROGATE.sub("\ufffd", html), (*flags, _SURROGATES_REPLACED)
    flags = _with_surrogates_flagged(tuple(flags), record, cfg)
    data = html if isinstance(html, bytes) else html.encode("utf-8")
    url = _field_str(record, cfg.url_field)
    out = html_document(path, data, cfg, position, fmt, url, record_id=_field_str(record, cfg.id_field))
    if isinstance(out, Rejection):
        return out
    # The text comes from extraction: a `text` field beside the page is not read.
    return out.with_(
        html=page_without_controls(html)[0] if isinstance(html, str) else out.html,
        title=strip_controls(_field_str(record, cfg.title_field))[0],
        published=_field_str(record, cfg.published_field),
        flags=tuple(flags) + out.flags,
    )


class UnreadableRowGroup(ValueError):
    """A Parquet row group that cannot be read (a damaged page, a page header that is not one):
    the rows of it not yet read are this one failure; the file's other row groups are read."""


def parquet_rows(source: Any, cfg: ReadConfig, groups: range | None = None) -> Iterator[tuple[int, Callable[[], dict[str, Any]]]]:
    """The rows of the Parquet file `source` (of `groups`, else all), each as (its offset from the
    first row of `groups`, a call that returns it as a dict of the columns the record mapping
    reads); a value Python cannot hold raises for its row alone.

    Only the mapped columns are read: a crawl export's other columns (a nanosecond `fetch_time`, a
    struct of headers) are no input of ours, and a value in one of them that Python cannot hold
    used to fail a whole batch of 1,024 rows in `to_pylist`, and with it the rest of the file
    (3,000 records read as one failure). Nanosecond times (pandas, Spark's INT96) are read at
    microseconds, which `datetime` holds; without pandas, pyarrow refuses any with nanoseconds.

    Row groups are read one by one: each has its own pages, found through the footer, so one that
    cannot be read gives, after the rows read from it, one call raising UnreadableRowGroup, and the
    next is read from its first row. Read as one stream, a damaged group failed the rest of the
    file and the good rows before it in the same batch, while the same file read in runs of row
    groups (read.split_bytes) kept every other group: the outcome hung on the split size.

    A group that inflates past the read caps is one InflatedTooLarge failure for its rows, or for
    its rows not yet read (`group_inflation`, `_DenseBytes`), and the next group is read.
    """
    pf = pq.ParquetFile(source)
    wanted = mapped_fields(cfg)
    columns = [name for name in pf.schema_arrow.names if name in wanted]
    if cfg.text_field not in columns:  # a column so named in another case ("Text"): read for the failure's hint
        columns += [name for name in pf.schema_arrow.names if name.lower() == cfg.text_field.lower()][:1]
    if twice := sorted({name for name in columns if columns.count(name) > 1}):
        # a row as a dict keeps the last of them: the article was replaced without a word by the
        # other column's value (a one-word `text` rejected as too short, or reaching clean)
        raise BadRecord(f"column {twice[0]!r} appears {columns.count(twice[0])} times in the file: which one holds the "
                        "record cannot be told; rename the others")
    # the file read with its mapped columns of strings or bytes as dictionaries (pyarrow reads only
    # such columns so, by name): made for the first group where one of them has a dictionary page
    strings = [name for name in columns if _values_of(pf.schema_arrow.field(name).type) in _VARIABLE_WIDTH]
    as_dictionaries = None
    offset = 0  # of the group's first row
    for group in groups if groups is not None else range(pf.metadata.num_row_groups):
        meta = pf.metadata.row_group(group)
        size, read = meta.num_rows, 0
        try:
            bomb = group_inflation(meta, columns, cfg)
            pages = None if bomb else group_pages(source, meta, columns)
            bomb = bomb or pages_inflation(pages, cfg)
        except BadPageHeader as exc:  # pyarrow would stop at it too: the group's failure, the next group read
            error = UnreadableRowGroup(f"row group {group} cannot be read ({size} rows, this failure): {exc}")
            yield offset, lambda error=error: _raise(error)
            offset += size
            continue
        if bomb:
            error = InflatedTooLarge(f"row group {group} ({size} rows) {bomb}; the next row group is read")
            yield offset, lambda error=error: _raise(error)
            offset += size
            continue
        reader, dense, batch_size = pf, None, rows_per_batch(pages, size)
        try:
            if any(chunk.has_dictionary_page for chunk in _mapped_chunks(meta, strings)):
                if as_dictionaries is None:
                    as_dictionaries = pq.ParquetFile(source, metadata=pf.metadata, read_dictionary=strings)
                reader, dense = as_dictionaries, _DenseBytes(meta, columns, cfg)
            for batch in reader.iter_batches(batch_size=batch_size, row_groups=[group], columns=columns):
                for row in _batch_rows(batch if dense is None else dense.decoded(batch)):
                    yield offset + read, row
                    read += 1
        except InflatedTooLarge as exc:
            error = InflatedTooLarge(f"row group {group}, after {read} of its {size} rows (the rest are this failure), {exc}; "
                                     "the next row group is read")
            yield offset + read, lambda error=error: _raise(error)
        except Exception as exc:  # noqa: BLE001 - the group's failure; the next group is read
            error = UnreadableRowGroup(f"row group {group} cannot be read after {read} of its {size} rows "
                                       f"(the rest are this failure): {type(exc).__name__}: {exc}")
            yield offset + read, lambda error=error: _raise(error)
        offset += size


def _mapped_chunks(group: Any, columns: list[str]) -> list[Any]:
    """The column chunks of a row group that hold the mapped columns (and their nested leaves)."""
    return [group.column(i) for i in range(group.num_columns) if group.column(i).path_in_schema.split(".")[0] in columns]


def past_read_caps(inflated: int, compressed: int, cfg: ReadConfig) -> str:
    """Why `inflated` bytes from `compressed` pass the read caps, as a gzip file's are judged; "" if not."""
    compressed = max(1, compressed)
    if inflated > cfg.max_inflated_bytes:
        return f"inflates to {inflated} bytes, past read.max_inflated_bytes={cfg.max_inflated_bytes}: a compression bomb, or a file to split"
    if inflated > RATIO_FLOOR and inflated > cfg.max_inflation_ratio * compressed:
        return (f"inflates {inflated // compressed}-fold ({compressed} bytes to {inflated}), past read.max_inflation_ratio="
                f"{cfg.max_inflation_ratio:g}: a compression bomb")
    return ""


def group_inflation(group: Any, columns: list[str], cfg: ReadConfig) -> str:
    """Why a Parquet row group's mapped columns inflate past the read caps (read.max_inflated_bytes,
    read.max_inflation_ratio past 64 MiB, as for a gzip file), from the sizes its footer gives; ""
    when they do not.

    A Parquet writer compresses pages, and a page is inflated whole: a 97 KB file of 200 rows of
    5 MB of repeated text (one 1 GB zstd page) took 3.1 GB of a worker's memory, and twice the rows
    would have exhausted it. Such a group is one failure for its rows; the file's other groups are
    read (so the outcome does not hang on how the file is split into runs of groups). A footer that
    understates the sizes is not caught here: `group_pages` reads the sizes the pages state."""
    chunks = _mapped_chunks(group, columns)
    return past_read_caps(sum(c.total_uncompressed_size for c in chunks), sum(c.total_compressed_size for c in chunks), cfg)


def group_pages(source: Any, group: Any, columns: list[str]) -> ChunkPages:
    """The pages of a row group's mapped columns, by their own headers (`parquet_pages`): what
    pyarrow will inflate, whatever the footer says. `source` is the open file."""
    def read_at(offset: int, n: int) -> bytes:
        source.seek(offset)
        return source.read(n)

    found = []
    for chunk in _mapped_chunks(group, columns):
        # a dictionary page comes first; some writers store offset 0 for "none" (Arrow reads so too)
        start = chunk.dictionary_page_offset if chunk.has_dictionary_page and chunk.dictionary_page_offset else chunk.data_page_offset
        found.append(chunk_pages(read_at, start, chunk.total_compressed_size, chunk.num_values))
    return ChunkPages(sum(p.inflated for p in found), sum(p.compressed for p in found), max((p.largest for p in found), default=0),
                      sum(p.pages for p in found))


def pages_inflation(pages: ChunkPages | None, cfg: ReadConfig) -> str:
    """Why a row group's pages, by their headers, pass the read caps; "" when they do not.

    The whole group is judged as `group_inflation` judges the footer's sums (a footer that
    understated them passed: a 24 KB file whose footer said 30 KB inflated 200 MB, read whole). And
    pyarrow inflates a page whole, however few rows a batch takes from it: a page past
    read.max_record_bytes is refused, as a record past it in a stream is."""
    if pages is None:
        return ""
    if why := past_read_caps(pages.inflated, pages.compressed, cfg):
        return f"{why} (by its pages' headers)"
    if pages.largest > cfg.max_record_bytes:
        return (f"holds a page that inflates to {pages.largest} bytes, past read.max_record_bytes={cfg.max_record_bytes}: "
                "a page is inflated whole")
    return ""


_BATCH_BYTES = 64 << 20  # what a batch of rows inflates to, on average over its group


def rows_per_batch(pages: ChunkPages | None, rows: int) -> int:
    """How many rows of a group to take a batch, so a batch holds about _BATCH_BYTES (at most 1,024
    rows, at least one). A batch of 1,024 rows of 5 MB was 5 GB as Arrow arrays and as many again as
    Python strings, under every cap; now memory is about one page (at most read.max_record_bytes)
    and one batch, whatever the group's size."""
    if pages is None or rows <= 0:
        return 1024
    return max(1, min(1024, _BATCH_BYTES * rows // max(1, pages.inflated)))


_VARIABLE_WIDTH = (pa.string(), pa.binary(), pa.large_string(), pa.large_binary())


def _values_of(kind: pa.DataType) -> pa.DataType:
    """A column's value type: a column stored with Arrow's dictionary type (a pandas categorical, a
    DictionaryArray written as is) holds strings too, and was read decoded past the caps (200 rows
    sharing one 5 MB value: 1.2 GB through the CLI) because its type is no string type."""
    return kind.value_type if pa.types.is_dictionary(kind) else kind


class _DenseBytes:
    """The bytes a row group's dictionary-encoded columns take once each row holds its value, counted
    batch by batch before a batch is decoded, against the read caps.

    The footer gives a dictionary column's encoded size: each distinct value once, and an index a
    row. A 1.5 KB file of 200 rows that all point at one 5 MB value read as 1 GB (3.4 GB of memory
    through the CLI), and a batch of 1,024 such rows would have been 5 GB. Read as dictionaries, a
    batch's decoded size is the sum of its rows' value lengths, known without decoding it."""

    def __init__(self, group: Any, columns: list[str], cfg: ReadConfig):
        self.compressed = sum(c.total_compressed_size for c in _mapped_chunks(group, columns))
        self.cfg = cfg
        self.inflated = 0

    def decoded(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        """`batch` with its dictionary columns decoded; InflatedTooLarge if the group so far passes a cap."""
        import pyarrow.compute as pc

        for column in batch.columns:
            if not pa.types.is_dictionary(column.type):
                self.inflated += column.nbytes
            elif column.type.value_type in _VARIABLE_WIDTH:
                lengths = pc.take(pc.binary_length(column.dictionary), column.indices)
                self.inflated += pc.sum(lengths).as_py() or 0
            else:
                self.inflated += column.dictionary.nbytes + column.indices.nbytes  # fixed-width values: no bomb
        if why := past_read_caps(self.inflated, self.compressed, self.cfg):
            raise InflatedTooLarge(why)
        return pa.RecordBatch.from_arrays([c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in batch.columns],
                                          names=batch.schema.names)


def _batch_rows(batch: pa.RecordBatch) -> Iterator[Callable[[], dict[str, Any]]]:
    """A batch's rows as calls; a value Python cannot hold raises for its row alone."""
    batch = _at_microseconds(batch)
    try:
        rows = batch.to_pylist()
    except (ValueError, OverflowError):  # a date past year 9999, say: found and failed row by row
        return (lambda i=i: _row_of(batch, i) for i in range(batch.num_rows))
    return (lambda row=row: row for row in rows)


def _raise(error: Exception) -> Any:
    raise error


def _at_microseconds(batch: pa.RecordBatch) -> pa.RecordBatch:
    columns = []
    for column in batch.columns:
        if pa.types.is_timestamp(column.type) and column.type.unit == "ns":
            column = column.cast(pa.timestamp("us", column.type.tz), safe=False)
        elif pa.types.is_time64(column.type) and column.type.unit == "ns":
            column = column.cast(pa.time64("us"), safe=False)
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def _row_of(batch: pa.RecordBatch, i: int) -> dict[str, Any]:
    row = {}
    for name, column in zip(batch.schema.names, batch.columns):
        try:
            row[name] = column[i].as_py()
        except UnicodeDecodeError:
            # a string column whose writer did not check its bytes (Spark, Hive and C++ writers
            # accept any): handed on as bytes, which the mapping decodes as it decodes a file
            if column.type not in _BINARY_OF:
                raise BadRecord(f"field {name!r} holds text that is not UTF-8") from None
            row[name] = column.slice(i, 1).cast(_BINARY_OF[column.type])[0].as_py()
        except (ValueError, OverflowError) as exc:
            raise BadRecord(f"field {name!r} holds a value Python cannot read: {exc}") from exc
    return row


_BINARY_OF = {pa.string(): pa.binary(), pa.large_string(): pa.large_binary()}


def _without_nul_padding(line: bytes) -> tuple[bytes, tuple[str, ...]]:
    """A record line with runs of NUL bytes before or after it: the zeros a file holds where a
    writer stopped (space preallocated, or a crash before the data landed), which the line split
    glues to the record that follows. Read without them and flagged `nul_padding_removed`; a line
    of NULs alone is no record, and fails saying so. (The bytes reach here as UTF-8: a UTF-16/32
    file is re-encoded before its lines are split, so no NUL is half of a character.)"""
    if b"\x00" not in line:
        return line, ()
    inner = line.strip(b"\x00 \t\r\n")
    if inner and inner.count(b"\x00") == line.count(b"\x00"):  # NULs inside the record only: not padding
        return line, ()
    if not inner:
        raise BadRecord("NUL bytes only: the zeros a file holds where its writer stopped (preallocated space, a crash), no record")
    return inner, ("nul_padding_removed",)


def jsonl_document(path: str, position: int, line: bytes, cfg: ReadConfig, fmt: str = "jsonl") -> Document | Rejection:
    """One JSON record (a JSONL line, or an element of a .json file's array, `fmt` "json")."""
    if len(line) > cfg.max_document_bytes:
        preview, flags = decode_bytes(line[:1000])
        doc = Document(id=derived_id(path, position, fmt), text=preview, source=path, source_format=fmt,
                       position=position, flags=flags)
        detail = f"{'line' if fmt == 'jsonl' else 'record'} over read.max_document_bytes={cfg.max_document_bytes}"
        return Rejection.of(doc, Reason.DOCUMENT_TOO_LARGE, detail, "read")
    line, padding = _without_nul_padding(line)
    decoded, flags = decode_bytes(line)
    flags = padding + flags
    try:
        record = json.loads(decoded)
    except json.JSONDecodeError as exc:
        raise BadRecord(f"malformed JSON: {exc}") from exc
    except RecursionError as exc:  # [[[[... thousands deep: the decoder recurses once per level
        raise BadRecord("malformed JSON: nested deeper than the decoder's recursion limit") from exc
    except ValueError as exc:  # a number of more than 4,300 digits, which Python will not read (CVE-2020-10735)
        raise BadRecord(f"malformed JSON: a number too long to read ({str(exc).split(';')[0]})") from exc
    if isinstance(record, dict):
        _check_fields_given_once(decoded, cfg)
    return mapped_document(path, position, record, fmt, cfg, flags, len(line))


def _check_fields_given_once(decoded: str, cfg: ReadConfig) -> None:
    """Raise BadRecord when the record gives a mapped field twice with different values
    (`{"text": "<article>", "text": "short"}`, a scraper's merged dicts): `json.loads` keeps the
    last, and the article was replaced by the other value without a word, like a Parquet file's
    second `text` column (`parquet_rows`). Parsed again, keeping every pair, only when a mapped
    name stands quoted in the line more than once (a name in the text is escaped: `\\"text\\"`)."""
    names = [name for name in mapped_fields(cfg) if decoded.count(json.dumps(name)) > 1]
    if not names:
        return
    top: list[list[tuple[str, Any]]] = []  # the outermost object is the last one the decoder closes
    json.loads(decoded, object_pairs_hook=lambda pairs: top.append(pairs) or dict(pairs))
    given: dict[str, list[Any]] = {}
    for key, value in top[-1]:
        given.setdefault(key, []).append(value)
    for name in sorted(names):
        values = given.get(name, [])
        if any(value != values[0] for value in values[1:]):
            raise BadRecord(f"field {name!r} is given {len(values)} times in the record, with different values: "
                            "which one holds the record cannot be told")


def iter_jsonl_lines(read: Callable[[int], bytes], limit: int, record_limit: int = 0) -> Iterator[tuple[int, bytes]]:
    """(record position, line) for every non-blank line; blank lines are not records.

    A line is read at most `limit` + 1 bytes at a time, so a line with no end (a 2 GB dump) never
    sits in memory whole: the caller sees its head, longer than `limit`, and the rest is skipped
    (or, past `record_limit`, the file's rest fails with RecordTooLarge).
    """
    return numbered_records(iter_lines(read, limit, record_limit=record_limit))


# --- the read transform ------------------------------------------------------------------------


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
                             f"({', '.join(sorted(e for e, f in _EXTENSIONS.items() if f not in _ASKED_FOR_IN_FOLDERS))}, optionally "
                             "compressed: .gz, .bz2, .xz, .zst); pass --format to read every file (--format json, csv or tsv "
                             "for a folder of such files)")
        return found
    if _GLOB.search(pattern):
        try:
            return [FileSystems.get_filesystem(pattern).metadata(pattern)]
        except Exception:  # noqa: BLE001 - no such file: the name is a glob
            pass
    found = FileSystems.match([pattern])[0].metadata_list
    if "://" not in pattern and _GLOB.search(pattern):
        found = [m for m in found if not _special(m.path)] + _broken_links(pattern, found)
    if not found and not _GLOB.search(pattern) and "://" in pattern:
        found = _directory_files(pattern, fmt)  # an object-store folder named without its `/`
    if strict and not found:
        raise ValueError(f"input {pattern!r} matches no file")
    return sorted(found, key=lambda m: m.path)


def is_finished_run(folder: str) -> bool:
    """Whether `folder` holds a finished run of this pipeline (its _SUCCESS and report.json)."""
    root = folder.rstrip("/") or "/"
    return all(FileSystems.exists(FileSystems.join(root, name)) for name in ("_SUCCESS", "report.json"))


def distinct_files(matched: Iterable[Iterable[Any]]) -> list[Any]:
    """The files several --input patterns matched, each once, in the order first matched: a file
    named by two of them (`--input data/ --input 'data/*.jsonl'`, `data/./a.txt` and `data/a.txt`)
    was read twice, its records counted twice and rejected as copies of themselves (hostile round 9).
    Local paths are compared absolute and normalised; URIs as written."""
    seen: set[str] = set()
    out = []
    for files in matched:
        for m in files:
            key = m.path if "://" in m.path else os.path.normpath(os.path.abspath(m.path))
            if key not in seen:
                seen.add(key)
                out.append(m)
    return out


def from_file_uri(path: str) -> str:
    """The local path a `file:` URI names (`file:///data/*.jsonl`, `file://localhost/data/`, its
    %XX decoded, as browsers and `pathlib.Path.as_uri()` write them); any other path unchanged.
    Beam has no file system for `file://`: such an --input stopped the run with Beam's "Unable to
    get filesystem ... pip install apache-beam[gcp]". A URI naming another host is a ValueError."""
    if not path[:7].lower() == "file://":
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
        if fmt == "auto" and _format_or_auto(m.path, ReadConfig()) in ("auto", *_ASKED_FOR_IN_FOLDERS):
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
    fmt = _format_or_auto(m.path, cfg)
    tasks = plan_reads(m.path, m.size_in_bytes, fmt, cfg.split_bytes)
    if fmt == "jsonl" and len(tasks) > 1:
        try:
            with FileSystems.open(m.path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                if packed_as(_first_bytes(f)):
                    return [ReadTask(m.path)]
                utf8 = Utf8Read(f.read)
                head = peek(utf8, _PEEK)[0]
                whole = bool(utf8.codec) or pretty_printed(head) or lone_cr_lines(head) or bool(archive_in(head))
        except Exception:  # noqa: BLE001 - unreadable: the reads fail and say so, where failures are routed
            whole = False
        if whole:
            return [ReadTask(m.path)]
    return tasks


_PEEK = 1 << 16


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
    first = head.removeprefix(_BOM).lstrip(b" \t\r\n").split(b"\n", 1)[0]
    return first.strip() in (b"{", b"[")


def _format_or_auto(path: str, cfg: ReadConfig) -> str:
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
    except Exception:  # not readable as Parquet
        return [(ReadTask(path), 0)]
    return row_group_tasks(path, sizes, split_bytes)


class _CountRecordsFn(beam.DoFn):
    """A byte range of a split JSONL file -> (path, (range, records it owns)); the range over a
    big Parquet file -> (path, (run of row groups, its rows)) per run."""

    def __init__(self, cfg: ReadConfig):
        self.cfg = cfg

    def process(self, task: ReadTask) -> Iterator[tuple[str, tuple[ReadTask, int]]]:
        if _format_or_auto(task.path, self.cfg) == "parquet":
            for run in parquet_runs(task.path, self.cfg.split_bytes):
                yield _file_key(task.path), run
            return
        try:
            with FileSystems.open(task.path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                count = count_records(f, task, self.cfg.max_document_bytes, self.cfg.max_record_bytes)
        except Exception:  # the read of this range will fail the same way and say so
            count = 0
        yield _file_key(task.path), (task, count)


class ReadFileFn(beam.DoFn):
    """ReadTask (a file, a byte range of a split JSONL file or row groups of a split Parquet file)
    -> Document, with REJECTED and FAILED tagged outputs."""

    def __init__(self, cfg: ReadConfig):
        self.cfg = cfg

    def process(self, task: ReadTask) -> Iterator:
        path = task.path  # opened as it is; named in records as `name`, which any coder can encode
        name = shown_path(path)
        position = task.first_position
        fmt = "text"  # names a failure before the format is known (one record per file)
        limit, record_limit = self.cfg.max_document_bytes, self.cfg.max_record_bytes  # of one record
        try:
            fmt = format_of(path, self.cfg.format)
            if fmt in _ONE_PER_FILE:
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
                        head, read = peek(Utf8Read(f.read), _PEEK)
                        refuse_archive(head, name)
                        read = cr_as_lf(read) if lone_cr_lines(head) else read
                        records = (iter_json_records(read, limit, record_limit) if pretty_printed(head)
                                   else iter_jsonl_lines(read, limit, record_limit))
                    else:
                        records = range_records(f, task, limit, record_limit)
                    for position, line in records:
                        yield self._guarded(name, position, lambda: jsonl_document(name, position, line, self.cfg), fmt)
                        position += 1
            elif fmt == "json":
                with open_decompressed(path, self.cfg) as f:
                    head, read = peek(Utf8Read(f.read), _PEEK)
                    refuse_archive(head, name)
                    for position, element in iter_json_records(read, limit, record_limit):
                        yield self._guarded(name, position, lambda: jsonl_document(name, position, element, self.cfg, "json"), fmt)
                        position += 1
            elif fmt in ("csv", "tsv"):
                with open_decompressed(path, self.cfg) as f:
                    delimiter = "," if fmt == "csv" else "\t"
                    head, read = peek(Utf8Read(f.read), _PEEK)
                    refuse_archive(head, name)
                    flags, rows = iter_csv_records(read, delimiter, limit, fallback_codec, mapped_fields(self.cfg))
                    for position, row in rows:
                        yield self._guarded(name, position, lambda: csv_document(name, position, row, fmt, self.cfg, flags), fmt)
                        position += 1
            else:
                with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as f:
                    first = position  # a run of row groups starts at its first row's position
                    groups = range(task.start, task.end) if task.row_groups else None
                    for offset, row in parquet_rows(f, self.cfg, groups):
                        position = first + offset
                        yield self._guarded(name, position, lambda: mapped_document(name, position, row(), "parquet", self.cfg), fmt)
                        position += 1  # should the file break before the next row
        except Exception as exc:  # the file broke part-way: what was read stays, the rest is one failure
            # a one-page file's failure carries the id its document would have had
            yield pvalue.TaggedOutput(FAILED, Failure.from_exception("read", name, position, derived_id(name, position, fmt), exc))

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
    """File patterns -> kept: Document, rejected: Rejection (empty/too large), failed: Failure."""

    def __init__(self, patterns: list[str], cfg: ReadConfig):
        super().__init__()
        self.patterns = patterns
        self.cfg = cfg

    def expand(self, pbegin: beam.pvalue.PBegin) -> StageOutputs:
        cfg = self.cfg
        tasks = (
            pbegin
            # as bytes: a path typed in a shell may not be UTF-8 (its bytes come as lone
            # surrogates, which Beam's string coder refuses: the job could not even be built)
            # all patterns in one element, so that a file two of them name is read once
            | "Patterns" >> beam.Create([tuple(pattern.encode("utf-8", "surrogatepass") for pattern in self.patterns)])
            | "Match" >> beam.FlatMap(_match_encoded, cfg.format)
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
            | "Parse" >> beam.ParDo(ReadFileFn(cfg)).with_outputs(REJECTED, FAILED, main=KEPT)
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
        return StageOutputs(kept, rejected, results[FAILED])


def _match_encoded(patterns: tuple[bytes, ...], fmt: str) -> list[Any]:
    return distinct_files(match_input(pattern.decode("utf-8", "surrogatepass"), fmt) for pattern in patterns)


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


# --- schemas and rows --------------------------------------------------------------------------

_RULE_COUNTS = pa.list_(pa.struct([("rule", pa.string()), ("count", pa.int32())]))
# A few removed lines per rule and document (clean.max_examples), so the report can show real examples.
_REMOVED_EXAMPLES = pa.list_(pa.struct([("rule", pa.string()), ("line", pa.string())]))
# Personal data replaced in the text, per kind (transforms/pii.py)
_PII_COUNTS = pa.list_(pa.struct([("kind", pa.string()), ("count", pa.int32())]))

_DOC_FIELDS = [
    pa.field("id", pa.string(), nullable=False),
    pa.field("url", pa.string()),
    pa.field("domain", pa.string()),
    pa.field("title", pa.string()),
    pa.field("text", pa.string()),
    pa.field("source", pa.string()),
    pa.field("source_format", pa.string()),
    pa.field("position", pa.int64()),
    pa.field("published", pa.string()),
    pa.field("author", pa.string()),
    pa.field("sitename", pa.string()),
    pa.field("flags", pa.list_(pa.string())),
    pa.field("chars_in", pa.int64()),
    pa.field("lines_removed", pa.int32()),
    pa.field("chars_removed", pa.int64()),
    pa.field("rule_counts", _RULE_COUNTS),
    pa.field("language", pa.string()),
    pa.field("language_score", pa.float32()),
    pa.field("text_hash", pa.string()),
    pa.field("dup_cluster", pa.string()),
    pa.field("dup_cluster_size", pa.int32()),
    pa.field("removed_examples", _REMOVED_EXAMPLES),
    pa.field("pii_counts", _PII_COUNTS),
]
# One float64 column per quality signal, q_<signal>; null where the signal does not apply.
_DOC_FIELDS += [pa.field(f"q_{name}", pa.float64()) for name in SIGNALS]

CLEAN_SCHEMA = pa.schema(_DOC_FIELDS)
REJECTED_SCHEMA = pa.schema(
    _DOC_FIELDS
    + [
        pa.field("reason", pa.string(), nullable=False),
        pa.field("detail", pa.string()),
        pa.field("stage", pa.string()),
        pa.field("duplicate_of", pa.string()),
    ]
)
FAILED_SCHEMA = pa.schema(
    [
        pa.field("stage", pa.string(), nullable=False),
        pa.field("source", pa.string()),
        pa.field("position", pa.int64()),
        pa.field("id", pa.string()),
        pa.field("error_type", pa.string()),
        pa.field("message", pa.string()),
        pa.field("traceback", pa.string()),
    ]
)


def doc_row(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "url": doc.url,
        "domain": doc.domain,
        "title": doc.title,
        "text": doc.text,
        "source": doc.source,
        "source_format": doc.source_format,
        "position": doc.position,
        "published": doc.published,
        "author": doc.author,
        "sitename": doc.sitename,
        "flags": list(doc.flags),
        "chars_in": doc.chars_in,
        "lines_removed": doc.lines_removed,
        "chars_removed": doc.chars_removed,
        "rule_counts": [{"rule": r, "count": n} for r, n in doc.rule_counts],
        "language": doc.language,
        "language_score": doc.language_score,
        "text_hash": doc.text_hash,
        "dup_cluster": doc.dup_cluster,
        "dup_cluster_size": doc.dup_cluster_size,
        "removed_examples": [{"rule": r, "line": line} for r, line in doc.removed_examples],
        "pii_counts": [{"kind": k, "count": n} for k, n in doc.pii_counts],
        **{f"q_{name}": doc.signals.get(name) for name in SIGNALS},
    }


def rejected_row(rej: Rejection) -> dict[str, Any]:
    row = doc_row(rej.doc)
    row.update(reason=str(rej.reason), detail=rej.detail, stage=rej.stage, duplicate_of=rej.duplicate_of)
    return row


def failed_row(f: Failure) -> dict[str, Any]:
    return {
        "stage": f.stage,
        "source": f.source,
        "position": f.position,
        "id": f.id,
        "error_type": f.error_type,
        "message": f.message,
        "traceback": f.traceback,
    }


def _safe_text(row: dict[str, Any]) -> dict[str, Any]:
    # Lone surrogates (from JSON "\ud800") cannot be encoded as UTF-8 by Arrow: replace them.
    for key, value in row.items():
        if isinstance(value, str):
            row[key] = value.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(value) else value
        elif key == "removed_examples":  # removed lines are cut from the same text: same treatment
            row[key] = [_safe_text(dict(item)) for item in value]
    return row


def identity_row(row: dict[str, Any]) -> dict[str, Any]:
    return row


def with_run_metadata(schema: pa.Schema, metadata: Mapping[str, str]) -> pa.Schema:
    return schema.with_metadata({"schema_version": SCHEMA_VERSION, **metadata})


class WriteParquet(beam.PTransform):
    """Rows (dicts fitting `schema`) -> Parquet files under `prefix` (zstd, sharded by the runner)."""

    def __init__(self, prefix: str, schema: pa.Schema, cfg: WriteConfig, to_row):
        super().__init__()
        self.prefix = prefix
        self.schema = schema
        self.cfg = cfg
        self.to_row = to_row

    def expand(self, pcoll: beam.PCollection) -> beam.pvalue.PDone:
        return (
            pcoll
            | "ToRow" >> beam.Map(lambda x, f=self.to_row: _safe_text(f(x)))
            | "Write"
            >> SizedWriteToParquet(
                self.prefix,
                self.schema,
                max_file_bytes=self.cfg.max_file_bytes,
                codec=self.cfg.codec,
                record_batch_size=self.cfg.record_batch_size,
                row_group_buffer_size=self.cfg.row_group_bytes,
                file_name_suffix=".parquet",
                num_shards=self.cfg.num_shards,
            )
        )
