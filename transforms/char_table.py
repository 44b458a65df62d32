"""A `str.translate` table that fills itself from a per-character function.

`text.translate(CharTable(fn))` maps every character through `fn` at C speed once the table has
seen it: `str.translate` looks each code point up in the table, and a missing one is computed by
`fn`, stored and returned. `fn` must be a pure function of the character, so the table is a cache
that can be shared between documents (and threads) without changing a result.
"""

from __future__ import annotations

from typing import Callable


class CharTable(dict):
    def __init__(self, fn: Callable[[str], str]) -> None:
        super().__init__()
        self._fn = fn

    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = out = self._fn(chr(codepoint))
        return out
