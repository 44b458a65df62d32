"""Literal prefilters: every match of a pattern contains one of its literals, or it has none."""

from __future__ import annotations

import re
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import pytest

from transforms.clean import load_rule_pack, split_sentences
from transforms.rule_prefilter import (
    LiteralScan,
    StartIndex,
    foldable,
    folded,
    may_match,
    required_literals,
    scanning_literals,
    starts_anchored,
)

I = re.IGNORECASE


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [
        (r"\bwe use cookies\b", I, ("we use cookies",)),
        (r"\bshare your (thoughts|views|opinions?)\b", I, ("share your ",)),
        (r"\b(leave|post|drop) a (comment|reply)\b", I, ("comment", "reply")),  # longest mandatory part wins
        # every alternative has one (the parser factors out their common "s")
        (r"\b(subscribe|sign up)\b", I, ("ign up", "ubscribe")),
        (r"\b(ads?|subscribe)\b", I, None),  # "ad" is too short to rule lines out
        (r"^(accept|reject)? cookies$", I, (" cookies",)),  # an optional group is not required
        (r"(?:read more)+", I, ("read more",)),  # a repeat of at least one is
        (r"(?:read more)*", I, None),
        (r"Advertisement", 0, ("advertisement",)),  # case-sensitive: compared lower-cased, a superset
        (r"\bkommentar\w*|\bcommentaire", I, ("commentaire", "kommentar")),
        (r"\bкомментари", I, None),  # no ASCII literal: the regex always decides
        (r"[^.!?]{0,60}", I, None),
    ],
)
def test_required_literals(pattern, flags, expected):
    assert required_literals(re.compile(pattern, flags)) == expected


def _lines() -> list[str]:
    repo = Path(__file__).resolve().parents[2]
    lines = [line.strip() for path in sorted((repo / "samples").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rules_test = (repo / "tests" / "unit" / "test_rules.py").read_text(encoding="utf-8")
    quoted = re.findall(r'"((?:[^"\\]|\\.){6,300})"', rules_test)  # the rule tests' remove and keep cases
    lines += [q.encode().decode("unicode_escape", "ignore") if "\\" in q else q for q in quoted]
    lines += ["SHARE YOUR THOUGHTS in the comments below!", "We Use Cookies.", "Dİsable your ad blocker"]
    return lines + [s for line in lines for s, _ in split_sentences(line)]


def test_no_line_a_rule_matches_is_ruled_out():
    """Over the samples and every case in the rule tests: a match implies a literal."""
    lines = _lines()
    checked = 0
    for rule in load_rule_pack().rules:
        for pattern in rule.patterns:
            literals = required_literals(pattern)
            for line in lines:
                if pattern.search(line):
                    checked += 1
                    assert may_match(literals, line.lower() if foldable(line) else None), (rule.code, pattern.pattern, line)
    assert checked > 100


def test_unfoldable_letters_leave_it_to_the_regex():
    pattern = re.compile(r"\bdisable\b", I)
    literals = required_literals(pattern)
    for text in ("dİsable it", "dısable it", "ſo diſable"):
        assert not foldable(text)
    assert pattern.search("dİsable it") and may_match(literals, None)
    assert not may_match(literals, "nothing here")


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [(r"^abc", 0, True), (r"\Aabc", 0, True), (r"^(a|b)c", I, True), (r"abc", 0, False), (r"(^a|b)", 0, False),
     (r"^abc", re.MULTILINE, False), (r"x^", 0, False)],
)
def test_starts_anchored(pattern, flags, expected):
    assert starts_anchored(re.compile(pattern, flags)) is expected


def test_a_rule_finds_what_its_patterns_find():
    """Anchored patterns run without the prefilter, the others behind it: the same verdicts as
    searching every pattern, on the samples and every case in the rule tests."""
    lines = _lines()
    for rule in load_rule_pack().rules:
        assert rule.anchored is not None or rule.floating is not None
        for line in lines:
            expected = any(p.search(line) for p in rule.patterns)
            assert (rule.search(line, folded(line)) is not None) is expected, (rule.code, line)
            assert (rule.search(line) is not None) is expected, (rule.code, line)


@pytest.mark.parametrize(
    "pattern,flags,expected",
    [
        # every set the lookahead requires, sets of single characters first, then the smaller sets
        (r"^(?=[^\n]{0,200}[·|•] ?(doors|einlass))\S", I, (("|", "·", "•"), ("doors", "einlass"))),
        (r"^(?=[^\n]{0,160}\d ?% ?\(\d+ votes?\))", I, (("%",), (" vote",))),
        (r"^(?=[^\n]{0,80}\d{1,2}[:.h]\d{2})(warning|alert)", I, None),  # '.', ':' and 'h' are in most lines
        (r"^(?=.{0,80}\b(love|amour)\b ?[★☆])", I, (("★", "☆"), ("amour", "love"))),
        (r"^(?=.{0,80}\b(lov|am)\b)", I, None),  # a two-letter string rules out too little
        # é has case, and the regex engine's folding is not asked here: a cased letter beyond ASCII
        # is not used (the alternation gives nothing), the "tat" after it is
        (r"^(?=.{0,40}(?:x|é)tat)", I, (("tat",),)),
        (r"^(?=.{0,40}(?:x|é))", I, None),
        (r"^(?=.{0,40}STOCK)", 0, (("stock",),)),  # case-sensitive: compared lower-cased, a superset
        (r"^(?!.{0,40}stock)x", I, None),  # a negative lookahead requires nothing
        (r"^stock (?=up)", I, None),  # not a lookahead right after the anchor: not a scan
        (r"(?=.{0,40}stock)", I, None),  # not anchored
    ],
)
def test_scanning_literals(pattern, flags, expected):
    assert scanning_literals(re.compile(pattern, flags)) == expected


def test_a_scanning_pattern_never_matches_a_line_its_literals_rule_out():
    """The pack's patterns that scan the line in a lookahead, on the samples, the rule cases and
    lines made to hold the separators and symbols they look for: a match holds a string of each
    set (what `_first_line_rule` tests before searching)."""
    lines = _lines()
    lines += [f"{a} {sep} {b}" for a in ("Doors 7pm", "Sat 12 Oct", "4 nights", "Stars 1.2k", "Love ★★★", "61% (1,204 votes)")
              for sep in ("·", "|", "•") for b in ("Doors open 7pm", "2 adults", "Forks 300", "Luck ☆☆", "Einlass 19 Uhr")]
    scanning = [(rule.code, p, scan) for rule in load_rule_pack().line_rules for p in rule.patterns if (scan := scanning_literals(p))]
    assert len(scanning) > 40
    matched = 0
    for code, pattern, scan in scanning:
        for line in lines:
            if pattern.search(line):
                matched += 1
                lowered = folded(line)
                assert lowered is None or all(any(lit in lowered for lit in literals) for literals in scan), (code, line)
    assert matched > 10


# --- StartIndex: what a pattern anchored at the start can begin with ----------------------------

_TRICKY = [
    (r"^©", 0), (r"^(share|tweet)\b", I), (r"^[^.!?]{1,60} says:$", I), (r"^(a|)b", 0), (r"^\d+ comments", I),
    (r"^(?i:about) me$", 0), (r"^(?!(he|she)\b)\S{1,4}:", I), (r"^x?y?z", 0), (r"^(ab){2,3}", I),
    (r"^(?:k|s)it", I), (r"^i\w", I), (r"^(?>ab|c)d", 0), (r"^.", 0), (r"^\s*-", 0), (r"^(a)(?(1)b|c)", 0),
]


def _texts() -> list[str]:
    # the samples and rule cases, their sentences, and starts the regex engine folds unlike
    # str.lower (Kelvin sign, long s, dotted and dotless i) or that lie outside the known characters
    texts = _lines()
    starts = ["", "K", "\u212a", "\u017f", "\u0130", "\u0131", "©", "日本", "\u1c80", " ", "\n", "ab", "abab"]
    return texts + [s + t for s in starts for t in ("", "it", "Share", "tweet", "x says:", "12 comments", "b", "d", "ABOUT me", "z", "yz", "xz")]


@pytest.mark.parametrize("source,flags", _TRICKY)
def test_start_index_never_rules_out_a_match(source, flags):
    pattern = re.compile(source, flags)
    index = StartIndex([re.compile(r"^zzz"), pattern])
    matched = 0
    for text in _texts():
        if pattern.search(text):
            matched += 1
            possible = index.possible(index.key(text))
            assert possible is None or 1 in possible, (source, text)
    assert matched > 0, source


def test_start_index_rules_out_by_the_first_two_characters():
    index = StartIndex([re.compile(p, I) for p in (r"^share\b", r"^©", r"^\d+ comments")])
    assert index.possible(index.key("Share this")) == (0,)
    assert index.possible(index.key("Sh")) == (0,)
    assert index.possible(index.key("The mayor said")) == ()
    assert index.possible(index.key("© 2024 Example")) == (1,)
    assert index.possible(index.key("12 comments")) == (2,)
    assert index.possible(index.key("\u017fhare")) == (0,)  # IGNORECASE equates the long s with s
    assert index.key("日本") is None and index.possible(None) is None  # unknown characters: any


def test_every_pack_pattern_is_analysed():
    """The bundled pack's anchored patterns all get start sets (none left to always run)."""
    for rule in load_rule_pack().rules:
        anchored = [p for p in rule.patterns if starts_anchored(p)]
        index = StartIndex(anchored)
        assert all(p is not None for p in index._patterns), rule.code


# --- LiteralScan: every literal a text holds, in one pass -----------------------------------------


def _scan_agrees(scan: LiteralScan, groups: list[tuple[str, ...]], text: str) -> None:
    present = scan.present(text)
    for lit in scan.literals:
        assert bool(present & scan.mask([lit])) is (lit in text), (lit, text)
    for group in groups:  # what sentence_rules_for asks: does the text hold one of a rule's literals
        assert bool(present & scan.mask(group)) is any(map(text.__contains__, group)), (group, text)


def test_literal_scan_finds_the_sentence_rules_literals():
    """On the samples, the rule-test cases and their sentences (lower-cased, as
    sentence_rules_for asks): the same answer as one `in` test per literal, per rule."""
    pack = load_rule_pack()
    groups = [lits for r in pack.sentence_rules for lits in (r.literals, r.floating_literals) if lits]
    scan = LiteralScan([lit for g in groups for lit in g])
    hits = 0
    for line in _lines():
        lowered = line.lower()
        _scan_agrees(scan, groups, lowered)
        hits += scan.present(lowered) != 0
    assert hits > 50


# literals that start with, end with and hold one another, one character, regex metacharacters
_NESTED = ("ab", "abc", "abcd", "b", "bc", "bcd", "cab", "a.b", "(x", "x)", " the ", "the", "he ", "comment", "omme")


@hypothesis.settings(max_examples=500, deadline=None)
@hypothesis.given(st.lists(st.sampled_from(_NESTED + ("a", "c", "d", ".", " ", "x", "é")), max_size=30).map("".join))
def test_literal_scan_is_exact_on_overlapping_literals(text):
    _scan_agrees(LiteralScan(_NESTED), [_NESTED[:3], _NESTED[3:6], ("the", "omme"), ("x)",)], text)


def test_literal_scan_edge_cases():
    assert LiteralScan(()).present("anything") == 0
    scan = LiteralScan(("", "ab"))  # the empty literal is in every text
    assert scan.present("x") == scan.mask([""]) and scan.present("xab") == scan.mask(["", "ab"])
