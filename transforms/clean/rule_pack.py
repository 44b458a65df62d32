"""Layer 1: the rule pack: regex families with stable codes, applied to a line and its sentences."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

import yaml

from transforms.clean.config import DEFAULT_RULE_PACK, LINE, SENTENCE
from transforms.clean.removal import Removal
from transforms.rule_prefilter import folded, may_match, required_literals

# --- the rule pack -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str
    patterns: tuple[re.Pattern[str], ...]
    max_chars: int = 300
    absorb_questions: bool = False
    description: str = ""
    # the patterns as one alternation: one regex call per rule instead of one per pattern
    combined: re.Pattern[str] | None = None
    # lower-case literals one of which every match contains (transforms/rule_prefilter.py); None:
    # some pattern has none, the regex always decides
    literals: tuple[str, ...] | None = None

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """The first match of the rule's patterns in `text`, whatever its length. `lowered` is
        `folded(text)`, for the literal prefilter (None skips it: the same answer, only slower)."""
        if not may_match(self.literals, lowered):
            return None
        if self.combined is not None:
            return self.combined.search(text)
        return next((m for p in self.patterns if (m := p.search(text))), None)

    def matches(self, text: str, lowered: str | None = None) -> bool:
        """Whether the rule fires on `text`: within its `max_chars`, and a pattern matches."""
        return len(text) <= self.max_chars and self.search(text, lowered) is not None


@dataclass(frozen=True)
class RulePack:
    version: str
    rules: tuple[Rule, ...]
    # each scope's rules, derived once: apply_rules runs for every line of every document.
    # (One alternation of every pattern as a prefilter was measured 2x slower than the rules
    # one by one: most rules skip a line on its length before any regex runs.)
    line_rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    sentence_rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    # the line rules that can fire on a line of a given length, in pack order: for the i-th
    # distinct max_chars, the rules allowing at least that many characters. A line then skips
    # the rules it is too long for without a call each (most lines are too long for most rules).
    _limits: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _line_rules_within: tuple[tuple[Rule, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "line_rules", self.scoped(LINE))
        object.__setattr__(self, "sentence_rules", self.scoped(SENTENCE))
        limits = tuple(sorted({r.max_chars for r in self.line_rules}))
        object.__setattr__(self, "_limits", limits)
        object.__setattr__(
            self,
            "_line_rules_within",
            tuple(tuple(r for r in self.line_rules if r.max_chars >= n) for n in limits),
        )

    def scoped(self, scope: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope == scope)

    def line_rules_for(self, chars: int) -> tuple[Rule, ...]:
        """The line rules whose `max_chars` a line of `chars` characters is within, in pack order."""
        i = bisect.bisect_left(self._limits, chars)
        return self._line_rules_within[i] if i < len(self._limits) else ()


def _bundled_pack_text() -> str:
    return resources.files("configs").joinpath("rules", DEFAULT_RULE_PACK).read_text(encoding="utf-8")


def parse_rule_pack(text: str, disabled: Iterable[str] = ()) -> RulePack:
    """Parse a rule pack from YAML text; a malformed rule is a ValueError naming it."""
    data = yaml.safe_load(text) or {}
    off = set(disabled)
    rules = []
    for raw in data.get("rules", []):
        code = raw.get("code")
        unknown = set(raw) - {
            "code",
            "scope",
            "patterns",
            "max_chars",
            "absorb_questions",
            "description",
            "case_sensitive",
        }
        if not code or unknown:
            raise ValueError(f"rule pack: bad rule {code or raw!r}: unknown keys {sorted(unknown)}")
        scope = raw.get("scope", LINE)
        if scope not in (LINE, SENTENCE):
            raise ValueError(f"rule pack: rule {code}: scope must be line or sentence, not {scope!r}")
        if code in off:
            continue
        flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
        try:
            patterns = tuple(re.compile(p, flags) for p in raw["patterns"])
        except re.error as exc:
            raise ValueError(f"rule pack: rule {code}: bad pattern: {exc}") from exc
        if not patterns:
            # an empty alternation would match every line and remove the whole text
            raise ValueError(f"rule pack: rule {code}: no patterns")
        rules.append(
            Rule(
                code=code,
                scope=scope,
                patterns=patterns,
                max_chars=int(raw.get("max_chars", 300)),
                absorb_questions=bool(raw.get("absorb_questions", False)),
                description=raw.get("description", ""),
                combined=re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags),
                literals=_pack_literals(patterns),
            )
        )
    return RulePack(version=str(data.get("version", "unversioned")), rules=tuple(rules))


def load_rule_pack(path: str = "", disabled: Iterable[str] = ()) -> RulePack:
    text = Path(path).read_text(encoding="utf-8") if path else _bundled_pack_text()
    return parse_rule_pack(text, disabled)


# --- pure cleaning functions -------------------------------------------------------------------

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) and whitespace, or at
# CJK full stops. Lookbehinds are fixed-width, so the split stays linear on any line.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+|(?<=[。！？])\s*")


def split_sentences(line: str) -> list[tuple[str, str]]:
    """Split a line into (sentence, whitespace after it); joining them gives the line back."""
    out: list[tuple[str, str]] = []
    start = 0
    for m in _SENTENCE_END.finditer(line):
        if m.end() == m.start() and m.start() in (0, len(line)):
            continue
        # keep closing quotes with the sentence, whitespace apart
        body_end = m.start() + len(m.group(0).rstrip())
        if body_end > start:
            out.append((line[start:body_end], line[body_end : m.end()]))
            start = m.end()
    if start < len(line):
        out.append((line[start:], ""))
    return out


def _pack_literals(patterns: Iterable[re.Pattern[str]]) -> tuple[str, ...] | None:
    found: set[str] = set()
    for pattern in patterns:
        literals = required_literals(pattern)
        if literals is None:
            return None
        found.update(literals)
    return tuple(sorted(found))


def apply_rules(line: str, pack: RulePack) -> tuple[str, list[Removal]]:
    """Apply the pack to one stripped line: the line that stays ('' if none) and what went."""
    lowered = folded(line)
    for rule in pack.line_rules_for(len(line)):
        if rule.search(line, lowered) is not None:
            return "", [Removal(rule.code, line, True)]
    # A sentence is part of the line: a rule whose literals the line lacks fits none of its sentences
    sentence_rules = [rule for rule in pack.sentence_rules if may_match(rule.literals, lowered)]
    if not sentence_rules:
        return line, []
    sentences = split_sentences(line)
    verdicts: list[str | None] = [None] * len(sentences)
    for i, (sentence, _) in enumerate(sentences):
        lowered = folded(sentence)
        for rule in sentence_rules:
            if rule.matches(sentence, lowered):
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
    whole = not kept
    removals = [Removal(v, s, whole) for (s, _), v in zip(sentences, verdicts) if v is not None]
    if whole:  # one line removal, attributed to the rule of its last cruft sentence
        return "", [Removal(removals[-1].rule, line, True)]
    # What is left may now be a cruft line on its own ("... below! Leave a comment"): apply the
    # pack again so cleaning is idempotent. It terminates: each round removes at least a sentence.
    rest, more = apply_rules(kept, pack)
    if not rest:
        return "", [Removal(more[-1].rule, line, True)]
    return rest, removals + more
