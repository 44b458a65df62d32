"""The rule pack's shortcuts (first two characters of a line or a sentence, literals) give the
verdicts of trying every rule's every pattern, in pack order, on every line and sentence."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest

from tests.unit.test_rules import KEEP, REMOVE, SENTENCE_CASES
from transforms.clean.config import LINE, SENTENCE
from transforms.clean.line_parts import dressed, furniture_head
from transforms.clean.removal import Removal
from transforms.clean.rule_pack import (
    _QUOTES,
    Rule,
    RulePack,
    apply_rules,
    load_rule_pack,
    matching_line_rule,
    read_rule_pack,
    split_sentences,
    without_quoted_titles,
)

REPO = Path(__file__).resolve().parents[2]


def _fires(rule: Rule, text: str) -> bool:
    return len(text) <= rule.max_chars and any(p.search(text) for p in rule.patterns)


def reference_line_rule(line: str, pack: RulePack) -> Rule | None:
    rule = next((r for r in pack.rules if r.scope == LINE and _fires(r, line)), None)
    if rule is None and pack.line_parts and dressed(line):  # its parts, judged by the same brute force
        code = furniture_head(line, lambda text: _reference_whole(text, pack))
        rule = None if code is None else pack.rule_named(code)
    return rule


def _reference_whole(text: str, pack: RulePack) -> str | None:
    rest, removals = reference_apply(text, pack)
    return removals[-1].rule if not rest and removals else None


def reference_apply(line: str, pack: RulePack) -> tuple[str, list[Removal]]:
    """apply_rules without any shortcut: every sentence rule tried on every sentence."""
    rule = reference_line_rule(line, pack)
    if rule is not None:
        return "", [Removal(rule.code, line, True)]
    sentences = split_sentences(line)
    verdicts: list[str | None] = [None] * len(sentences)
    for i, (sentence, _) in enumerate(sentences):
        judged = sentence if _QUOTES.isdisjoint(sentence) else without_quoted_titles(sentence)
        if judged is None:
            continue
        for rule in (r for r in pack.rules if r.scope == SENTENCE):
            if _fires(rule, judged):
                verdicts[i] = rule.code
                if rule.absorb_questions:
                    j = i - 1
                    while j >= 0 and verdicts[j] is None and sentences[j][0].rstrip("\"'”’)").endswith("?"):
                        verdicts[j] = rule.code
                        j -= 1
                break
    if all(v is None for v in verdicts):
        return line, []
    kept = "".join(s + ws for (s, ws), v in zip(sentences, verdicts) if v is None).rstrip()
    removals = [Removal(v, s, not kept) for (s, _), v in zip(sentences, verdicts) if v is not None]
    if not kept:
        return "", [Removal(removals[-1].rule, line, True)]
    rest, more = reference_apply(kept, pack)
    if not rest:
        return "", [Removal(more[-1].rule, line, True)]
    return rest, removals + more


def _lines() -> list[str]:
    lines = [line.strip() for path in sorted((REPO / "samples").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    cases = [line for line, _ in REMOVE] + list(KEEP) + [line for line, *_ in SENTENCE_CASES]
    # the cases after a sentence of prose, behind each kind of sentence end, and in odd starts
    ends = ["It rained. ", "Really?! ", "He said “no.” ", "Done… ", "終わり。", "終わり。 ", "終わり。”", "(See above.) "]
    lines += cases + [end + case for case in cases for end in ends]
    lines += [c + case for case in cases[:40] for c in ("\u017f", "\u212a", "\u0130", "日本 ", "« ", "— ")]
    return lines


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_rule_pack()


def test_the_line_rule_is_the_first_rule_that_fires(pack):
    fired = 0
    for line in _lines():
        expected = reference_line_rule(line, pack)
        fired += expected is not None
        assert matching_line_rule(line, pack) is expected, line
    assert fired > 100


def test_apply_rules_gives_what_every_rule_on_every_sentence_gives(pack):
    removed = 0
    for line in _lines():
        expected = reference_apply(line, pack)
        removed += bool(expected[1])
        assert apply_rules(line, pack) == expected, line
    assert removed > 200


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "configs" / "rules").glob("*.yaml")))
def test_every_bundled_pack_agrees_with_trying_every_rule(name):
    from transforms.clean.rule_pack import parse_rule_pack

    pack = parse_rule_pack(read_rule_pack(str(REPO / "configs" / "rules" / name)))
    for line in _lines()[::3]:
        assert apply_rules(line, pack) == reference_apply(line, pack), (name, line)


def test_a_rule_built_by_hand_is_tried_whole():
    # no anchored/floating split: the shortcuts leave it to Rule.search
    by_hand = Rule(code="hand", scope=LINE, patterns=(re.compile(r"^zz|yy$"),))
    sentence = Rule(code="hand_sentence", scope=SENTENCE, patterns=(re.compile(r"^Buy now"),))
    pack = RulePack(version="t", rules=(by_hand, sentence))
    assert matching_line_rule("zz top", pack) is by_hand
    assert matching_line_rule("a yy", pack) is by_hand
    assert matching_line_rule("a y", pack) is None
    assert apply_rules("It rained. Buy now", pack) == ("It rained.", [Removal("hand_sentence", "Buy now", False)])


def test_rules_built_by_hand_may_share_a_code():
    foo, bar = re.compile(r"^foo", re.I), re.compile(r"^bar", re.I)
    first = Rule(code="x", scope=LINE, patterns=(foo,), anchored=re.compile(r"(?:^foo)", re.I))
    second = Rule(code="x", scope=LINE, patterns=(bar,), anchored=re.compile(r"(?:^bar)", re.I))
    pack = RulePack(version="t", rules=(first, second))
    assert matching_line_rule("Foo fighters", pack) is first
    assert matching_line_rule("Bar none", pack) is second
    assert matching_line_rule("Baz", pack) is None


def test_the_shipped_pack_leaves_its_worked_out_shortcuts_behind(pack):
    for line in _lines()[:200]:
        apply_rules(line, pack)
    assert pack._candidates and pack._start_index is not None and pack._sentence_gates is not None
    shipped = pickle.loads(pickle.dumps(pack))
    assert not shipped._candidates and shipped._start_index is None and shipped._sentence_gates is None
    for line in _lines()[:300]:
        assert apply_rules(line, shipped) == apply_rules(line, pack), line
    assert len(pickle.dumps(pack)) == len(pickle.dumps(shipped))


def test_a_line_without_sentence_ends_is_one_sentence():
    assert split_sentences("Breaking news from the city") == [("Breaking news from the city", "")]
    assert split_sentences("") == []
    assert split_sentences("One. Two") == [("One.", " "), ("Two", "")]
