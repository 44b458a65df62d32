"""`score_document`: every quality signal of a cleaned text, in `SIGNALS` order, rounded once."""

from __future__ import annotations

import operator
import re
from itertools import chain, filterfalse

import numpy as np

from transforms.clean.layout import newline_ends
from transforms.library_args import require_str

from .c4 import c4_signals, code_lines
from .config import SIGNALS, QualityConfig
from .repetition import duplicates, ngram_repetition, word_ids
from .text import (
    C4_POLICY,
    ELLIPSES,
    ENDS_C4_PUNCT,
    INVISIBLE,
    OTHER_SCRIPT_END,
    lower_sentence_starts,
    nonblank,
    ratio,
    split_sentences,
    words_of,
    writing_traits,
)
from .units import (
    QUESTION_ENDS,
    QUOTE_MARK,
    STARTS_DIGIT,
    cell_starts,
    forum_quotations,
    lede,
    line_sections,
    numbered_rows,
    questions_asked_again,
    speaker_label_ends,
    unit_sections,
    unit_start_positions,
    word_offsets,
    word_offsets_of,
    wrapped_paragraphs,
)

DIGITS = 6  # signals are rounded once, and the filters read the rounded values
_ALPHA = re.compile(r"[^\W\d_]")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_BULLETS = ("•", "●", "○", "◦", "▪", "▫", "■", "□", "‣", "⁃", "►", "▶", "➢", "✓", "✔", "-", "*", "·")

# FineWeb's stop characters . ' " ! ? plus their typographic forms (and the ellipsis, which
# FineWeb counts already as "...").
_LINE_END_PUNCT = (".", "'", '"', "!", "?", "”", "’", "»", "…", *OTHER_SCRIPT_END)

# Line-end tests as C-level callables: the per-line counts are sum(map(...)), no Python loop.
_ENDS_ELLIPSIS = operator.methodcaller("endswith", ELLIPSES)
_ENDS_THREE_DOTS = operator.methodcaller("endswith", "...")
_ENDS_LINE_PUNCT = operator.methodcaller("endswith", _LINE_END_PUNCT)

# a speaker label or a quotation mark comes early in its line (a name of a few words): a line
# without a colon in its first characters is not looked at
_LABEL_MAX_CHARS = 80
_ENDS_QUESTION = operator.methodcaller("endswith", QUESTION_ENDS)



def score_document(text: str, language: str = "", cfg: QualityConfig = QualityConfig()) -> dict[str, float]:
    """Every quality signal of `text` (the cleaned text), in `SIGNALS` order, rounded to 6 digits.

    `language` is the detected ISO code ('' or 'und' when unknown): it decides whether the word
    signals and the stop-word count apply.
    """
    require_str("score_document", "text", text)
    # the signals split lines at \n; a library caller's text may part them with \r, U+2028 or
    # another end cleaning cuts at, and was judged as one huge line (hostile round 10)
    text = newline_ends(text)
    invisible = any(map(text.__contains__, INVISIBLE))
    lines = nonblank(text.split("\n"), invisible)
    paragraphs = nonblank(_PARAGRAPH_BREAK.split(text.strip()), invisible)
    n_lines = len(lines)
    total_chars = len(text)
    out: dict[str, float] = {"char_count": total_chars, "line_count": n_lines}
    spaced, punctuated = writing_traits(text, language, cfg)

    if spaced:
        # the words line by line (the same words as words_of(text): a line break is a space), so
        # where each line's words begin is known without tokenising twice
        per_line = list(map(words_of, text.split("\n")))
        words = list(chain.from_iterable(per_line))
        n_words = len(words)
        # Each distinct word is measured once (an article repeats about half of its words), and
        # its occurrences weigh it; ngram_repetition numbers the n-grams from the same word ids.
        ids, first_at = word_ids(words)
        firsts = np.fromiter(first_at.values(), dtype=np.int64, count=len(first_at))
        occurrences = np.bincount(ids, minlength=n_words)  # at a word's first position: its count
        lengths = np.zeros(n_words, dtype=np.int64)
        lengths[firsts] = np.fromiter(map(len, first_at), dtype=np.int64, count=len(first_at))
        lengths = lengths[ids]  # every word's length, also the n-grams'
        word_chars = int(lengths.sum())
        out["word_count"] = n_words
        out["mean_word_length"] = ratio(word_chars, n_words)
        out["hash_word_ratio"] = ratio(text.count("#"), n_words)
        out["ellipsis_word_ratio"] = ratio(text.count("...") + text.count("…"), n_words)
    else:
        out["unspaced_char_count"] = total_chars - sum(map(text.count, " \n\t\r"))
    # A bullet that ends in a sentence mark is prose set as a list item (an article of tips, one
    # paragraph each: trafilatura writes them "- ..."); Gopher's rule is for pages of bulleted
    # links and menus, whose items have no end mark (ours: every bullet line counts in Gopher)
    out["bullet_line_frac"] = ratio(
        sum(1 for s in lines if s.startswith(_BULLETS) and not s.endswith(_LINE_END_PUNCT)), n_lines
    )
    # The last line is left out of the count (ours): a body cut off by a paywall or a feed ends in
    # "..." once; Gopher's rule is for pages of truncated teasers, where every line does.
    out["ellipsis_line_frac"] = ratio(sum(map(_ENDS_ELLIPSIS, lines[:-1])), n_lines)
    if spaced:
        # most words are all letters (str.isalpha, in C); the regex only sees the rest
        no_letter = sum(int(occurrences[first_at[w]]) for w in filterfalse(str.isalpha, first_at) if not _ALPHA.search(w))
        out["alpha_word_frac"] = ratio(n_words - no_letter, n_words)
        if language in cfg.stop_words_languages:
            stop = frozenset(cfg.stop_words)
            is_stop = np.fromiter(map(stop.__contains__, map(str.lower, first_at)), dtype=bool, count=len(first_at))
            out["stop_word_count"] = int(occurrences[firsts[is_stop]].sum())

    # The units of writing: the lines, or in a hard-wrapped text the paragraphs (see
    # `wrapped_paragraphs`), whose line breaks fall wherever the width ran out (ours).
    blocks = wrapped_paragraphs(paragraphs, lines, invisible) or lines
    # A forum's quotations and an interview's questions put again are not repeats (see
    # `forum_quotations`, `questions_asked_again`): the duplicate lines and paragraphs are counted without them,
    # and their words are cut out of the n-grams below
    whole: set[int] = set()
    inline: dict[int, str] = {}
    dup_lines_of, dup_paras_of = lines, paragraphs
    raw_lines = text.split("\n")
    early: list[int] = []  # the lines with a colon near their start: where labels and quotation marks are
    # the lines of code (`code_lines`), which are not prose: for the prose share (in lines), and in
    # spaced scripts for the n-grams and the sentence starts (by their place in raw_lines)
    code = code_lines(lines)
    code_at: set[int] = set()
    if code and spaced:
        nonblank_at = [j for j, r in enumerate(raw_lines) if r.strip() and (not invisible or r.strip().strip(INVISIBLE).strip())]
        code_at = {nonblank_at[i] for i in code}
    if cfg.conversation_form:
        early = [j for j, line in enumerate(raw_lines) if ":" in line[:_LABEL_MAX_CHARS]]
        quotes = any(QUOTE_MARK.search(raw_lines[j]) for j in early)
        questions = list(filter(_ENDS_QUESTION, lines))
        asked_again = len(questions) != len(set(questions))  # some question line repeats
        if quotes:
            whole, inline = forum_quotations(raw_lines, blocks is not lines)
        if asked_again:
            whole = whole | questions_asked_again(raw_lines)
        if whole:
            rest = "\n".join(r for j, r in enumerate(raw_lines) if j not in whole)
            dup_lines_of = nonblank(rest.split("\n"), invisible)
            dup_paras_of = nonblank(_PARAGRAPH_BREAK.split(rest.strip()), invisible)
    # Parallel items (`QualityConfig.parallel_sections`): a repeat counts only within its section.
    # The sections are found only for a text that repeats something (most do not), once
    found: list = []

    def section_maps() -> tuple[list[int], list[int], np.ndarray | None] | None:
        """(each line's, each paragraph's and each word's section) of the repetition signals'
        lines, paragraphs and words, or None when the text has no parallel sections."""
        if not found:
            # only a unit repeated whole is exempt anywhere: without one, nothing to find
            repeats = cfg.parallel_sections and n_lines > 2 and len(set(blocks)) < len(blocks)
            sections = line_sections(blocks, lines) if repeats else None
            maps = None
            if sections is not None:
                maps = unit_sections(
                    sections[1], sections[2], raw_lines, invisible, whole, dup_paras_of, per_line if spaced else None)
                if dup_lines_of is blocks:
                    maps = (sections[0], *maps[1:])
            found.append(maps)
        return found[0]

    # A hard-wrapped text's lines end wherever the width ran out: two paragraphs that open alike
    # (the same terms for another country) share their first wrapped lines, a repeat that the
    # same text one paragraph a line does not have. Its duplicate lines are its units (ours)
    n_dup_lines = n_lines
    if blocks is not lines and not whole:
        dup_lines_of, n_dup_lines = blocks, len(blocks)
    dup_lines, dup_line_chars = duplicates(dup_lines_of, cfg.dup_min_chars)
    dup_paras, dup_para_chars = duplicates(dup_paras_of, cfg.dup_min_chars)
    if (dup_lines or dup_paras) and (maps := section_maps()) is not None:
        if dup_lines:
            dup_lines, dup_line_chars = duplicates(dup_lines_of, cfg.dup_min_chars, maps[0])
        if dup_paras:
            dup_paras, dup_para_chars = duplicates(dup_paras_of, cfg.dup_min_chars, maps[1])
    out["dup_line_frac"] = ratio(dup_lines, n_dup_lines)
    out["dup_line_char_frac"] = ratio(dup_line_chars, total_chars)
    out["dup_para_frac"] = ratio(dup_paras, len(paragraphs))
    out["dup_para_char_frac"] = ratio(dup_para_chars, total_chars)
    if spaced:
        # where each raw line's words begin (per_line has them), and each block's when blocks are not lines
        line_at = word_offsets_of(per_line)
        block_at = None if blocks is lines else word_offsets(blocks)
        if block_at is None:
            starts = line_at[1:-1]
        else:
            starts = unit_start_positions(block_at, n_words)
        if early:
            # a speaker label's words are a unit of their own: "Q: What do you" and "A: What do
            # you" share no 5-gram through their labels, as two speakers' lines share no words
            labels = speaker_label_ends(raw_lines, early, per_line)
            if len(labels):
                starts = labels if starts is None else np.union1d(starts, labels)
        if whole or inline or code_at:
            # every quoted word, and every word of a line of code, starts a unit of its own: no
            # n-gram holds one
            quoted = [np.arange(line_at[j], line_at[j + 1]) for j in whole | code_at]
            quoted += [np.arange(line_at[j + 1] - len(words_of(part)), line_at[j + 1]) for j, part in inline.items()]
            quoted_at = np.concatenate(quoted)
            starts = quoted_at if starts is None else np.union1d(starts, quoted_at)
        # the numbered rows of a table whose cells lost their separators: every word of a row
        # starts a unit of its own (`numbered_rows`), as a line of code's do
        rows = numbered_rows(blocks) if any(map(STARTS_DIGIT, blocks)) else ()
        if rows:
            at = word_offsets(blocks) if block_at is None else block_at
            if int(at[-1]) == n_words:
                row_words = np.concatenate([np.arange(at[i], at[i + 1]) for i in rows])
                starts = row_words if starts is None else np.union1d(starts, row_words)
        # a table row's cells are units of their own, as lines are: a column repeating its value
        # ("Rest", "6 miles (s)") down a training plan is the table's form, not repeated text
        if "|" in text or "\t" in text:
            cells = cell_starts(raw_lines, per_line)
            if len(cells):
                starts = cells if starts is None else np.union1d(starts, cells)
        top_counts: dict[int, int] = {}
        out.update(ngram_repetition(words, total_chars, lengths, ids, starts,
                                    (lambda: (section_maps() or (None, None, None))[2]) if cfg.parallel_sections else None,
                                    top_counts))
        # how widely the most repeated passage of 5 words is spread: in how many units (at most)
        # it recurs, per unit. A definition given again in another section recurs in a few; a
        # sentence appended to every paragraph (a template's) recurs in all of them
        out["top_5gram_unit_frac"] = ratio(top_counts.get(5, 1 if n_words >= 5 else 0), len(blocks))

    # C4 and FineWeb judge lines, assuming the page keeps its line breaks. A text of one line (a
    # whole article flattened by the tool that saved it) has no line structure: one missing full
    # stop or one "javascript" would decide for all of it, so its sentences are its lines (ours).
    units = split_sentences(blocks[0]) if len(blocks) == 1 else blocks
    # A table row (trafilatura writes tables as "| cell | cell |") ends in the cell separator:
    # whether its text is a finished sentence is read before it (ours). A page laid out in a
    # table has prose rows ending "... he said. |"; rows of data still end in a number or a word.
    if any(u.endswith("|") for u in units):
        units = [u.rstrip("| \t") or u for u in units]
    n_units = len(units)
    # C4's keywords ("lorem ipsum", "javascript", the policy phrases): looked for line by line only
    # when the text holds one (or a citation mark, whose removal could join one)
    lower = text.lower()
    keywords = "[" in text or any(map(lower.__contains__, ("lorem ipsum", "javascript", *C4_POLICY)))
    # the list's topic is read only where the prose-page test can ask for it (fewer prose lines than
    # it needs by lines alone)
    topic = cfg.prose_page_min_lines if cfg.prose_page_min_sentences is not None and cfg.prose_page_min_topic_frac is not None else None
    c4 = c4_signals(units, spaced, punctuated, cfg.c4_long_sentence_words, keywords, code if units is lines else None, topic)
    if spaced:
        out["c4_sentence_count"] = c4["c4_sentence_count"]
    if punctuated:
        out["c4_terminal_punct_line_frac"] = ratio(
            # "..." ends in a C4 mark and is not one; "…" is not a C4 mark: one subtraction
            sum(map(ENDS_C4_PUNCT, units)) - sum(map(_ENDS_THREE_DOTS, units)), n_units
        )
    out["c4_curly_brace_lines"] = c4["c4_curly_brace_lines"]
    out["c4_lorem_ipsum_lines"] = c4["c4_lorem_ipsum_lines"]
    # lower-casing every line only when the word is in the text at all (rare)
    javascript = "javascript" in lower and sum(1 for s in lines if "javascript" in s.lower())
    out["c4_javascript_line_frac"] = ratio(javascript, n_lines)

    if punctuated:
        out["line_punct_ratio"] = ratio(sum(map(_ENDS_LINE_PUNCT, units)), n_units)
    short = cfg.fineweb_short_line_chars if spaced else cfg.fineweb_short_line_chars_no_space
    out["short_line_ratio"] = ratio(sum(map(short.__ge__, map(len, units))), n_units)
    if punctuated:  # prose lines cannot be told where sentences end without a mark
        out["prose_line_count"] = c4["prose_line_count"]
        out["prose_char_frac"] = c4["prose_char_frac"]
        if "list_topic_frac" in c4:
            out["list_topic_frac"] = c4["list_topic_frac"]
        out["lede_line_count"], out["lede_sentence_count"] = lede(units, spaced)
    out["code_line_count"] = len(code)
    if spaced:
        # FineWeb counts "\n" per word; on text without blank lines that is lines - 1.
        out["list_ratio"] = ratio(max(n_lines - 1, 0), n_words)
        # code's "document. title" or "x. map" are no sentences starting in lower case
        prose_text = "\n".join(r for j, r in enumerate(raw_lines) if j not in code_at) if code_at else text
        lower, cased = lower_sentence_starts(prose_text)
        # a share of no starts is none: with prose_min_sentence_starts=0 (in its range) a text without
        # a cased sentence start ("hi", Chinese, digits) failed with ZeroDivisionError (hostile round 30)
        if cased and cased >= cfg.prose_min_sentence_starts:
            out["lower_sentence_start_frac"] = lower / cased
    return {name: round(float(out[name]), DIGITS) for name in SIGNALS if name in out}
