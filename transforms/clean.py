"""Cruft removal: the rule pack (layer 1) and per-document structure (layer 2).

Every removal names the rule that made it, so a user can see why a line went and switch the rule
off. Cleaning only ever removes whole lines or whole sentences; it never rewrites the words that
stay, so the clean text is always a sub-sequence of what came in.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

import apache_beam as beam
import yaml

from transforms.records import Document, Reason, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions

STAGE = "clean"
LINE, SENTENCE = "line", "sentence"
REPEATED_TITLE = "repeated_title"
REPEATED_LINE = "repeated_line"
OVERLONG_LINE = "overlong_line"
DEFAULT_RULE_PACK = "cruft-v1.yaml"


@dataclass(frozen=True)
class CleanConfig:
    rule_pack: str = ""  # path to a rule pack YAML; empty: the bundled configs/rules/cruft-v1.yaml
    disabled_rules: tuple[str, ...] = ()  # rule codes (pack or structural) to switch off
    title_lookahead: int = 5  # non-blank lines at the top searched for copies of the title
    repeated_line_min_chars: int = 20  # shorter repeats ("Pros:", "Yes") are kept
    max_examples: int = 3  # removed lines kept per rule on the record, for the report
    # A prose paragraph is a few thousand characters; a line far longer is minified code, a data
    # dump or a page flattened without breaks, and it would make every later stage pay for it.
    max_line_chars: int = 100_000


# --- the rule pack -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    scope: str
    patterns: tuple[re.Pattern[str], ...]
    max_chars: int = 300
    absorb_questions: bool = False
    description: str = ""

    def matches(self, text: str) -> bool:
        return len(text) <= self.max_chars and any(p.search(text) for p in self.patterns)


@dataclass(frozen=True)
class RulePack:
    version: str
    rules: tuple[Rule, ...]

    def scoped(self, scope: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope == scope)


def _bundled_pack_text() -> str:
    return resources.files("configs").joinpath("rules", DEFAULT_RULE_PACK).read_text(encoding="utf-8")


def parse_rule_pack(text: str, disabled: Iterable[str] = ()) -> RulePack:
    """Parse a rule pack from YAML text; a malformed rule is a ValueError naming it."""
    data = yaml.safe_load(text) or {}
    off = set(disabled)
    rules = []
    for raw in data.get("rules", []):
        code = raw.get("code")
        unknown = set(raw) - {"code", "scope", "patterns", "max_chars", "absorb_questions", "description", "case_sensitive"}
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
        rules.append(
            Rule(
                code=code,
                scope=scope,
                patterns=patterns,
                max_chars=int(raw.get("max_chars", 300)),
                absorb_questions=bool(raw.get("absorb_questions", False)),
                description=raw.get("description", ""),
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


def normalize_line(line: str) -> str:
    """Comparison key for repeated lines and titles: case, width, spacing and edge punctuation folded."""
    folded = unicodedata.normalize("NFKC", line).casefold()
    return " ".join(folded.split()).strip(" .:;!?-–—|")


@dataclass(frozen=True)
class Removal:
    rule: str
    text: str
    whole_line: bool


@dataclass(frozen=True)
class CleanResult:
    text: str
    title: str
    removals: tuple[Removal, ...] = field(default_factory=tuple)

    @property
    def lines_removed(self) -> int:
        return sum(1 for r in self.removals if r.whole_line)

    @property
    def chars_removed(self) -> int:
        return sum(len(r.text) for r in self.removals)

    def rule_counts(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(Counter(r.rule for r in self.removals).items()))


def apply_rules(line: str, pack: RulePack) -> tuple[str, list[Removal]]:
    """Apply the pack to one stripped line: the line that stays ('' if none) and what went."""
    for rule in pack.scoped(LINE):
        if rule.matches(line):
            return "", [Removal(rule.code, line, True)]
    sentence_rules = pack.scoped(SENTENCE)
    if not sentence_rules:
        return line, []
    sentences = split_sentences(line)
    verdicts: list[str | None] = [None] * len(sentences)
    for i, (sentence, _) in enumerate(sentences):
        for rule in sentence_rules:
            if rule.matches(sentence):
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


def infer_title(lines: list[str | None]) -> str:
    """The first non-blank line, when it is short enough to be a headline."""
    for line in lines:
        if line:
            return line if len(line) <= 300 else ""
    return ""


def strip_cruft(text: str, pack: RulePack, cfg: CleanConfig = CleanConfig(), title: str = "") -> CleanResult:
    """Remove cruft lines and sentences from `text`; `title` is the page's title when known."""
    removals: list[Removal] = []
    lines: list[str | None] = []  # None marks a removed line; "" a blank one
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            lines.append("")
            continue
        if len(line) > cfg.max_line_chars:
            removals.append(Removal(OVERLONG_LINE, line, True))
            lines.append(None)
            continue
        kept, removed = apply_rules(line, pack)
        removals.extend(removed)
        lines.append(kept or None)

    title = title.strip() or infer_title(lines)
    if REPEATED_TITLE not in cfg.disabled_rules and title:
        _drop_title_copies(lines, normalize_line(title), cfg.title_lookahead, removals)
    if REPEATED_LINE not in cfg.disabled_rules:
        _drop_repeated_lines(lines, cfg.repeated_line_min_chars, removals)
    return CleanResult(text=_join(lines), title=title, removals=tuple(removals))


def _drop_title_copies(lines: list[str | None], title_key: str, lookahead: int, removals: list[Removal]) -> None:
    """Keep the first copy of the title among the top lines; later copies are page furniture.

    Only the page head counts: at most `lookahead` other lines, and the search stops at the first
    sentence (a line ending in . ! ? that is not the title), so a short heading repeated inside
    the article is not touched. Copies are not counted as "other lines", so a second pass finds
    exactly what the first did (cleaning is idempotent).
    """
    seen = False
    others = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        if normalize_line(line) == title_key:
            if seen:
                removals.append(Removal(REPEATED_TITLE, line, True))
                lines[i] = None
            seen = True
            continue
        others += 1
        if others >= lookahead or line.endswith((".", "!", "?", "。")):
            break


def _drop_repeated_lines(lines: list[str | None], min_chars: int, removals: list[Removal]) -> None:
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line is None or len(line) < min_chars:
            continue
        key = normalize_line(line)
        if key in seen:
            removals.append(Removal(REPEATED_LINE, line, True))
            lines[i] = None
        seen.add(key)


def _join(lines: list[str | None]) -> str:
    """Join the kept lines (removed ones are None), keeping paragraph breaks, at most one in a row."""
    out: list[str] = []
    for line in lines:
        if line is None:
            continue
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip("\n")


_default_pack: RulePack | None = None
_default_pack_lock = threading.Lock()


def _bundled_pack() -> RulePack:
    # Library convenience only: the Beam stage builds its own pack in DoFn.setup().
    global _default_pack
    with _default_pack_lock:
        if _default_pack is None:
            _default_pack = load_rule_pack()
        return _default_pack


def clean_text(text: str, title: str = "") -> str:
    """Library API: `text` with the default cruft rules applied."""
    return strip_cruft(text, _bundled_pack(), CleanConfig(), title).text


def clean_document(doc: Document, pack: RulePack, cfg: CleanConfig) -> Document | Rejection:
    """The clean stage's decision for one document."""
    result = strip_cruft(doc.text, pack, cfg, doc.title)
    examples: list[tuple[str, str]] = []
    per_rule: Counter[str] = Counter()
    for r in result.removals:
        if per_rule[r.rule] < cfg.max_examples:
            examples.append((r.rule, r.text[:300]))
            per_rule[r.rule] += 1
    cleaned = doc.with_(
        text=result.text,
        title=doc.title or result.title,
        chars_in=doc.chars_in or len(doc.text),
        lines_removed=result.lines_removed,
        chars_removed=result.chars_removed,
        rule_counts=result.rule_counts(),
        removed_examples=tuple(examples),
    )
    if not result.text.strip():
        detail = ",".join(code for code, _ in cleaned.rule_counts) or "blank"
        return Rejection.of(cleaned, Reason.EMPTY_AFTER_CLEANING, detail, STAGE)
    return cleaned


class StripCruftFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: CleanConfig):
        self.cfg = cfg
        self.pack: RulePack | None = None

    def setup(self) -> None:
        self.pack = load_rule_pack(self.cfg.rule_pack, self.cfg.disabled_rules)

    def decide(self, doc: Document) -> Document | Rejection:
        assert self.pack is not None
        return clean_document(doc, self.pack, self.cfg)


class StripCruft(beam.PTransform):
    """Document -> kept: Document (cleaned), rejected: Rejection (empty_after_cleaning), failed: Failure."""

    def __init__(self, cfg: CleanConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "Clean", StripCruftFn(self.cfg))
