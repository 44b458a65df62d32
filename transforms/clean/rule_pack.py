"""Layer 1: the rule pack: regex families with stable codes, applied to a line and its sentences."""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from typing import Any, NamedTuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources

import yaml

from transforms.clean.config import (
    DEFAULT_RULE_PACK,
    LINE,
    OVERLONG_LINE,
    SENTENCE,
    STRUCTURAL_RULES,
    CleanConfig,
)
from transforms.clean.line_parts import dressed, furniture_head
from transforms.clean.removal import Removal
from transforms.furniture_lines import DEFAULT_FURNITURE_WEIGHTS, FURNITURE, furniture_weights_text, parse_furniture_model
from transforms.line_classifier import CLASSIFIER, DEFAULT_WEIGHTS, line_weights_text, parse_line_model
from transforms.rule_prefilter import (
    LiteralScan,
    StartIndex,
    folded,
    may_match,
    required_literals,
    scanning_literals,
    starts_anchored,
)
from transforms.rule_safety import backtracking_risk, longest_line, required_width
from transforms.side_files import FileTooLarge, read_text_at_most

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
    # The patterns anchored at the start (`^...`) as one alternation, and the others with their
    # literals: the regex engine tries an anchored pattern at the first character only, which
    # costs less than looking for its literals in the whole text. None, None: not split (a Rule
    # built by hand), `combined` behind `literals` decides.
    anchored: re.Pattern[str] | None = None
    floating: re.Pattern[str] | None = None
    floating_literals: tuple[str, ...] | None = None
    # the patterns `anchored` alternates, as the pack's parse found them: the start index of a
    # worker's pack reads them here instead of parsing every pattern again to find its anchor
    # (about 0.3 s of each process's first document). (): a Rule built by hand; they are looked for.
    starting: tuple[re.Pattern[str], ...] = ()
    # The longest line, up to SEARCH_CHARS_CAP, its patterns may search within the search budget
    # (transforms/rule_safety.py): the report's look-alike scan tries lines longer than max_chars.
    # Worked out when the pack is parsed and shipped with it, so no worker analyses the patterns
    # again (0: a Rule built by hand; the scan works it out).
    search_chars: int = 0

    def __post_init__(self) -> None:
        for value in self.__dict__.values():  # a loaded copy of this rule in this process finds them
            for pattern in _patterns_of(value):
                _COMPILED.setdefault(_Source(pattern.pattern, pattern.flags), pattern)

    def __getstate__(self) -> dict[str, Any]:
        # A compiled pattern pickles as its source and flags, and loading it compiles it again
        # through `re`'s cache of 512 patterns. The pack's own ~600 (each rule's patterns, their
        # alternations) outgrew it on 2026-12-07, and the report's combiner, which carries the
        # pack, compiled them all again each time Beam loaded it (about 1 s of a 3-document run, by
        # py-spy). Loaded rules take their patterns from one cache per process instead.
        return {k: _pattern_state(v) for k, v in self.__dict__.items()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for k, v in state.items():
            object.__setattr__(self, k, _compiled_state(v))

    def search(self, text: str, lowered: str | None = None) -> re.Match[str] | None:
        """A match of the rule's patterns in `text` (None: none), whatever its length. `lowered`
        is `folded(text)`, for the literal prefilter (None skips it: the same answer, only slower)."""
        if self.anchored is None and self.floating is None:
            if not may_match(self.literals, lowered):
                return None
            if self.combined is not None:
                return self.combined.search(text)
            return next((m for p in self.patterns if (m := p.search(text))), None)
        if self.anchored is not None and (m := self.anchored.search(text)) is not None:
            return m
        if self.floating is None or not may_match(self.floating_literals, lowered):
            return None
        return self.floating.search(text)

    def matches(self, text: str, lowered: str | None = None) -> bool:
        """Whether the rule fires on `text`: within its `max_chars`, and a pattern matches."""
        return len(text) <= self.max_chars and self.search(text, lowered) is not None


# The rules' compiled patterns in this process, by source and flags: a built rule puts its own here,
# a loaded one takes them (Rule.__setstate__)
_COMPILED: dict[tuple[str, int], re.Pattern[str]] = {}


class _Source(NamedTuple):
    """A compiled pattern as a Rule pickles it."""

    pattern: str
    flags: int


def _patterns_of(value: Any) -> tuple[re.Pattern[str], ...]:
    """The compiled patterns a Rule field holds: the pattern, a tuple of them, or none."""
    if isinstance(value, re.Pattern):
        return (value,)
    if isinstance(value, tuple) and value and all(isinstance(p, re.Pattern) for p in value):
        return value
    return ()


def _pattern_state(value: Any) -> Any:
    """A Rule field's value as it pickles: a compiled pattern (or a tuple of them) as its source."""
    if not (patterns := _patterns_of(value)):
        return value
    sources = tuple(_Source(p.pattern, p.flags) for p in patterns)
    return sources[0] if isinstance(value, re.Pattern) else sources


def _compiled_state(value: Any) -> Any:
    if isinstance(value, _Source):
        return _compiled(value)
    if isinstance(value, tuple) and value and all(isinstance(p, _Source) for p in value):
        return tuple(_compiled(p) for p in value)
    return value


def _compiled(source: _Source) -> re.Pattern[str]:
    pattern = _COMPILED.get(source)
    if pattern is None:
        pattern = _COMPILED[source] = re.compile(source.pattern, source.flags)
    return pattern


_UNKNOWN: Any = object()  # an argument not given (None is an answer)


@dataclass(frozen=True)
class RulePack:
    version: str
    rules: tuple[Rule, ...]
    # Whether a line the rules leave is also judged by its parts (transforms/clean/line_parts.py:
    # its decoration and stamps set aside, a bar's buttons one by one). Off for packs written
    # before it (cruft-v1, cruft-v2), so runs that must reproduce them still do.
    line_parts: bool = False
    # each scope's rules, derived once: apply_rules runs for every line of every document.
    # (One alternation of every pattern as a prefilter was measured 2x slower than the rules
    # one by one: most rules skip a line on its length before any regex runs.)
    line_rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    _by_code: dict[str, Rule] = field(init=False, repr=False, compare=False)  # for rule_named
    sentence_rules: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    # the line rules that can fire on a line of a given length, in pack order: for the i-th
    # distinct max_chars, the rules allowing at least that many characters. A line then skips
    # the rules it is too long for without a call each (most lines are too long for most rules).
    _limits: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _line_rules_within: tuple[tuple[Rule, ...], ...] = field(init=False, repr=False, compare=False)
    # the packs `without` derived from this one, by the codes left out: asked once per extracted
    # page, built once per pack (the pack itself is built once per worker, in DoFn.setup())
    _without: dict[tuple[str, ...], RulePack] = field(default_factory=dict, init=False, repr=False, compare=False)
    # What a line's first two characters rule out (transforms/rule_prefilter.py's StartIndex):
    # almost every line rule is anchored at the line's start, and most lines start with
    # characters none of a rule's patterns can start with; see `line_candidates`. Built on first
    # use in each process, not pickled with the pack.
    _start_index: StartIndex | None = field(default=None, init=False, repr=False, compare=False)
    _candidates: dict[tuple, tuple] = field(default_factory=dict, init=False, repr=False, compare=False)
    _parts: dict[int, tuple[int, tuple[re.Pattern[str], ...], tuple]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _by_class: dict[tuple, tuple] = field(default_factory=dict, init=False, repr=False, compare=False)
    # each sentence rule with the search that finds a sentence start its anchored patterns can
    # begin with (None: none is known), built on first use in each process
    _sentence_gates: tuple | None = field(default=None, init=False, repr=False, compare=False)
    # What the pack decided on the short lines and units it met before in this process (see
    # `line_rule`, `verdict`), built on first use, not pickled
    _remembered: tuple[Callable[[str], Any], Callable[[str], Any]] | None = field(default=None, init=False, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_start_index"], state["_candidates"], state["_parts"], state["_sentence_gates"] = None, {}, {}, None
        state["_by_class"], state["_remembered"] = {}, None
        return state

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {r.code: r for r in self.rules})
        object.__setattr__(self, "line_rules", self.scoped(LINE))
        object.__setattr__(self, "sentence_rules", self.scoped(SENTENCE))
        limits = tuple(sorted({r.max_chars for r in self.line_rules}))
        object.__setattr__(self, "_limits", limits)
        object.__setattr__(
            self,
            "_line_rules_within",
            tuple(tuple(r for r in self.line_rules if r.max_chars >= n) for n in limits),
        )

    def without(self, codes: Iterable[str]) -> RulePack:
        """This pack without the rules of `codes` (itself when it has none of them)."""
        key = tuple(codes)
        derived = self._without.get(key)
        if derived is None:
            off = set(key)
            derived = self
            if any(r.code in off for r in self.rules):
                kept = tuple(r for r in self.rules if r.code not in off)
                derived = RulePack(version=self.version, rules=kept, line_parts=self.line_parts)
            self._without[key] = derived
        return derived

    def rule_named(self, code: str) -> Rule:
        return self._by_code[code]

    def scoped(self, scope: str) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.scope == scope)

    def line_rules_for(self, chars: int) -> tuple[Rule, ...]:
        """The line rules whose `max_chars` a line of `chars` characters is within, in pack order."""
        i = bisect.bisect_left(self._limits, chars)
        return self._line_rules_within[i] if i < len(self._limits) else ()

    def line_rule(self, line: str) -> Rule | None:
        """`matching_line_rule(line, self)`, remembered for a short line."""
        if len(line) > _REMEMBER_CHARS:
            return matching_line_rule(line, self)
        return self._memos()[0](line)

    def verdict(self, unit: str, line_rule: Rule | None = _UNKNOWN) -> tuple[str, list[Removal]]:
        """`apply_rules(unit, self, line_rule)`, remembered for a short unit. The removals are
        shared: read them, do not change them."""
        if len(unit) > _REMEMBER_CHARS:
            return apply_rules(unit, self, line_rule)
        return self._memos()[1](unit)

    def _memos(self) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
        # A site repeats its menus, bylines, buttons and footers on every page: across the
        # documents a worker cleans, most short lines come back (a quarter of the throughput
        # corpus's, more in a crawl of whole sites), and their answer is the same each time: these
        # are pure functions of the line and the pack. Bounded, least recently used first out.
        memos = self._remembered
        if memos is None:
            line_rule = functools.lru_cache(maxsize=_REMEMBER_LINES)(lambda line: matching_line_rule(line, self))
            verdict = functools.lru_cache(maxsize=_REMEMBER_LINES)(lambda unit: apply_rules(unit, self, line_rule(unit)))
            memos = (line_rule, verdict)
            object.__setattr__(self, "_remembered", memos)
        return memos

    def line_candidates(self, line: str) -> tuple[tuple[Rule, re.Pattern[str] | None, re.Pattern[str] | None, Any], ...]:
        """What `matching_line_rule` tries on `line`, in pack order: (rule, anchored, None, scan)
        to search one of the rule's patterns anchored at the start (or their alternation), once
        the line holds a string of each set of `scan` (`scanning_literals`; None: no test),
        (rule, None, floating, None) its other patterns behind their literals, (rule, None, None,
        None) the whole rule (one built by hand). The line rules within the line's length, less the
        anchored patterns that cannot start with the line's first two characters: a rule
        fires exactly when one of these does (the pack refuses backreferences, so a pattern
        matches alone exactly when it matches inside its rule's alternation)."""
        i = bisect.bisect_left(self._limits, len(line))
        if i == len(self._limits):
            return ()
        index = self._start_index
        if index is None:
            index = self._build_start_index()
        found = self._candidates.get((i, line[:2]))
        if found is None:
            found = self._line_candidates_by_class(i, index, line)
            if len(self._candidates) < _MEMO_LIMIT:  # a bound on what odd characters can make it hold
                self._candidates[(i, line[:2])] = found
        return found

    def _line_candidates_by_class(self, i: int, index: StartIndex, line: str) -> tuple:
        # the characters sort into a few classes and many class pairs leave the same patterns:
        # one tuple each, worked out once
        memo = self._by_class
        key = (i, index.key(line))
        found = memo.get(key)
        if found is None:
            possible = memo.get(key[1])
            if possible is None:
                possible = memo[key[1]] = (index.possible(key[1]),)
            found = memo.get((i, possible))
            if found is None:
                found = memo[(i, possible)] = self._line_candidates(i, possible[0])
            memo[key] = found
        return found

    def sentence_rules_for(self, line: str, lowered: str | None) -> list[Rule]:
        """The sentence rules that can fire on some sentence of `line` (`lowered`: its
        `folded()` form), in pack order: a rule whose literals the line lacks fits none of its
        sentences, and a pattern anchored at a sentence's start needs a sentence of the line
        that starts with characters the pattern can start with."""
        gates = self._sentence_gates
        if gates is None:
            gates = self._build_sentence_gates()
        index, rules, memo, by_class, checks, scan = gates
        starts = [line[:2], *_SENTENCE_STARTS(line)]
        if _CJK_STOPS(line) is not None:
            starts += _CJK_STARTS(line)
        starting = frozenset()  # the rules whose anchored patterns some sentence start admits
        for start in starts:
            admitted = memo.get(start)
            if admitted is None:
                key = index.key(start)
                admitted = by_class.get(key)
                if admitted is None:
                    possible = index.possible(key)
                    allowed = None if possible is None else set(possible)
                    admitted = by_class[key] = frozenset(
                        i for i, (_, numbers, _) in enumerate(rules) if allowed is None or not allowed.isdisjoint(numbers)
                    )
                if len(memo) < _MEMO_LIMIT:
                    memo[start] = admitted
            starting |= admitted
        todo = checks.get(starting)
        if todo is None:
            todo = checks[starting] = tuple(
                # a rule no sentence start admits can match only through its other patterns,
                # behind their literals; (rule, the bits of those literals in `scan`, -1: none)
                (rule, -1 if literals is None else scan.mask(literals))
                for i, (rule, _, gated) in enumerate(rules)
                if not gated or i in starting or rule.floating is not None
                for literals in [rule.literals if not gated or i in starting else rule.floating_literals]
            )
        if lowered is None:
            return [rule for rule, _ in todo]
        # one pass over the line for every rule's literals (LiteralScan); a rule without
        # literals (-1) is always tried
        present = scan.present(lowered)
        return [rule for rule, bits in todo if bits < 0 or bits & present]

    def _build_sentence_gates(self) -> tuple:
        patterns: list[re.Pattern[str]] = []
        rules = []
        for rule in self.sentence_rules:
            parts = _anchored_parts(rule)
            # a rule built by hand (no anchored/floating split) or one whose anchored part is
            # not its patterns' alternation is not gated: its literals alone decide
            gated = bool(parts) and parts[0] is not rule.anchored
            numbers = tuple(range(len(patterns), len(patterns) + len(parts))) if gated else ()
            patterns.extend(parts if gated else ())
            rules.append((rule, numbers, gated))
        literals = [lit for rule in self.sentence_rules for lit in (rule.literals or ()) + (rule.floating_literals or ())]
        gates = (StartIndex(patterns), tuple(rules), {}, {}, {}, LiteralScan(literals))
        object.__setattr__(self, "_sentence_gates", gates)
        return gates

    def _build_start_index(self) -> StartIndex:
        patterns: list[re.Pattern[str]] = []
        # id(rule) -> (its first pattern's number, its patterns); by identity, not code: a pack
        # built by hand may give two rules one code
        parts: dict[int, tuple[int, tuple[re.Pattern[str], ...], tuple]] = {}
        for rule in self.line_rules:
            anchored = _anchored_parts(rule)
            parts[id(rule)] = (len(patterns), anchored, tuple(scanning_literals(p) for p in anchored))
            patterns.extend(anchored)
        index = StartIndex(patterns)
        object.__setattr__(self, "_parts", parts)
        object.__setattr__(self, "_start_index", index)
        return index

    def _line_candidates(self, i: int, possible: tuple[int, ...] | None) -> tuple:
        allowed = None if possible is None else set(possible)
        out: list[tuple] = []
        for rule in self._line_rules_within[i]:
            if rule.anchored is None and rule.floating is None:
                out.append((rule, None, None, None))
                continue
            first, parts, scans = self._parts[id(rule)]
            kept = [(p, scan) for j, (p, scan) in enumerate(zip(parts, scans), first) if allowed is None or j in allowed]
            if len(kept) == len(parts) and rule.anchored is not None and not any(scans):
                out.append((rule, rule.anchored, None, None))
            else:  # one by one, a scanning pattern behind its literals
                out.extend((rule, p, None, scan) for p, scan in kept)
            if rule.floating is not None:
                out.append((rule, None, rule.floating, None))
        return tuple(out)


def _anchored_parts(rule: Rule) -> tuple[re.Pattern[str], ...]:
    """The patterns `rule.anchored` alternates (as `_parse_rule` builds it), else itself."""
    if rule.anchored is None:
        return ()
    parts = rule.starting or tuple(p for p in rule.patterns if starts_anchored(p))
    if parts and all(p.flags == rule.anchored.flags for p in parts) and rule.anchored.pattern == "|".join(f"(?:{p.pattern})" for p in parts):
        return parts
    return (rule.anchored,)


def _bundled_pack_text() -> str:
    return resources.files("configs").joinpath("rules", DEFAULT_RULE_PACK).read_text(encoding="utf-8")


_RULE_KEYS = ("code", "scope", "patterns", "max_chars", "absorb_questions", "description", "case_sensitive")
# The check in transforms/rule_safety.py refuses exponential backtracking, and polynomial
# backtracking (`.*,.*,.*x$` tries every triple of commas) past MAX_SEARCH_STEPS on a line of the
# rule's max_chars: a rule never searches a longer text. max_chars itself is bounded too: with
# 100,000 that pattern ran for hours on one line of commas (hostile round 8). The bundled packs
# need 400.
MAX_RULE_CHARS = 1_000
SEARCH_CHARS_CAP = 2 * MAX_RULE_CHARS  # the longest line a Rule's search_chars is worked out to
_PACK_KEYS = ("version", "rules", "line_parts")
_CODE = re.compile(r"[a-z][a-z0-9_]{0,39}")
# codes the layers after the pack give their removals: a pack rule may not take one
_RESERVED = (*STRUCTURAL_RULES, CLASSIFIER, FURNITURE, OVERLONG_LINE)


class RulePackError(ValueError):
    """A rule pack that cannot be used; the message is one line naming the rule and key."""


def parse_rule_pack(text: str, disabled: Iterable[str] = ()) -> RulePack:
    """Parse and check a rule pack from YAML text; anything wrong is a RulePackError naming the
    rule and key: a pattern that matches the empty string, can backtrack exponentially
    (transforms/rule_safety.py) or is not a list item, a wrong type, an unknown or repeated code."""
    return _parse_rule_pack(text, tuple(disabled))


# A run parses the same pack up to five times in one process (the config hash, the CLI's check,
# the clean stage, its setup(), the report's look-alike rules) and each parse checks every pattern
# for backtracking: the packs are immutable, so one parse per text serves them all.
@functools.lru_cache(maxsize=16)
def _parse_rule_pack(text: str, disabled: tuple[str, ...]) -> RulePack:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        raise RulePackError(f"rule pack: not valid YAML{where}: {getattr(exc, 'problem', None) or exc}") from None
    except RecursionError:  # PyYAML composes nodes recursively: `[[[[...` thousands deep (hostile round 9)
        raise RulePackError("rule pack: not valid YAML: nested too deeply") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RulePackError(f"rule pack: expected a mapping with a 'rules' list, got {_short(data)}")
    unknown = sorted(set(map(str, data)) - set(_PACK_KEYS))
    if unknown:
        raise RulePackError(f"rule pack: unknown top-level key {unknown[0]!r} (known: {', '.join(_PACK_KEYS)})")
    off = set(disabled)
    rules = []
    seen: set[str] = set()
    for i, raw in enumerate(data["rules"]):
        rule = _parse_rule(raw, i, seen)
        if rule.code not in off:
            rules.append(rule)
    line_parts = data.get("line_parts", False)
    if not isinstance(line_parts, bool):
        raise RulePackError(f"rule pack: 'line_parts' must be true or false, got {_short(line_parts)}")
    return RulePack(version=str(data.get("version", "unversioned")), rules=tuple(rules), line_parts=line_parts)


def _parse_rule(raw: object, i: int, seen: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise RulePackError(f"rule pack: rule #{i + 1} must be a mapping with code and patterns, got {_short(raw)}")
    code = raw.get("code")
    if not isinstance(code, str) or not _CODE.fullmatch(code):
        raise RulePackError(f"rule pack: rule #{i + 1}: code must be lower_case_with_underscores, got {_short(code)}")
    where = f"rule pack: rule {code}"
    unknown = sorted(set(map(str, raw)) - set(_RULE_KEYS))
    if unknown:
        raise RulePackError(f"{where}: unknown keys {unknown} (known: {', '.join(_RULE_KEYS)})")
    if code in _RESERVED:
        raise RulePackError(f"{where}: the code is taken by a structural layer's rule; choose another")
    if code in seen:
        raise RulePackError(f"{where}: a second rule with this code")
    seen.add(code)
    scope = raw.get("scope", LINE)
    if scope not in (LINE, SENTENCE):
        raise RulePackError(f"{where}: scope must be line or sentence, not {_short(scope)}")
    max_chars = raw.get("max_chars", 300)
    if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1:
        raise RulePackError(f"{where}: max_chars must be a whole number of characters >= 1, not {_short(max_chars)}")
    if max_chars > MAX_RULE_CHARS:
        raise RulePackError(f"{where}: max_chars {max_chars} is over {MAX_RULE_CHARS:,}: it bounds the time a pattern may "
                            "backtrack on a line (a rule is for a line of cruft, not a paragraph)")
    for key in ("absorb_questions", "case_sensitive"):
        if not isinstance(raw.get(key, False), bool):
            raise RulePackError(f"{where}: {key} must be true or false, not {_short(raw[key])}")
    if not isinstance(raw.get("description", ""), str):
        raise RulePackError(f"{where}: description must be a string")
    sources = raw.get("patterns")
    if isinstance(sources, str):
        # a bare string would be read as a list of its characters, one-letter regexes that match
        # nearly every line
        raise RulePackError(f"{where}: patterns must be a list of regexes, not the string {_short(sources)}")
    if not isinstance(sources, list) or not sources:
        # an empty alternation would match every line and remove the whole text
        raise RulePackError(f"{where}: no patterns (expected a non-empty list of regexes)")
    flags = 0 if raw.get("case_sensitive") else re.IGNORECASE
    facts = [_pattern_facts(_compile(source, flags, f"{where}: pattern {j + 1}", max_chars)) for j, source in enumerate(sources)]
    patterns = tuple(f.pattern for f in facts)
    return Rule(
        code=code,
        scope=scope,
        patterns=patterns,
        max_chars=max_chars,
        absorb_questions=bool(raw.get("absorb_questions", False)),
        description=raw.get("description", ""),
        # `search` reads `combined` only for a rule without `anchored` and `floating`, which a
        # parsed rule always has one of: it would be one more alternation to compile per process
        literals=_pack_literals(f.literals for f in facts),
        anchored=_alternation([f.pattern for f in facts if f.anchored], flags),
        floating=_alternation([f.pattern for f in facts if not f.anchored], flags),
        floating_literals=_pack_literals(f.literals for f in facts if not f.anchored),
        starting=tuple(f.pattern for f in facts if f.anchored),
        search_chars=min(f.search_chars for f in facts),
    )


class _PatternFacts(NamedTuple):
    pattern: re.Pattern[str]
    anchored: bool  # starts_anchored
    literals: tuple[str, ...] | None  # required_literals
    search_chars: int  # longest_line up to SEARCH_CHARS_CAP


def _pattern_facts(pattern: re.Pattern[str]) -> _PatternFacts:
    # asked right after the pattern's check, while rule_prefilter and rule_safety still hold its
    # parse and automaton (they keep a few patterns', not a whole pack's)
    return _PatternFacts(pattern, starts_anchored(pattern), required_literals(pattern), longest_line(pattern, SEARCH_CHARS_CAP))


def _alternation(patterns: list[re.Pattern[str]] | tuple[re.Pattern[str], ...], flags: int) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p.pattern})" for p in patterns), flags) if patterns else None


def _compile(source: object, flags: int, where: str, max_chars: int) -> re.Pattern[str]:
    if not isinstance(source, str) or not source:
        raise RulePackError(f"{where}: expected a non-empty regex string, got {_short(source)}")
    try:
        pattern = _scoped(re.compile(source, flags), flags)
    except re.error as exc:
        raise RulePackError(f"{where}: bad pattern {_short(source)}: {exc}") from None
    if required_width(pattern) == 0:
        raise RulePackError(f"{where}: {_short(source)} can match the empty string, so it would remove every line it is tried on")
    risk = backtracking_risk(pattern, max_chars)
    if risk:
        raise RulePackError(f"{where}: {_short(source)} is refused: {risk}")
    return pattern


# Flags a pattern may set for itself at its start: (?i), (?x), (?s), ... A pattern's text is
# joined with the rule's others into one alternation, (?:a)|(?:b), and Python refuses such flags
# anywhere but at the start of the whole expression: a pack with '(?i)^share' or a verbose
# '(?x) ^ share  # comment' stopped the run with a traceback (hostile round 20).
_GLOBAL_FLAGS = re.compile(r"\(\?([aiLmsux]+)\)")
_VERBOSE_GAP = re.compile(r"(?:\s+|#[^\n]*)*")


def _scoped(pattern: re.Pattern[str], flags: int) -> re.Pattern[str]:
    """`pattern`, compiled with `flags`, with the flags it sets at its start written as a group
    of its own, (?x:...), which an alternation can hold; the pattern itself when it sets none."""
    source, verbose, letters, at = pattern.pattern, bool(pattern.flags & re.VERBOSE), "", 0
    # the flags' groups may be parted by spaces and comments when one of them is (?x): the
    # parser reads the whole pattern again as verbose
    while True:
        at = _VERBOSE_GAP.match(source, at).end() if verbose else at
        if not (m := _GLOBAL_FLAGS.match(source, at)):
            break
        letters, at = letters + m.group(1), m.end()
    if not letters:
        return pattern
    # a verbose pattern may end in a comment, which would swallow the closing parenthesis
    return re.compile(f"(?{''.join(dict.fromkeys(letters))}:{source[at:]}{chr(10) if verbose else ''})", flags)


def _short(value: object, limit: int = 60) -> str:
    """A value for a one-line message: its repr, cut (a pack can hold anything)."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def load_rule_pack(path: str = "", disabled: Iterable[str] = ()) -> RulePack:
    return parse_rule_pack(read_rule_pack(path), disabled)


def read_rule_pack(path: str = "") -> str:
    """The text of the rule pack at `path` (the bundled pack when empty); a RulePackError when
    it cannot be read."""
    if not path:
        return _bundled_pack_text()
    return _read_text(f"rule pack {path}", lambda: read_text_at_most(path))


# --- the files a clean stage needs, read when the pipeline is built ------------------------------


@dataclass(frozen=True)
class CleanFiles:
    """The texts of the files `clean.rule_pack`, `clean.classifier_weights` and `clean.furniture_weights` name, read and
    checked once where the pipeline is built and carried inside the transform: a worker on
    Dataflow or Flink cannot open a path on the machine that submitted the job."""

    rule_pack: str  # the pack's YAML
    classifier_weights: str = ""  # the weights' JSON; "" when the classifier is off and none is named
    furniture_weights: str = ""  # the furniture-lines model's JSON; "" when that layer is off and none is named

    def digest(self) -> str:
        """A hash of the texts, for the config hash: a changed pack is a changed config."""
        h = hashlib.sha256()
        for text in (self.rule_pack, self.classifier_weights, self.furniture_weights):
            h.update(text.encode("utf-8") + b"\0")
        return h.hexdigest()[:16]


def read_clean_files(cfg: CleanConfig) -> CleanFiles:
    """Read and check the clean stage's files and its rule codes, or raise a one-line
    RulePackError: a missing, unreadable or invalid rule pack or weights file, a code in
    `disabled_rules` or `skip_after_extraction` that no rule has, a code in a `tail_*` list that
    no rule of the pack (or the bundled pack) has."""
    pack_text = read_rule_pack(cfg.rule_pack)
    try:
        pack = parse_rule_pack(pack_text)
    except RulePackError as exc:
        raise RulePackError(f"{cfg.rule_pack}: {exc}" if cfg.rule_pack else str(exc)) from None
    known = {r.code for r in pack.rules} | set(STRUCTURAL_RULES) | {CLASSIFIER, FURNITURE}
    # the default skip list names codes of the bundled pack; a user's own pack may lack them
    bundled = known if not cfg.rule_pack else known | {r.code for r in parse_rule_pack(_bundled_pack_text()).rules}
    for key, codes in (("disabled_rules", known), ("skip_after_extraction", bundled)):
        unknown = [code for code in getattr(cfg, key) if code not in codes]
        if unknown:
            where = "the rule pack's" if key == "disabled_rules" else "the rule pack's, the bundled pack's"
            raise RulePackError(
                f"clean.{key}: no rule has the code {unknown[0]!r} (codes: {where}, {', '.join(STRUCTURAL_RULES)}, {CLASSIFIER}, {FURNITURE})"
            )
    # the tail lists name pack rules whose lines open or mark a comment section: a misspelt code
    # (`[comment_widgets]`) matched no line, and the tail cut never happened without a word
    # (hostile round 15); the defaults name the bundled pack's, which a user's pack may lack
    pack_codes = bundled - set(STRUCTURAL_RULES) - {CLASSIFIER, FURNITURE}
    for key in ("tail_comment_headers", "tail_thread_lines", "tail_related_headers"):
        if unknown := [code for code in getattr(cfg, key) if code not in pack_codes]:
            raise RulePackError(f"clean.{key}: no rule of the rule pack has the code {unknown[0]!r} (these name "
                                "rule-pack rules, such as the bundled pack's comment_widget, comment_meta, related_links)")
    weights = ""
    if cfg.classifier_weights or (cfg.classifier and CLASSIFIER not in cfg.disabled_rules):
        weights = _read_weights(cfg.classifier_weights)
    furniture = ""
    if cfg.furniture_weights or (cfg.furniture and FURNITURE not in cfg.disabled_rules):
        furniture = _read_furniture_weights(cfg.furniture_weights)
    return CleanFiles(pack_text, weights, furniture)


def _read_text(where: str, read: Callable[[], str]) -> str:
    """What `read` returns, or a one-line RulePackError that starts with `where`."""
    try:
        return read()
    except FileNotFoundError:
        raise RulePackError(f"{where}: no such file") from None
    except (OSError, UnicodeDecodeError, FileTooLarge) as exc:
        raise RulePackError(f"{where}: cannot be read: {exc}") from None


def _read_weights(path: str) -> str:
    where = f"classifier weights {path or DEFAULT_WEIGHTS}"
    text = _read_text(where, lambda: line_weights_text(path))
    try:
        parse_line_model(text)
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        detail = f"missing key {exc}" if isinstance(exc, KeyError) else " ".join(str(exc).split())
        raise RulePackError(f"{where}: not a weights file: {detail}"[:300]) from None
    return text


def _read_furniture_weights(path: str) -> str:
    where = f"furniture-lines model {path or DEFAULT_FURNITURE_WEIGHTS}"
    text = _read_text(where, lambda: furniture_weights_text(path))
    try:
        parse_furniture_model(text)
    except ValueError as exc:  # json.JSONDecodeError is one
        raise RulePackError(f"{where}: {' '.join(str(exc).split())}"[:300]) from None
    return text


# --- pure cleaning functions -------------------------------------------------------------------

# A sentence ends at . ! ? … (optionally followed by closing quotes/brackets) and whitespace, or at
# CJK full stops. Lookbehinds are fixed-width, so the split stays linear on any line.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’»)\]]*\s+|(?<=[。！？])\s*")
# Where a sentence of split_sentences can start besides the line's start: after each of the
# marks _SENTENCE_END looks behind for, its closing quotes and spaces (a superset: the spaces may
# be missing). Each match captures the next one or two characters.
_SENTENCE_STARTS = re.compile(r"(?s)[.!?…。！？][\"'”’»)\]]*\s*(?=(.{1,2}))").findall
# A CJK stop's sentence starts right after it or its spaces, closing quotes or not
_CJK_STOPS = re.compile("[。！？]").search
_CJK_STARTS = re.compile(r"(?s)[。！？]\s*(?=(.{1,2}))").findall
_MEMO_LIMIT = 1 << 16  # the most first-two-character answers a pack remembers
_REMEMBER_CHARS = 200  # a line or unit longer than this is prose, seldom met twice: not remembered
_REMEMBER_LINES = 1 << 15  # the short lines (and units) a pack remembers the verdicts of
# the marks either branch of _SENTENCE_END looks behind for: a line without one is one sentence
_SENTENCE_MARK = re.compile("[.!?…。！？]").search


# Quotation marks (not apostrophes): a sentence holding one reports what someone said or wrote
# ('"Sign up for our newsletter," the mayor joked'), which a call to action of the site never does,
# unless what they hold is a short name: the site's own newsletter or podcast by its title
# ('Iscriviti alla newsletter "Prima Ora"', 'Zapisz się do newslettera „Dzień dobry"').
_QUOTES = frozenset('"“”„«»‹›「」『』')
_QUOTE_MARK = re.compile("[" + re.escape("".join(sorted(_QUOTES))) + "]")
_TITLE_MAX_WORDS = 4
_NOT_IN_TITLE = frozenset(".!?,;:…")


def without_quoted_titles(sentence: str) -> str | None:
    """The sentence with each quoted title put as one word ("Q"), or None when it quotes speech: it
    opens with a quotation mark, a quote is left open (it runs on into other sentences), or a quote
    holds more than a few words or a sentence's punctuation. A rule then judges the words around
    the titles, so "The mayor said "subscribe to the newsletter" twice" stays."""
    if sentence.lstrip()[:1] in _QUOTES:
        return None
    marks = [m.start() for m in _QUOTE_MARK.finditer(sentence)]
    if len(marks) % 2:
        return None
    out, last = [], 0
    for a, b in zip(marks[::2], marks[1::2]):
        inner = sentence[a + 1 : b]
        if len(inner.split()) > _TITLE_MAX_WORDS or not _NOT_IN_TITLE.isdisjoint(inner):
            return None
        out.append(sentence[last:a] + "Q")
        last = b + 1
    return "".join(out) + sentence[last:]


def split_sentences(line: str) -> list[tuple[str, str]]:
    """Split a line into (sentence, whitespace after it); joining them gives the line back."""
    if _SENTENCE_MARK(line) is None:  # one sentence: the split below finds no end in it
        return [(line, "")] if line else []
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


def _pack_literals(per_pattern: Iterable[tuple[str, ...] | None]) -> tuple[str, ...] | None:
    """Literals one of which is in every match of any of some patterns, from each pattern's
    `required_literals`; None when a pattern has none."""
    found: set[str] = set()
    for literals in per_pattern:
        if literals is None:
            return None
        found.update(literals)
    # A literal holding another one is present only when that one is: checking it rules nothing
    # more out (' commentaire' when 'comment' is checked), so it is dropped.
    return tuple(sorted(lit for lit in found if not any(other != lit and other in lit for other in found)))




def matching_line_rule(line: str, pack: RulePack) -> Rule | None:
    """The rule that removes this stripped line whole, if any: the first line-scope rule of the
    pack, or (a pack with `line_parts`) the rule that removes what its parts leave."""
    rule = _first_line_rule(line, pack)
    if rule is None and pack.line_parts and dressed(line):
        code = furniture_head(line, lambda text: _whole_removal(text, pack))
        if code is not None:
            return pack.rule_named(code)
    return rule


def _whole_removal(text: str, pack: RulePack) -> str | None:
    """The code under which the pack removes all of `text`, or None."""
    rest, removals = apply_rules(text, pack)
    return removals[-1].rule if not rest and removals else None


def _first_line_rule(line: str, pack: RulePack) -> Rule | None:
    lowered: Any = _UNKNOWN  # folded(line), worked out when a rule's literals are asked
    held: dict[tuple[str, ...], bool] = {}  # whether the line holds a string of a scan's set, asked once
    for rule, anchored, floating, scan in pack.line_candidates(line):
        if anchored is not None:
            if scan is not None:
                if lowered is _UNKNOWN:
                    lowered = folded(line)
                if lowered is not None and not all(_holds(lowered, literals, held) for literals in scan):
                    continue
            if anchored.search(line) is not None:
                return rule
            continue
        if lowered is _UNKNOWN:
            lowered = folded(line)
        if floating is None:
            if rule.search(line, lowered) is not None:
                return rule
        elif may_match(rule.floating_literals, lowered) and floating.search(line) is not None:
            return rule
    return None


def _holds(lowered: str, literals: tuple[str, ...], held: dict[tuple[str, ...], bool]) -> bool:
    found = held.get(literals)
    if found is None:
        found = held[literals] = any(map(lowered.__contains__, literals))
    return found


def apply_rules(line: str, pack: RulePack, line_rule: Rule | None = _UNKNOWN) -> tuple[str, list[Removal]]:
    """Apply the pack to one stripped line: the line that stays ('' if none) and what went.
    `line_rule`: `matching_line_rule(line, pack)` when the caller has it already."""
    if line_rule is _UNKNOWN:
        line_rule = matching_line_rule(line, pack)
    if line_rule is not None:
        return "", [Removal(line_rule.code, line, True)]
    lowered = folded(line)
    # A sentence is part of the line: a rule whose literals the line lacks fits none of its sentences
    sentence_rules = pack.sentence_rules_for(line, lowered)
    if not sentence_rules:
        return line, []
    sentences = split_sentences(line)
    verdicts: list[str | None] = [None] * len(sentences)
    for i, (sentence, _) in enumerate(sentences):
        judged = sentence
        if not _QUOTES.isdisjoint(sentence) and (judged := without_quoted_titles(sentence)) is None:
            continue  # quoted speech: someone in the article speaks, not the site
        lowered = folded(judged)
        for rule in sentence_rules:
            if rule.matches(judged, lowered):
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
