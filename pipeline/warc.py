"""Cutting a WARC stream into records at their real boundaries, whatever `Content-Length` says.

warcio trusts each record's `Content-Length`: one that is too large swallows the records after it
(only a warning on stderr says so), one that is too small cuts the record and leaves the rest as
junk it skips. Here every record is checked against its real end: the block ends where
`\\r\\n\\r\\nWARC/1.` begins the next record (or the stream ends after `\\r\\n\\r\\n`). The declared
length wins when it lands on such a boundary; otherwise the first real boundary is taken and the
record is flagged `warc_length_mismatch`, so no record is lost and none is cut. A record whose
content itself holds `\\r\\n\\r\\nWARC/1.` before its declared end (a WARC archived inside a WARC) is
split there: more records than written, never fewer.

A record cut short and followed by more records (a writer that crashed mid-record and was restarted
on the same file, or `cat` of a cut part file and the next) has no blank line before the next
record's `WARC/1.x` line, which follows the cut mid-line: a version line followed by a header line
(`WARC/1.0\\r\\nWARC-Type:`) ends the block wherever it stands, as the blank-line boundary does.
Bytes where a record should start that are none (text or a byte-order mark before the first
record, a header that never ends) are handed out as `Unframed` up to the next such line, and
the records after them are read.

Each record's content is kept only up to `keep` bytes (the rest is scanned, not held), so memory
stays bounded by the document cap whatever a record claims; a record longer than `record_limit`
raises RecordTooLarge and the rest of the file is not read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from pipeline.inflate import TruncatedInput
from pipeline.splits import RecordTooLarge

_NEXT = b"\r\n\r\nWARC/1."  # the end of a block and the version line of the next record
# The next record's version and first header line right after a block cut short, with no blank line
# before it; the window keeps _OVERLAP bytes so that neither boundary is missed across two reads.
_CUT_NEXT = re.compile(rb"WARC/1\.[01]\r\n[A-Za-z][A-Za-z0-9-]{0,63}:")
_OVERLAP = 80
_END = b"\r\n\r\n"
_GZIP = b"\x1f\x8b"  # a gzip member: the next record, compressed
_CHUNK = 1 << 20
_MAX_HEADER = 1 << 18  # a WARC header block is a few hundred bytes; more is not a WARC
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # a byte that is not UTF-8, as surrogateescape decodes it


class NotWarc(ValueError):
    """The bytes where a record should start are not a WARC record header."""


@dataclass(frozen=True)
class Unframed:
    """Bytes where a record should start that are none (junk before the first record, a header
    that never ends), up to the next record's version line: they fail as one record, and the
    records after them are read."""

    offset: int
    end: int
    reason: str


@dataclass(frozen=True)
class RawRecord:
    offset: int  # where the record's `WARC/` line starts, in the (inflated) stream
    headers: dict[str, str]  # WARC header names lower-cased
    header_block: bytes  # the version line and headers, up to and including the blank line
    content: bytes  # the block, its first `keep` bytes at most
    length: int  # the block's real length
    declared: int  # its Content-Length; -1 when missing or not a number
    unjoined: str = ""  # a segmented record whose other segments could not be joined to it: why

    @property
    def length_mismatch(self) -> bool:
        return self.length != self.declared


class _Window:
    """A sliding window over a byte stream: `buf` holds bytes [base, base + len(buf))."""

    def __init__(self, read: Callable[[int], bytes]):
        self.read = read
        self.buf = b""
        self.base = 0
        self.eof = False
        self.error: Exception | None = None  # what broke the stream, raised once what came before is framed

    @property
    def end(self) -> int:
        return self.base + len(self.buf)

    def more(self, keep_from: int) -> bool:
        """Drop the bytes before `keep_from` and read a chunk; False at the end of the stream.

        A read that raises (bytes after a gzip member that are not gzip, a bomb's cap) ends the
        stream here and is kept in `error`: the record before the break, complete but for the
        look past its end, used to fail with the rest of the file."""
        try:
            chunk = self.read(_CHUNK) if self.error is None else b""
        except Exception as exc:  # noqa: BLE001 - raised by iter_raw_records after the records before it
            self.error, chunk = exc, b""
        if not chunk:
            self.eof = True
            return False
        cut = max(0, keep_from - self.base)
        self.buf, self.base = self.buf[cut:] + chunk, self.base + cut
        return True

    def at(self, start: int, stop: int) -> bytes:
        return self.buf[start - self.base : stop - self.base]


def iter_raw_records(read: Callable[[int], bytes], keep: int, record_limit: int = 0,
                     inflate_from: Callable[[bytes], None] | None = None) -> Iterator[RawRecord]:
    """The records of a WARC stream, read through `read(n)` (already inflated).

    A plain record may be followed by gzip members (records appended to a plain WARC by a tool
    that compresses, or the other way round): where a record ends and a gzip member starts,
    `inflate_from(bytes)` hands the bytes read past the record back to the reader, which inflates
    them and what follows (GzipMemberReader.inflate_from). Such a file used to fail from the
    record before the switch on."""
    w = _Window(read)
    pos = 0  # where the next record starts
    while True:
        while True:  # blank lines between records are not records
            rest = w.at(pos, w.end)
            stripped = rest.lstrip(b"\r\n")
            pos += len(rest) - len(stripped)
            if stripped or not w.more(pos):
                break
        if pos >= w.end:
            if w.error is not None:
                raise w.error
            return
        if inflate_from is not None and w.at(pos, pos + 2) == _GZIP:
            inflate_from(w.at(pos, w.end))
            w.buf, w.base = b"", pos
            continue
        try:
            record, pos = _read_record(w, pos, keep, record_limit)
        except (NotWarc, TruncatedInput) as exc:
            if w.error is not None:  # the record was cut by the break, not by the end of the file
                raise w.error from None
            # junk where a record should start used to fail the rest of the file, the records after it
            # with it (text before the first record, a header of megabytes): read on from the next one
            if isinstance(exc, TruncatedInput) or (after := _next_record(w, pos + 1)) < 0:
                raise
            yield Unframed(pos, after, str(exc))
            pos = after
            continue
        yield record


def join_segments(records: Iterator[RawRecord | Unframed], keep: int) -> Iterator[RawRecord | Unframed]:
    """`records` with each segmented record joined into one (WARC 1.0/1.1, "Segmentation").

    A writer with a size limit per file or record cuts a long record into segments: the first keeps
    the record's type and headers and says `WARC-Segment-Number: 1`; each later one is a
    `continuation` record naming the first in `WARC-Segment-Origin-ID`, with its number, and the
    last one also says `WARC-Segment-Total-Length`. Read record by record, the first segment was a
    page cut where its segment ended (half an article reached clean without a word) and the
    continuation records, being no documents, vanished. Here a first segment is held while its
    continuation records follow it, in order, and handed out joined: its content the segments'
    contents one after another (the first `keep` bytes held), its length theirs added. A first
    segment whose continuations do not all follow it (they are in another file, or another record
    comes between) is handed out with `unjoined` saying so, for the reader to fail it. Continuation
    records are not handed out: their bytes belong to the first segment's record."""
    held: RawRecord | None = None
    parts: list[bytes] = []
    kept = 0  # bytes in `parts`: summed as they come, since a record may have a hundred thousand segments
    for record in records:
        if held is not None:
            if _continues(held, record, len(parts) + 1):
                parts.append(record.content[: max(0, keep - kept)])
                kept += len(parts[-1])
                held = RawRecord(held.offset, _with_truncation(held.headers, record.headers), held.header_block, b"",
                                 held.length + record.length,
                                 held.declared + record.declared if min(held.declared, record.declared) >= 0 else -1)
                if record.headers.get("warc-segment-total-length"):  # the last segment
                    yield RawRecord(held.offset, held.headers, held.header_block, b"".join(parts), held.length, held.declared)
                    held, parts, kept = None, [], 0
                continue
            yield _unjoined(held, parts, f"segment {len(parts) + 1} of this segmented record does not follow it in the file")
            held, parts, kept = None, [], 0
        if (isinstance(record, RawRecord) and record.headers.get("warc-segment-number", "").strip() == "1"
                and not record.headers.get("warc-segment-total-length")):  # with it, the only segment: whole
            held, parts, kept = record, [record.content], len(record.content)
            continue
        if isinstance(record, RawRecord) and record.headers.get("warc-type", "").lower() == "continuation":
            continue  # its first segment is not in this file, or was handed out unjoined: the failure is there
        yield record
    if held is not None:
        yield _unjoined(held, parts, f"the file ends before segment {len(parts) + 1} of this segmented record")


def _continues(held: RawRecord, record: RawRecord | Unframed, number: int) -> bool:
    """`record` is segment `number` of the segmented record that `held` starts."""
    if not isinstance(record, RawRecord) or record.headers.get("warc-type", "").lower() != "continuation":
        return False
    origin = record.headers.get("warc-segment-origin-id", "").strip()
    return origin == held.headers.get("warc-record-id", "").strip() and record.headers.get(
        "warc-segment-number", "").strip() == str(number)


def _with_truncation(headers: dict[str, str], segment: dict[str, str]) -> dict[str, str]:
    """The joined record's headers (its first segment's), with a later segment's `WARC-Truncated`:
    the crawler's cut is stated on the segment it cut, often the last, not the first."""
    if headers.get("warc-truncated") or not segment.get("warc-truncated"):
        return headers
    return {**headers, "warc-truncated": segment["warc-truncated"]}


def _unjoined(held: RawRecord, parts: list[bytes], why: str) -> RawRecord:
    return RawRecord(held.offset, held.headers, held.header_block, b"".join(parts), held.length, held.declared,
                     f"{why}: its content is cut where the segments read end; join them in one file")


def _read_record(w: _Window, start: int, keep: int, record_limit: int) -> tuple[RawRecord, int]:
    """The record starting at `start`, and where the stream goes on after it."""
    while (header_end := w.buf.find(_END, start - w.base)) < 0:
        if w.end - start > _MAX_HEADER or not w.more(start):
            break
    if w.at(start, start + 5) != b"WARC/":
        raise NotWarc(f"no WARC record header at byte {start}")
    if header_end < 0:
        raise NotWarc(f"the WARC record header at byte {start} runs past {_MAX_HEADER} bytes, or to the end of the file, "
                      "without the blank line that ends it")
    content_start = w.base + header_end + len(_END)
    block = w.at(start, content_start)
    headers = _parse_headers(block)
    try:
        declared = max(-1, int(headers.get("content-length", "")))
    except ValueError:
        declared = -1
    content: list[bytes] = []
    end, after = _find_end(w, content_start, declared, record_limit, content, keep)
    content.append(w.at(content_start + sum(map(len, content)), min(end, content_start + keep)))
    # the blank lines after a declared end may have left the window into `content` while undecided
    joined = b"".join(content)
    return RawRecord(start, headers, block, joined[: end - content_start] if len(joined) > end - content_start else joined,
                     end - content_start, declared), after


def _parse_headers(block: bytes) -> dict[str, str]:
    """The header block's fields, names lower-cased. WARC headers are UTF-8; a byte that is not
    (a target URI logged as the server sent it, in Latin-1) is kept as %XX, as a URL writes a byte:
    decoded as U+FFFD, `/caf\xe9` and `/caf\xe8` became one URL, and two record ids one id."""
    headers: dict[str, str] = {}
    text = _ESCAPED_BYTE.sub(lambda m: f"%{ord(m.group()) - 0xDC00:02X}", block.decode("utf-8", "surrogateescape"))
    for line in text.split("\r\n")[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers.setdefault(name.strip().lower(), value.strip())
    return headers


def _declared_fits(w: _Window, end: int, blank: int) -> tuple[bool | None, int]:
    """Whether the block can end at `end`: `\\r\\n\\r\\n`, then (after any further blank lines) the
    next record or the end of the stream. None while the window does not reach far enough.

    `blank` is where the blank lines after `end + 4` are known to run to (`end + 4` at first); the
    second value is how far they run now, for the next call to go on from. Looked at from `end`
    again each time, a run of hundreds of megabytes of CR and LF after a record was held in the
    window whole and stripped once a chunk: the square of the run (100 MB 23 s, 430 MB of memory)."""
    if blank == end + len(_END):  # the bytes at the declared end not yet seen
        if w.end < blank:
            return (False if w.eof else None), blank
        if w.at(end, blank) != _END:
            return False, blank
    rest = w.at(blank, w.end)
    after = rest.lstrip(b"\r\n")
    blank += len(rest) - len(after)
    if after[:2] == _GZIP:
        return True, blank
    if len(after) >= 5:
        return after[:5] == b"WARC/", blank
    return (not after if w.eof else None), blank


def _find_end(w: _Window, content_start: int, declared: int, record_limit: int, content: list[bytes], keep: int) -> tuple[int, int]:
    """The offset where the block that starts at `content_start` really ends, and where the stream
    goes on after it. The first `keep` bytes of the block are appended to `content` as they leave
    the window."""
    declared_end = content_start + declared if declared >= 0 else -1
    fits: bool | None = None if declared >= 0 else False
    blank = declared_end + len(_END)  # the blank lines after the declared end are known to run to here
    scan = content_start  # the boundary search goes on from here
    kept = content_start  # content before this is in `content`
    while True:
        found, after = _next_boundary(w, max(scan, w.base))
        if fits is None and (found < 0 or found >= declared_end):
            fits, blank = _declared_fits(w, declared_end, blank)
        if fits and (found < 0 or found >= declared_end):
            return declared_end, blank  # the stream goes on after the blank lines
        if found >= 0 and (found < declared_end or fits is False):
            return found, after
        if record_limit and w.end - content_start > record_limit:
            raise RecordTooLarge(f"the WARC record at byte {content_start} runs past read.max_record_bytes={record_limit}; "
                                 "the rest of the file is not read")
        if w.eof:
            if w.buf.endswith(_END) and w.end - len(_END) >= content_start:
                return w.end - len(_END), w.end  # the last record, shorter than it says
            raise TruncatedInput("the file ends inside a WARC record: it is truncated")
        if found < 0:
            scan = max(scan, w.end - _OVERLAP)
        # the window keeps the search overlap and, while it is undecided, the end of the blank lines
        # after the declared end (those before it are known to be blank lines)
        drop = min(scan, blank) if fits is None else scan
        if min(drop, content_start + keep) > kept:
            content.append(w.at(kept, min(drop, content_start + keep)))
            kept = min(drop, content_start + keep)
        if not w.more(drop):
            continue  # at the end of the stream: decided on the next pass


def _next_record(w: _Window, start: int) -> int:
    """Where the next record's version and first header line stand, at or after `start`; -1 if
    none is found before the end of the stream. Only the search overlap is held while looking."""
    scan = start
    while True:
        if found := _CUT_NEXT.search(w.buf, max(scan, w.base) - w.base):
            return w.base + found.start()
        scan = max(scan, w.end - _OVERLAP)
        if not w.more(scan):
            return -1


def _next_boundary(w: _Window, start: int) -> tuple[int, int]:
    """The first place at or after `start` where a block can end (-1 if none is in the window), and
    where the next record then starts: after the blank line of `\\r\\n\\r\\nWARC/1.`, or at a
    version line that follows a block cut short. A cut record used to run on to the next blank-line
    boundary and swallow the record after it, whose id vanished from every output."""
    hit = w.buf.find(_NEXT, start - w.base)
    cut = _CUT_NEXT.search(w.buf, start - w.base)
    if cut and (hit < 0 or cut.start() < hit + len(_END)):
        return w.base + cut.start(), w.base + cut.start()
    return (w.base + hit, w.base + hit + len(_END)) if hit >= 0 else (-1, -1)


# A header line (RFC 9110 field name, then a colon); a folded continuation starts with a blank.
_HTTP_HEADER_LINE = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+[ \t]*:|[ \t]")
# Markup: a tag, a comment or doctype, a processing instruction (a BOM may precede it).
_MARKUP_LINE = re.compile(rb"(?:\xef\xbb\xbf)?<[!?A-Za-z]")


def ended_http_head(content: bytes, scan: int = 1 << 16) -> bytes | None:
    """A response record's HTTP part with its head ended where its body starts.

    HTTP ends the status line and headers with a blank line. Some crawlers and converters store
    the head without it; warcio then reads the whole page as headers, and the page came out empty.
    No header line starts with `<`, so the first line of markup before any blank line is where the
    body starts: the blank line is put back there. Lines that are neither headers nor markup
    before a blank line are junk headers, skipped as warcio skips them. When the head has no
    blank line and holds such a line but no markup, where the body starts cannot be told: None.
    Content with an ended head (or nothing but headers) comes back unchanged. Only the first
    `scan` bytes are looked at: a head is a few hundred bytes."""
    if not content.startswith(b"HTTP/"):  # no HTTP part to end
        return content
    pos = content.find(b"\n") + 1  # after the status line
    junk = False
    while 0 < pos < len(content):
        if pos >= scan:  # no head is this long: left as it is
            return content
        end = content.find(b"\n", pos)
        line = content[pos : end if end >= 0 else len(content)]
        if not line.strip():
            return content
        if _MARKUP_LINE.match(line):
            return content[:pos] + b"\r\n" + content[pos:]
        junk = junk or not _HTTP_HEADER_LINE.match(line)
        pos = end + 1
    return None if junk else content
