"""Argument checks for the library API (`from transforms import clean_text, ...`).

Other projects call these functions on their own data, where a missing field arrives as None and a
raw column as bytes. Without a check the call fails deep inside, with an error about `.replace`
or a regex that does not name the argument; with it, the caller reads what to pass.
"""

from __future__ import annotations

import numbers


def require_str(function: str, name: str, value: object) -> None:
    if not isinstance(value, str):
        hint = " (decode bytes first, e.g. value.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
        raise TypeError(f"{function}: `{name}` must be str, not {type(value).__name__}{hint}")


def require_int(function: str, name: str, value: object, lo: int, hi: int | None = None) -> None:
    """An int (a numpy integer too) from `lo` to `hi`: a TypeError for anything else (a bool, a
    float, a str, None), a ValueError outside the range, each naming the argument."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{function}: `{name}` must be int, not {type(value).__name__}")
    if value < lo or (hi is not None and value > hi):
        bounds = f"from {lo:,} to {hi:,}" if hi is not None else f"at least {lo:,}"
        raise ValueError(f"{function}: `{name}` must be {bounds}, not {value}")
