"""A document's layout, and its paragraphs: the units the structure layers judge.

Text arrives one paragraph a line (page text as scrapers save it), hard-wrapped at a fixed width
(plain-text dumps, mail, many corpora: 72 columns, a blank line between paragraphs), or one
sentence a line. The structure layers judge lines: a wrapped paragraph's pieces are short lines
without a sentence end, which look like a menu, and `navigation` took whole articles for one.

`paragraph_units` gives back the lines with each wrapped paragraph's pieces joined (one space
between them), so every later layer sees paragraphs. Only pieces that a wrap cut are joined; a menu's items, a heading, a list stay lines
of their own. Words are never changed nor reordered: the output of cleaning holds each kept
paragraph on one line (downstream training wants paragraphs, not a column width), a blank line
between paragraphs as in the input.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import Collection

from transforms.clean.line_facts import ends_like_sentence


class Layout(str, Enum):
    PARAGRAPH = "paragraph"  # one paragraph (or block element) a line
    WRAPPED = "wrapped"  # hard-wrapped at a fixed width
    SENTENCE = "sentence"  # one sentence a line


MIN_JOINTS = 3  # fewer wrap points prove nothing (a short text)
MIN_JOINT_SHARE = 0.1  # of the lines long enough for a wrap to cut, that end where one did
MAX_WRAP_WIDTH = 100  # hard wraps are at 60-80 columns; longer lines are paragraphs
MIN_WRAP_WIDTH = 30  # narrower "wraps" are columns of short items
MIN_SENTENCE_LINES = 5  # one sentence a line: at least this many lines ...
MIN_SENTENCE_SHARE = 0.6  # ... of the non-blank ones end like a sentence ...
MAX_INNER_SENTENCE_SHARE = 0.1  # ... and at most this share hold a sentence end inside

# Line ends other than \n and \r that str.splitlines knows: the reader turns the control ones into
# \n, but U+2028 / U+2029 (JavaScript-escaped JSON, word processors) reach cleaning as they are, and
# a library caller passes any of them. Read as part of a line they glued a page's paragraphs into
# one line: an article of 400 such paragraphs was one 140,000-character line, removed whole as
# `overlong_line` (hostile round 9).
_RARE_LINE_END = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def newline_ends(text: str) -> str:
    """`text` with every line end (\r\n, \r and the rarer ones above) written as \n: the line
    ends cleaning cuts at, for code that splits at \n alone (the quality signals)."""
    if _RARE_LINE_END.search(text):
        text = _RARE_LINE_END.sub("\n", text)
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def text_lines(text: str) -> list[str]:
    """`text` cut at every line end (\n, \r\n, \r and the rarer ones above), as str.splitlines
    cuts it but for a trailing empty line, which stays (as `text.split("\n")` gives it)."""
    return newline_ends(text).split("\n")


def line_count(text: str) -> int:
    """len(text_lines(text)), counted without making the lines (a cap is checked with it)."""
    ends = text.count("\n") + text.count("\r") - text.count("\r\n")
    if _RARE_LINE_END.search(text):
        ends += sum(1 for _ in _RARE_LINE_END.finditer(text))
    return ends + 1


# how a wrapped table row's piece starts: a figure, a cell mark, a currency
_TABLE_STARTS = frozenset("0123456789|$€£¥%(-–+")

# A sentence end inside a line: a mark, a space, then a capital or a digit.
_INNER_END = re.compile(r"[.!?][\"'”’»)\]]*\s+[\"'“‘«(\[]?[A-Z0-9]")


def _first_word(line: str) -> str:
    return line.split(None, 1)[0] if line else ""


def wrap_width(lines: list[str]) -> int:
    """The width the text seems wrapped at: the 95th percentile of the lengths of its lines that
    another line follows (a wrap cut them), of those at least MIN_WRAP_WIDTH long when 4 are. A
    paragraph's last line and a one-line paragraph are left out: a URL or a long word that no wrap
    can cut stands alone there, and would widen the estimate until no joint fits. Short lines are
    left out too: a page dumped as text (lynx, html2text) wraps its article among hundreds of menu
    items, which would narrow the estimate below any wrap. All non-blank lines count when fewer
    than 4 lines are followed."""
    cut = [len(a) for a, b in zip(lines, lines[1:]) if a and b]
    wide = [n for n in cut if n >= MIN_WRAP_WIDTH]
    lengths = sorted(wide if len(wide) >= 4 else cut if len(cut) >= 4 else [len(line) for line in lines if line])
    return lengths[min(len(lengths) - 1, int(0.95 * len(lengths)))] if lengths else 0


def wrapped_at(a: str, b: str, width: int) -> bool:
    """Whether line `a` ends where a wrap at `width` columns cut a paragraph that `b` continues:
    `b`'s first word would not have fitted on `a` (the test `fmt` and format=flowed readers use).
    A menu's items, headings and short lines are not full, so they are never joined."""
    return bool(a) and bool(b) and len(a) + 1 + len(_first_word(b)) > width and len(a) >= width // 2


def detect_layout(lines: list[str]) -> Layout:
    """The layout of a document's stripped lines ("" for blank ones)."""
    nonblank = [line for line in lines if line]
    if len(nonblank) < MIN_JOINTS + 1:
        return Layout.PARAGRAPH
    width = wrap_width(lines)
    if MIN_WRAP_WIDTH <= width <= MAX_WRAP_WIDTH:
        joints = sum(wrapped_at(a, b, width) for a, b in zip(lines, lines[1:]))
        # a wrap mostly continues a sentence in lower case; in text whose paragraphs are parted
        # by blank lines, a continuation starting with a figure or a cell mark counts too (a
        # wrapped table's row: "| 729 | $175,000"): page text's menus and prices have no blank lines
        first, last = lines.index(nonblank[0]), len(lines) - 1 - lines[::-1].index(nonblank[-1])
        paragraphs = "" in lines[first:last]  # a blank line between two non-blank ones
        lower = sum(wrapped_at(a, b, width) and (b[:1].islower() or (paragraphs and b[:1] in _TABLE_STARTS)) for a, b in zip(lines, lines[1:]))
        # the share is of the lines a wrap could have cut: a page's menus, among which its wrapped
        # article sits in a text dump, are no evidence either way
        full = sum(len(line) >= width // 2 for line in nonblank)
        if joints >= MIN_JOINTS and joints >= MIN_JOINT_SHARE * full and lower * 3 >= joints:
            return Layout.WRAPPED
    ends = sum(ends_like_sentence(line) for line in nonblank)
    inner = sum(_INNER_END.search(line) is not None for line in nonblank)
    if (
        ends >= MIN_SENTENCE_LINES
        and ends >= MIN_SENTENCE_SHARE * len(nonblank)
        and inner <= MAX_INNER_SENTENCE_SHARE * len(nonblank)
        and any(not line for line in lines)  # paragraphs are marked by blank lines
    ):
        return Layout.SENTENCE
    return Layout.PARAGRAPH


def paragraph_units(lines: list[str], layout: Layout | None = None, named: Collection[int] = (), max_chars: int = 0) -> list[str]:
    """`lines` (stripped, "" for blank) with the pieces of each hard-wrapped paragraph joined into
    one line: a line is joined to the one before when a wrap cut the paragraph there (`wrapped_at`).

    `named`: the indices of lines a line rule of the pack removes whole ("Share", "Advertisement"). They are
    left out of the layout's detection and never joined: cleaning removes them, and a second pass
    over its output must see the layout the first pass saw (idempotence).

    Text one sentence a line stays as it is: each sentence ends like one, so the structure layers
    already judge it as prose, and joining sentences would merge the one-sentence paragraphs news
    sites write (docs/cleaning.md has the figures). A paragraph-a-line text comes back as it is.

    `max_chars` (0: none): a joined paragraph stops growing before it passes this many characters
    and the next piece starts another. The clean stage removes a longer line whole as
    `overlong_line` (minified code, data dumps), and a long text hard-wrapped without blank lines is
    one paragraph: joined whole, a 100,000-character article went as one overlong line (hostile
    round 13). Cut at a wrap, its pieces are judged as paragraphs are."""
    seen = [line for i, line in enumerate(lines) if i not in named] if named else lines
    layout = layout or detect_layout(seen)
    if layout is not Layout.WRAPPED:
        return lines
    width = wrap_width(seen)
    out: list[str] = []
    prev = ""  # the previous input line (not the paragraph joined so far)
    for i, line in enumerate(lines):
        if i in named:
            out.append(line)
            prev = ""  # nothing joins a named line, nor is joined to it
            continue
        if out and prev and wrapped_at(prev, line, width) and not (max_chars and len(out[-1]) + 1 + len(line) > max_chars):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
        prev = line
    return out
