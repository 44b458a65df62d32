"""Cruft removal: the rule pack (layer 1) and per-document structure (layer 2).

Every removal names the rule that made it, so a user can see why a line went and switch the rule
off. Cleaning only ever removes whole lines or whole sentences; it never rewrites the words that
stay, so the clean text is always a sub-sequence of what came in.
"""

from __future__ import annotations

import bisect
import functools
import re
import string
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Collection, Iterable
from urllib.parse import unquote, urlsplit

import apache_beam as beam
import yaml

from transforms.line_classifier import CLASSIFIER, LineModel, line_features, load_line_model
from transforms.records import Document, Reason, Rejection
from transforms.routing import DecideFn, StageOutputs, apply_decisions
from transforms.rule_prefilter import folded, may_match, required_literals

STAGE = "clean"
LINE, SENTENCE = "line", "sentence"
REPEATED_TITLE = "repeated_title"
REPEATED_LINE = "repeated_line"
NAVIGATION = "navigation"
OUTSIDE_BODY = "outside_body"
LINK_LINE = "link_line"
SYMBOL_LINE = "symbol_line"
TAIL_SECTION = "tail_section"
TEASER_RUN = "teaser_run"
BLURB_RUN = "blurb_run"
STRUCTURAL_RULES = (REPEATED_TITLE, REPEATED_LINE, NAVIGATION, OUTSIDE_BODY, LINK_LINE, SYMBOL_LINE, TAIL_SECTION, TEASER_RUN, BLURB_RUN)
OVERLONG_LINE = "overlong_line"
EXTRACTED = "extracted"  # the flag the extract stage sets on text it extracted from HTML
DEFAULT_RULE_PACK = "cruft-v1.yaml"


@dataclass(frozen=True)
class CleanConfig:
    rule_pack: str = ""  # path to a rule pack YAML; empty: the bundled configs/rules/cruft-v1.yaml
    disabled_rules: tuple[str, ...] = ()  # rule codes (pack or structural) to switch off
    title_lookahead: int = 5  # non-blank lines at the top searched for copies of the title
    repeated_line_min_chars: int = 20  # shorter repeats ("Pros:", "Yes") are kept
    max_examples: int = 3  # removed lines kept per rule on the record, for the report
    # layer 2, structure: the page's body is the run of lines that maximises prose words minus a
    # cost per non-prose line (Kadane's maximum subarray, as in Finn et al. 2001, "Fact or fiction:
    # content classification for digital libraries"); short non-prose lines outside it are navigation.
    trim_navigation: bool = True
    body_only: bool = True  # also drop prose and long lines outside the body (teasers, comments, footers)
    prose_min_words: int = 5  # a prose line: at least this many words and terminal punctuation ...
    prose_long_words: int = 25  # ... or at least this many words whatever its end
    nav_line_cost: float = 4.0  # what one non-prose line outside prose costs the body span
    nav_max_words: int = 12  # head/tail lines longer than this are never called navigation
    nav_min_run: int = 3  # fewer short lines in a row outside the body are not a menu
    head_keep_lines: int = 2  # headline-like lines kept right above the body (title, standfirst)
    link_line_ratio: float = 0.5  # share of a line's characters in URLs above which it is a link line
    symbol_line_ratio: float = 0.5  # share of letters below which a line is symbols or numbers
    # A prose paragraph is a few thousand characters; a line far longer is minified code, a data
    # dump or a page flattened without breaks, and it would make every later stage pay for it.
    max_line_chars: int = 100_000
    # Text that trafilatura extracted from HTML has had its page furniture removed already; the
    # structure layer, written for raw page text, then cuts real article lines (list items, table
    # rows, short paragraphs): benchmarks/extraction.py measured a 0.036 recall loss on
    # ScrapingHub with it. The rule pack and title copies still apply.
    skip_after_extraction: tuple[str, ...] = ("navigation", "outside_body", "link_line", "symbol_line", "repeated_line", "classifier", "tail_section", "teaser_run", "blurb_run")
    # layer 2b: the line classifier (transforms/line_classifier.py) on the lines structure kept;
    # lines with a content probability below the threshold go as `classifier`.
    classifier: bool = False  # opt-in: see configs/default.yaml for the measured trade-off
    classifier_weights: str = ""  # path to a weights JSON; "" = the bundled configs/line-classifier-v1.json
    # content probability below which a line goes: the shipped weights' trained threshold (the best
    # training F1 costing <= 0.005 recall, benchmarks/train_line_classifier.py); higher removes more
    classifier_threshold: float = 0.25
    # layer 2, tail: the page ends at the header of its comment section, or of a related-stories
    # block followed by little prose (benchmarks/text_mode.py; docs/cleaning.md)
    tail_comment_headers: tuple[str, ...] = ("comment_widget", "comment_heading", "akismet_notice")  # pack rules that open comments
    # pack rules that mark one comment (author, timestamp); the first of a thread of at least
    # `tail_thread_min_lines` such lines opens the comments when no header does
    tail_thread_lines: tuple[str, ...] = ("comment_meta",)
    tail_thread_min_lines: int = 2
    tail_related_headers: tuple[str, ...] = ("related_links", "related_links_intl", "author_box")  # open teasers or bios
    # a header ends the article once this share of the page's prose words, or this many of them,
    # is above it (comment threads often outweigh the article, so the share alone misses them)
    tail_min_share: float = 0.5
    tail_min_words: int = 100
    tail_related_max_share: float = 0.2  # a related header ends it only with at most this share of prose after
    # layer 2, numbered lists: items numbered in sequence (1), 2), 3) ...) are never navigation
    # nor outside the body (benchmarks/text_mode.py: list articles, rankings, schedules)
    list_min_items: int = 3  # 0 switches it off
    list_max_gap: int = 2  # other lines allowed between two items (a link, a description)
    # layer 2, teaser runs: headline + short standfirst, again and again ("More from ...")
    teaser_min_units: int = 3  # fewer teasers in a row are left alone
    teaser_head_min_words: int = 5  # a teaser's headline has this many words; section headings fewer
    teaser_max_words: int = 30  # a teaser's standfirst is prose of at most this many words
    # layer 2, blurb runs: label + one-line blurb, again and again (mega-menus, product directories)
    blurb_min_units: int = 6  # fewer pairs in a row are left alone; 0 switches it off
    blurb_max_words: int = 15  # a blurb is a prose line of at most this many words
    # layer 2, glued teasers: "Police: 2 In Custody After Death Of StudentA 24-year-old woman ..."
    # (a headline run into its standfirst by a naive text conversion); runs of this many go as
    # teaser_run. 0 switches it off.
    glued_teaser_min_units: int = 3
    # layer 2, the headline anchor: the page's URL slug ("/son-of-former-german-president-stabbed")
    # names its headline; the body is the best span starting within `anchor_window` lines after
    # a line that matches it (`anchor_min_match` of the slug's words), when it scores at least
    # `anchor_min_share` of the page's best span. A short article then beats a long footer or
    # sidebar paragraph. anchor_window 0 switches it off.
    anchor_window: int = 8
    anchor_min_match: float = 0.6
    anchor_min_share: float = 0.3
    # layer 2, merged copies: a line of at least this many sentences, nearly all of them (the
    # share below, in characters) found in other lines, is the article flattened into one line
    # again (AMP or "full text" copies): removed as repeated_line. 0 switches it off.
    merged_copy_min_sentences: int = 6
    merged_copy_share: float = 0.6


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
        object.__setattr__(self, "_line_rules_within", tuple(tuple(r for r in self.line_rules if r.max_chars >= n) for n in limits))

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


def infer_title(lines: list[str | None]) -> str:
    """The first non-blank line, when it is short enough to be a headline."""
    for line in lines:
        if line:
            return line if len(line) <= 300 else ""
    return ""


def strip_cruft(
    text: str, pack: RulePack, cfg: CleanConfig = CleanConfig(), title: str = "", model: LineModel | None = None, url: str = ""
) -> CleanResult:
    """Remove cruft lines and sentences from `text`; `title` is the page's title when known.
    `model` is the line classifier (layer 2b); without one that layer is skipped."""
    removals: list[Removal] = []
    lines: list[str | None] = []  # None marks a removed line; "" a blank one
    pack_codes: dict[int, str] = {}  # line index -> the pack rule that removed the whole line
    raw_lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for raw in raw_lines:
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
        if removed and not kept:
            pack_codes[len(lines)] = removed[-1].rule
        lines.append(kept or None)

    by_pack = {i for i, line in enumerate(lines) if line is None}  # lines the rule pack removed
    anchors = headline_anchors(raw_lines, url, cfg) if url and cfg.anchor_window else ()
    title = title.strip() or infer_title(lines)
    title_key = normalize_line(title)
    stats_cache: dict[str, list[float]] = {}  # the classifier's per-line statistics, this document only
    facts = LineFacts(cfg)
    # Noise and navigation go first, so the title search below sees the same page head on a
    # second pass (idempotence); navigation also goes before repeated lines: a headline listed in
    # the menu and then heading the article must lose its menu copy, not its article copy.
    _drop_noise_lines(lines, cfg, removals)
    if TAIL_SECTION not in cfg.disabled_rules:
        _cut_tail(lines, cfg, removals, pack_codes, facts)
    # Each structural removal can change what the others see (a menu gone moves the title's
    # copy into the page head; a copy gone shrinks the body span), so they run to a fixed point:
    # cleaning stays idempotent. Every round but the last removes a line, so it terminates;
    # in practice it takes two rounds.
    while True:
        before = len(removals)
        if cfg.trim_navigation and NAVIGATION not in cfg.disabled_rules:
            _drop_navigation(lines, cfg, removals, by_pack, anchors, facts)
        if TEASER_RUN not in cfg.disabled_rules:
            _drop_teaser_runs(lines, cfg, removals, facts)
            if cfg.glued_teaser_min_units:
                _drop_glued_teasers(lines, cfg, removals, facts)
        if REPEATED_TITLE not in cfg.disabled_rules and title:
            _drop_title_copies(lines, title_key, cfg.title_lookahead, removals, facts)
        if REPEATED_LINE not in cfg.disabled_rules:
            _drop_repeated_lines(lines, cfg.repeated_line_min_chars, removals, facts)
            if cfg.merged_copy_min_sentences:
                _drop_merged_copies(lines, cfg, removals)
        # the classifier sees what structure settled on (the lines it was trained on), and takes
        # part in the fixed point: what it leaves, a second pass leaves too.
        if len(removals) == before and model is not None and cfg.classifier and CLASSIFIER not in cfg.disabled_rules:
            _drop_by_classifier(lines, cfg, model, removals, title_key, stats_cache, facts)
        if len(removals) == before:
            break
    return CleanResult(text=join_lines(lines), title=title, removals=tuple(removals))


def _drop_title_copies(lines: list[str | None], title_key: str, lookahead: int, removals: list[Removal], facts: LineFacts) -> None:
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
        if facts.key(line) == title_key:
            if seen:
                removals.append(Removal(REPEATED_TITLE, line, True))
                lines[i] = None
            seen = True
            continue
        others += 1
        if others >= lookahead or line.endswith((".", "!", "?", "。")):
            break


def _drop_repeated_lines(lines: list[str | None], min_chars: int, removals: list[Removal], facts: LineFacts) -> None:
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line is None or len(line) < min_chars:
            continue
        key = facts.key(line)
        if key in seen:
            removals.append(Removal(REPEATED_LINE, line, True))
            lines[i] = None
        seen.add(key)


_SENTENCE_MARKS = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s")


def _drop_merged_copies(lines: list[str | None], cfg: CleanConfig, removals: list[Removal]) -> None:
    """A line of `merged_copy_min_sentences`+ sentences whose sentences (at least
    `merged_copy_share` of its characters) stand in other lines goes as `repeated_line`: the
    article again, flattened into one line (an AMP or "full text" copy), which doubles every
    shingle of it. The paragraphs stay; a line repeating one paragraph is an exact repeat and
    `_drop_repeated_lines` takes it. Only sentences of 20+ characters count ("Yes." proves nothing)."""
    n = cfg.merged_copy_min_sentences
    candidates = [i for i, line in enumerate(lines) if line and len(line) >= 20 * n and len(_SENTENCE_MARKS.findall(line)) >= n - 1]
    if not candidates:
        return
    # cheap test first (long paragraphs are common, copies rare): at least two other lines must
    # begin where a sentence of the candidate does, as the paragraphs of a flattened copy do
    heads = {line[:24] for line in lines if line and len(line) >= 24}
    candidates = [
        i for i in candidates
        if sum((lines[i] or "")[m.end() : m.end() + 24] in heads for m in _SENTENCE_MARKS.finditer(lines[i] or "")) >= 2
    ]  # fmt: skip
    if not candidates:
        return
    split = {i: [normalize_line(s) for s, _ in split_sentences(line)] for i, line in enumerate(lines) if line}
    owners: dict[str, set[int]] = {}
    for i, sentences in split.items():
        for s in sentences:
            if len(s) >= 20:
                owners.setdefault(s, set()).add(i)
    for i in candidates:
        sentences = split[i]
        if len(sentences) < n:
            continue
        total = sum(len(s) for s in sentences)
        found = sum(len(s) for s in sentences if len(s) >= 20 and len(owners[s] - {i}) > 0)
        if found >= cfg.merged_copy_share * total:
            removals.append(Removal(REPEATED_LINE, lines[i] or "", True))
            lines[i] = None
            for s in sentences:  # a removed line vouches for no other
                if s in owners:
                    owners[s].discard(i)


# --- layer 2: structure ------------------------------------------------------------------------

# A line ends like a sentence: a final mark (a colon before a list, CJK full stops included),
# then optional closing quotes or brackets. A headline ending in a quoted word ("... ‘suspicious’")
# does not end like a sentence.
_TERMINAL = tuple(".!?…:;。！？")
_CLOSERS = "\"'”’»)]"


def ends_like_sentence(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(_TERMINAL)


_LINK_LINE_MAX_CHARS = 1000  # longer lines are never link lists; keeps the URL scan linear in the text
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|co|uk|de|fr|ru)\b/?\S*", re.IGNORECASE)


_WIDE = re.compile("[\u3040-\u9fff\uac00-\ud7af]")  # kana, CJK ideographs, Hangul


def word_count(line: str) -> int:
    """Words of a line; CJK and Hangul text, written without spaces, counts one word per 2 characters."""
    words = len(line.split())
    if line.isascii() or max(line) < "\u3040":  # no kana, CJK or Hangul: skip the scan
        return words
    return max(words, len(_WIDE.findall(line)) // 2)


# Punctuation inside a line: prose has some; a tag cloud or a run of menu labels has none.
_INNER_PUNCT = re.compile(r"[,.;:!?()、，。]")


def is_prose(line: str, cfg: CleanConfig) -> bool:
    """A sentence-like line of `prose_min_words`+ words, or a long line (`prose_long_words`+
    words) with some punctuation inside: 25 words with no comma nor stop are a tag cloud."""
    return _is_prose(line, word_count(line), cfg)


def _is_prose(line: str, words: int, cfg: CleanConfig) -> bool:
    if words >= cfg.prose_long_words:
        return _INNER_PUNCT.search(line) is not None
    return words >= cfg.prose_min_words and ends_like_sentence(line)


class _Memo(dict):
    """`fn(line)` per line, worked out on the first ask (dict lookups stay in C)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[str], Any]):
        super().__init__()
        self.fn = fn

    def __missing__(self, line: str) -> Any:
        value = self[line] = self.fn(line)
        return value


class LineFacts:
    """A document's per-line answers (`word_count`, `is_prose`, `normalize_line`, `glued_teaser`),
    each worked out once: the structure layers ask them of the same lines again and again (body
    span, tail, teasers, navigation, and each round of the fixed point), which made word counting
    the largest single cost of cleaning. One per document (a line's answers depend only on the
    line and `cfg`), never shared between documents. Each answer is a callable: `facts.words(line)`."""

    __slots__ = ("cfg", "words", "prose", "key", "glued")

    def __init__(self, cfg: CleanConfig):
        self.cfg = cfg
        words = self.words = _Memo(word_count).__getitem__  # (not self: no reference cycle per document)
        self.prose: Callable[[str], bool] = _Memo(lambda line: _is_prose(line, words(line), cfg)).__getitem__
        self.key: Callable[[str], str] = _Memo(normalize_line).__getitem__
        self.glued: Callable[[str], bool] = _Memo(lambda line: glued_teaser(line, cfg)).__getitem__


# What every _URL match contains ("://", "www." or a dot and a listed domain ending): a line
# without one has no URL, and the full pattern, slow on long prose, is not run on it.
_URL_HINT = re.compile(r"://|www\.|\.(?:com|org|net|edu|gov|io|co|uk|de|fr|ru)\b", re.IGNORECASE)


def link_share(line: str) -> float:
    """The share of a line's non-space characters inside URLs."""
    if len(line) > _LINK_LINE_MAX_CHARS or not _URL_HINT.search(line):
        return 0.0
    chars = len(line.replace(" ", ""))
    return sum(len(m.group(0)) for m in _URL.finditer(line)) / chars if chars else 0.0


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_SPACES = bytes(c for c in range(128) if chr(c).isspace())


def letter_share(line: str) -> float:
    """Letters over non-space characters (1.0 for a blank line)."""
    if line.isascii():
        # the same counts, done in C: among ASCII characters, str.isalpha accepts exactly the
        # ASCII letters and str.isspace exactly _ASCII_SPACES
        raw = line.encode("ascii")
        chars = len(raw.translate(None, _ASCII_SPACES))
        return (len(raw) - len(raw.translate(None, _ASCII_LETTERS))) / chars if chars else 1.0
    chars = len("".join(line.split()))  # split() cuts at exactly the str.isspace characters
    return sum(map(str.isalpha, line)) / chars if chars else 1.0


def noise_rule(line: str, cfg: CleanConfig) -> str | None:
    """link_line or symbol_line for lines that carry no prose, else None."""
    if link_share(line) >= cfg.link_line_ratio:
        return LINK_LINE
    if letter_share(line) < cfg.symbol_line_ratio and not is_prose(line, cfg):
        return SYMBOL_LINE
    return None


def _drop_noise_lines(lines: list[str | None], cfg: CleanConfig, removals: list[Removal]) -> None:
    if LINK_LINE in cfg.disabled_rules and SYMBOL_LINE in cfg.disabled_rules:
        return  # as on extracted text: spare the URL and letter scans of every line
    for i, line in enumerate(lines):
        if not line:
            continue
        code = noise_rule(line, cfg)
        if code and code not in cfg.disabled_rules:
            removals.append(Removal(code, line, True))
            lines[i] = None


def body_span(
    lines: list[str | None], cfg: CleanConfig, by_pack: Collection[int] = (), anchors: Collection[int] = (), facts: LineFacts | None = None
) -> tuple[int, int] | None:
    """The run of lines with the most prose words net of `nav_line_cost` per other line
    (maximum subarray; blank lines are free, and so are lines removed by structure; lines the
    rule pack removed still cost, so a widget-heavy block does not join the body); None when
    the page has no prose at all. With `anchors` (headline lines, `headline_anchors`), the best
    run starting within `anchor_window` lines after one of them wins when it scores at least
    `anchor_min_share` of the best run anywhere: a block before the headline (teasers) or far
    below it (a footer) loses to the article. A best run starting within 3 x `anchor_window`
    lines after the headline stays (a standfirst and a byline block between them do not pull
    the body up to the standfirst)."""
    facts = facts or LineFacts(cfg)
    best, best_span = 0.0, None
    total, start = 0.0, 0
    pos: list[int] = []
    gains: list[float] = []
    for i, line in enumerate(lines):
        if not line and i not in by_pack:
            continue
        gain = float(facts.words(line)) if line and facts.prose(line) else -cfg.nav_line_cost
        pos.append(i)
        gains.append(gain)
        if total <= 0:
            total, start = 0.0, i
        total += gain
        if total > best:
            best, best_span = total, (start, i)
    if not anchors or best_span is None:
        return best_span
    found, found_span = 0.0, None
    for a in anchors:
        first = bisect.bisect_right(pos, a)
        if first < len(pos) and pos[first] <= best_span[0] <= pos[min(first + 3 * cfg.anchor_window, len(pos)) - 1]:
            return best_span  # the body already starts soon after the headline
        for s in range(first, min(first + cfg.anchor_window, len(pos))):
            if gains[s] <= 0:
                continue  # a span starts on prose
            total = 0.0
            for t in range(s, len(pos)):
                total += gains[t]
                if total > found:
                    found, found_span = total, (pos[s], pos[t])
    if found_span is None or found < cfg.anchor_min_share * best:
        return best_span
    return found_span


_SLUG_SPLIT = re.compile(r"[-_+.,]+")
_SLUG_EXT = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$", re.IGNORECASE)
_TOKENS = re.compile(r"\w+")


def slug_words(url: str) -> frozenset[str]:
    """The words of the URL path segment that has most of them ("son-of-former-german-president"),
    numbers and words of 1-2 letters ("a", "of") left out; empty when no segment has 3+ words
    (an id, "/news/123")."""
    best: list[str] = []
    for seg in urlsplit(url).path.split("/"):
        words = [w for w in _SLUG_SPLIT.split(unquote(_SLUG_EXT.sub("", seg)).lower()) if len(w) > 2 and not w.isdigit()]
        if len(words) > len(best):
            best = words
    return frozenset(best) if len(best) >= 3 else frozenset()


def headline_anchors(raw_lines: list[str], url: str, cfg: CleanConfig) -> tuple[int, ...]:
    """Indices of headline-like lines (no final full stop, at most twice the slug's length) that
    hold `anchor_min_match` of the URL slug's words (3 at least): the article's headline and its
    copies."""
    slug = slug_words(url)
    if not slug:
        return ()
    need = max(3, cfg.anchor_min_match * len(slug))
    longest = max(2 * len(slug), len(slug) + 6)  # a headline is about as long as its slug
    out = []
    for i, raw in enumerate(raw_lines):
        line = raw.strip()
        if not line or len(line) > 400 or line.endswith(".") or len(line.split()) > longest:
            continue  # a sentence naming the topic is no headline
        if len(slug.intersection(_TOKENS.findall(line.lower()))) >= need:
            out.append(i)
    return tuple(out)


# A list item's own number: "1) ...", "2. ...", "3a etapa: ...", "(4) ...", "5 - ...", "#6 ...".
_ENUMERATOR = re.compile(r"[(#]?(\d{1,3})(?:[.):ºª°]|a\b|\s+[-–—])\s*\S")


def enumerated_lines(lines: list[str | None], min_items: int, max_gap: int) -> set[int]:
    """Indices of the items of numbered lists: at least `min_items` lines numbered n, n+1, n+2 ...
    with at most `max_gap` other non-blank lines between two items (a link, a short description).
    An article's steps, rankings and schedules are numbered in sequence; menus, tag clouds and
    footers are not, so such runs are content whatever their length or punctuation."""
    out: set[int] = set()
    run: list[int] = []
    last_num, gap = -1, 0
    for i, line in enumerate(lines):
        if not line:
            continue
        m = _ENUMERATOR.match(line)
        num = int(m.group(1)) if m else -1
        if num >= 0 and run and num == last_num + 1 and gap <= max_gap:
            run.append(i)
        else:
            if num < 0 and run and gap < max_gap:
                gap += 1
                continue
            if len(run) >= min_items:
                out.update(run)
            run = [i] if num >= 0 else []
        last_num, gap = (num, 0) if num >= 0 else (last_num, gap)
    if len(run) >= min_items:
        out.update(run)
    return out


_SKELETON_DROP = re.compile(r"[^\W\d_]+|\s+")  # letters and spaces go; digits and symbols stay
_DIGITS = re.compile(r"\d+")
_ASIDE = str.maketrans("", "", "()[]\"'“”‘’«»")  # an aside or a quote in one item does not change its shape


def skeleton(line: str) -> str:
    """A line's first three digit runs (folded to 0) and symbols, in order, brackets and quotes
    left out: "June 9 – Tampa, FL @ Arena (formerly Hall)" is "0–,". Items of one table or
    schedule share it; a menu's labels have none."""
    return _DIGITS.sub("0", _SKELETON_DROP.sub("", line.translate(_ASIDE)))[:3]


def parallel_lines_after(
    lines: list[str | None], end: int, min_items: int, max_gap: int, min_words: int = 3, words: Callable[[str], int] = word_count
) -> set[int]:
    """The items of a schedule or table right after the body (`end`: its last line), at most
    `max_gap` kept lines below it (a heading; lines already removed do not count, so a second
    pass over the output finds the same list): at least `min_items` lines in a row of
    `min_words`+ words with the same skeleton, made of at least two marks ("0–,", not "" nor
    ","). An article's tour dates or results continue it; a menu's labels have no skeleton."""
    idx = [i for i in range(end + 1, len(lines)) if lines[i]]
    for first in range(min(max_gap + 1, len(idx))):
        key = skeleton(lines[idx[first]] or "")
        if len(key) < 2:
            continue
        n = 0
        while first + n < len(idx) and skeleton(lines[idx[first + n]] or "") == key and words(lines[idx[first + n]] or "") >= min_words:
            n += 1
        if n >= min_items:
            return set(idx[first : first + n])
    return set()


def _drop_navigation(
    lines: list[str | None], cfg: CleanConfig, removals: list[Removal], by_pack: set[int], anchors: tuple[int, ...], facts: LineFacts
) -> None:
    """Runs of at least `nav_min_run` short non-prose lines above and below the body span go;
    headline-like lines right above it stay. A lone short line ("Pros:", a dateline) is not a menu."""
    span = body_span(lines, cfg, by_pack, anchors, facts)
    if span is None:
        return
    start, end = span
    keep_above: set[int] = set()
    i = start - 1
    while i >= 0 and len(keep_above) < cfg.head_keep_lines:
        if lines[i]:
            if facts.words(lines[i]) < 3:
                break
            keep_above.add(i)
        i -= 1
    listed = enumerated_lines(lines, cfg.list_min_items, cfg.list_max_gap) if cfg.list_min_items else set()
    if cfg.list_min_items:
        listed |= parallel_lines_after(lines, end, cfg.list_min_items + 1, cfg.list_max_gap, words=facts.words)
    run: list[tuple[int, str]] = []
    ruled = 0  # lines in the run already removed by a rule ("Contact us"): they count as menu items

    def flush() -> None:
        nonlocal ruled
        if len(run) + ruled >= cfg.nav_min_run:
            for j, code in run:
                if code not in cfg.disabled_rules:
                    removals.append(Removal(code, lines[j] or "", True))
                    lines[j] = None
        run.clear()
        ruled = 0

    for i, line in enumerate(lines):
        if line is None:
            ruled += 1 if i in by_pack and (i < start or i > end) else 0
            continue
        if not line:
            continue  # a blank line does not break a menu's run
        if (i < start or i > end) and i not in keep_above and i not in listed:
            if facts.words(line) <= cfg.nav_max_words and not facts.prose(line):
                run.append((i, NAVIGATION))
                continue
            if cfg.body_only:
                run.append((i, OUTSIDE_BODY))
                continue
        flush()
    flush()


def _cut_tail(lines: list[str | None], cfg: CleanConfig, removals: list[Removal], pack_codes: dict[int, str], facts: LineFacts) -> None:
    """Everything after the line that opens the comments goes as `tail_section`: a comment header
    (`tail_comment_headers`), or the first of a thread of author/timestamp lines
    (`tail_thread_lines`), or a related-stories / author-box header followed by at most
    `tail_related_max_share` of the page's prose (for the page's last such header: of its prose
    in paragraph runs, so teasers and quote galleries of one prose line at a time go too). Only once the header follows the article:
    `tail_min_share` of the page's prose words or `tail_min_words` of them above it, so a
    "Comments" link in the menu does not cut the article, and a "Related" box inside it takes
    only itself. Comments are prose, so neither the body span nor a line rule can tell them from
    the article; the header that opens them can. Lines are only ever removed after the header,
    so a second pass (the header gone) finds nothing more: idempotent."""
    prose = [facts.words(line) if line and facts.prose(line) else 0 for line in lines]
    total = sum(prose)
    if not total:
        return
    # prose in paragraph runs (a prose line next to another, blank and removed lines skipped):
    # an article resumes after an inline "Related" box with paragraphs in a row; the prose of a
    # teaser list or a quote gallery stands one line at a time between headlines and buttons
    kept = [i for i, line in enumerate(lines) if line]
    in_runs = [0] * len(lines)
    for a, b in zip(kept, kept[1:]):
        if prose[a] and prose[b]:
            in_runs[a], in_runs[b] = prose[a], prose[b]
    runs_after = sum(in_runs)
    thread_left = sum(1 for code in pack_codes.values() if code in cfg.tail_thread_lines)
    related_left = sum(1 for code in pack_codes.values() if code in cfg.tail_related_headers)
    before = 0
    for i, line in enumerate(lines):
        before += prose[i]
        runs_after -= in_runs[i]
        code = pack_codes.get(i)
        if code is None:
            continue
        thread = code in cfg.tail_thread_lines and thread_left >= cfg.tail_thread_min_lines
        thread_left -= code in cfg.tail_thread_lines
        related_left -= code in cfg.tail_related_headers
        if before < min(cfg.tail_min_share * total, cfg.tail_min_words):
            continue
        if (
            code in cfg.tail_comment_headers
            or thread
            or (code in cfg.tail_related_headers and min(total - before, runs_after if not related_left else total) <= cfg.tail_related_max_share * total)
        ):
            for j in range(i + 1, len(lines)):
                if lines[j]:
                    removals.append(Removal(TAIL_SECTION, lines[j] or "", True))
                    lines[j] = None
            return


_HEADLINE_MAX_WORDS = 20  # longer lines without a sentence end are not headlines
# a date line: "Tuesday November 19, 2019", "19 Nov 2019", "11/19/2019", "2019-11-19"
_DATE_LINE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}\.?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)


def _lettered(words: Iterable[str]) -> list[str]:
    """The words holding a letter ("November 19, 2019 at 8:53 am" has 3)."""
    return [w for w in words if any(c.isalpha() for c in w)]


def _title_case(line: str) -> bool:
    """Most words with a letter start with a capital (headline style), and there are 4+ of them."""
    words = _lettered(line.split())
    return len(words) >= 4 and sum(w.lstrip(_OPENERS)[:1].isupper() for w in words) >= 0.6 * len(words)


_OPENERS = "\"'“‘«(["


def _drop_teaser_runs(lines: list[str | None], cfg: CleanConfig, removals: list[Removal], facts: LineFacts) -> None:
    """Runs of at least `teaser_min_units` teasers go as `teaser_run`: a teaser is one to three
    headline-like lines (no sentence end, the longest of `teaser_head_min_words`+ words: a
    headline, perhaps its author's name and date) and then one short prose line (its standfirst, at most
    `teaser_max_words` words; any prose line after a headline, author and date line). "More from ..." and "Most read" blocks are made of them; the body
    span takes them in because each standfirst is prose. An article's sections have short
    headings ("Patents") or longer paragraphs, so they do not make such a run."""
    idx = [i for i, line in enumerate(lines) if line]
    words = [facts.words(lines[i] or "") for i in idx]
    kinds = []  # h: headline-like, b: short prose, o: anything else
    letter_words = []  # of headline-like lines: words with a letter (_lettered)
    for i, n_words in zip(idx, words):
        line = lines[i] or ""
        head = 0
        if n_words <= _HEADLINE_MAX_WORDS and line.rstrip(_CLOSERS).endswith(("?", "!")) and _title_case(line):
            kinds.append("q")  # "Did Pelosi Divert $2.4 Billion from Social Security?": a headline, if dated
            head = len(_lettered(line.split()))
        elif facts.prose(line):
            kinds.append("b" if n_words <= cfg.teaser_max_words else "p")
        elif n_words <= _HEADLINE_MAX_WORDS and not ends_like_sentence(line):
            kinds.append("h")
            head = n_words if _WIDE.search(line) else len(_lettered(line.split()))
        else:
            kinds.append("o")
        letter_words.append(head)
    k = 0
    while k < len(idx):
        units: list[tuple[int, int]] = []  # (first, last) positions in idx of each teaser
        j = k
        while True:
            h = 0
            while j + h < len(idx) and (kinds[j + h] == "h" or (kinds[j + h] == "q" and not h)) and h < 3:
                h += 1
            # headline, author and date lines: a dated teaser, whose standfirst may be longer, and
            # whose headline may be a question; undated, a question is an FAQ's, and stays
            dated = h == 3 and any(_DATE_LINE.search(lines[idx[t]] or "") for t in range(j, j + h))
            if h and kinds[j] == "q" and not dated:
                break
            if not h or j + h >= len(idx) or kinds[j + h] not in (("b", "p") if dated else ("b",)) or max(letter_words[j : j + h]) < cfg.teaser_head_min_words:
                break
            units.append((j, j + h))
            j += h + 1
        if len(units) < cfg.teaser_min_units:
            k += 1
            continue
        for first, last in units:
            for t in range(first, last + 1):
                removals.append(Removal(TEASER_RUN, lines[idx[t]] or "", True))
                lines[idx[t]] = None
        k = j
    if cfg.blurb_min_units and BLURB_RUN not in cfg.disabled_rules:
        _drop_blurb_runs(lines, idx, words, kinds, cfg, removals)


# where a headline runs into its standfirst: a lower-case letter or a closing mark, then a
# capitalised word ("StudentA 24-year-old", "SteakhouseA party", "Rise?Violence")
_GLUE = re.compile(r"[a-z0-9?!’'”)][A-Z]")  # a plain scan (lookarounds at every position cost 3x)
_GLUED_WORD = re.compile(r"(?:[A-Z][a-z’']+|A|I)[\s,]")
# words a headline leaves in lower case ("Police Seek Man in Theft of $690 Bill")
_HEADLINE_SMALL = frozenset("a an the of in on at to for and or but nor by with from as is are vs vs. via into over".split())


def glued_teaser(line: str, cfg: CleanConfig) -> bool:
    """Whether `line` is a headline run into its standfirst: a headline-case prefix of 4-15
    words (each capitalised, a number or a small word) glued without a space to a prose line of
    its own. The prefix's last word is a whole word (4+ letters, a number or a closing mark): "MacBook",
    "AirPods", "McDonald" and "WiFi" glue 2-3 letters, and a prose line naming them stays."""
    if len(line) > 600 or not _GLUE.search(line):
        return False
    for m in _GLUE.finditer(line):
        if not _GLUED_WORD.match(line, m.start() + 1):
            continue
        prefix, tail = line[: m.start() + 1], line[m.start() + 1 :]
        words = prefix.split()
        if not 4 <= len(words) <= 15:
            continue
        last = words[-1]
        if last[-1].isalpha() and sum(c.isalpha() for c in last) < 4:
            continue
        lettered = [w.lstrip(_OPENERS) for w in _lettered(words)]
        if len(lettered) < 3 or not (words[0].lstrip(_OPENERS)[:1].isupper() or words[0][:1].isdigit()):
            continue
        if all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _HEADLINE_SMALL for w in lettered) and is_prose(tail, cfg):
            return True
    return False


def _drop_glued_teasers(lines: list[str | None], cfg: CleanConfig, removals: list[Removal], facts: LineFacts) -> None:
    """Glued teasers (`glued_teaser`) go as `teaser_run` when a page has at least
    `glued_teaser_min_units` of them: teaser blocks, often split by menu labels and timestamps.
    Each is prose to the body span, so a few of them outweigh a short article; one alone stays."""
    glued = [i for i, line in enumerate(lines) if line and facts.glued(line)]
    if len(glued) >= cfg.glued_teaser_min_units:
        for i in glued:
            removals.append(Removal(TEASER_RUN, lines[i] or "", True))
            lines[i] = None


def _drop_blurb_runs(
    lines: list[str | None], idx: list[int], words: list[int], kinds: list[str], cfg: CleanConfig, removals: list[Removal]
) -> None:
    """Runs of at least `blurb_min_units` (label, blurb) pairs go as `blurb_run`: a label of at
    most 4 words without a sentence end ("Cloud SQL"), then one prose line of at most
    `blurb_max_words` words ("Relational database services for MySQL."). Mega-menus and product
    directories list dozens of them; the body span takes them in because every blurb is prose.
    An article's sections under one-word headings are rarely so many, nor all so short."""
    k = 0
    n = len(idx)
    while k < n:
        j = k
        while (
            j + 1 < n
            and lines[idx[j]] is not None
            and kinds[j] == "h"
            and words[j] <= 4
            and kinds[j + 1] == "b"
            and words[j + 1] <= cfg.blurb_max_words
        ):
            j += 2
        if (j - k) // 2 >= cfg.blurb_min_units:
            for t in range(k, j):
                removals.append(Removal(BLURB_RUN, lines[idx[t]] or "", True))
                lines[idx[t]] = None
            k = j
        else:
            k += 1


def classifier_features(kept: list[str], cfg: CleanConfig, cache: dict[str, list[float]] | None = None, facts: LineFacts | None = None):
    """The classifier's feature rows for `kept` (a document's kept non-blank lines, in order)."""
    facts = facts or LineFacts(cfg)
    return line_features(kept, body_span(kept, cfg, facts=facts), facts.words, facts.prose, cache)


def _drop_by_classifier(
    lines: list[str | None],
    cfg: CleanConfig,
    model: LineModel,
    removals: list[Removal],
    title_key: str,
    cache: dict[str, list[float]],
    facts: LineFacts,
) -> None:
    """Kept lines whose content probability is below the threshold go; never the title (the
    training ground truths leave titles out, so the model cannot judge them), and never every
    line (a page the model finds no content in is left to the quality filters, not emptied)."""
    idx = [i for i, line in enumerate(lines) if line]
    if not idx:
        return
    kept = [lines[i] or "" for i in idx]
    drop = model.probabilities(classifier_features(kept, cfg, cache, facts)) < cfg.classifier_threshold
    if drop.all():
        return
    for i, line, d in zip(idx, kept, drop):
        if d and normalize_line(line) != title_key:
            removals.append(Removal(CLASSIFIER, line, True))
            lines[i] = None


def join_lines(lines: list[str | None]) -> str:
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
    # Library convenience only: the Beam stage builds its own pack (and model) in DoFn.setup().
    global _default_pack
    with _default_pack_lock:
        if _default_pack is None:
            _default_pack = load_rule_pack()
        return _default_pack


def clean_text(text: str, title: str = "", url: str = "") -> str:
    """Library API: `text` cleaned with the default config (rule pack and structure layers; the
    classifier is off by default, so no model is loaded). `url`, when known, anchors the body
    at the headline its slug names."""
    return strip_cruft(text, _bundled_pack(), CleanConfig(), title, url=url).text


def config_for(doc: Document, cfg: CleanConfig) -> CleanConfig:
    """The cleaning config for this document: extracted text skips `skip_after_extraction`."""
    if EXTRACTED not in doc.flags or not cfg.skip_after_extraction:
        return cfg
    return _after_extraction(cfg)


@functools.lru_cache(maxsize=8)
def _after_extraction(cfg: CleanConfig) -> CleanConfig:
    # built once per config, not once per extracted page (a frozen config is its own cache key)
    return replace(cfg, disabled_rules=(*cfg.disabled_rules, *cfg.skip_after_extraction))


def clean_document(doc: Document, pack: RulePack, cfg: CleanConfig, model: LineModel | None = None) -> Document | Rejection:
    """The clean stage's decision for one document (`model`: the line classifier, if enabled)."""
    cfg = config_for(doc, cfg)
    result = strip_cruft(doc.text, pack, cfg, doc.title, model, doc.url)
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
        self.model: LineModel | None = None

    def setup(self) -> None:
        self.pack = load_rule_pack(self.cfg.rule_pack, self.cfg.disabled_rules)
        if self.cfg.classifier and CLASSIFIER not in self.cfg.disabled_rules:
            self.model = load_line_model(self.cfg.classifier_weights)

    def decide(self, doc: Document) -> Document | Rejection:
        assert self.pack is not None
        return clean_document(doc, self.pack, self.cfg, self.model)


class StripCruft(beam.PTransform):
    """Document -> kept: Document (cleaned), rejected: Rejection (empty_after_cleaning), failed: Failure."""

    def __init__(self, cfg: CleanConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "Clean", StripCruftFn(self.cfg))
