"""Deciding on the signals: the rule table (`thresholds`), the prose-page and list-page
exemptions, `keep_document` / `assess_quality`, and the length check run before language
identification."""

from __future__ import annotations

import operator
from typing import Mapping, NamedTuple

from transforms.records import Document, Reason, Rejection

from .config import (
    C4_QUALITY,
    DUP_NGRAMS,
    FINEWEB_QUALITY,
    GOPHER_QUALITY,
    GOPHER_REPETITION,
    PROSE_QUALITY,
    STAGE,
    TOP_NGRAMS,
    QualityConfig,
)
from .signals import score_document
from .text import words_of

# The reason a rejected document carries: one stable code per filter, so `rejected_by_reason` in
# the report and a `WHERE reason = ...` on the Parquet say which family fired without parsing.
FILTER_REASONS: Mapping[str, Reason] = {
    GOPHER_QUALITY: Reason.GOPHER_QUALITY,
    GOPHER_REPETITION: Reason.GOPHER_REPETITION,
    C4_QUALITY: Reason.C4_QUALITY,
    FINEWEB_QUALITY: Reason.FINEWEB_QUALITY,
    PROSE_QUALITY: Reason.PROSE_QUALITY,
}

# Signals computed from words: left out for languages written without spaces.
WORD_SIGNALS = frozenset(
    {
        "word_count",
        "mean_word_length",
        "hash_word_ratio",
        "ellipsis_word_ratio",
        "alpha_word_frac",
        "stop_word_count",
        *(f"top_{n}gram_char_frac" for n in TOP_NGRAMS),
        *(f"dup_{n}gram_char_frac" for n in DUP_NGRAMS),
        "c4_sentence_count",  # C4 keeps only lines of >= 3 words
        "list_ratio",
        "lower_sentence_start_frac",
        "top_5gram_unit_frac",
    }
)

# Signals that count lines ending in a sentence mark: left out for Thai and Lao.
PUNCT_SIGNALS = frozenset({"c4_terminal_punct_line_frac", "line_punct_ratio"})



class Threshold(NamedTuple):
    filter: str
    signal: str
    op: str  # the comparison that REJECTS: value <op> limit
    limit: float | None



_REJECTS = {"<": operator.lt, ">": operator.gt, "<=": operator.le, ">=": operator.ge}



def thresholds(cfg: QualityConfig) -> tuple[Threshold, ...]:
    """Every filter rule in the order it is checked; a rule whose limit is None is off."""
    g, r, c, f, p = GOPHER_QUALITY, GOPHER_REPETITION, C4_QUALITY, FINEWEB_QUALITY, PROSE_QUALITY
    rules = [
        Threshold(g, "word_count", "<", cfg.gopher_min_words),
        Threshold(g, "unspaced_char_count", "<", cfg.gopher_min_unspaced_chars),
        Threshold(g, "word_count", ">", cfg.gopher_max_words),
        Threshold(g, "mean_word_length", "<", cfg.gopher_min_mean_word_length),
        Threshold(g, "mean_word_length", ">", cfg.gopher_max_mean_word_length),
        Threshold(g, "hash_word_ratio", ">", cfg.gopher_max_hash_word_ratio),
        Threshold(g, "ellipsis_word_ratio", ">", cfg.gopher_max_ellipsis_word_ratio),
        Threshold(g, "bullet_line_frac", ">", cfg.gopher_max_bullet_line_frac),
        Threshold(g, "ellipsis_line_frac", ">", cfg.gopher_max_ellipsis_line_frac),
        Threshold(g, "alpha_word_frac", "<", cfg.gopher_min_alpha_word_frac),
        Threshold(g, "stop_word_count", "<", cfg.gopher_min_stop_words),
        Threshold(r, "dup_para_frac", ">", cfg.gopher_max_dup_para_frac),
        Threshold(r, "dup_para_char_frac", ">", cfg.gopher_max_dup_para_char_frac),
        Threshold(r, "dup_line_frac", ">", cfg.gopher_max_dup_line_frac),
        Threshold(r, "dup_line_char_frac", ">", cfg.gopher_max_dup_line_char_frac),
        *(Threshold(r, f"top_{n}gram_char_frac", ">", t) for n, t in zip(TOP_NGRAMS, cfg.gopher_max_top_ngram_char_frac)),
        *(Threshold(r, f"dup_{n}gram_char_frac", ">", t) for n, t in zip(DUP_NGRAMS, cfg.gopher_max_dup_ngram_char_frac)),
        Threshold(c, "c4_sentence_count", "<", cfg.c4_min_sentences),
        Threshold(c, "c4_curly_brace_lines", ">", cfg.c4_max_curly_brace_lines),
        Threshold(c, "c4_lorem_ipsum_lines", ">", cfg.c4_max_lorem_ipsum_lines),
        Threshold(c, "c4_terminal_punct_line_frac", "<", cfg.c4_min_terminal_punct_line_frac),
        Threshold(c, "c4_javascript_line_frac", ">", cfg.c4_max_javascript_line_frac),
        Threshold(f, "line_punct_ratio", "<=", cfg.fineweb_min_line_punct_ratio),
        Threshold(f, "short_line_ratio", ">=", cfg.fineweb_max_short_line_ratio),
        Threshold(f, "dup_line_char_frac", ">=", cfg.fineweb_max_dup_line_char_frac),
        Threshold(f, "list_ratio", ">", cfg.fineweb_max_list_ratio),
        Threshold(p, "lower_sentence_start_frac", ">", cfg.prose_max_lower_sentence_start_frac),
    ]
    return tuple(t for t in rules if t.limit is not None)



def _applies(t: Threshold, language: str, cfg: QualityConfig) -> bool:
    """Whether rule `t` fits `language` (see "Languages" in the module docstring)."""
    if t.signal in WORD_SIGNALS and language in cfg.no_space_languages:
        return False
    if t.signal in PUNCT_SIGNALS and language in cfg.no_terminal_punct_languages:
        return False
    if t.signal == "stop_word_count" and language not in cfg.stop_words_languages:
        return False
    if t.signal == "mean_word_length" and t.op == "<" and language in cfg.syllabic_languages:
        return False
    return True



def is_prose_page(signals: Mapping[str, float], cfg: QualityConfig) -> bool:
    """Whether the page's prose carries it (see `QualityConfig.prose_page_min_lines`): prose holding
    enough of the characters outside rows of figures, in enough prose lines, or in enough
    sentences beside a list about the same things and no code. False when either of the first
    two minimums is off."""
    if cfg.prose_page_min_lines is None or cfg.prose_page_min_char_frac is None:
        return False
    if signals.get("prose_char_frac", 0) < cfg.prose_page_min_char_frac:
        return False
    if signals.get("prose_line_count", 0) >= cfg.prose_page_min_lines:
        return True
    return (
        cfg.prose_page_min_sentences is not None
        and cfg.prose_page_min_topic_frac is not None
        and signals.get("code_line_count", 0) == 0
        and signals.get("c4_sentence_count", 0) >= cfg.prose_page_min_sentences
        and signals.get("list_topic_frac", 0) >= cfg.prose_page_min_topic_frac
    )



def is_list_page(signals: Mapping[str, float], cfg: QualityConfig) -> bool:
    """Whether a lede opens the page (see `QualityConfig.list_page_min_lede_lines`): enough prose
    units, holding enough sentences, and no line of code after them (code under a lede is a
    tutorial, which is judged as a prose page, or a script dump). False when either minimum is
    off."""
    if cfg.list_page_min_lede_lines is None or cfg.list_page_min_lede_sentences is None:
        return False
    return (
        signals.get("code_line_count", 0) == 0
        and signals.get("lede_line_count", 0) >= cfg.list_page_min_lede_lines
        and signals.get("lede_sentence_count", 0) >= cfg.list_page_min_lede_sentences
    )



_DUP_NGRAM_SIGNALS = frozenset(f"dup_{n}gram_char_frac" for n in DUP_NGRAMS)



def uncorroborated_repetition(signals: Mapping[str, float], value: float, cfg: QualityConfig) -> bool:
    """Whether a duplicate n-gram fraction of `value` is below the limit for repetition that no
    repeated line or paragraph corroborates, on a prose page of enough prose lines (see
    `QualityConfig.prose_page_max_dup_ngram_char_frac`): distinct paragraphs sharing a sentence
    needs paragraphs; in a text of a few, a repeat is most of it (a doorway page's two copies)."""
    limit, spread = cfg.prose_page_max_dup_ngram_char_frac, cfg.prose_page_max_top_5gram_unit_frac
    return (
        limit is not None
        and value <= limit
        and (spread is None or signals.get("top_5gram_unit_frac", 0) <= spread)
        and signals.get("dup_line_frac", 0) == 0
        and signals.get("dup_para_frac", 0) == 0
        and is_prose_page(signals, cfg)
        and signals.get("prose_line_count", 0) >= cfg.prose_page_min_lines
    )



def fires(t: Threshold, signals: Mapping[str, float], language: str, cfg: QualityConfig) -> bool:
    """Whether rule `t` rejects: its signal is present, fits the language, crosses the limit, and
    the rule is not one the page is exempt from (a prose page, a list page that a lede opens,
    n-grams repeated on a prose page where no line or paragraph repeats)."""
    if t.limit is None or t.signal not in signals or not _applies(t, language, cfg):
        return False
    value = signals[t.signal]
    if not _REJECTS[t.op](value, t.limit):
        return False
    # looked up only when a rule crosses its limit: rare, so the common path stays as it was
    rule = f"{t.filter}:{t.signal}"
    if rule in cfg.prose_page_exempt_rules and is_prose_page(signals, cfg):
        return False
    if rule in cfg.list_page_exempt_rules and is_list_page(signals, cfg):
        return False
    return not (t.signal in _DUP_NGRAM_SIGNALS and uncorroborated_repetition(signals, value, cfg))



def _fmt(x: float) -> str:
    """A short form of a signal or limit: 11.2, 0.3125, 50 (never 11.20 or 5e+01)."""
    return str(int(x)) if x == int(x) else f"{x:.4f}".rstrip("0")



def enabled_rules(cfg: QualityConfig) -> tuple[Threshold, ...]:
    """The rules of the enabled filters, in the order they are checked."""
    return tuple(t for t in thresholds(cfg) if t.filter in cfg.filters)



def _first_rejecting(
    signals: Mapping[str, float], cfg: QualityConfig, language: str, rules: tuple[Threshold, ...] | None = None
) -> Threshold | None:
    """The first rule of an enabled filter that fires, or None. `rules`: enabled_rules(cfg),
    when the caller built them once (the DoFn, in setup)."""
    rules = enabled_rules(cfg) if rules is None else rules
    return next((t for t in rules if fires(t, signals, language, cfg)), None)



def _detail(t: Threshold, signals: Mapping[str, float]) -> str:
    return f"{t.filter}:{t.signal}={_fmt(signals[t.signal])}{t.op}{_fmt(t.limit)}"



def keep_document(signals: Mapping[str, float], cfg: QualityConfig, language: str = "") -> tuple[bool, str | None]:
    """(True, None) to keep; (False, "filter:signal=value<op>limit") for the first rule that fires.

    Rules of a filter not in `cfg.filters`, rules on a signal that does not fit `language`, and
    rules on a signal absent from `signals` are skipped.
    """
    t = _first_rejecting(signals, cfg, language)
    return (True, None) if t is None else (False, _detail(t, signals))



def assess_quality(doc: Document, cfg: QualityConfig, rules: tuple[Threshold, ...] | None = None) -> Document | Rejection:
    """The quality stage's decision for one document: signals always kept on the record.
    `rules`: enabled_rules(cfg), if the caller built them once."""
    signals = score_document(doc.text, doc.language, cfg)
    scored = doc.with_(signals=signals)
    t = None if cfg.annotate_only else _first_rejecting(signals, cfg, doc.language, rules)
    if t is None:
        return scored
    return Rejection.of(scored, FILTER_REASONS[t.filter], _detail(t, signals), STAGE)



def _nonspace_chars(text: str) -> int:
    return len(text) - sum(map(text.count, " \n\t\r"))



def certainly_too_short(text: str, cfg: QualityConfig) -> bool:
    """Whether the quality stage will reject `text` for its length whatever language it is found
    to be in: fewer than `gopher_min_words` words and fewer than `gopher_min_unspaced_chars`
    non-space characters, so Gopher's length rule fires on the spaced reading (words) and on the
    unspaced one (characters) alike. False when that rule cannot reject (annotate-only, the
    gopher_quality filter off, either minimum off): then only the quality stage decides.

    Cheap: one count of the spaces, and the words only of a text under the character minimum
    (most documents are over it and pass after that count)."""
    min_words, min_chars = cfg.gopher_min_words, cfg.gopher_min_unspaced_chars
    if cfg.annotate_only or GOPHER_QUALITY not in cfg.filters or min_words is None or min_chars is None:
        return False
    return _nonspace_chars(text) < min_chars and len(words_of(text)) < min_words



def reject_if_too_short(doc: Document, cfg: QualityConfig, rules: tuple[Threshold, ...] | None = None) -> Document | Rejection:
    """The quality stage's length rule, taken before language identification (which costs more on
    a few words than on an article, to find a language that changes nothing here): a document
    `certainly_too_short` is rejected as the quality stage would reject it (`gopher_quality`, the
    word or character count against its minimum), with its signals scored for an undetermined
    language (the script decides spaced or not; no stop-word count). Any other document passes
    untouched, to be judged after language identification."""
    if not certainly_too_short(doc.text, cfg):
        return doc
    signals = score_document(doc.text, "", cfg)
    t = _first_rejecting(signals, cfg, "", rules)
    if t is None:  # cannot happen: the length rule fires on either reading (kept, never lost)
        return doc
    return Rejection.of(doc.with_(signals=signals), FILTER_REASONS[t.filter], _detail(t, signals), STAGE)
