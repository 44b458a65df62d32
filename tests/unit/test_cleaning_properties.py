"""Properties of cleaning that must hold for any string (hypothesis), and bounded regex cost."""

from __future__ import annotations

import re
import time
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from transforms.clean import (
    CleanConfig,
    LineFacts,
    glued_teaser,
    is_prose,
    letter_share,
    normalize_line,
    split_sentences,
    strip_cruft,
    word_count,
)

# Lines built from cruft fragments and ordinary words, so the rules actually fire.
FRAGMENTS = st.sampled_from(
    [
        "Share your thoughts in the comments below!", "Leave a Comment", "Home » world » x", "By Ann Lee",
        "Adblock Detected", "What do you think?", "The vote is on Friday.", "Prices rose.", "Title",
        "Read the original report from AP.", "»", "  ", "\t", "…", "?", "!", ".", "ok", "日本語。", "שלום",
        "🙂", "\u200f", "\x00", "\r",
    ]
)
LINE = st.lists(FRAGMENTS, max_size=6).map(" ".join)
TEXTS = st.one_of(st.text(max_size=400), st.lists(LINE, max_size=12).map("\n".join))


def _words(text: str) -> list[str]:
    return text.split()


def _is_subsequence(small: list[str], big: list[str]) -> bool:
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


# derandomize: CI sees the same examples every run; a failure found once is pinned with @example.
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(TEXTS)
@example("0" * 16 + "\n" + "0" * 38 + "\n" + "0" * 38 + ".\n" + "0" * 16)  # a repeat removal exposed a title copy
def test_cleaning_never_raises_never_adds_and_is_idempotent(pack, text):
    once = strip_cruft(text, pack, CleanConfig())
    twice = strip_cruft(once.text, pack, CleanConfig(), title=once.title)
    assert twice.text == once.text  # idempotent
    assert len(once.text) <= len(text.replace("\r\n", "\n"))  # never adds text
    assert _is_subsequence(_words(once.text), _words(text))  # only removes, never rewrites


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(LINE, min_size=1, max_size=12))
def test_only_whole_lines_or_sentences_are_removed(pack, lines):
    text = "\n".join(lines)
    result = strip_cruft(text, pack, CleanConfig())
    input_lines = [line.strip() for line in text.replace("\r", "\n").split("\n")]
    sentences = {sent for line in input_lines for sent, _ in split_sentences(line)}
    for out_line in filter(None, result.text.split("\n")):
        # each output line is an input line with zero or more pieces cut out of it, never rewritten
        assert any(_is_subsequence(_words(out_line), _words(line)) for line in input_lines), out_line
    for removal in result.removals:
        # and every piece cut out is a whole line or a whole sentence of the input
        # (a structural rule may drop what is left of a line after its sentence cuts)
        pieces = [sent for sent, _ in split_sentences(removal.text)]
        assert removal.text in input_lines or all(piece in sentences for piece in pieces), removal

ADVERSARIAL = [
    "a" * 100_000,
    "» " * 50_000,
    "By " + "Aa " * 33_000,
    "Home " + "/ x " * 25_000,
    "share your " * 9_000,
    "let us know " * 8_000 + "!",
    "ad block " * 11_000,
    "." * 100_000,
    "? " * 50_000,
    "x" * 99_999 + "»",
    ("Leave a comment below " * 5_000)[:100_000],
]


def test_every_rule_is_linear_on_100k_character_lines(pack):
    # Each line is far over every rule's max_chars for line rules, but sentence rules and the
    # sentence splitter still see it: the whole pack must finish in well under a second per line.
    for line in ADVERSARIAL:
        started = time.perf_counter()
        strip_cruft(line, pack, CleanConfig())
        assert time.perf_counter() - started < 2.0, line[:40]
    for rule in pack.rules:
        for pattern in rule.patterns:
            for line in ADVERSARIAL:
                started = time.perf_counter()
                pattern.search(line)
                assert time.perf_counter() - started < 0.5, (rule.code, pattern.pattern, line[:30])


def _letter_share_by_definition(line: str) -> float:
    """Letters, and combining marks (of the script ranges) in a run right after a letter (a word
    character that is not a digit or "_"), over non-space characters."""
    chars = sum(not c.isspace() for c in line)
    letters, on_letter = 0, False
    for c in line:
        mark = unicodedata.category(c).startswith("M") and any(lo <= ord(c) < hi for lo, hi in ((0x300, 0x3100), (0xA800, 0xAC00), (0xFE00, 0xFE30)))
        if c.isalpha() or (mark and on_letter):
            letters += 1
        on_letter = bool(re.fullmatch(r"[^\W\d_]", c)) or (mark and on_letter)
    return letters / chars if chars else 1.0


# ASCII lines take the byte-translate path, the others the per-character one; both must agree with
# the definition exactly (the symbol_line threshold compares the value)
@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.one_of(st.text(alphabet=st.characters(max_codepoint=127), max_size=60), st.text(max_size=60)))
@example("\x1c\x1d\x1e\x1f a")  # ASCII separators str.isspace accepts
@example("हिंदी 2020, e\u0301te\u0301")  # vowel signs, decomposed accents: marks on letters
@example("G\u0336£\u03369\u0336 \u0301\u0301_\u0301²\u0301")  # marks on symbols, digits, nothing
def test_letter_share_fast_path_matches_its_definition(line):
    assert letter_share(line) == _letter_share_by_definition(line)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.one_of(LINE, st.text(max_size=80)), max_size=8))
def test_line_facts_give_the_plain_functions_answers(lines):
    cfg = CleanConfig()
    facts = LineFacts(cfg)
    for line in lines + lines:  # the second pass answers from the memo
        assert facts.words(line) == word_count(line)
        assert facts.prose(line) == is_prose(line, cfg)
        assert facts.key(line) == normalize_line(line)
        assert facts.glued(line) == glued_teaser(line, cfg)


# Hard-wrapped text: paragraphs of ordinary and cruft words wrapped at 40-90 columns. Its wrapped
# pieces are joined back into paragraphs (transforms/clean/layout.py): cleaning must stay
# idempotent and only-removing, and each output line must be consecutive input lines joined.
WORDS = st.sampled_from(
    "the council said vote budget schools on Monday and it was a long debate. Share your thoughts "
    "below! By Ann Lee Home » world Comments Read more: Prices rose 4.5% in 2023, (AP) “Why?” — of".split()
)
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=60).map(" ".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(st.lists(PARAGRAPH, min_size=1, max_size=8), st.integers(40, 90), st.booleans())
def test_wrapped_text_is_cleaned_as_paragraphs_idempotently(pack, paragraphs, width, blank_between):
    import textwrap

    sep = "\n\n" if blank_between else "\n"
    text = sep.join(textwrap.fill(p, width, break_long_words=False, break_on_hyphens=False) for p in paragraphs)
    once = strip_cruft(text, pack, CleanConfig())
    twice = strip_cruft(once.text, pack, CleanConfig(), title=once.title)
    assert twice.text == once.text
    assert _is_subsequence(_words(once.text), _words(text))
    input_lines = [line.strip() for line in text.split("\n")]
    joined = {" ".join(input_lines[i:j]) for i in range(len(input_lines)) for j in range(i + 1, len(input_lines) + 1)}
    for out_line in filter(None, once.text.split("\n")):
        assert any(_is_subsequence(_words(out_line), _words(piece)) for piece in joined), out_line


# Cells of tables flattened one cell a line, among cruft and prose: the table detection
# (tables.stacked_table_cells) decides what the body span pays and what navigation may take.
NAMES = st.sampled_from("Chicago Booth|Kellogg|Wharton|MIT Sloan|Stanford|Harvard|Columbia|Yale|Duke|Ross|Tuck|Haas".split("|"))
FIGURES = st.sampled_from(["12%", "$175,000", "3.6", "729", "1/1/2014", "+4.9%", "2.3 GB/s", "3 (tie)", "48%", "$165,000"])
ROWS = st.lists(st.tuples(NAMES, FIGURES, FIGURES), min_size=3, max_size=8).map(lambda rows: "\n".join(c for row in rows for c in row))
TABLE_PAGES = st.lists(st.one_of(LINE, ROWS), max_size=8).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(TABLE_PAGES)
def test_pages_with_tables_one_cell_a_line_are_cleaned_idempotently(pack, text):
    once = strip_cruft(text, pack, CleanConfig())
    twice = strip_cruft(once.text, pack, CleanConfig(), title=once.title)
    assert twice.text == once.text
    assert _is_subsequence(_words(once.text), _words(text))
