"""Literal prefilters for the rule pack: a substring test that rules a regex out before it runs.

Python's regex engine tries an alternation at every position of a line, so a rule like
`\\b(share your|let us know ...)\\b...` costs microseconds per line even though almost no line
contains any of its words. `required_literals(pattern)` reads the pattern's parse tree and returns
literals of which every match must contain at least one (None when no such set is certain); a
line that contains none of them cannot match, and `str.__contains__` says so far faster than the
regex engine can.

Exactness: a sequence's mandatory element (a literal run, a group, a branch whose every
alternative has literals, a repeat of at least one) must appear in every match, so its literals
must. The test compares lower-case literals with `text.lower()`: a superset of what a
case-sensitive literal matches, and exactly what an IGNORECASE one matches for ASCII letters but for
three characters the regex also equates with them (İ and ı with i, ſ with s): `foldable()` says a
text holds none, else the caller runs the regex. Only ASCII literals are used, so no other case
rule matters.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

MIN_LITERAL = 4  # shorter literals ("ad", "the") occur in too many lines to rule anything out
_AT_START = (sre_constants.AT_BEGINNING, sre_constants.AT_BEGINNING_STRING)
_UNFOLDABLE = re.compile("[\u0130\u0131\u017f]")  # İ ı ſ: IGNORECASE equates them with i/s, lower() does not
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT) + (
    (sre_constants.POSSESSIVE_REPEAT,) if hasattr(sre_constants, "POSSESSIVE_REPEAT") else ())


def foldable(text: str) -> bool:
    """True when `text.lower()` folds case exactly as an IGNORECASE regex does for ASCII literals."""
    return text.isascii() or _UNFOLDABLE.search(text) is None  # isascii is a flag check, not a scan


def folded(text: str) -> str | None:
    """What `may_match` compares literals with: `text.lower()` when `foldable`, else None."""
    return text.lower() if foldable(text) else None


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case literals one of which is in the lower-cased text of every match of `pattern`;
    None when the pattern gives no such set of literals of MIN_LITERAL characters or more."""
    found = _required(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    if not found or min(map(len, found)) < MIN_LITERAL:
        return None
    return tuple(sorted({lit.lower() for lit in found}))


def starts_anchored(pattern: re.Pattern[str]) -> bool:
    """True when every match of `pattern` starts at the text's start (`^...` without MULTILINE,
    or `\\A...`): a search then tries one position only."""
    if pattern.flags & re.MULTILINE:
        return False
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    return bool(items) and items[0][0] is sre_constants.AT and items[0][1] in _AT_START


def may_match(literals: tuple[str, ...] | None, lowered: str | None) -> bool:
    """False only when the text cannot match: `lowered` is its `folded()` form (None: the regex
    must decide)."""
    return literals is None or lowered is None or any(map(lowered.__contains__, literals))


def _better(a: set[str] | None, b: set[str] | None) -> set[str] | None:
    """The more selective of two literal sets: the one whose shortest literal is longer."""
    if not a:
        return b
    if not b:
        return a
    return a if min(map(len, a)) >= min(map(len, b)) else b


def _required(items: list) -> set[str] | None:
    best: set[str] | None = None
    run: list[str] = []

    def flush() -> None:
        nonlocal best, run
        if run:
            best = _better(best, {"".join(run)})
        run = []

    for op, av in items:
        if op is sre_constants.LITERAL and av < 128:
            run.append(chr(av))
            continue
        flush()
        if op is sre_constants.SUBPATTERN:
            best = _better(best, _required(list(av[-1])))
        elif op is sre_constants.BRANCH:
            alternatives = [_required(list(alt)) for alt in av[1]]
            if all(alternatives):
                best = _better(best, set().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            best = _better(best, _required(list(av[2])))
    flush()
    return best
