"""Argument checks for the library API (`from transforms import clean_text, ...`).

Other projects call these functions on their own data, where a missing field arrives as None and a
raw column as bytes. Without a check the call fails deep inside, with an error about `.replace`
or a regex that does not name the argument; with it, the caller reads what to pass.
"""

from __future__ import annotations


def require_str(function: str, name: str, value: object) -> None:
    if not isinstance(value, str):
        hint = " (decode bytes first, e.g. value.decode('utf-8'))" if isinstance(value, (bytes, bytearray)) else ""
        raise TypeError(f"{function}: `{name}` must be str, not {type(value).__name__}{hint}")
