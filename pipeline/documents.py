"""One record in, a Document or a Rejection out: plain text files, HTML files, JSON lines,
mapped records (JSON, CSV, Parquet rows) and the HTML they carry; ids derived from the file and
the record's place."""

from __future__ import annotations

import datetime
import decimal
import json
import posixpath
import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from pipeline.charsets import (
    SURROGATE,
    decode_bytes,
    decode_html,
    looks_binary,
    page_without_controls,
    without_controls,
)
from pipeline.csv_rows import MalformedRow, OversizedRow
from pipeline.decoding import (
    strip_controls,
    utf16_encoding,
)
from pipeline.field_paths import (
    ABSENT,
    FieldsFound,
    field_path,
    mapped_values,
    quoted_starts,
)
from pipeline.formats import ONE_PER_FILE, UTF8_BOM, BadRecord, ReadConfig
from pipeline.splits import (
    iter_lines,
    numbered_records,
)
from transforms.records import (
    URL_USERINFO_REMOVED,
    Document,
    Reason,
    Rejection,
    domain_of,
    without_userinfo,
)

_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")



def shown_path(path: str) -> str:
    """A path as records carry it (source, id). A file name that is not UTF-8 (Latin-1 names
    unpacked from an old zip) comes from the OS with each bad byte as a lone surrogate (Python's
    surrogateescape), which Beam's string coder cannot encode: one such file crashed the whole run
    ("surrogates not allowed" in Read/KeptIds). Such a byte is shown as %XX, as in a URL."""
    if not SURROGATE.search(path):
        return path
    return SURROGATE.sub("\ufffd", _ESCAPED_BYTE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", path))



def file_key(path: str) -> bytes:
    # a string key must be valid UTF-8 for Beam's coder (a name that is not UTF-8 holds surrogates); bytes need not
    return path.encode("utf-8", "surrogatepass")



def derived_id(path: str, position: int, fmt: str) -> str:
    """Stable id from the file name (and line/row for multi-record files), the same on any machine."""
    name = posixpath.basename(path.replace("\\", "/"))
    return name if fmt in ONE_PER_FILE else f"{name}:{position}"



def check_size(doc: Document, raw_len: int, cfg: ReadConfig) -> Document | Rejection:
    if not doc.text.strip():
        return Rejection.of(doc, Reason.EMPTY_INPUT, "no text", "read")
    if raw_len > cfg.max_document_bytes:
        detail = f"{raw_len} bytes > read.max_document_bytes={cfg.max_document_bytes}"
        return Rejection.of(doc.with_(text=doc.text[:1000]), Reason.DOCUMENT_TOO_LARGE, detail, "read")
    return doc



def text_document(path: str, data: bytes, cfg: ReadConfig) -> Document | Rejection:
    """A whole text file as one document."""
    wide, bom = utf16_encoding(data)
    if looks_binary(data) and not wide:
        raise BadRecord("binary content (NUL bytes), not text")
    # a page saved in UTF-16 ("Unicode" in Windows' save dialogs) is sniffed in its characters: its
    # bytes never start with "<html", and its markup reached clean as text
    head = data[bom : bom + _SNIFF].decode(wide, "ignore").encode() if wide else data
    if sniff_html(head.removeprefix(UTF8_BOM)):
        # a page saved as .txt: cleaning its markup as text would keep menus and scripts and lose
        # the article, so it goes to extraction like any .html file
        out = html_document(path, data, cfg, fmt="html")
        return out.with_(flags=(*out.flags, "html_in_text_file")) if isinstance(out, Document) else out
    text, flags = without_controls(*decode_bytes(data))
    doc = Document(
        id=derived_id(path, 0, "text"),
        text=text,
        source=path,
        source_format="text",
        flags=flags,
        chars_in=len(text),
    )
    return check_size(doc, len(data), cfg)



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
    doc = page_document(path, position, fmt, url, record_id)
    if len(data) > cfg.max_document_bytes:
        detail = f"{len(data)}+ bytes > read.max_document_bytes={cfg.max_document_bytes}"
        return Rejection.of(doc, Reason.DOCUMENT_TOO_LARGE, detail, "read")
    if not data.strip():
        return Rejection.of(doc, Reason.EMPTY_INPUT, "empty page", "read")
    html, flags = page_without_controls(*decode_html(data, declared_charset))
    return doc.with_(html=html, flags=doc.flags + flags)



def page_document(path: str, position: int, fmt: str, url: str, record_id: str) -> Document:
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



_SNIFF = 4096  # bytes of a file or body looked at to tell a page


def sniff_html(body: bytes) -> bool:
    """The bytes start like an HTML page (doctype or <html>, after any byte-order mark, XML
    declaration or comments), whatever the file is called. A UTF-8 BOM before `<!doctype html>` in a response
    without a Content-Type got it rejected as not_html ("content type 'missing'"). So did a page
    starting with a comment, and such a page saved as .txt reached clean as its markup: browsers
    write `<!-- saved from url=(0032)https://... -->` at the top of a page they save, and
    generators and caches their own notes."""
    head = body[:_SNIFF].removeprefix(UTF8_BOM).lstrip().lower()
    if head.startswith(b"<?xml"):  # XHTML's declaration, before its doctype
        head = head[head.find(b"?>") + 2 :].lstrip() if b"?>" in head else b""
    while head.startswith(b"<!--"):
        end = head.find(b"-->", 4)
        head = head[end + 3 :].lstrip() if end >= 0 else b""
    return head.startswith((b"<!doctype html", b"<html"))



def kind_of(value: Any) -> str:
    """What a field's value is, in the words of the file it came from: Python's type name said "a
    int", "a dict", and "a list" for a Parquet map (read as a list of pairs) (hostile round 28)."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float, decimal.Decimal)):
        return "a number"
    if isinstance(value, Mapping):
        return "an object (a JSON object or Parquet struct)"
    if isinstance(value, (list, tuple)):
        return "a Parquet map" if value and isinstance(value[0], tuple) else "a list"
    return f"a {type(value).__name__}"


def _field_str(value: Any, name: str) -> str:
    """A field's value (`field_paths.field_value`) as text: strings as they are, numbers as their
    decimal form (ids often are numbers), dates and times in ISO 8601, UUIDs in their usual form,
    bytes decoded; a list, an object or a boolean is not text."""
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = decode_bytes(value)[0]
    elif isinstance(value, (datetime.date, datetime.time)):
        value = value.isoformat()
    elif isinstance(value, uuid.UUID):
        # a Parquet UUID column (DuckDB, Spark, Postgres exports of a uuid key) reads as UUIDs: every
        # row failed "field 'id' is a UUID, not text" (hostile round 21). Its text is the one those
        # tools print, so an id matches the same record's id in their CSV or JSON exports
        value = str(value)
    elif isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool):
        value = str(value)
    elif not isinstance(value, str):
        raise BadRecord(f"field {name!r} is {kind_of(value)}, not text")
    return SURROGATE.sub("\ufffd", value)



# C0 and C1 controls and DEL: bytes that no id typed or printed as text holds
_ID_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")



def id_text(value: Any, name: str) -> str:
    """An id field's value as text (`_field_str`), except bytes that are not text: a binary id
    column of digests (16 bytes of MD5 or a UUID's, 32 of SHA-256, `fixed_size_binary`) was
    decoded as a text file is, into mojibake and replacement characters, so two digests could be
    one id (hostile round 22). Bytes that are not UTF-8, or that hold a control character, are
    their lowercase hex (what `hashlib`'s hexdigest and `xxd -p` print, so the id matches the same
    digest written as text elsewhere); distinct bytes give distinct hex. Bytes that are UTF-8 text
    (Spark writes string ids as binary) are that text, as before. The hex of n bytes has 2n
    characters, so in a column of one width (digests) no id read as text equals another's hex;
    where one could (a column mixing 8-character text ids with 4-byte binary ones) the two are
    one id, flagged duplicate_id as any id given twice is."""
    if isinstance(value, bytes):
        try:
            text = value.decode("utf-8")
        except UnicodeDecodeError:
            return value.hex()
        return value.hex() if _ID_CONTROLS.search(text) else text
    return _field_str(value, name)



_SURROGATES_REPLACED = "lone_surrogates_replaced"



def _with_surrogates_flagged(flags: tuple[str, ...], values: Mapping[str, Any]) -> tuple[str, ...]:
    """`flags` with lone_surrogates_replaced (once) when the title, url or published field holds
    half a surrogate pair, which `_field_str` replaces as the text's are: a title changed so was
    flagged nowhere, while the same change in the text was."""
    fields = (values[key] for key in ("title_field", "url_field", "published_field"))
    if _SURROGATES_REPLACED in flags or not any(isinstance(v, str) and SURROGATE.search(v) for v in fields):
        return flags
    return (*flags, _SURROGATES_REPLACED)



def mapped_fields(cfg: ReadConfig) -> frozenset[str]:
    """The field names a record is read through (`read.*_field`)."""
    return frozenset(name for name in (cfg.id_field, cfg.url_field, cfg.title_field, cfg.text_field, cfg.published_field,
                                       cfg.html_field) if name)



def mapped_document(path: str, position: int, record: Any, fmt: str, cfg: ReadConfig, flags=(), raw_len=0,
                    found: FieldsFound | None = None) -> Document | Rejection:
    """A JSON object or Parquet row as a document, through the configured field names (a dotted
    name reaches into nested objects: `field_paths.field_value`); `found` tallies what they found.
    A name that finds nothing reads as a field that is null."""
    if not isinstance(record, dict):
        raise BadRecord(f"expected an object, got {type(record).__name__}")
    values = mapped_values(record, cfg)
    if found is not None:
        found.add(values)
    values = {key: None if value is ABSENT else value for key, value in values.items()}
    html = values["html_field"]
    if html is not None and not isinstance(html, (str, bytes)):
        raise BadRecord(f"field {cfg.html_field!r} is {kind_of(html)}, not a page")
    if html and html.strip():
        return _mapped_html_document(path, position, values, html, fmt, cfg, flags)
    text = values["text_field"]
    if text is None and html is not None:  # a page field there but blank: an empty page, not a broken record
        text = ""
    if text is None:
        raise BadRecord(f"field {cfg.text_field!r} is missing or null{_other_case(record, cfg.text_field)}")
    if isinstance(text, bytes):  # a Parquet BINARY column without the UTF8 annotation (Spark, Hive): decoded as a text file is
        text, decoded = decode_bytes(text)
        flags = (*flags, *decoded)
    if not isinstance(text, str):
        raise BadRecord(f"field {cfg.text_field!r} is {kind_of(text)}, not a string")
    if SURROGATE.search(text):
        # JSON may escape half a surrogate pair ("\\ud800"); such text cannot be written as UTF-8
        text, flags = SURROGATE.sub("\ufffd", text), (*flags, _SURROGATES_REPLACED)
    text, flags = without_controls(text, _with_surrogates_flagged(tuple(flags), values))
    title, title_changed = strip_controls(_field_str(values["title_field"], cfg.title_field))
    if title_changed and "control_chars_removed" not in flags:
        flags += ("control_chars_removed",)
    url, had_userinfo = without_userinfo(_field_str(values["url_field"], cfg.url_field))
    flags += (URL_USERINFO_REMOVED,) * had_userinfo
    doc = Document(
        id=id_text(values["id_field"], cfg.id_field) or derived_id(path, position, fmt),
        text=text,
        source=path,
        source_format=fmt,
        position=position,
        url=url,
        domain=domain_of(url),
        title=title,
        published=_field_str(values["published_field"], cfg.published_field),
        flags=flags,
        chars_in=len(text),
    )
    return check_size(doc, raw_len or len(text.encode("utf-8", "surrogatepass")), cfg)



def _other_case(record: dict, field: str) -> str:
    """A hint for a record without `field` but with a key that is `field` in another case ("Text"):
    an export's column names, which the field mapping takes as written."""
    other = next((k for k in record if isinstance(k, str) and k != field and k.lower() == field.lower()), None)
    return f" (the record has {other!r}: set read.text_field={other})" if other else ""



def csv_document(path: str, position: int, row: dict | MalformedRow | OversizedRow, fmt: str, cfg: ReadConfig,
                 flags=(), found: FieldsFound | None = None) -> Document | Rejection:
    """A CSV or TSV row as a document; a row the reader found malformed fails as itself, and one
    longer than the read limit is rejected with its first characters, as a JSONL line is."""
    if isinstance(row, MalformedRow):
        raise row
    if isinstance(row, OversizedRow):
        return too_large(path, position, fmt, strip_controls(row.preview)[0], tuple(flags), row.detail)
    return mapped_document(path, position, row, fmt, cfg, flags, found=found)


def too_large(path: str, position: int, fmt: str, preview: str, flags: tuple[str, ...], detail: str) -> Rejection:
    """A record past read.max_document_bytes, rejected with its first characters (`preview`) and
    its place: a JSON record or line, a CSV row."""
    doc = Document(id=derived_id(path, position, fmt), text=preview, source=path, source_format=fmt, position=position, flags=flags)
    return Rejection.of(doc, Reason.DOCUMENT_TOO_LARGE, detail, "read")



def _mapped_html_document(path: str, position: int, values: Mapping[str, Any], html: str | bytes, fmt: str, cfg: ReadConfig,
                          flags=()) -> Document | Rejection:
    """A JSONL/Parquet record that carries its page (`values`: its mapped fields' values, none
    found as None): extraction fills the text later."""
    if isinstance(html, str) and SURROGATE.search(html):
        # JSON may escape half a surrogate pair ("\\ud800"); lxml stops parsing at one, so the rest of
        # the page was lost without a word (an article cut mid-word, then rejected as too short)
        html, flags = SURROGATE.sub("\ufffd", html), (*flags, _SURROGATES_REPLACED)
    flags = _with_surrogates_flagged(tuple(flags), values)
    data = html if isinstance(html, bytes) else html.encode("utf-8")
    url = _field_str(values["url_field"], cfg.url_field)
    out = html_document(path, data, cfg, position, fmt, url, record_id=id_text(values["id_field"], cfg.id_field))
    if isinstance(out, Rejection):
        return out
    # The text comes from extraction: a `text` field beside the page is not read.
    return out.with_(
        html=page_without_controls(html)[0] if isinstance(html, str) else out.html,
        title=strip_controls(_field_str(values["title_field"], cfg.title_field))[0],
        published=_field_str(values["published_field"], cfg.published_field),
        flags=tuple(flags) + out.flags,
    )



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



def jsonl_document(path: str, position: int, line: bytes, cfg: ReadConfig, fmt: str = "jsonl",
                   found: FieldsFound | None = None) -> Document | Rejection:
    """One JSON record (a JSONL line, or an element of a .json file's array, `fmt` "json")."""
    if len(line) > cfg.max_document_bytes:
        preview, flags = decode_bytes(line[:1000])
        detail = f"{'line' if fmt == 'jsonl' else 'record'} over read.max_document_bytes={cfg.max_document_bytes}"
        return too_large(path, position, fmt, preview, flags, detail)
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
    return mapped_document(path, position, record, fmt, cfg, flags, len(line), found)



def _check_fields_given_once(decoded: str, cfg: ReadConfig) -> None:
    """Raise BadRecord when the record gives a mapped field twice with different values
    (`{"text": "<article>", "text": "short"}`, a scraper's merged dicts): `json.loads` keeps the
    last, and the article was replaced by the other value without a word, like a Parquet file's
    second `text` column (`parquet_rows`). A dotted name is checked along its path: its object
    given twice (`"metadata": {...}, "metadata": {...}`) or its key given twice in it. Parsed
    again, keeping every pair, only when a key the name could take may stand quoted in the line
    more than once (`field_paths.quoted_starts`; a name in the text is escaped: `\\"text\\"`)."""
    names = [name for name in mapped_fields(cfg) if any(decoded.count(quoted) > 1 for quoted in quoted_starts(name))]
    if not names:
        return
    record = json.loads(decoded, object_pairs_hook=_Given)
    for name in sorted(names):
        for obj, key in field_path(record, name):
            values = obj.given.get(key, [])
            if any(value != values[0] for value in values[1:]):
                which = f"field {name!r}" if key == name else f"the {key!r} of field {name!r}"
                raise BadRecord(f"{which} is given {len(values)} times in the record, with different values: "
                                "which one holds the record cannot be told")



class _Given(dict):
    """A JSON object as `json.loads` makes it (a key's last value), with every value each key was
    given (`given`)."""

    def __init__(self, pairs: list[tuple[str, Any]]):
        super().__init__(pairs)
        self.given: dict[str, list[Any]] = {}
        for key, value in pairs:
            self.given.setdefault(key, []).append(value)



def iter_jsonl_lines(read: Callable[[int], bytes], limit: int, record_limit: int = 0) -> Iterator[tuple[int, bytes]]:
    """(record position, line) for every non-blank line; blank lines are not records.

    A line is read at most `limit` + 1 bytes at a time, so a line with no end (a 2 GB dump) never
    sits in memory whole: the caller sees its head, longer than `limit`, and the rest is skipped
    (or, past `record_limit`, the file's rest fails with RecordTooLarge).
    """
    return numbered_records(iter_lines(read, limit, record_limit=record_limit))
