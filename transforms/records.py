"""The typed records that flow through every stage: Document, Rejection, Failure, Reason.

Stages never mutate a record: they return a new one with `dataclasses.replace`, so a record seen
by one stage can never change under another (Beam may hand the same object to several consumers).
"""

from __future__ import annotations

import io
import pickle
import re
import struct
import threading
import traceback
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from operator import attrgetter
from typing import Any, Mapping

import apache_beam as beam
import zstandard

from transforms.stream_safe import split_url


class Reason(StrEnum):
    """Why a document was rejected. Stable codes: they are column values users filter on."""

    EMPTY_INPUT = "empty_input"  # nothing but whitespace arrived
    DOCUMENT_TOO_LARGE = "document_too_large"  # over read.max_document_bytes, extract.max_html_chars / max_html_tags or clean.max_lines
    NOT_HTML = "not_html"  # a WARC record / html field that is not an HTML page
    HTTP_ERROR = "http_error"  # a WARC response whose HTTP status is not 2xx: an error page, a redirect stub
    EXTRACTION_EMPTY = "extraction_empty"  # trafilatura found no main text
    EXTRACTION_FAILED = "extraction_failed"  # trafilatura could not parse the page
    EXTRACTION_TIMEOUT = "extraction_timeout"  # the page took longer than extract.timeout_s
    EMPTY_AFTER_CLEANING = "empty_after_cleaning"  # every line was cruft
    LOW_QUALITY = "low_quality"  # a quality filter fired; detail names the signal and value
    LANGUAGE_UNCERTAIN = "language_uncertain"  # best language below language.min_score
    LANGUAGE_NOT_ALLOWED = "language_not_allowed"  # language outside language.allowed
    DUPLICATE_EXACT = "duplicate_exact"  # same normalised text as the survivor
    DUPLICATE_NEAR = "duplicate_near"  # MinHash near-duplicate of the survivor
    GOPHER_QUALITY = "gopher_quality"  # a Gopher quality rule fired; detail: filter:signal=value<op>limit
    GOPHER_REPETITION = "gopher_repetition"  # a Gopher repetition rule fired; detail as above
    C4_QUALITY = "c4_quality"  # a C4 page rule fired (sentences, braces, lorem ipsum); detail as above
    FINEWEB_QUALITY = "fineweb_quality"  # a FineWeb rule fired; detail as above
    URL_BLOCKED = "url_blocked"  # the URL's domain or prefix is on a block list, or off the allow list; detail names the entry
    PROSE_QUALITY = "prose_quality"  # our prose rule fired (sentences starting in lower case: word salad); detail as above


@dataclass(frozen=True)
class Document:
    """One document and every annotation a stage adds to it.

    Input fields come first; each later group is filled by the stage named in its comment.
    `rule_counts` is a tuple of (rule code, lines removed) pairs so the record stays hashable
    and its order deterministic.
    """

    id: str
    text: str
    source: str
    source_format: str
    position: int = 0
    url: str = ""
    domain: str = ""
    title: str = ""
    published: str = ""
    author: str = ""
    sitename: str = ""
    html: str = ""  # raw page, emptied by extraction
    flags: tuple[str, ...] = ()  # notes on how the record was read, e.g. decoded_with_replacement
    chars_in: int = 0  # length of the text (or extracted text) before cleaning
    # clean
    lines_removed: int = 0
    chars_removed: int = 0
    rule_counts: tuple[tuple[str, int], ...] = ()
    removed_examples: tuple[tuple[str, str], ...] = ()  # (rule, line), a few, for the report
    # quality
    signals: Mapping[str, float] = field(default_factory=dict)
    # language
    language: str = ""
    language_score: float = 0.0
    # dedup
    text_hash: str = ""
    dup_cluster: str = ""
    dup_cluster_size: int = 1
    # pii: personal data replaced in `text`, (kind, count) pairs sorted by kind
    pii_counts: tuple[tuple[str, int], ...] = ()

    def with_(self, **changes: Any) -> "Document":
        return replace(self, **changes)

    def __reduce__(self):
        # Beam pickles a Document wherever it does not know a PCollection's type (its
        # FastPrimitivesCoder falls back to pickle: under --no_pipeline_type_check, inside a
        # Note or tuple), and a dataclass pickles with its class and every field name. This gives
        # pickle the compact coder's bytes instead.
        return (_decode_document, (DocumentCoder().encode(self),))


@dataclass(frozen=True)
class Rejection:
    """A document a stage decided not to keep, and why."""

    doc: Document
    reason: Reason
    detail: str
    stage: str
    duplicate_of: str = ""

    @classmethod
    def of(cls, doc: Document, reason: Reason, detail: str, stage: str, duplicate_of: str = "") -> "Rejection":
        return cls(doc=doc, reason=reason, detail=detail, stage=stage, duplicate_of=duplicate_of)


@dataclass(frozen=True)
class Failure:
    """A record whose processing raised: the dead letter, never dropped."""

    stage: str
    source: str
    position: int
    id: str
    error_type: str
    message: str
    traceback: str = ""

    @classmethod
    def from_exception(cls, stage: str, source: str, position: int, record_id: str, exc: BaseException,
                       with_traceback: bool = True) -> "Failure":
        """`with_traceback=False` for a verdict whose message says all (a reader's refusal of one
        record): formatting a traceback reads the source of every frame, and cost more than the rest
        of the record's way through the pipeline."""
        return cls(
            stage=stage,
            source=source,
            position=position,
            id=record_id,
            error_type=type(exc).__name__,
            message=str(exc)[:2000],
            traceback="".join(traceback.format_exception(exc))[-4000:] if with_traceback else "",
        )

    @classmethod
    def from_dead_letter(cls, bad: tuple, stage: str) -> "Failure":
        """Turn Beam's `with_exception_handling` output `(element, (type, value, tb))` into a Failure."""
        element, info = bad
        exc_type, exc_value, tb = (list(info) + ["", "", ""])[:3]
        doc = element.doc if isinstance(element, Rejection) else element
        if isinstance(doc, tuple) and len(doc) == 2:  # keyed element, e.g. (text_hash, Document)
            doc = doc[1]
        source = getattr(doc, "source", "")
        position = getattr(doc, "position", 0)
        record_id = getattr(doc, "id", "")
        type_name = getattr(exc_type, "__name__", str(exc_type))
        tb_text = "".join(tb) if isinstance(tb, (list, tuple)) else str(tb)
        return cls(
            stage=stage,
            source=source,
            position=position,
            id=record_id,
            error_type=type_name,
            message=str(exc_value)[:2000],
            traceback=tb_text[-4000:],
        )


URL_USERINFO_REMOVED = "url_userinfo_removed"
# The authority's `user:password@` (RFC 3986 userinfo), up to its last "@" as urlsplit reads it.
_USERINFO = re.compile(r"^(\s*(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)[^/?#]*@")


def without_userinfo(url: str) -> tuple[str, bool]:
    """`url` without the user name and password of its authority, and whether it had any; the rest
    stays as written. A crawl logs URLs with their credentials (`https://user:secret@host/`), and
    the url column carried them verbatim to every consumer of the output (hostile round 9)."""
    if "@" not in url:
        return url, False
    bare = _USERINFO.sub(r"\1", url, count=1)
    return bare, bare != url


def domain_of(url: str) -> str:
    """The URL's host without a leading `www.`; '' when there is none or the URL is malformed."""
    try:
        host = split_url(url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# --- the Document coder ------------------------------------------------------------------------

_FIELDS = tuple(f.name for f in fields(Document))
_VALUES = attrgetter(*_FIELDS)
_PLAIN, _ZSTD = 0, 1
# Bodies at least this long are compressed: text is most of a record and shrinks to about half
# under zstd's level 1, while a short record would not repay the call.
_COMPRESS_FROM = 512
_SIZE = struct.Struct("<I")
_ENCODED = "_encoded"  # where a Document keeps its encoding (not a field: equality and replace ignore it)
_ZSTD_LEVEL = 1


class _Zstd(threading.local):
    """zstd contexts reused across calls: pyarrow's codec sets one up per call, which for a
    document of a few KB cost more than the compression (docs/runners.md). A context serves one
    call at a time and a worker may run bundles on several threads, hence one per thread."""

    def __init__(self) -> None:
        self.compressor = zstandard.ZstdCompressor(level=_ZSTD_LEVEL)
        self.decompressor = zstandard.ZstdDecompressor()


_zstd = _Zstd()
_new_document = object.__new__


class DocumentCoder(beam.coders.Coder):
    """A Document as the tuple of its field values in declaration order: no class or field names
    (pickle's fallback for a dataclass writes both, and every signal's name), and bodies of
    `_COMPRESS_FROM` bytes or more compressed with zstd level 1 (the `zstandard` package Beam
    itself depends on; the same frames as pyarrow's zstd codec). The tuple is pickled without the memo, whose back-references depend on object
    identity, so equal documents always give equal bytes."""

    def encode(self, doc: Document) -> bytes:
        # A record is immutable, and Beam encodes the same object more than once (to estimate
        # sizes, for each consumer in another stage): its bytes are kept on it after the first time.
        cached = doc.__dict__.get(_ENCODED)
        if cached is not None:
            return cached
        buf = io.BytesIO()
        pickler = pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fast = True  # no memo: the bytes depend on the values only
        pickler.dump(_VALUES(doc))
        body = buf.getvalue()
        if len(body) < _COMPRESS_FROM:
            encoded = bytes([_PLAIN]) + body
        else:
            encoded = bytes([_ZSTD]) + _SIZE.pack(len(body)) + _zstd.compressor.compress(body)
        object.__setattr__(doc, _ENCODED, encoded)
        return encoded

    def decode(self, encoded: bytes) -> Document:
        if encoded[0] == _PLAIN:
            values = pickle.loads(encoded[1:])
        else:
            (size,) = _SIZE.unpack_from(encoded, 1)
            values = pickle.loads(_zstd.decompressor.decompress(encoded[1 + _SIZE.size :], max_output_size=size))
        # The fields straight into the instance's dict: the values were a Document's, and the
        # frozen dataclass's __init__ (one object.__setattr__ per field) cost more than unpickling.
        doc = _new_document(Document)
        doc.__dict__.update(zip(_FIELDS, values))
        doc.__dict__[_ENCODED] = bytes(encoded)
        return doc

    def is_deterministic(self) -> bool:
        return True

    def to_type_hint(self):
        return Document


def _decode_document(encoded: bytes) -> Document:
    return DocumentCoder().decode(encoded)


beam.coders.registry.register_coder(Document, DocumentCoder)
