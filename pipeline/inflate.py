"""Reading compressed input in linear time, with caps on what it may inflate to.

A 2 MB gzip file of newlines inflates to 2 GiB; a deflate stream can grow about 1,000-fold. Each
compressed file stops with `InflatedTooLarge` (the rest of the file becomes one failed record)
once it has inflated more than `read.max_inflated_bytes`, or more than
`read.max_inflation_ratio` times the compressed bytes consumed (checked once past
`RATIO_FLOOR` inflated bytes, so a small, very repetitive file is never refused). Real text
inflates 3-10-fold; a bomb 1,000-fold, so the ratio stops it after a few megabytes of input.

The compression is the file name's last suffix, in any case (`COMPRESSIONS`): gzip is inflated
here member by member (`GzipMemberReader`: WARC.gz has one member per record); bzip2 and xz by
the standard library and zstd by pyarrow (corpora are often shipped as .jsonl.zst, .jsonl.xz or
.jsonl.bz2), each behind `CappedReader`. A file cut short raises `TruncatedInput` whatever its
compression, and a damaged one (a bit flipped, a block overwritten) `DamagedInput`, each once the
bytes inflated before the break are handed out.
"""

from __future__ import annotations

import bz2
import io
import lzma
import zlib
from typing import Any

# file-name suffix (lower-cased) -> compression
COMPRESSIONS = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz", ".zst": "zstd"}


def compression_of(path: str) -> str:
    """The compression a file's name says, whatever its case ("" for none)."""
    name = path.lower()
    return next((kind for suffix, kind in COMPRESSIONS.items() if name.endswith(suffix)), "")


def compression_by_magic(head: bytes) -> str:
    """The compression a file's first bytes (10 are enough) show, "" for none: a `.jsonl` that is
    really gzip (downloaded or copied without its `.gz`) was read line by line as its compressed
    bytes, each "line" a failed record saying "malformed JSON" (3 records came out as 14 failures),
    a `.txt` failed as "binary content" and an `.html` was rejected as not_html."""
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith(b"\x28\xb5\x2f\xfd"):
        return "zstd"
    if head.startswith(b"\xfd7zXZ\x00"):
        return "xz"
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] == b"1AY&SY":
        return "bzip2"
    return ""


def without_compression(name: str) -> str:
    """`name` without its compression suffix (lower-cased)."""
    name = name.lower()
    kind = compression_of(name)
    return name[: name.rindex(".")] if kind else name

# The ratio is not judged on less output than this: short repetitive files are fine.
RATIO_FLOOR = 64 << 20


class TruncatedInput(ValueError):
    """The file ends inside a record (a cut download, a partial copy)."""


class DamagedInput(ValueError):
    """The compressed data is damaged: a checksum that does not match, or data the decompressor
    cannot decode. The bytes before the damage was found are read; the rest of the file is not."""


class NotGzipMember(ValueError):
    """Bytes after a gzip member that are neither zero padding nor the start of the next member."""


class InflatedTooLarge(ValueError):
    """A compressed file inflates past a read cap: a gzip bomb, or a file to split."""


class GzipMemberReader(io.RawIOBase):
    """A gzip stream of concatenated members (WARC.gz: one per record) decompressed as it is read,
    that raises TruncatedInput where the input ends inside a member.

    warcio decompresses by itself but stops silently at a truncated member, and `gzip.GzipFile`
    raises at the cut but loses the bytes decompressed before it in the same read; here every byte
    before the cut reaches the reader first, then the error. Input that is not gzip passes through.

    Each inflate call is bounded (`max_length`) and its output is handed out by offset, never
    re-sliced, so the cost is linear in the inflated size whatever the compression ratio.

    A damaged member raises DamagedInput after what it inflated before zlib found the damage
    (`_before_damage`): a bit flip mostly decodes on to the member's end, where the CRC check
    fails, and zlib's error used to take the last call's megabyte with it (a 12 kB file's 2,000
    good records were one failure). What a damaged member gave is not checked (deflate has no
    checksum but the member's last), so its records are read as they come, and the failure says so.
    """

    _CHUNK = 1 << 16  # compressed bytes read at a time
    _OUT = 1 << 20  # most bytes one inflate call may produce
    _SALVAGE = 256  # compressed bytes inflated at a time once a member is found damaged

    def __init__(self, raw: Any, max_inflated: int = 0, max_ratio: float = 0.0, name: str = "", ratio_floor: int = RATIO_FLOOR):
        self._raw = raw
        self._max_inflated = max_inflated  # 0: no cap
        self._max_ratio = max_ratio  # 0: no cap
        self._name = name
        self._ratio_floor = ratio_floor
        self._inflater: Any = None
        self._gzip: bool | None = None
        self._input = b""  # compressed bytes not yet fed to the inflater
        self._out: memoryview = memoryview(b"")
        self._out_pos = 0
        self._in_member = False
        self._done = False
        self._damage: DamagedInput | None = None  # raised once the bytes before it are handed out
        self._members = 0  # members started
        self._member_start = 0  # compressed offset of the current member
        self.compressed = 0  # bytes read from the raw stream
        self.inflated = 0  # bytes produced

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while self._out_pos >= len(self._out):
            if not self._fill():
                return 0
        n = min(len(buffer), len(self._out) - self._out_pos)
        buffer[:n] = self._out[self._out_pos : self._out_pos + n]
        self._out_pos += n
        return n

    def _fill(self) -> bool:
        """Make more output available; False at the end of the input."""
        if self._damage is not None:
            self._done, damage, self._damage = True, self._damage, None
            raise damage
        if self._done:
            return False
        if not self._input:
            self._input = self._raw.read(self._CHUNK)
            self.compressed += len(self._input)
            if self._gzip is None:
                self._gzip = self._input[:2] == b"\x1f\x8b"
            if not self._input:
                self._done = True
                if self._in_member:
                    raise TruncatedInput("the gzip stream ends inside a member: the file is truncated")
                return False
        if not self._gzip:
            self._out, self._out_pos, self._input = memoryview(self._input), 0, b""
            return True
        if self._inflater is None or self._inflater.eof:
            if self._inflater is not None and not self._next_member():
                return True  # only zero padding so far: read on
            if not self._gzip:  # a plain WARC record follows
                return self._fill()
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            self._in_member = True
            self._members += 1
            self._member_start = self.compressed - len(self._input)
        before = self._inflater.copy()
        try:
            out = self._inflater.decompress(self._input, self._OUT)
        except zlib.error as exc:
            out, self._damage, self._input = self._before_damage(before), self._damaged(exc), b""
        else:
            self._in_member = not self._inflater.eof
            self._input = self._inflater.unconsumed_tail if self._in_member else self._inflater.unused_data
        self._out, self._out_pos = memoryview(out), 0
        self.inflated += len(out)
        self._check_caps()
        return True

    def _before_damage(self, inflater: Any) -> bytes:
        """What the member inflates to before the damage zlib raised at: the input of the call
        that raised, inflated again from before it in small steps, and the step that raises a
        byte at a time (zlib drops the output of a call that raises). At most what that call
        would have given, so the caps still hold."""
        parts, pos, step = [], 0, self._SALVAGE
        while pos < len(self._input):
            saved = inflater.copy()
            try:
                parts.append(inflater.decompress(self._input[pos : pos + step]))
            except zlib.error:
                if step == 1:
                    break
                inflater, step = saved, 1
                continue
            pos += step
        return b"".join(parts)

    def _damaged(self, exc: zlib.error) -> DamagedInput:
        what = "fails its CRC check" if "incorrect data check" in str(exc) else f"cannot be inflated ({exc})"
        return DamagedInput(
            f"gzip member {self._members} (from compressed byte {self._member_start}) {what}: the file is damaged; "
            "the records read from that member before the damage was found may hold corrupted text; the rest of the file is not read")

    def inflate_from(self, pending: bytes) -> None:
        """Inflate from here on: `pending` (raw bytes already read that start a gzip member),
        then the rest of the stream. For a WARC whose plain records are followed by gzip members:
        its reader knows where a plain record ends, this stream does not (a plain record's
        payload may itself hold gzip bytes)."""
        self._input = pending + bytes(self._out[self._out_pos :]) + self._input
        self._out, self._out_pos = memoryview(b""), 0
        self._gzip, self._inflater, self._done = True, None, False

    def _next_member(self) -> bool:
        """After a member: zero bytes are padding, skipped as gzip(1) and Python's gzip skip them
        (tape blocks, writers that pad files); they used to fail the rest of the file with zlib's
        "incorrect header check", and the WARC record before them with it. Other bytes that do not
        start a member are an error that says so. False when only padding is left."""
        self._input = self._input.lstrip(b"\x00")
        while len(self._input) < 2 and (more := self._raw.read(self._CHUNK)):
            self.compressed += len(more)
            self._input = (self._input + more).lstrip(b"\x00")
        if not self._input:  # padding to the end of the file
            self._out, self._out_pos = memoryview(b""), 0
            return False
        if self._input.lstrip(b"\r\n")[:5] == b"WARC/":  # a plain WARC record after a compressed one: passed through
            self._gzip = False
            return True
        if self._input[:2] != b"\x1f\x8b":
            raise NotGzipMember(f"bytes that are not gzip follow a gzip member (at compressed byte "
                                f"{self.compressed - len(self._input)}: {self._input[:16]!r}): the file is damaged; the rest is not read")
        return True

    def _check_caps(self) -> None:
        check_caps(self._name, self.inflated, self.compressed, self._max_inflated, self._max_ratio, self._ratio_floor)


def check_caps(name: str, inflated: int, compressed: int, max_inflated: int, max_ratio: float, ratio_floor: int = RATIO_FLOOR) -> None:
    """Raise InflatedTooLarge once `inflated` bytes from `compressed` pass a read cap (0: none)."""
    what = f"{name} " if name else ""
    if max_inflated and inflated > max_inflated:
        raise InflatedTooLarge(
            f"{what}inflates past read.max_inflated_bytes={max_inflated}: a compression bomb, or a file to split;"
            " the rest of the file is not read")
    if max_ratio and inflated > ratio_floor and inflated > max_ratio * max(compressed, 1):
        raise InflatedTooLarge(
            f"{what}inflates {inflated // max(compressed, 1)}-fold, past read.max_inflation_ratio="
            f"{max_ratio:g}: a compression bomb; the rest of the file is not read")


class _Counted(io.RawIOBase):
    """The compressed stream, counting the bytes read from it (the ratio cap's denominator)."""

    def __init__(self, raw: Any):
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


class CappedReader(io.RawIOBase):
    """A bzip2, xz or zstd stream (concatenated streams too) decompressed as it is read, under the
    same caps as GzipMemberReader. Each read inflates at most what it asks for, so a bomb is
    stopped after at most one read past a cap. A stream cut short raises TruncatedInput; a damaged
    one, or data that is not of the named compression, DamagedInput with the decompressor's words."""

    def __init__(self, raw: Any, kind: str, max_inflated: int = 0, max_ratio: float = 0.0, name: str = "", ratio_floor: int = RATIO_FLOOR):
        self._counted = _Counted(raw)
        if kind == "bzip2":
            self._inner: Any = bz2.BZ2File(self._counted)
        elif kind == "xz":
            self._inner = lzma.LZMAFile(self._counted)
        elif kind == "zstd":
            import pyarrow as pa  # the pipeline's Parquet library; it carries a zstd decoder

            self._inner = pa.CompressedInputStream(pa.PythonFile(self._counted, mode="r"), "zstd")
        else:
            raise ValueError(f"not a compression CappedReader reads: {kind!r}")
        self._caps = (name, max_inflated, max_ratio, ratio_floor)
        self._kind = kind
        self.inflated = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        try:
            data = self._inner.read(min(len(buffer), 1 << 20))
        except EOFError as exc:  # bz2 and lzma: "Compressed file ended before the end-of-stream marker"
            if self._counted.count == 0:  # a file of no bytes is empty, as a zero-byte .gz or .zst reads
                return 0
            raise TruncatedInput(f"the compressed stream ends early: the file is truncated ({exc})") from None
        except (OSError, lzma.LZMAError) as exc:
            if "truncated" in str(exc).lower():  # pyarrow: "Truncated compressed stream"
                raise TruncatedInput(f"the compressed stream ends early: the file is truncated ({exc})") from None
            # bzip2's block CRC, xz's and zstd's checks, or bytes that are not of this compression
            raise DamagedInput(f"the {self._kind} stream cannot be decompressed ({exc}): the file is damaged, or not {self._kind}; "
                               "the rest of the file is not read") from None
        buffer[: len(data)] = data
        self.inflated += len(data)
        name, max_inflated, max_ratio, ratio_floor = self._caps
        check_caps(name, self.inflated, self._counted.count, max_inflated, max_ratio, ratio_floor)
        return len(data)
