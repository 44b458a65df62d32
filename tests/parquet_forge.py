"""Parquet files whose footer says what their pages do not: a forged or buggy footer, for tests."""

from __future__ import annotations

import struct


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        low, n = n & 0x7F, n >> 7
        if not n:
            return bytes(out + bytes([low]))
        out.append(low | 0x80)


def _i64_field_6(value: int) -> bytes:
    """A Thrift compact field header for field id (previous + 1), type i64, and `value` zigzag-coded:
    how ColumnMetaData's total_uncompressed_size (field 6, after num_values) and RowGroup's
    total_byte_size (field 2, after columns) stand in a footer."""
    return b"\x16" + _varint((value << 1) ^ (value >> 63))


def with_understated_size(data: bytes, real: int, claim: int) -> bytes:
    """`data` (a Parquet file) with every i64 size field of value `real` in its footer saying `claim`."""
    assert data.endswith(b"PAR1")
    n = struct.unpack("<I", data[-8:-4])[0]
    footer = data[-8 - n : -8]
    assert _i64_field_6(real) in footer
    footer = footer.replace(_i64_field_6(real), _i64_field_6(claim))
    return data[: -8 - n] + footer + struct.pack("<I", len(footer)) + b"PAR1"
