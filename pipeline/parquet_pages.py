"""The sizes a Parquet column chunk's pages really inflate to, read from the pages' own headers.

A Parquet reader (pyarrow too) sizes each page it inflates by the page's header
(`uncompressed_page_size`), not by the footer: the footer's `total_uncompressed_size` is a sum the
writer stated, which nothing checks. A footer that understates it (a forged file, or a writer's
bug) passed the row-group caps while pyarrow inflated the pages in full: a 24 KB file whose footer
said 30 KB read 200 MB. Walking a chunk's page headers costs one small read a page (a page holds
about 1 MiB of values; pages of big values hold fewer) and gives the sizes the reader will use.

Page headers are Thrift structs in the compact protocol (parquet.thrift `PageHeader`: 1 type,
2 uncompressed_page_size, 3 compressed_page_size, 5 data_page_header, 7 dictionary_page_header,
8 data_page_header_v2; each data page header's field 1 is its num_values). Only what the walk needs
is decoded; the rest is skipped by its wire type.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

_MAX_HEADER = 16 << 20  # Arrow's own limit on a page header (kDefaultMaxPageHeaderSize)
_MAX_DEPTH = 32  # nesting of structs and lists in a header: PageHeader needs 4
_DATA_PAGE, _DATA_PAGE_V2 = 0, 3


class BadPageHeader(ValueError):
    """Bytes where a page header should stand that are not one."""


class _Short(Exception):
    """The header runs past the bytes read so far."""


@dataclass(frozen=True)
class ChunkPages:
    inflated: int  # the pages' uncompressed sizes added up, headers included
    compressed: int  # their stored sizes, headers included
    largest: int  # the largest page's uncompressed size: a reader inflates a page whole
    pages: int


class _Compact:
    """A reader of the Thrift compact protocol over `data` from `pos`."""

    def __init__(self, data: bytes, pos: int = 0):
        self.data, self.pos = data, pos

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise _Short
        self.pos += 1
        return self.data[self.pos - 1]

    def varint(self) -> int:
        value = shift = 0
        while True:
            b = self.byte()
            value |= (b & 0x7F) << shift
            if not b & 0x80:
                return value
            shift += 7
            if shift > 63:
                raise BadPageHeader("a varint longer than 10 bytes")

    def zigzag(self) -> int:
        n = self.varint()
        return (n >> 1) ^ -(n & 1)

    def skip_bytes(self, n: int) -> None:
        if n < 0:
            raise BadPageHeader("a negative length")
        if self.pos + n > len(self.data):
            raise _Short
        self.pos += n

    def value(self, kind: int, depth: int) -> object:
        """A value of wire type `kind`: ints and structs (as {field id: value}) decoded, the rest skipped."""
        if depth > _MAX_DEPTH:
            raise BadPageHeader("nested too deeply")
        if kind in (1, 2):  # a bool in a field header
            return kind == 1
        if kind == 3:
            return self.byte()
        if kind in (4, 5, 6):
            return self.zigzag()
        if kind == 7:
            return self.skip_bytes(8)
        if kind == 8:
            return self.skip_bytes(self.varint())
        if kind in (9, 10):
            head = self.byte()
            size = head >> 4 if head >> 4 != 15 else self.varint()
            for _ in range(size):
                self.byte() if head & 0x0F in (1, 2) else self.value(head & 0x0F, depth + 1)
            return None
        if kind == 11:
            size = self.varint()
            types = self.byte() if size else 0
            for _ in range(size):
                self.value(types >> 4, depth + 1)
                self.value(types & 0x0F, depth + 1)
            return None
        if kind == 12:
            return self.struct(depth + 1)
        raise BadPageHeader(f"wire type {kind} is no Thrift type")

    def struct(self, depth: int = 0) -> dict[int, object]:
        fields: dict[int, object] = {}
        last = 0
        while (head := self.byte()) != 0:
            delta, kind = head >> 4, head & 0x0F
            last = last + delta if delta else self.zigzag()
            fields[last] = self.value(kind, depth)
        return fields


def page_header(read_at: Callable[[int, int], bytes], offset: int) -> tuple[dict[int, object], int]:
    """The page header at `offset` (its fields by id) and its length; `read_at(offset, n)` reads
    up to n bytes there. Read 256 bytes first, more while the header runs past them."""
    want = 256
    while True:
        data = read_at(offset, want)
        try:
            reader = _Compact(data)
            return reader.struct(), reader.pos
        except _Short:
            if len(data) < want or want >= _MAX_HEADER:
                raise BadPageHeader(f"the page header at byte {offset} is cut short or over {_MAX_HEADER} bytes") from None
            want *= 4


def chunk_pages(read_at: Callable[[int, int], bytes], start: int, length: int, values: int) -> ChunkPages:
    """The pages of a column chunk that starts at `start` (its dictionary page, else its first data
    page): walked until they hold its `values` values or fill `length` bytes, as a reader reads them."""
    inflated = compressed = largest = pages = seen = 0
    pos, end = start, start + max(0, length)
    while pos < end and seen < values:
        header, size = page_header(read_at, pos)
        raw, stored = header.get(2), header.get(3)
        if not isinstance(raw, int) or not isinstance(stored, int) or raw < 0 or stored < 0:
            raise BadPageHeader(f"the page header at byte {pos} has no sizes")
        page_type = header.get(1)
        body = header.get(5 if page_type == _DATA_PAGE else 8 if page_type == _DATA_PAGE_V2 else -1)
        if isinstance(body, dict) and isinstance(body.get(1), int):
            seen += max(0, body[1])
        # headers counted on both sides, as the footer's sizes count them: equal to its sums on an honest file
        inflated, compressed, largest, pages = inflated + size + raw, compressed + size + stored, max(largest, raw), pages + 1
        pos += size + stored
    return ChunkPages(inflated, compressed, largest, pages)
