"""The backtracking check's shortcuts give the answers of the plain searches they replace.

transforms/rule_safety.py answers three questions faster than it used to: whether a loop's square
has an ambiguous component (`_loop_is_ambiguous`, against the search over every pair of the
loop), how many ways the loops can share a line (`ways` over reach sets as bits, against the walk
over every component's set), and whether two character items share a character (`_meet`, once
per pair of items across patterns, against each item compiled with its own pattern's parse
state). Each is compared here with the plain version, on the bundled packs' patterns and on
random ones, and a pack's parse is held to its counted work."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests.random_patterns import random_pattern
from transforms import rule_prefilter, rule_safety
from transforms.clean import rule_pack as rule_pack_module
from transforms.rule_safety import (
    MAX_LOOP_ITEMS,
    UnsafePattern,
    _Automaton,
    _CharSets,
    _components,
)

REPO = Path(__file__).resolve().parents[2]
C = rule_safety.C


def _random_pattern(rng: random.Random) -> str:
    return random_pattern(rng, ["a", "b", "ab", "[ab]", ".", r"\w", r"\s", ",", "[^,]", "é", "[a-z]", "a?", "(?:ab|a)", "(?=a)", r"\b", "^"], ['*', '+', '{1,5}', '{0,30}'])


def _patterns() -> list[re.Pattern[str]]:
    found = {}
    for name in ("cruft-v1.yaml", "cruft-v2.yaml", "cruft-v3.yaml"):
        pack = rule_pack_module.parse_rule_pack((REPO / "configs" / "rules" / name).read_text(encoding="utf-8"))
        found.update(((p.pattern, p.flags), p) for rule in pack.rules for p in rule.patterns)
    rng = random.Random(5)
    for _ in range(1000):
        source = _random_pattern(rng) + rng.choice(["", "$", "x"])
        for flags in (0, re.IGNORECASE):
            found[source, flags] = re.compile(source, flags)
    return list(found.values())


PATTERNS = _patterns()


def _automata(pattern: re.Pattern[str]) -> list[_Automaton]:
    """The pattern's automata (its lookarounds' too) with their loops found, refused or not."""
    tree = rule_prefilter.parsed(pattern)
    todo, out = [(list(tree), pattern.flags)], []
    while todo:
        items, flags = todo.pop()
        auto = _Automaton(tree.state)
        try:
            auto.sequence(items, flags)
        except UnsafePattern:
            continue
        todo += auto.lookarounds
        auto.sccs = _components(range(len(auto.items)), lambda p, auto=auto: auto.follow[p])
        auto.comp = {p: i for i, c in enumerate(auto.sccs) for p in c}
        auto.cyclic = [len(m) > 1 or m[0] in auto.follow[m[0]] for m in auto.sccs]
        auto.charsets = _CharSets(auto.items, auto.state)
        out.append(auto)
    return out


def test_the_loop_check_finds_an_ambiguous_loop_exactly_when_the_search_over_every_pair_does():
    compared, ambiguous = 0, 0
    for pattern in PATTERNS:
        for auto in _automata(pattern):
            for members, cyclic in zip(auto.sccs, auto.cyclic):
                if cyclic and len(members) <= MAX_LOOP_ITEMS:
                    found = auto._loop_is_ambiguous(members)
                    assert found == (auto._ambiguous_pair(members) is not None), pattern.pattern
                    compared, ambiguous = compared + 1, ambiguous + found
    assert compared > 800 and 50 < ambiguous < compared - 100  # both answers, many times each


# --- the reference versions, as transforms/rule_safety.py had them before 2026-12 -----------------


def _members_before(auto: _Automaton, p: int) -> frozenset[str] | None:
    (op, av), flags = auto.items[p]
    listed: list[int] | None = []
    for sub_op, sub_av in [(op, av)] if op is C.LITERAL else (av if op is C.IN else [(None, None)]):
        if sub_op is C.LITERAL:
            listed.append(sub_av)
        elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < rule_safety._MAX_FINITE:
            listed.extend(range(sub_av[0], sub_av[1] + 1))
        else:
            return None
    if len(listed) > rule_safety._MAX_FINITE:
        return None
    chars = {chr(c) for c in listed}
    if flags & re.IGNORECASE:
        chars |= {v for c in chars for v in (c.lower(), c.upper(), c.casefold(), c.title()) if len(v) == 1}
        chars |= set("ſİıK\u212bµμßẞ")
    match = _matcher_before(auto, p).fullmatch
    return frozenset(c for c in chars if match(c))


def _matcher_before(auto: _Automaton, p: int) -> re.Pattern[str]:
    item, flags = auto.items[p]  # compiled with its own pattern's parse state
    return rule_safety.sre_compile.compile(rule_safety.sre_parse.SubPattern(auto.state, [item]), flags)


def _meet_before(auto: _Automaton, p: int, r: int) -> bool:
    if p == r:
        return True
    a, b = _members_before(auto, p), _members_before(auto, r)
    if a is not None and b is not None:
        return bool(a & b)
    if a is not None or b is not None:
        listed, other = (a, r) if a is not None else (b, p)
        return any(map(_matcher_before(auto, other).fullmatch, listed))
    mp, mr = _matcher_before(auto, p).fullmatch, _matcher_before(auto, r).fullmatch
    return any(mp(c) and mr(c) for c in rule_safety._SAMPLE)


def test_character_items_meet_as_when_compiled_with_their_own_pattern():
    rng = random.Random(9)
    compared = 0
    for pattern in PATTERNS[::3]:
        for auto in _automata(pattern):
            positions = [p for m, cyclic in zip(auto.sccs, auto.cyclic) if cyclic for p in m] or list(range(len(auto.items)))
            for _ in range(min(20, len(positions) ** 2)):
                p, r = rng.choice(positions), rng.choice(positions)
                assert auto.charsets.meet(p, r) == _meet_before(auto, p, r), (pattern.pattern, p, r)
                compared += 1
    assert compared > 2_000


def _ways_before(auto: _Automaton, chars: int) -> float:
    sccs, comp, cyclic = auto.sccs, auto.comp, auto.cyclic
    if sum(cyclic) < 2:
        return 1.0
    rounds = [1.0] * len(sccs)
    for high, steps in auto.backs:
        for i in {comp[p] for p, q in steps if comp[p] == comp[q]}:
            rounds[i] *= chars if high == C.MAXREPEAT else high
    reach: list[set[int]] = []
    for i, members in enumerate(sccs):
        seen = {i}
        for p in members:
            for q in auto.follow[p]:
                if comp[q] != i:
                    seen |= reach[comp[q]]
        reach.append(seen)
    best = [1.0] * len(sccs)
    for i in range(len(sccs)):
        most = max((best[j] for j in reach[i] if j != i), default=1.0)
        if cyclic[i]:
            for j in reach[i]:
                gain = best[j] * min(chars, rounds[i], rounds[j])
                if j != i and cyclic[j] and gain > most and _twins_before(auto, i, j, reach):
                    most = gain
        best[i] = most
    return max(best, default=1.0)


def _twins_before(auto: _Automaton, i: int, j: int, reach: list[set[int]]) -> bool:
    first, second, comp, meet = auto.sccs[i], auto.sccs[j], auto.comp, auto.charsets.meet
    between = {p for p in range(len(auto.items)) if comp[p] in reach[i] and j in reach[comp[p]]}
    in_first, in_second = set(first), set(second)
    budget = 200_000
    for p in first:
        for q in second:
            seen, todo = {(p, p, q)}, [(p, p, q)]
            while todo:
                a, b, c = todo.pop()
                for a2 in auto.follow[a]:
                    if a2 not in in_first:
                        continue
                    for b2 in auto.follow[b]:
                        if b2 not in between or not meet(a2, b2):
                            continue
                        for c2 in auto.follow[c]:
                            if c2 not in in_second or not meet(b2, c2) or not meet(a2, c2):
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


def test_the_ways_of_a_line_are_those_of_the_walk_over_every_component():
    compared, chains = 0, 0
    for pattern in PATTERNS:
        if rule_safety.backtracking_risk(pattern) is not None:
            continue
        checked = [rule_safety._analysed(pattern)[0]]
        while checked:
            one = checked.pop()
            checked += one.lookarounds
            for chars in (1, 30, 300, 2000):
                assert one.auto.ways(chars) == _ways_before(one.auto, chars), (pattern.pattern, chars)
                compared += 1
            chains += one.auto.ways(300) > 1
    assert compared > 2_000 and chains > 20


def test_a_pack_parse_parses_each_pattern_once_and_compares_few_character_sets(monkeypatch):
    """Counted, not timed: the bundled pack's parse parses each pattern once for its analyses
    (besides `re.compile`'s own parse), analyses it once, and compares character sets far fewer
    times than the search over every pair of each loop did (551,184 times on cruft-v3 as it was
    then; 180,838 with this check before the twelfth batch's families, 218,584 after them)."""
    text = rule_pack_module.read_rule_pack()
    compared = 0
    meet = _CharSets.meet

    def counted(self: _CharSets, p: int, r: int) -> bool:
        nonlocal compared
        compared += 1
        return meet(self, p, r)

    monkeypatch.setattr(_CharSets, "meet", counted)
    rule_prefilter.parsed.cache_clear()
    rule_safety._analysed.cache_clear()
    pack = rule_pack_module._parse_rule_pack.__wrapped__(text, ())
    patterns = [p for rule in pack.rules for p in rule.patterns]
    assert rule_prefilter.parsed.cache_info().misses == len(patterns)
    assert rule_safety._analysed.cache_info().misses == len(patterns)
    assert compared < 250_000


def test_a_refusal_names_the_position_the_search_over_every_pair_finds():
    """The loop check answers yes or no alone; the search over every pair still names the
    position, so a refusal's message is the one it always was."""
    named = 0
    for pattern in PATTERNS:
        autos = _automata(pattern)
        if len(autos) != 1 or any(w > 1 for nexts in autos[0].follow for w in nexts.values()):
            continue  # lookarounds are checked first, and paths counted twice are refused before the loops
        auto = autos[0]
        loops = [m for m, cyclic in zip(auto.sccs, auto.cyclic) if cyclic and len(m) <= MAX_LOOP_ITEMS]
        found = [q for q in map(auto._ambiguous_pair, loops) if q is not None]
        if not found:
            continue
        with pytest.raises(UnsafePattern) as info:
            rule_safety._analysed.__wrapped__(pattern)
        assert str(info.value) == auto._why(found[0]), pattern.pattern
        named += 1
    assert named > 40
