"""WARC and WET records as Documents: HTTP responses (their head, charset and body), conversion
records, truncated and segmented records; the framing itself is pipeline/warc.py."""

from __future__ import annotations

import dataclasses
import io
import posixpath
import re
from typing import Any, Iterator, Mapping

from pipeline.charsets import charset_of, decode_bytes, looks_binary, without_controls
from pipeline.decoding import (
    utf16_encoding,
)
from pipeline.documents import (
    check_size,
    derived_id,
    html_document,
    page_document,
    sniff_html,
)
from pipeline.formats import BadRecord, ReadConfig
from pipeline.http_body import decoded_body
from pipeline.inflate import (
    GzipMemberReader,
)
from pipeline.warc import (
    NotWarc,
    RawRecord,
    Unframed,
    ended_http_head,
    iter_raw_records,
    join_segments,
)
from transforms.records import (
    Document,
    Failure,
    Reason,
    Rejection,
)

_HTML_TYPES = ("text/html", "application/xhtml+xml")



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
    final = final_response(raw.content) if kind == "response" else raw.content
    ended = ended_http_head(final)
    content = final if ended is None else ended  # None: the body cannot be told from the head
    flags += ("http_head_unended",) * (len(content) != len(final))

    def rejected(reason: Reason, detail: str) -> Rejection:
        page = page_document(path, position, "warc", url, record_id)
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
    if not mime and not sniff_html(body):
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
    doc = page_document(path, position, "warc", url, record_id)
    if raw.length != len(raw.content):  # only the head of an oversized record was kept
        return Rejection.of(doc.with_(flags=doc.flags + flags), Reason.DOCUMENT_TOO_LARGE,
                            f"{raw.length}+ bytes > read.max_document_bytes={cfg.max_document_bytes}", "read")
    if looks_binary(raw.content) and not utf16_encoding(raw.content)[0]:
        raise BadRecord("a conversion record of binary content (NUL bytes), not text")
    text, decoded = without_controls(*decode_bytes(raw.content))
    return check_size(doc.with_(text=text, chars_in=len(text), flags=doc.flags + flags + decoded), len(raw.content), cfg)



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



# An interim response's status line (RFC 9110 15.2): 1xx but 101 Switching Protocols, after which
# the connection speaks another protocol
_INTERIM_STATUS = re.compile(rb"HTTP/\d(?:\.\d)? +1(?!01)\d\d(?:[ \r\n]|$)")
_HEAD_END = re.compile(rb"\r?\n\r?\n")


def final_response(content: bytes, scan: int = 1 << 16) -> bytes:
    """A response record's HTTP part from its final response on: the interim responses before it
    (`100 Continue`, `103 Early Hints`) left out.

    A server may answer with any number of 1xx responses before the final one, on the same
    connection (RFC 9110 15.2), and a crawler that stores a response's bytes as they came stores
    those too: CDNs send `103 Early Hints` before pages, and a request sent with `Expect:
    100-continue` gets a `100 Continue`. Read as the response, such a record was rejected as
    `http_error` "HTTP status 103", the 200 page after it unread. An interim head that does not
    end (a blank line) within `scan` bytes, or is not followed by another response, is left as the
    response. Linear: the heads are stepped over by position, the content cut once."""
    pos = 0
    while _INTERIM_STATUS.match(content, pos):
        end = _HEAD_END.search(content, pos, pos + scan)
        if end is None or not content.startswith(b"HTTP/", end.end()):
            break
        pos = end.end()
    return content[pos:] if pos else content


def _header(headers: Any, name: str) -> str:
    """Every value of a header named `name` (any case), joined as HTTP joins repeated fields."""
    return ", ".join(value for key, value in headers.headers if key.lower() == name.lower())



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
