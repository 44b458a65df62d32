"""Literal prefilters: every match of a pattern contains one of its literals, or it has none."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from transforms.clean import load_rule_pack, split_sentences
from transforms.rule_prefilter import (
    foldable,
    folded,
    may_match,
    required_literals,
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
