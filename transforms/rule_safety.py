"""Rule patterns that cannot backtrack exponentially: the check every rule pack pattern passes.

Python's `re` is a backtracking matcher and holds the GIL while it runs, so one pattern such as
`^(a+)+$` on the line 'a' * 40 + '!' stalls a worker for hours: it tries each of the 2^40 ways the
nested loops can split the a's. A backtracking matcher takes exponential time on some input exactly
when the pattern's automaton is exponentially ambiguous: from one state, two different paths read
the same text and come back to that state (Weideman, van der Merwe, Berglund and Watson, "Analyzing
matching time behavior of backtracking regular expression matchers by using ambiguity of NFA",
CIAA 2016). `backtracking_risk(pattern)` looks for exactly that, and says why in one line.

How: the pattern's position automaton (Glushkov: one state per character item, read from `re`'s
own parse tree, so the check sees what `re` runs) is squared: a pair of states (p, r) is a state
of the square when some character can take the automaton to both, and it steps to (p', r') when
p' follows p, r' follows r and some character reaches both. Exponential ambiguity is a cycle of the
square through a pair (q, q) and a pair (p, r) with p != r. The check errs on the safe side:

- a bounded repeat (`[^.!?]{0,60}`, `( \\w+){1,3}`) counts as unbounded, so a pattern that is
  only slow on long lines is refused too (rewrite it so that the repeats cannot share text);
- two character sets are taken to share a character unless shown otherwise: exactly when one of
  them is a finite list of characters, else on a sample of characters from many scripts;
- a repeated group that can match nothing (`(a*)*`) and backreferences are refused outright;
- lookarounds are checked as patterns of their own.

What remains is polynomial backtracking (`.*x.*x` tries every pair of positions). A rule only
ever searches text of at most its `max_chars` characters, which bounds that cost, and
`backtracking_risk(pattern, max_chars)` holds the bound to MAX_SEARCH_STEPS: `search_steps`
estimates a failed search's worst case from the longest chain of loops that can share a line out
(Weber and Seidl's criterion for polynomial ambiguity, on the automaton's cube).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from re import _compiler as sre_compile  # Python 3.11's names (setup.py asks for 3.11+)
from re import _constants as C
from re import _parser as sre_parse

from transforms.rule_prefilter import parsed, starts_anchored

_REPEATS = {C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT}
_CHARS = {C.LITERAL, C.NOT_LITERAL, C.ANY, C.IN, C.CATEGORY}
MAX_PATTERN_CHARS = 2_000  # longer patterns are refused: the check's cost grows with their size
MAX_LOOP_ITEMS = 400  # nor may one repeated group hold more character items than this
# The most steps a rule's failed search may take on a line of its max_chars (`search_steps`):
# about 0.1 s of the matcher. The bundled packs' worst is 2.7e7.
MAX_SEARCH_STEPS = 1e8
_MAX_FINITE = 20_000  # a class listing more characters than this is compared on the sample
# Characters two infinite sets (\w, [^.!?], .) are compared on: ASCII and Latin-1, and the letters,
# digits, spaces and punctuation of other scripts, with the case pairs IGNORECASE treats specially.
_SAMPLE = "".join(map(chr, range(0x250))) + (
    "ſİıK\u212bµμßẞǅ\u0345ΐ\u1e9eΣσςЖжЁё"
    "\u0660\u0663\u06f3\u0966\u09e6\u0e50\uff10\uff11\u2160\u00bd"  # digits and numbers of other scripts
    "\u00a0\u1680\u2000\u2007\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\x85\x1c\x1f"  # spaces
    "\u2010\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2032\u3001\u3002\uff01\uff1f\u00ab\u00bb\u203a"
    "\u05d0\u0627\u0905\u0e01\u3042\u30a2\u4e2d\u65e5\uac00\u3005\u02b0\u0301\u064b\u0903"
    "\U0001f600\U00010400\U00020000\ue000"
)


class UnsafePattern(ValueError):
    """A pattern the check refuses; the message says why in one line."""


def backtracking_risk(pattern: re.Pattern[str], chars: int | None = None) -> str | None:
    """Why `pattern` can backtrack too long, or None when it provably cannot: exponentially on
    some text or, given `chars`, past MAX_SEARCH_STEPS on a text of `chars` characters."""
    if len(pattern.pattern) > MAX_PATTERN_CHARS:
        return f"longer than {MAX_PATTERN_CHARS} characters (split it into several patterns)"
    try:
        checked, starts_at_one = _analysed(pattern)
    except UnsafePattern as exc:
        return str(exc)
    steps = None if chars is None else _search_steps(checked, starts_at_one, chars)
    if steps is None or steps <= MAX_SEARCH_STEPS:
        return None
    return (f"a search that fails can take about {steps:.0e} steps on a line of {chars} characters (over "
            f"{MAX_SEARCH_STEPS:.0e}, about 0.1 s): its loops can share a line out between them in many ways, as "
            f".*,.*,.*x does; anchor it with ^, bound its repeats, or give the rule max_chars "
            f"{longest_line(pattern, chars)} or less")


def longest_line(pattern: re.Pattern[str], upto: int) -> int:
    """The longest line, of at most `upto` characters, on which a failed search of `pattern` stays
    within MAX_SEARCH_STEPS (0: none), for a pattern without exponential backtracking."""
    checked, starts_at_one = _analysed(pattern)
    return _largest(lambda n: _search_steps(checked, starts_at_one, n) <= MAX_SEARCH_STEPS, upto)


def search_steps(pattern: re.Pattern[str], chars: int) -> float:
    """About how many steps a search of `pattern` that fails can take on a text of `chars`
    characters at worst, for a pattern without exponential backtracking: a polynomial in `chars`.

    A backtracking search tries every start (one, when the pattern is anchored at the text's
    start), from each it reads up to `chars` characters, and it reads them every way the
    pattern's automaton can (`_Automaton.ways`: as `chars`^d, d its degree of ambiguity). Measured
    on a line of commas (IGNORECASE, 2 GHz): `.*,.*x$` (d = 1) on 1,000 characters 1.0 s for 10^9
    steps; `.*,.*,.*x$` (d = 2) on 300 characters 2.4 s for 8 * 10^9."""
    return _search_steps(*_analysed(pattern), chars)


@functools.lru_cache(maxsize=16)
def _analysed(pattern: re.Pattern[str]) -> tuple[_Checked, bool]:
    """The pattern's checked automata, and whether its search tries one start only; UnsafePattern
    when it can backtrack exponentially. Kept for the last few patterns: a pack's parse asks for
    a pattern's risk and then its longest line. Not for a whole pack: a process would hold tens
    of thousands of objects for good, which every full pass of the garbage collector walks."""
    try:
        tree = parsed(pattern)
    except re.error as exc:  # pragma: no cover - `pattern` compiled already
        raise UnsafePattern(str(exc)) from None
    items = list(tree)
    return _check(items, tree.state, pattern.flags), starts_anchored(pattern, items)


def required_width(pattern: re.Pattern[str]) -> int:
    """The fewest characters a match of `pattern` consumes (0: it can match the empty string)."""
    return parsed(pattern).getwidth()[0]


def _check(items: list, state, flags: int) -> _Checked:
    auto = _Automaton(state)
    auto.sequence(items, flags)
    inner = [_check(sub_items, state, sub_flags) for sub_items, sub_flags in auto.lookarounds]
    auto.refuse_ambiguous_loops()
    return _Checked(auto, inner)


@dataclass
class _Checked:
    """A pattern's automaton that passed the exponential check, with its lookarounds'."""

    auto: _Automaton
    lookarounds: list[_Checked]

    def ways(self, chars: int) -> float:
        # a lookaround is run again at every position the pattern reaches, each run a search of its own
        return max([self.auto.ways(chars), *(chars * sub.ways(chars) for sub in self.lookarounds)])


def _search_steps(checked: _Checked, starts_at_one: bool, chars: int) -> float:
    return (1 if starts_at_one else chars) * chars * checked.ways(chars)


def _largest(fits, upto: int) -> int:
    """The largest n in 1..upto for which `fits(n)` (which only turns false as n grows); 0 if none."""
    if fits(upto):
        return upto
    low, high = 0, upto
    while low < high:
        mid = (low + high + 1) // 2
        low, high = (mid, high) if fits(mid) else (low, mid - 1)
    return low


@dataclass
class _Automaton:
    """The position (Glushkov) automaton of one pattern: a state per character item."""

    state: object
    items: list = field(default_factory=list)  # (item, flags) per position
    follow: list[dict[int, int]] = field(default_factory=list)  # p -> {q: number of ways p steps to q}
    # the ways back of each repeat: (its most rounds, its last-to-first steps); a loop such as
    # [\w ,.-]{0,30} runs at most 30 times whatever the text's length
    backs: list[tuple[int, list[tuple[int, int]]]] = field(default_factory=list)
    lookarounds: list = field(default_factory=list)
    # set by refuse_ambiguous_loops, for `ways`: the loops (strongly connected components),
    # which position is in which and which components go round, the character sets, and the
    # pairs of loops found twins
    sccs: list[list[int]] = field(default_factory=list)
    comp: dict[int, int] = field(default_factory=dict)
    cyclic: list[bool] = field(default_factory=list)  # per loop: whether it goes round at all
    charsets: _CharSets | None = None
    twins: dict[tuple[int, int], bool] = field(default_factory=dict)
    reach: list[int] | None = None  # see `_reach`

    def position(self, item, flags: int) -> int:
        self.items.append((item, flags))
        self.follow.append({})
        return len(self.items) - 1

    def link(self, last: dict[int, int], first: dict[int, int]) -> None:
        for p, a in last.items():
            for q, b in first.items():
                self.follow[p][q] = self.follow[p].get(q, 0) + a * b

    # Each part below is (ways to match nothing, {first position: ways}, {last position: ways}):
    # counting the ways, not only whether there is one, keeps apart the paths that differ only
    # in what matched nothing: `(a|a)*` is parsed as `(a(?:|))*`, two empty ways after each a.

    def sequence(self, items: list, flags: int) -> tuple[int, dict[int, int], dict[int, int]]:
        empty, first, last = 1, {}, {}
        for item in items:
            e, f, la = self.one(item, flags)
            self.link(last, f)
            if empty:  # (most items follow one that cannot match nothing: no copy of `first`)
                first = _plus(first, _times(f, empty))
            last = _plus(_times(last, e), la) if e else la
            empty *= e
        return empty, first, last

    def one(self, item, flags: int) -> tuple[int, dict[int, int], dict[int, int]]:
        op, av = item
        if op in _CHARS:
            p = self.position(item, flags)
            return 0, {p: 1}, {p: 1}
        if op is C.AT:
            return 1, {}, {}
        if op is C.SUBPATTERN:
            _group, add, remove, body = av
            return self.sequence(list(body), (flags | add) & ~remove)
        if op is C.ATOMIC_GROUP:
            return self.sequence(list(av), flags)
        if op is C.BRANCH:
            empty, first, last = 0, {}, {}
            for alt in av[1]:
                e, f, la = self.sequence(list(alt), flags)
                empty, first, last = empty + e, _plus(first, f), _plus(last, la)
            return empty, first, last
        if op in _REPEATS:
            low, high, body = av
            if high == 0:
                return 1, {}, {}
            e, f, la = self.sequence(list(body), flags)
            if high > 1:
                if e:
                    raise UnsafePattern("a repeated group that can match nothing (like (a*)*) can backtrack without end")
                self.link(la, f)
                self.backs.append((high, [(p, q) for p in la for q in f]))
            return e + (low == 0), f, la
        if op in (C.ASSERT, C.ASSERT_NOT):
            self.lookarounds.append((list(av[1]), flags))
            return 1, {}, {}
        if op.name.startswith("GROUPREF"):
            raise UnsafePattern("backreferences are not allowed in rule patterns")
        raise UnsafePattern(f"unsupported pattern element {op.name}")  # pragma: no cover

    # --- the ambiguity test ------------------------------------------------------------------

    def refuse_ambiguous_loops(self) -> None:
        self.sccs = sccs = _components(range(len(self.items)), lambda p: self.follow[p])  # reverse topological order
        self.comp = comp = {p: i for i, c in enumerate(sccs) for p in c}
        for p, nexts in enumerate(self.follow):
            for q, ways in nexts.items():
                if ways > 1 and comp[p] == comp[q]:
                    raise UnsafePattern(self._why(p))
        self.charsets = _CharSets(self.items, self.state)
        self.cyclic = [len(members) > 1 or members[0] in self.follow[members[0]] for members in sccs]
        for members, cyclic in zip(sccs, self.cyclic):
            if not cyclic:
                continue
            if len(members) > MAX_LOOP_ITEMS:
                raise UnsafePattern(f"a repeated group of more than {MAX_LOOP_ITEMS} characters is too large to check")
            if self._loop_is_ambiguous(members):
                q = self._ambiguous_pair(members)
                if q is None:  # pragma: no cover - the two agree (tests/unit/test_rules.py)
                    raise AssertionError("a loop found ambiguous without an ambiguous component")
                raise UnsafePattern(self._why(q))

    def _loop_is_ambiguous(self, members: list[int]) -> bool:
        """Whether the square of the loop `members` has a component holding a pair (q, q) and a
        pair (p, r) with p != r. The loop's pairs (q, q) are all in one component (each step
        q -> q' of the loop is a step (q, q) -> (q', q')), so it has one exactly when some pair
        (p, r), p != r, that a pair (q, q) leads to leads back to a pair (q', q'). Only those
        pairs are visited, not every pair of the loop: in most loops no two ways out of one
        position read a common character, and then there are none."""
        inside, meet = set(members), self.charsets.meet
        nexts = {p: [a for a in self.follow[p] if a in inside] for p in members}
        todo = [(a, b) for q in members for a in nexts[q] for b in nexts[q] if a != b and meet(a, b)]
        seen = set(todo)
        while todo:
            p, r = todo.pop()
            for a in nexts[p]:
                for b in nexts[r]:
                    if not meet(a, b):
                        continue
                    if a == b:
                        return True
                    if (a, b) not in seen:
                        seen.add((a, b))
                        todo.append((a, b))
        return False

    def _ambiguous_pair(self, members: list[int]) -> int | None:
        """The reference search: the q of a pair (q, q) in the first component of the loop's
        square, in Tarjan's order over every pair of the loop, that also holds a pair (p, r) with
        p != r; None when there is no such component. It names the position a refusal names; it
        costs far more than `_loop_is_ambiguous`, so it runs only on a loop found ambiguous."""
        chars, inside = self.charsets, set(members)
        pairs = [(p, r) for p in members for r in members if chars.meet(p, r)]

        def steps(pair: tuple[int, int]) -> list[tuple[int, int]]:
            p, r = pair
            return [(a, b) for a in self.follow[p] if a in inside for b in self.follow[r]
                    if b in inside and chars.meet(a, b)]

        for component in _components(pairs, steps):
            if any(p == r for p, r in component) and any(p != r for p, r in component):
                return next(p for p, r in component if p == r)
        return None

    def ways(self, chars: int) -> float:
        """The most ways the automaton can read one text of `chars` characters, as a polynomial
        bound: the largest product along a chain of loops C1 -> C2 -> ... in which each loop and
        the next can read the same word while one stays put and the other moves on (Weber and
        Seidl's criterion for polynomial ambiguity; chains may be joined by any path). Each link
        of the chain multiplies by the rounds the smaller of its two loops can run: `chars`, or a
        bounded repeat's most rounds ([\w ,.-]{0,30}: 30). Computed on the whole automaton, not
        only the part that can reach a match: a backtracking matcher walks the dead ends too."""
        sccs, comp, cyclic = self.sccs, self.comp, self.cyclic
        if sum(cyclic) < 2:  # most patterns: no chain to look for
            return 1.0
        rounds = [1.0] * len(sccs)  # how often each loop can go round, at most
        for high, steps in self.backs:
            inside = {comp[p] for p, q in steps if comp[p] == comp[q]}
            for i in inside:
                rounds[i] *= chars if high == C.MAXREPEAT else high
        reach = self._reach()
        # the most ways along a chain from each loop on; a component reaches only components
        # before it (`sccs` is in reverse topological order), so those of a loop are known when
        # it comes, and a chain through a component that does not go round is one through the
        # loops after it
        best: dict[int, float] = {}
        for i in (i for i, goes_round in enumerate(cyclic) if goes_round):
            below = [j for j in best if reach[i] >> j & 1]
            most = max((best[j] for j in below), default=1.0)
            for j in below:
                gain = best[j] * min(chars, rounds[i], rounds[j])
                if gain > most and self._twin_loops(i, j, reach):
                    most = gain
            best[i] = most
        return max(best.values(), default=1.0)

    def _reach(self) -> list[int]:
        """Per component, the components it reaches, itself included, as bits; kept: `ways` is
        asked for several lengths of line."""
        if self.reach is None:
            comp, follow = self.comp, self.follow
            self.reach = []
            for i, members in enumerate(self.sccs):
                seen = 1 << i
                for p in members:
                    for q in follow[p]:
                        if comp[q] != i:
                            seen |= self.reach[comp[q]]
                self.reach.append(seen)
        return self.reach

    def _twin_loops(self, i: int, j: int, reach: list[int]) -> bool:
        """Whether some word w takes a p of loop i back to p, to a q of loop j, and q back to q:
        a search of the product of three copies of the automaton from (p, p, q) for (p, q, q)."""
        if (i, j) not in self.twins:
            self.twins[i, j] = self._find_twins(i, j, reach)
        return self.twins[i, j]

    def _find_twins(self, i: int, j: int, reach: list[int]) -> bool:
        first, second, comp, chars = self.sccs[i], self.sccs[j], self.comp, self.charsets
        between = {p for p in range(len(self.items)) if reach[i] >> comp[p] & 1 and reach[comp[p]] >> j & 1}
        in_first, in_second, meet = set(first), set(second), chars.meet
        # each position's next positions within a part, in the automaton's order (the search's
        # order decides where the budget runs out), worked out when first asked
        within: dict[tuple[int, int], list[int]] = {}

        def nexts(p: int, part: int, allowed: set[int]) -> list[int]:
            found = within.get((p, part))
            if found is None:
                found = within[p, part] = [q for q in self.follow[p] if q in allowed]
            return found

        budget = 200_000  # triples visited; past it the answer is yes (the safe side)
        for p in first:
            for q in second:
                seen, todo = {(p, p, q)}, [(p, p, q)]
                while todo:
                    a, b, c = todo.pop()
                    for a2 in nexts(a, 0, in_first):
                        for b2 in nexts(b, 1, between):
                            if not meet(a2, b2):
                                continue
                            for c2 in nexts(c, 2, in_second):
                                if not meet(b2, c2) or not meet(a2, c2):
                                    continue
                                if (a2, b2, c2) == (p, q, q):
                                    return True
                                if (a2, b2, c2) not in seen:
                                    seen.add((a2, b2, c2))
                                    todo.append((a2, b2, c2))
                                    budget -= 1
                                    if budget < 0:
                                        return True
        return False

    def _why(self, p: int) -> str:
        (op, av), _ = self.items[p]
        where = f"{chr(av)!r}" if op is C.LITERAL else "a character class" if op is C.IN else op.name.lower()
        return (f"the repeat around {where} can match the same text in more than one way (like (a+)+ or "
                "(a|ab)*), so matching can take exponential time")


def _plus(a: dict[int, int], b: dict[int, int]) -> dict[int, int]:
    out = dict(a)
    for k, v in b.items():
        out[k] = out.get(k, 0) + v
    return out


def _times(a: dict[int, int], n: int) -> dict[int, int]:
    return {k: v * n for k, v in a.items()} if n else {}


class _CharSets:
    """Whether two positions' character sets can share a character. The answer depends on the
    positions' character items and flags only (`_char_key`), so it is worked out once per pair of
    those, across patterns: a pack's patterns read the same few dozen letters and classes."""

    def __init__(self, items: list, state) -> None:
        self.items, self.state = items, state
        self.keys: dict[int, tuple] = {}
        self.memo: dict[tuple[int, int], bool] = {}  # by positions: the searches ask each pair often

    def key(self, p: int) -> tuple:
        key = self.keys.get(p)
        if key is None:
            item, flags = self.items[p]
            key = self.keys[p] = _char_key(item, flags, self.state.flags)
        return key

    def meet(self, p: int, r: int) -> bool:
        if p == r:
            return True
        found = self.memo.get((p, r))
        if found is None:
            found = self.memo[p, r] = self.memo[r, p] = _meet(self.key(p), self.key(r))
        return found


def _char_key(item: tuple, flags: int, global_flags: int) -> tuple:
    """All that decides which characters a character item matches: the item, its flags and its
    pattern's global flags (which `re` adds to every part's), hashable."""
    op, av = item
    return op, tuple(av) if op is C.IN else av, flags, global_flags


@functools.lru_cache(maxsize=4096)
def _matcher(key: tuple) -> re.Pattern[str]:
    """The character item of `key` compiled alone, for the regex engine to say what it matches."""
    op, av, flags, global_flags = key
    state = sre_parse.State()
    state.flags = global_flags
    return sre_compile.compile(sre_parse.SubPattern(state, [(op, list(av) if op is C.IN else av)]), flags)


@functools.lru_cache(maxsize=4096)
def _members(key: tuple) -> frozenset[str] | None:
    """Every character the item of `key` matches, when that is a short list; else None."""
    op, av, flags, _ = key
    listed: list[int] | None = []
    for sub_op, sub_av in [(op, av)] if op is C.LITERAL else (av if op is C.IN else [(None, None)]):
        if sub_op is C.LITERAL:
            listed.append(sub_av)
        elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < _MAX_FINITE:
            listed.extend(range(sub_av[0], sub_av[1] + 1))
        else:
            listed = None
            break
    if listed is None or len(listed) > _MAX_FINITE:
        return None
    chars = {chr(c) for c in listed}
    if flags & re.IGNORECASE:
        chars |= {v for c in chars for v in (c.lower(), c.upper(), c.casefold(), c.title()) if len(v) == 1}
        chars |= set("ſİıK\u212bµμßẞ")
    match = _matcher(key).fullmatch
    return frozenset(c for c in chars if match(c))


@functools.lru_cache(maxsize=1 << 16)
def _meet(key: tuple, other: tuple) -> bool:
    """Whether the items of two keys can match a common character: exactly when one of them is
    a finite list of characters, else on _SAMPLE."""
    a, b = _members(key), _members(other)
    if a is not None and b is not None:
        return bool(a & b)
    if a is not None or b is not None:
        listed, rest = (a, other) if a is not None else (b, key)
        return any(map(_matcher(rest).fullmatch, listed))
    mp, mr = _matcher(key).fullmatch, _matcher(other).fullmatch
    return any(mp(c) and mr(c) for c in _SAMPLE)


def _components(nodes, successors) -> list[list]:
    """Strongly connected components (Tarjan's algorithm, iterative: patterns can be long)."""
    index: dict = {}
    low: dict = {}
    on_stack: set = set()
    stack: list = []
    out: list[list] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work = [(root, iter(successors(root)))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, it = work[-1]
            advanced = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(successors(nxt))))
                    advanced = True
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(component)
    return out

