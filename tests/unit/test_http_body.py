"""A stored HTTP response's body with its transfer and content codings undone (pipeline/http_body.py)."""

from __future__ import annotations

import gzip
import re
import sys
import types
import zlib

import pytest
import zstandard

from pipeline.http_body import UndecodableBody, codings, dechunked, decoded_body
from tests.pages import news_page

PAGE = news_page().encode()
LIMIT = 1 << 20


def chunked(data: bytes, size: int = 300) -> bytes:
    return b"".join(b"%x\r\n" % len(data[i : i + size]) + data[i : i + size] + b"\r\n" for i in range(0, len(data), size)) + b"0\r\n\r\n"


def raw_deflate(data: bytes) -> bytes:
    c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize("value, expected", [
    ("gzip", ["gzip"]), ("GZIP", ["gzip"]), ("x-gzip", ["gzip"]), ("gzip, br", ["gzip", "br"]), ("identity", []), ("", []),
    (" Chunked ", ["chunked"]),
])
def test_codings_are_read_in_any_case_with_aliases(value, expected):
    assert codings(value) == expected


@pytest.mark.parametrize("transfer, content, body, flags", [
    ("", "", PAGE, ()),
    ("chunked", "", chunked(PAGE), ()),
    # warcio de-chunks only for the exact lower-case value: the chunk sizes reached clean mid-word
    ("Chunked", "", chunked(PAGE), ()),
    ("chunked", "", PAGE, ()),  # stored de-chunked, the header kept
    ("chunked", "gzip", chunked(gzip.compress(PAGE), 100), ()),
    ("", "gzip", gzip.compress(PAGE), ()),
    # warcio has no decoder for these names: the compressed bytes were read as the page
    ("", "x-gzip", gzip.compress(PAGE), ()),
    ("", "gzip, gzip", gzip.compress(gzip.compress(PAGE)), ()),
    ("", "zstd", zstandard.ZstdCompressor().compress(PAGE), ()),
    ("", "deflate", zlib.compress(PAGE), ()),
    ("", "deflate", raw_deflate(PAGE), ()),
    ("", "gzip", PAGE, ("content_encoding_not_applied",)),  # stored decoded, the header kept
    ("", "gzip", gzip.compress(gzip.compress(PAGE)), ("content_encoding_undeclared",)),  # compressed twice
    ("", "", gzip.compress(PAGE), ("content_encoding_undeclared",)),  # compressed, no header says so
])
def test_codings_are_undone(transfer, content, body, flags):
    assert decoded_body(body, transfer, content, LIMIT) == (PAGE, flags)


BIG = PAGE * 200  # zstd hands out a block (128 kB) once it is whole


@pytest.mark.parametrize("transfer, content, body, original, kept", [
    ("", "gzip", gzip.compress(PAGE)[:400], PAGE, 100),  # the body cut mid-stream: warcio handed out the cut without a word
    ("chunked", "", chunked(PAGE)[:-5], PAGE, len(PAGE)),  # no last chunk
    ("chunked", "", chunked(PAGE)[:700], PAGE, 300),  # cut inside a chunk
    ("", "zstd", zstandard.ZstdCompressor().compress(BIG)[:-20], BIG, 1 << 17),
])
def test_a_body_cut_short_keeps_what_came_before_flagged(transfer, content, body, original, kept):
    out, flags = decoded_body(body, transfer, content, LIMIT)
    assert flags == ("http_body_truncated",)
    assert len(out) >= kept and original.startswith(out)


@pytest.mark.parametrize("transfer, content, body, message", [
    ("", "br", b"\x1b\x8a\x06\x00" + PAGE[:50], "content encoding 'br' (Brotli) cannot be decoded: the brotli module is not installed"),
    ("", "compress", b"\x1f\x9d\x90" + PAGE[:50], "content encoding 'compress' is not one the reader decodes"),
    ("", "gzip", gzip.compress(PAGE)[:20] + b"\x00" * 40 + gzip.compress(PAGE)[60:], "cannot be decoded as gzip"),
    # a bad chunk size after good chunks: warcio read the rest as it stood, later chunk sizes and all
    ("chunked", "", chunked(PAGE).replace(b"\r\n12c\r\n", b"\r\nzz\r\n", 1), "the chunked body is broken at byte 307"),
    ("chunked", "", chunked(PAGE).replace(b"12c\r\n", b"130\r\n", 1), "is not followed by a line end"),
])
def test_a_coding_that_cannot_be_undone_raises_saying_why(transfer, content, body, message, monkeypatch):
    monkeypatch.setitem(sys.modules, "brotli", None)  # as on a host without it
    with pytest.raises(UndecodableBody, match=re.escape(message)):
        decoded_body(body, transfer, content, LIMIT)


def test_brotli_is_used_when_installed(monkeypatch):
    class Decompressor:  # stands in for brotli's: its "compressed" form is the page with \x01 bytes in it, ended by \\x02
        def __init__(self):
            self.done = False

        def process(self, data: bytes) -> bytes:
            self.done = self.done or b"\x02" in data
            return data.replace(b"\x01", b"").replace(b"\x02", b"")

        def is_finished(self) -> bool:
            return self.done

    monkeypatch.setitem(sys.modules, "brotli", types.SimpleNamespace(Decompressor=Decompressor))
    assert decoded_body(b"\x01" + PAGE + b"\x02", "", "br", LIMIT) == (PAGE, ())
    assert decoded_body(b"\x01" + PAGE, "", "br", LIMIT) == (PAGE, ("http_body_truncated",))


def test_a_compressed_body_stops_soon_past_the_limit():
    # a bomb: 64 MB of spaces in about 64 kB
    bomb = gzip.compress(b" " * (64 << 20))
    out, flags = decoded_body(bomb, "", "gzip", 1000)
    assert (len(out), flags) == (1001, ())
    out, flags = decoded_body(zstandard.ZstdCompressor().compress(b" " * (64 << 20)), "", "zstd", 1000)
    assert (len(out), flags) == (1001, ())


def test_dechunked_ignores_extensions_and_trailers():
    body = b"5;name=value\r\nHello\r\n6\r\n world\r\n0\r\nExpires: never\r\n\r\n"
    assert dechunked(body) == (b"Hello world", ())


class BombDecompressor:
    """Stands in for brotli's Decompressor on a bomb: each byte in stands for `per_byte` zeros out.
    With `capped`, it takes brotli 1.2's output_buffer_limit (and holds back what is over it);
    without, it is an older brotli, whose process() hands out all it has. Records its largest call."""

    def __init__(self, per_byte: int, capped: bool):
        self.per_byte, self.pending, self.largest = per_byte, 0, 0
        if capped:
            self.can_accept_more_data = lambda: self.pending == 0

    def process(self, data: bytes, **kwargs) -> bytes:
        self.pending += len(data) * self.per_byte
        out = min(self.pending, kwargs.get("output_buffer_limit") or self.pending)
        self.pending -= out
        self.largest = max(self.largest, out)
        return b"\0" * out

    def is_finished(self) -> bool:
        return False


@pytest.mark.parametrize("capped, largest", [(True, 1001), (False, 16 << 16)])
def test_a_brotli_bomb_is_decoded_a_capped_call_at_a_time(capped, largest, monkeypatch):
    # 841 bytes of brotli hold 1 GiB: fed 256 bytes at a time with no cap on a call, one call made
    # 320 MB and the reader reached 1.2 GB before the page cap was looked at. brotli >= 1.2 takes a
    # cap on a call's output; an older one is fed 16 bytes at a time
    made = []
    monkeypatch.setitem(sys.modules, "brotli", types.SimpleNamespace(Decompressor=lambda: made.append(BombDecompressor(1 << 16, capped)) or made[-1]))
    out, flags = decoded_body(b"\x01" * 1000, "", "br", 1000)
    assert (len(out), flags) == (1001, ())
    assert made[0].largest <= largest  # before: 256 x 64 kB = 16 MB in one call


def test_a_body_of_many_gzip_members_is_fed_to_zlib_once_not_once_a_member(monkeypatch):
    # hostile round 25: after each member zlib was fed the rest of the body (and copied it back as
    # `unused_data`): a body of 300,000 empty members (6 MB) took 30 s, the square of its size
    members = gzip.compress(b"", mtime=0) * 5_000 + gzip.compress(PAGE, mtime=0)
    fed = []

    class Counted:
        def __init__(self, wbits):
            self._inner = zlib.decompressobj(wbits)

        def decompress(self, data, max_length=0):
            fed.append(len(data))
            return self._inner.decompress(data, max_length)

        def __getattr__(self, name):
            return getattr(self._inner, name)

    monkeypatch.setattr("pipeline.http_body.zlib", types.SimpleNamespace(
        decompressobj=Counted, error=zlib.error, MAX_WBITS=zlib.MAX_WBITS))
    assert decoded_body(members, "", "gzip", LIMIT) == (PAGE, ())
    assert sum(fed) <= 4 * len(members)  # was 5,000 times the rest of the body: about 250 MB for 100 kB
    assert decoded_body(members[:-20], "", "gzip", LIMIT)[1] == ("http_body_truncated",)  # and a cut is still a cut
    assert decoded_body(gzip.compress(PAGE) + b"trailing junk", "", "gzip", LIMIT) == (PAGE, ())


def _zstd_frames(data: bytes, cuts: list[int], between: bytes = b"") -> bytes:
    pieces = [data[a:b] for a, b in zip([0, *cuts], [*cuts, len(data)])]
    return between.join(zstandard.ZstdCompressor().compress(piece) for piece in pieces)


SKIPPABLE = (0x184D2A53).to_bytes(4, "little") + (6).to_bytes(4, "little") + b"index!"  # a skippable frame of 6 bytes


@pytest.mark.parametrize("body", [
    _zstd_frames(PAGE, [len(PAGE) // 2]),  # a frame ended at a flush
    _zstd_frames(PAGE, [100, 1000, 2000]),
    _zstd_frames(PAGE, [len(PAGE) // 2], SKIPPABLE),  # a skippable frame between them
    _zstd_frames(PAGE, [len(PAGE) // 2]) + b"\r\n",  # bytes after the last frame are not the page
])
def test_a_zstd_body_of_several_frames_is_read_whole(body):
    # hostile round 26: one decoder stops at the end of its frame, and the frames after it were dropped
    # without a word: the page came out as its first half, unflagged
    assert decoded_body(body, "", "zstd", LIMIT) == (PAGE, ())


def test_a_zstd_body_of_several_frames_stops_soon_past_the_limit():
    out, flags = decoded_body(_zstd_frames(b" " * (8 << 20), [1 << 20, 4 << 20]), "", "zstd", 3 << 20)
    assert (len(out), flags) == ((3 << 20) + 1, ())
    out, flags = decoded_body(_zstd_frames(BIG, [len(BIG) // 2])[:-20], "", "zstd", LIMIT)
    assert flags == ("http_body_truncated",) and BIG.startswith(out) and len(out) >= len(BIG) // 2
