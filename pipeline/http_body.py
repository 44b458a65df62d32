"""The body of a stored HTTP response as the server meant it: its transfer and content codings undone.

warcio's `content_stream()` undoes them, but guesses quietly where anything is off, and each guess
let a page through wrong:

- a coding it has no decoder for (`br` without the brotli module, `zstd`, `x-gzip`, `gzip, gzip`)
  and a body compressed twice came out as the compressed bytes: the page was decoded as text with
  replacement characters and rejected as not_html ("no HTML tag near the top of the page"), with
  `http_charset_wrong`, naming everything but the cause;
- `Transfer-Encoding: Chunked` in any case but lower was not de-chunked: the chunk sizes ("12c")
  reached clean in the middle of words ("so that they wo 12c uld not crack");
- a chunk size that is not one, after good chunks, made it read the rest as it stood, later chunk
  sizes and all;
- a body cut short (gzip or chunks: a crawler's size limit, `WARC-Truncated`) came out to the cut
  without a word, and a gzip body damaged in its first 16 kB as the raw compressed bytes.

Here: codings in any case and order (`x-gzip` is gzip, `identity` none), undone last first; a
body already plain (stored decoded, its header kept, as some crawlers do) is taken as it is and
flagged `content_encoding_not_applied`; gzip or zstd bytes left after the named codings (a body
compressed twice, or with no header saying so) are undone too and flagged
`content_encoding_undeclared`; a body that ends early keeps what came before the cut, flagged
`http_body_truncated`. A coding that cannot be undone (unknown, `br` without brotli, damaged
data, broken chunks) raises UndecodableBody, which fails that record alone with its one line.
Each decoder's output stops past `limit` bytes, so a compressed body cannot grow past the page cap.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

_GZIP = b"\x1f\x8b"
_ZSTD = b"\x28\xb5\x2f\xfd"
_SLICE = 256  # compressed bytes fed at a time to a decoder that has no output limit (zstd, brotli)
_FIRST_FEED, _FEED = 64, 1 << 20  # compressed bytes fed to zlib at a member's start, and at most (_inflate)
# C0 controls no text page holds (tab, LF, CR, ESC allowed): compressed data has many in any 1 kB
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# a chunk-size line: hex digits, any chunk extension, CRLF
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r\n")
_ALIASES = {"x-gzip": "gzip", "x-deflate": "deflate"}
_TRUNCATED = "http_body_truncated"


class UndecodableBody(ValueError):
    """A response body whose transfer or content coding cannot be undone: the record fails saying why."""


def codings(value: str) -> list[str]:
    """The codings a Content-Encoding or Transfer-Encoding value names, in the order applied,
    lower-cased, aliases resolved, `identity` left out."""
    names = (_ALIASES.get(c, c) for c in (part.strip().lower() for part in value.split(",")))
    return [c for c in names if c and c != "identity"]


def decoded_body(body: bytes, transfer_encoding: str, content_encoding: str, limit: int) -> tuple[bytes, tuple[str, ...]]:
    """The body with its codings undone (at most `limit` + 1 bytes), and flags saying what was odd."""
    flags: tuple[str, ...] = ()
    transfer = codings(transfer_encoding)
    if "chunked" in transfer:
        body, flags = dechunked(body)
    for coding in reversed(codings(content_encoding) + [c for c in transfer if c != "chunked"]):
        if plain(body):  # stored decoded, the header kept
            flags += ("content_encoding_not_applied",)
            break
        body, more = _decode(coding, body, limit)
        flags += more
    for _ in range(2):  # compressed twice, or compressed and not said so
        if not body.startswith((_GZIP, _ZSTD)):
            break
        body, more = _decode("gzip" if body.startswith(_GZIP) else "zstd", body, limit)
        flags += ("content_encoding_undeclared", *more)  # each flag once: the return drops repeats
    return body, tuple(dict.fromkeys(flags))


def plain(body: bytes) -> bool:
    """The bytes are text as they stand: no control byte in the first kilobyte, no compression magic."""
    return not body.startswith((_GZIP, _ZSTD)) and not _BINARY.search(body[:1024])


def dechunked(body: bytes) -> tuple[bytes, tuple[str, ...]]:
    """A chunked body joined. One that does not start with a chunk-size line was stored de-chunked
    (the header kept) and comes back as it is; one that ends inside a chunk, or before the last
    (empty) chunk, keeps what came before, flagged; chunk sizes that do not fit the body raise."""
    parts: list[bytes] = []
    pos = 0
    while True:
        size_line = _CHUNK_SIZE.match(body, pos)
        if size_line is None:
            if not parts:
                return body, ()
            if not body[pos:].strip():
                return b"".join(parts), (_TRUNCATED,)
            raise UndecodableBody(f"the chunked body is broken at byte {pos}: {body[pos:pos + 16]!r} is not a chunk size "
                                  "(the chunk sizes do not fit the body)")
        size, start = int(size_line.group(1), 16), size_line.end()
        if size == 0:  # the last chunk; trailers after it are not the page
            return b"".join(parts), ()
        parts.append(body[start : start + size])
        pos = start + size
        if pos + 2 > len(body):
            return b"".join(parts), (_TRUNCATED,)
        if body[pos : pos + 2] != b"\r\n":
            raise UndecodableBody(f"the chunked body is broken at byte {pos}: a chunk of {size} bytes from byte {start} is "
                                  "not followed by a line end (the chunk sizes do not fit the body)")
        pos += 2


def _decode(coding: str, body: bytes, limit: int) -> tuple[bytes, tuple[str, ...]]:
    if coding == "gzip":
        return _inflate(body, 16 + zlib.MAX_WBITS, limit, coding)
    if coding == "deflate":  # zlib-wrapped as the RFC says, or raw deflate as some servers send
        wbits = zlib.MAX_WBITS if len(body) > 1 and (body[0] & 0x0F) == 8 and int.from_bytes(body[:2], "big") % 31 == 0 else -zlib.MAX_WBITS
        return _inflate(body, wbits, limit, coding)
    if coding == "zstd":
        return _unzstd(body, limit)
    if coding == "br":
        try:
            import brotli
        except ImportError:
            raise UndecodableBody("content encoding 'br' (Brotli) cannot be decoded: the brotli module is not installed "
                                  "(pip install brotli)") from None
        return _unbrotli(brotli.Decompressor(), body, limit)
    raise UndecodableBody(f"content encoding {coding!r} is not one the reader decodes (gzip, deflate, br, zstd)")


def _inflate(body: bytes, wbits: int, limit: int, coding: str) -> tuple[bytes, tuple[str, ...]]:
    """gzip (members one after another too) or deflate, at most `limit` + 1 bytes out.

    zlib hands back what a call did not use as a new bytes object (`unused_data`), so feeding it
    the rest of the body copied that rest once a member: a body of 300,000 empty gzip members
    (6 MB, a server flushing a member per write; under read.max_document_bytes) took the reader
    30 s, the square of its size (hostile round 25). The body is fed in slices of a view, from
    `_FIRST_FEED` bytes at each member's start, doubling up to `_FEED` while the member goes on:
    a member's copy is at most twice its own size plus `_FIRST_FEED`."""
    parts, size, pos = [], 0, 0
    view = memoryview(body)
    inflater, feed = zlib.decompressobj(wbits), _FIRST_FEED
    try:
        while pos < len(body) and size <= limit:
            data = view[pos : pos + feed]
            out = inflater.decompress(data, limit + 1 - size)
            parts.append(out)
            size += len(out)
            pos += len(data) - len(inflater.unconsumed_tail) - len(inflater.unused_data)
            if not inflater.eof:
                feed = min(2 * feed, _FEED)
            elif wbits < 16 or not body.startswith(_GZIP, pos):
                break  # the end of the body; bytes after the stream are not the page
            else:
                inflater, feed = zlib.decompressobj(wbits), _FIRST_FEED
    except zlib.error as exc:
        raise _damaged(coding, size, exc) from None
    return b"".join(parts)[: limit + 1], (_TRUNCATED,) * (size <= limit and not inflater.eof)


def _unzstd(body: bytes, limit: int) -> tuple[bytes, tuple[str, ...]]:
    """A zstd body, every frame of it, at most `limit` + 1 bytes out.

    A zstd stream is any number of frames one after another (RFC 8878, section 3), as a gzip body
    may be members: a server or proxy compressing as it writes can end a frame at each flush, and
    skippable frames may stand between them. One decoder stops at the end of its frame, and the
    frames after it were dropped without a word: a page in two frames came out as its first half,
    unflagged. Each frame gets its own decoder here, fed a slice at a time (zstd's decoder has no
    output limit) so the output stops soon past `limit`; bytes after a frame that start none are
    not the page, as after a gzip stream."""
    import zstandard

    parts, size, pos = [], 0, 0
    view = memoryview(body)
    decoder = zstandard.ZstdDecompressor().decompressobj()
    try:
        while pos < len(body) and size <= limit:
            data = view[pos : pos + _SLICE]
            out = decoder.decompress(data)
            parts.append(out)
            size += len(out)
            pos += len(data) - len(decoder.unused_data)
            if decoder.eof:
                if not _zstd_frame_at(body, pos):
                    break
                decoder = zstandard.ZstdDecompressor().decompressobj()
    except zstandard.ZstdError as exc:
        raise _damaged("zstd", size, exc) from None
    return b"".join(parts)[: limit + 1], (_TRUNCATED,) * (size <= limit and not decoder.eof)


def _zstd_frame_at(body: bytes, pos: int) -> bool:
    """A zstd frame, or a skippable frame (magic 0x184D2A50-5F), starts at `pos`."""
    return body.startswith(_ZSTD, pos) or (body[pos + 1 : pos + 4] == b"\x2a\x4d\x18" and 0x50 <= body[pos] <= 0x5F)


def _unbrotli(decoder, body: bytes, limit: int) -> tuple[bytes, tuple[str, ...]]:
    """A brotli body, its output capped. Brotli packs far more than zstd in a byte: 841 bytes hold
    1 GiB of zeros, so one 256-byte slice made 320 MB in one call and an 841-byte body took the
    reader to 1.2 GB before the cap was looked at. brotli >= 1.2 caps a call's output
    (`output_buffer_limit`, with `can_accept_more_data` to drain the rest); an older brotli cannot,
    so it is fed 16 bytes at a time (at most 32 MB a call, measured on that 1 GiB body)."""
    if hasattr(decoder, "can_accept_more_data"):
        def feed(data: bytes, room: int) -> bytes:
            parts = [decoder.process(data, output_buffer_limit=room)]
            size = len(parts[0])
            while size < room and not decoder.can_accept_more_data():  # output held back: drain it, capped too
                parts.append(decoder.process(b"", output_buffer_limit=room - size))
                if not parts[-1]:
                    break
                size += len(parts[-1])
            return b"".join(parts)

        return _in_slices(decoder, body, limit, "br", lambda d: d.is_finished(), feed)
    return _in_slices(decoder, body, limit, "br", lambda d: d.is_finished(), lambda data, room: decoder.process(data), 16)


def _in_slices(decoder, body: bytes, limit: int, coding: str, finished: Callable[[object], bool],
               feed: Callable[[bytes, int], bytes], slice_bytes: int = _SLICE) -> tuple[bytes, tuple[str, ...]]:
    """A decoder fed a slice at a time so the output stops soon past `limit`: `feed(data, room)`
    returns the output of `data`, given the room left (limit + 1 - bytes so far) if it can use it.
    (zstd's frames each need a decoder of their own: `_unzstd`.)"""
    parts, size = [], 0
    try:
        for at in range(0, len(body), slice_bytes):
            if size > limit or finished(decoder):
                break
            out = feed(body[at : at + slice_bytes], limit + 1 - size)
            parts.append(out)
            size += len(out)
    except Exception as exc:  # noqa: BLE001 - brotli's error: the coding is broken
        raise _damaged(coding, size, exc) from None
    return b"".join(parts)[: limit + 1], (_TRUNCATED,) * (size <= limit and not finished(decoder))


def _damaged(coding: str, decoded: int, exc: Exception) -> UndecodableBody:
    where = f" after {decoded} bytes" if decoded else ""
    return UndecodableBody(f"the body cannot be decoded as {coding}, its content encoding{where}: it is damaged, or not {coding} ({exc})")
