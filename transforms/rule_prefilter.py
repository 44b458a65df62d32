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

`StartIndex` is the other prefilter, for patterns anchored at the start (`^...`): from the
parse tree, the characters each of a pattern's first two character items matches (asked of the
regex engine itself, so its case folding holds), and so the first two characters a match can
begin with. A text starting otherwise cannot match, and the pattern is not run on it.
"""

from __future__ import annotations

import _sre
import functools
import re

try:  # Python 3.11+
    from re import _compiler as sre_compile
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_compile  # type: ignore[no-redef]
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


@functools.lru_cache(maxsize=16)
def parsed(pattern: re.Pattern[str]) -> sre_parse.SubPattern:
    """`re`'s own parse tree of `pattern`, which the analyses here and in rule_safety.py read and
    never change. Kept for the last few patterns: parsing a rule pack asks each pattern's tree
    for its width, its safety check, its anchor and its literals one after the other, and a
    parse costs more than any of them but the check (not for a whole pack: see rule_safety's
    `_analysed`)."""
    return sre_parse.parse(pattern.pattern, pattern.flags)


def required_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Lower-case literals one of which is in the lower-cased text of every match of `pattern`;
    None when the pattern gives no such set of literals of MIN_LITERAL characters or more."""
    found = _required(list(parsed(pattern)))
    if not found or min(map(len, found)) < MIN_LITERAL:
        return None
    return tuple(sorted({lit.lower() for lit in found}))


def starts_anchored(pattern: re.Pattern[str], items: list | None = None) -> bool:
    """True when every match of `pattern` starts at the text's start (`^...` without MULTILINE,
    or `\\A...`): a search then tries one position only. `items`: its parse, when at hand."""
    if pattern.flags & re.MULTILINE:
        return False
    items = list(parsed(pattern)) if items is None else items
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


def scanning_literals(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...] | None:
    """For a pattern anchored at the start whose next items are lookaheads
    (`^(?=[^\\n]{0,160}[·|•] ?(delay|retard))...`): sets of lower-case strings, each of which has a
    string in the lower-cased text of every match (`(("|", "·", "•"), ("delay", "retard"))`), read
    from those lookaheads, sets of single characters first, then the smaller sets; None when the
    pattern is not of that shape or gives no such set. Such a lookahead scans the line before
    anything else is tried (microseconds a line: the costliest of the line rules' searches), so a
    rare character that most lines lack is worth a test; a set holding a string most lines have (a
    letter, a digit, '.', ':') is left out."""
    items = list(parsed(pattern))
    if not starts_anchored(pattern, items):
        return None
    found: list[set[str]] = []
    for op, av in items[1:]:
        if op is not sre_constants.ASSERT:
            break
        _required_sets(list(av[1]), found)  # what a lookahead (or a lookbehind) must find
    # sets of single characters first: the cheapest to test, and most of the pack's scans share one
    # (the separators `[·|•]`), which `_first_line_rule` tests once a line
    sets = sorted({tuple(sorted(s)) for s in found if all(map(_telling, s))}, key=lambda s: (max(map(len, s)) > 1, len(s), s))
    return tuple(sets) or None


def _telling(literal: str) -> bool:
    # a string few lines hold: three characters or more, or a symbol that is not common punctuation
    return len(literal) >= 3 or (len(literal) == 1 and not literal.isalnum() and not literal.isspace() and literal not in _COMMON)


_COMMON = ".,:;-'\"()/!?&"


def _plain(code: int) -> bool:
    # a character whose lower-case form is what the regex engine matches it by, under any
    # flags: an ASCII one (`foldable` rules out the three others IGNORECASE equates with i and s),
    # or one without case
    return code < 128 or not _sre.unicode_iscased(code)


def _required_sets(items: list, found: list[set[str]]) -> set[str] | None:
    """Adds to `found` every set of strings (literals of any length, small character sets like
    `[·|•]` as one-character strings) one of which a match of `items` must hold, and returns the
    one that `_better` prefers (None: none)."""
    best: set[str] | None = None
    run: list[str] = []

    def take(option: set[str] | None) -> None:
        nonlocal best
        if option:
            found.append(option)
            best = _better(best, option)

    def flush() -> None:
        nonlocal run
        if run:
            take({"".join(run).lower()})
        run = []

    for op, av in items:
        if op is sre_constants.LITERAL and _plain(av):
            run.append(chr(av))
            continue
        flush()
        if op is sre_constants.IN and len(av) <= _MAX_SET and all(o is sre_constants.LITERAL and _plain(c) for o, c in av):
            take({chr(c).lower() for _, c in av})
        elif op is sre_constants.SUBPATTERN:
            take(_required_sets(list(av[-1]), found))
        elif op is sre_constants.BRANCH:
            alternatives = [_required_sets(list(alt), []) for alt in av[1]]
            if all(alternatives):
                take(set().union(*alternatives))
        elif op in _REPEATS and av[0] >= 1:
            take(_required_sets(list(av[2]), found))
    flush()
    return best


_MAX_SET = 8  # a larger character set ([a-z], [\w.]) is in almost every line


# --- what a pattern anchored at the start can begin with ------------------------------------------

# The characters whose start classes are known: Latin, Greek, Cyrillic, general punctuation,
# currency and letter-like symbols. A text starting with another character tries every pattern.
_UNIVERSE = "".join(chr(c) for lo, hi in ((0, 0x530), (0x2000, 0x2070), (0x20A0, 0x20D0), (0x2100, 0x2200)) for c in range(lo, hi))
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)
_ATOMS = (sre_constants.LITERAL, sre_constants.NOT_LITERAL, sre_constants.ANY, sre_constants.IN, sre_constants.CATEGORY)
_END = -1  # the second "character" of a one-character text


class _Unknown(Exception):
    """A construct the start analysis does not follow (a backreference, a conditional)."""


def _atom_chars(item: tuple, flags: int, memo: dict) -> frozenset[str]:
    """The characters of _UNIVERSE one character item matches, by the regex engine itself (case
    folding included)."""
    key = (item[0], repr(item[1]), flags)
    found = memo.get(key)
    if found is None:
        state = sre_parse.State()
        state.flags = flags
        atom = sre_compile.compile(sre_parse.SubPattern(state, [item]), flags)
        found = memo[key] = frozenset(atom.findall(_UNIVERSE))
    return found


def _concat(a: set[tuple], b: set[tuple]) -> set[tuple]:
    """Two-character starts of a match of `a` followed by one of `b` (a shorter tuple: the match
    can end there)."""
    return {x if len(x) == 2 else (x + y)[:2] for x in a for y in (b if len(x) < 2 else ((),))}


def _starts(items: list, flags: int, memo: dict) -> set[tuple]:
    """The first two characters of every match of `items`, as tuples of character sets (len 2:
    the match goes on; len 0-1: it can end there)."""
    out: set[tuple] = {()}
    for op, av in items:
        if all(len(x) == 2 for x in out):
            break
        if op in _ATOMS:
            got: set[tuple] = {(_atom_chars((op, av), flags, memo),)}
        elif op in _ZERO_WIDTH:
            continue  # it only narrows what matches: the starts stay a superset
        elif op is sre_constants.SUBPATTERN:
            got = _starts(list(av[3]), sre_compile._combine_flags(flags, av[1], av[2]), memo)
        elif op is sre_constants.BRANCH:
            got = set().union(*(_starts(list(alt), flags, memo) for alt in av[1]))
        elif op in _REPEATS:
            low, high, body = av[0], av[1], _starts(list(av[2]), flags, memo)
            got, reps, n = set(), {()}, 0
            while True:
                if n >= low:
                    got |= reps
                if n == high:
                    break
                more = _concat(reps, body)
                if n >= low and more <= got:  # a further repeat adds no start
                    break
                reps, n = more, n + 1
        elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
            got = _starts(list(av), flags, memo)
        else:
            raise _Unknown(op)
        out = _concat(out, got)
    return out


class StartIndex:
    """Which of some patterns, each anchored at the start (`starts_anchored`), can match a text,
    judged by its first two characters: `possible(key(text))` gives the indices of the patterns
    that can, or None when any could (a character outside the known ones). A pattern not
    anchored, or with a construct the analysis does not follow, is always among them. Exact in
    one direction only, the one that matters: a pattern left out cannot match.

    The characters are sorted into classes that every pattern's first two character items treat
    alike, so the answers depend on a pair of small class numbers, each worked out once."""

    def __init__(self, patterns: list[re.Pattern[str]]):
        memo: dict = {}
        starts: list[set[tuple] | None] = []
        for pattern in patterns:
            if not starts_anchored(pattern):
                starts.append(None)  # it can match further on: its start says nothing
                continue
            try:
                starts.append(_starts(list(parsed(pattern)), pattern.flags, memo))
            except _Unknown:
                starts.append(None)
        sets = sorted({s for st in starts if st for path in st for s in path}, key=lambda s: sorted(s))
        signature: dict[tuple[bool, ...], int] = {}
        self._class = {c: signature.setdefault(tuple(c in s for s in sets), len(signature)) for c in _UNIVERSE}
        by_set = {s: frozenset(self._class[c] for c in s) for s in sets}
        every = frozenset(signature.values())
        # per pattern: the first classes after which a match can end, and for each first class the
        # second classes that can follow it. (The (first, second) pairs spelt out one by one took
        # 61 MB in each process for the twenty-first batch's pack, whose bars start with broad
        # classes, against about 1 MB this way: the sets of second classes are few, and shared.)
        shared: dict[frozenset[int], frozenset[int]] = {}
        self._patterns: list[tuple[frozenset[int], dict[int, frozenset[int]]] | None] = []
        for st in starts:
            if st is None or () in st:
                self._patterns.append(None)
                continue
            ends = frozenset(k for path in st if len(path) == 1 for k in by_set[path[0]])
            follow: dict[int, set[int]] = {}
            for path in st:
                if len(path) == 2:
                    seconds = by_set[path[1]]
                    for a in by_set[path[0]]:
                        follow.setdefault(a, set()).update(seconds)
            self._patterns.append((ends, {a: shared.setdefault(frozenset(b), frozenset(b)) for a, b in follow.items()}))
        self._every = every

    def key(self, text: str) -> tuple[int, int] | None:
        """The class pair `possible` answers by (None: unknown characters, any pattern may match)."""
        first = self._class.get(text[:1])
        if first is None:
            return None
        if len(text) == 1:
            return first, _END
        second = self._class.get(text[1])
        return None if second is None else (first, second)

    def possible(self, key: tuple[int, int] | None) -> tuple[int, ...] | None:
        """The indices of the patterns that can match a text with this `key`."""
        if key is None:
            return None
        first, second = key
        return tuple(i for i, p in enumerate(self._patterns) if p is None or first in p[0] or second in p[1].get(first, ()))



class LiteralScan:
    """Which of some lower-case literals a lower-cased text holds, in one regex pass instead of
    one `in` test per literal (the sentence rules' prefilter tried about 300 literals on each
    line a line rule left, most of them absent: the largest cost of `sentence_rules_for`).

    The regex looks ahead at every position for the longest literal that starts there (the
    literals grouped by their first character, each group longest first, so an alternation's
    first match is the longest). Any other literal starting there is a prefix of that one, so the
    literals present are exactly the prefixes, among the literals, of those found. `present`
    answers with a bit mask over `literals` (bit i: literals[i]); `mask` gives a set's bits."""

    def __init__(self, literals: tuple[str, ...] | list[str]):
        self.literals = tuple(dict.fromkeys(literals))
        self._bit = {lit: 1 << i for i, lit in enumerate(self.literals)}
        groups: dict[str, list[str]] = {}
        for lit in sorted(self.literals, key=len, reverse=True):
            if lit:
                groups.setdefault(lit[0], []).append(lit)
        branches = [re.escape(c) + "(?:" + "|".join(re.escape(lit[1:]) for lit in group) + ")" for c, group in groups.items()]
        self._findall = re.compile("(?=(" + "|".join(branches) + "))").findall if branches else None
        # each literal's bit and those of the literals it starts with
        self._closure = {lit: self.mask(p for p in self.literals if p and lit.startswith(p)) for lit in self.literals}
        # an empty literal is in every text
        self._always = self._bit.get("", 0)

    def mask(self, literals) -> int:
        """The bits of `literals` (each one of this scan's)."""
        out = 0
        for lit in literals:
            out |= self._bit[lit]
        return out

    def present(self, lowered: str) -> int:
        """The bits of the literals `lowered` holds."""
        out = self._always
        if self._findall is not None:
            closure = self._closure
            for lit in set(self._findall(lowered)):
                out |= closure[lit]
        return out
