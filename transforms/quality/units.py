"""How a text is cut into units for the repetition signals: hard-wrapped paragraphs, a
conversation's speaker labels, questions and quotations, table cells and numbered rows, the
lede, and the sections a passage repeats under (parallel items)."""

from __future__ import annotations

import operator
import re
from collections import Counter
from itertools import pairwise

import numpy as np

from .c4 import LIST_ITEM
from .text import (
    C4_END_PUNCT,
    C4_MIN_LINE_WORDS,
    ELLIPSES,
    ENDS_C4_PUNCT,
    INVISIBLE,
    SENTENCE_BREAK,
    nonblank,
    words_of,
)

# A hard wrap: lines cut at a width of at most this many characters (mail and plain-text dumps wrap
# at 72-80; a paragraph a line runs longer than this on any real page)
_WRAP_MAX_WIDTH = 100
_WRAP_MIN_WIDTH = 40  # narrower "wraps" are short lines, not a paragraph cut to a width

# In a paragraph wrapped without blank lines, one line in this many may end short of full: a run of
# spaces or no-break spaces in the source stays inside a wrapped line and is dropped at its end,
# so that line looks as if the next word would have fitted
_WRAP_LOOSE_LINES = 20



def wrapped_paragraphs(paragraphs: list[str], lines: list[str], invisible: bool = False) -> list[str] | None:
    """The units of a hard-wrapped text: each wrapped paragraph joined into one line, other lines
    as they are; None when no paragraph is wrapped (the lines are the units).

    A text is read as hard-wrapped when no line is longer than `_WRAP_MAX_WIDTH` and it has blank
    lines between paragraphs; a paragraph of several lines is wrapped when every line but its last
    fills at least half of the longest line (a wrap fills each line up to the width; a heading over
    its text, or a list of short items, does not).

    A text of one paragraph (no blank line), its longest line of 40-100 characters, is wrapped
    when each of its lines (3 at least) but the last fills half of the longest and is full: the
    next line's first word would not have fitted on it (a greedy wrap's signature, which
    a list of headlines or menu entries of similar lengths does not have), but for one line in
    `_WRAP_LOOSE_LINES` (a run of spaces the wrap dropped at the line's end). A hyphen's break
    ("eighteenth-" / "century") needs no space: the test allows for it."""
    if len(paragraphs) == 1 and len(lines) >= 3 and _WRAP_MIN_WIDTH <= max(map(len, lines)) <= _WRAP_MAX_WIDTH:
        width = max(map(len, lines))
        if all(2 * len(line) >= width for line in lines[:-1]) and sum(
            len(line) + len(after.split(maxsplit=1)[0]) < width for line, after in pairwise(lines)
        ) <= (len(lines) - 1) // _WRAP_LOOSE_LINES:
            return [" ".join(lines)]
        return None
    if len(paragraphs) < 2 or len(paragraphs) == len(lines) or max(map(len, lines)) > _WRAP_MAX_WIDTH:
        return None
    half = max(map(len, lines)) / 2
    out: list[str] = []
    joined = False
    for paragraph in paragraphs:
        inner = nonblank(paragraph.split("\n"), invisible)
        if len(inner) > 1 and all(len(line) >= half for line in inner[:-1]):
            out.append(" ".join(inner))
            joined = True
        else:
            out.extend(inner)
    return out if joined else None



def word_offsets_of(unit_words: list[list[str]]) -> np.ndarray:
    """Where each unit's words begin among the units' words (`unit_words`: each unit's words),
    and their total at the end."""
    return np.concatenate(([0], np.cumsum(np.fromiter(map(len, unit_words), dtype=np.int64, count=len(unit_words)))))



def word_offsets(units: list[str]) -> np.ndarray:
    """Where each unit's words begin among the units' words, and their total at the end."""
    return word_offsets_of(list(map(words_of, units)))



def unit_start_positions(offsets: np.ndarray, n_words: int) -> np.ndarray | None:
    """The word positions where each unit but the first begins (`offsets`: `word_offsets` of the
    units), when the units' words are the text's words (else None: a line of invisible characters
    held a "word")."""
    if int(offsets[-1]) != n_words or len(offsets) < 3:
        return None
    starts = offsets[1:-1]
    return starts[starts < n_words]



# A forum's quotation mark-up: "paulb203 said:", "Kathleen Sanderson wrote: Travis, what ...",
# "Quote:", "Zitat von X:", "X a écrit :", in the languages of the benchmark's forums and a few more
QUOTE_MARK = re.compile(
    r"(?:\b(?:said|wrote|writes|says|schrieb|a écrit|escribió|ha scritto|написал|написала)|^(?:Quote|Quoting|Zitat|Citation|Cita)\b[^:\n]{0,60})"
    r"[ \t]*:[ \t]*",
    re.MULTILINE,
)

# A speaker label at the start of a line: one to three words and a colon ("Q:", "A:", "MARIA
# LOPEZ:", "Interviewer:", "Dr. Kim:"), then the speech, 3 words at least: "SKU: 400-150-020"
# or "Price: $48.99" is a field and its value, whose repeats are repeats
_SPEAKER_LABEL = re.compile(r"[ \t]*(?:[^\W\d_][\w.'’-]*[ \t]+){0,2}[^\W\d_][\w.'’-]*[ \t]*:[ \t]+(?=\S+[ \t]+\S+[ \t]+\S)")
QUESTION_ENDS = ("?", "?\"", "?”", "?»", "？")



def speaker_label_ends(raw_lines: list[str], early: list[int], per_line: list[list[str]]) -> np.ndarray:
    """The word positions right after the speaker labels: where the speech begins. `early`: the
    lines with a colon near their start, the only ones that may hold a label."""
    at = np.concatenate(([0], np.cumsum(np.fromiter(map(len, per_line), dtype=np.int64, count=len(per_line)))))
    return np.asarray(
        [int(at[j]) + len(words_of(m.group())) for j in early if (m := _SPEAKER_LABEL.match(raw_lines[j]))],
        dtype=np.int64,
    )



def questions_asked_again(raw_lines: list[str]) -> set[int]:
    """The lines that put a question again to get a new answer: a line ending in a question mark,
    as an earlier one, followed by a line that never followed it before (the next guest's answer).
    A question followed by what followed it before is a loop, not an interview."""
    answers: dict[str, set[str]] = {}
    again: set[int] = set()
    lines = [(j, line.strip()) for j, line in enumerate(raw_lines) if line.strip()]
    for (j, line), (_, after) in zip(lines, [*lines[1:], (-1, "")]):
        if line.endswith(QUESTION_ENDS):
            seen = answers.setdefault(line, set())
            if seen and after and after not in seen:
                again.add(j)
            seen.add(after)
    return again



_QUOTE_MAX_NAME_WORDS = 6  # words before a quotation mark: a name, a time ("36 minutes ago, X said:")



def forum_quotations(raw_lines: list[str], by_paragraph: bool) -> tuple[set[int], dict[int, str]]:
    """The quotations of a forum thread: (the lines that are whole quotations, {line: the quoted
    part of a line that starts with the mark}). A quotation is what follows a quotation mark on
    its line ("X wrote: <quote>"), or else the next line after the mark ("X said:" / "<quote>"),
    the next paragraph in a hard-wrapped text.

    A reply that quotes the post it answers repeats that post: Gopher counts its words as
    duplicated n-grams and its lines as duplicate lines (four forum threads of the real-article
    set went for it, 0.155-0.17 against 0.15). The quotation is the forum's mark-up for "in
    answer to", not repeated content, so it is set apart from the repetition signals (ours; the
    post it quotes, and any repeat elsewhere, still count). The mark follows a name, a few words
    at most ("36 minutes ago, Mr_Enigmatic said:"), not a sentence ("The minister said: ...").
    Only the first quotation of a text is set apart: a text quoted again and again is repeated
    ("Admin said:" before every copy of one advert)."""
    whole: set[int] = set()
    inline: dict[int, str] = {}
    quoted: set[str] = set()
    j, n = 0, len(raw_lines)
    while j < n:
        line = raw_lines[j].strip()
        mark = QUOTE_MARK.search(line) if line else None
        if mark is None or len(line[: mark.start()].split()) > _QUOTE_MAX_NAME_WORDS:
            j += 1
            continue
        part = line[mark.end() :].strip()
        if part:  # the quotation follows the mark on its line
            if part not in quoted:
                quoted.add(part)
                inline[j] = part
            j += 1
            continue
        j += 1
        while j < n and not raw_lines[j].strip():  # blank lines between the mark and the quotation
            j += 1
        start = j
        while j < n and raw_lines[j].strip() and (j == start or by_paragraph):
            j += 1
        part = "\n".join(r.strip() for r in raw_lines[start:j])
        if part and part not in quoted:
            quoted.add(part)
            whole.update(range(start, j))
    return whole, inline



_CELL_SEPARATOR = re.compile(r"[ \t]\|[ \t]|\t")



def cell_starts(raw_lines: list[str], per_line: list[list[str]]) -> np.ndarray:
    """The word positions where a table cell begins, other than at its row's start: in rows whose
    cells are set apart by " | " (trafilatura's tables) or by tabs."""
    out: list[int] = []
    at = 0
    for line, words in zip(raw_lines, per_line):
        if words and _CELL_SEPARATOR.search(line):
            k = at
            for cell in _CELL_SEPARATOR.split(line)[:-1]:
                k += len(words_of(cell))
                if at < k < at + len(words):
                    out.append(k)
        at += len(words)
    return np.unique(np.asarray(out, dtype=np.int64))



# A heading of a section: a unit without an end mark of at most this many words (a title, a name,
# "UK:", "Meal 3", "Tuesday. Intense Run (60-80mins):")
_HEADING_MAX_WORDS = 12



def _is_heading(unit: str) -> bool:
    return (
        not unit.endswith(C4_END_PUNCT)
        and len(unit.split(maxsplit=_HEADING_MAX_WORDS)) <= _HEADING_MAX_WORDS
        and LIST_ITEM.match(unit) is None
    )



def lede(units: list[str], spaced: bool = True) -> tuple[int, int]:
    """(units, sentences) of the lede: the run of prose units that opens the text, after one
    heading at most (a title). A prose unit ends in a sentence mark (not an ellipsis) and, in
    spaced scripts, holds at least 3 words: a line C4 keeps.

    A list article (products and their links, a directory, a catalogue's index, a ranking's table)
    opens with prose that introduces the list; a page's chrome opens with its menu, or with a
    banner of one line (a cookie notice) before the menu (ours)."""
    start = 1 if len(units) > 1 and _is_heading(units[0]) else 0
    n = 0
    for unit in units[start:]:
        if not unit.endswith(C4_END_PUNCT) or unit.endswith(ELLIPSES):
            break
        if spaced and len(unit.split(maxsplit=C4_MIN_LINE_WORDS - 1)) < C4_MIN_LINE_WORDS:
            break
        n += 1
    # the run's sentence breaks in one scan, joined by NUL, which no break matches across
    return n, n + len(SENTENCE_BREAK.findall("\0".join(units[start : start + n]))) if n else 0



# A table row whose cells lost their separators starts with the row's number: "1 Rest Walk/Run
# Easy 10x(...) Optional Non-Impact Cardio 30 min", "12 Kyle Busch 5040" (not a numbered list
# item, "1. Beat the butter", whose number is followed by a mark)
_ROW_NUMBER = re.compile(r"(\d{1,3})[ \t]+\S")
_MIN_NUMBERED_ROWS = 3
STARTS_DIGIT = operator.methodcaller("startswith", tuple("0123456789"))



def numbered_rows(units: list[str]) -> list[int]:
    """The positions of the numbered rows of tables among `units`: runs of at least 3 units
    without an end mark or a cell separator, each starting with its row's number, counting up by
    one (1, 2, 3, ...). A row whose cells are set apart has its cells as units (`cell_starts`).

    A schedule or a ranking whose cell separators were lost on the way is one line a row; its
    columns repeat their values down the rows ("Rest", "Optional Non-Impact Cardio 30 min"), a
    repeat that is the table's form, as a column's value is in a table whose cells are known
    (`cell_starts`). Numbers that count up are a table's rows, not a loop: a loop repeats its
    lines whole, and those still count as duplicate lines (ours)."""
    out: list[int] = []
    run: list[int] = []
    expected = None
    # only the units starting with a digit may be rows (found in C): a run is consecutive ones
    for i in (i for i, digit in enumerate(map(STARTS_DIGIT, units)) if digit):
        unit = units[i]
        m = None if unit.endswith(C4_END_PUNCT) or _CELL_SEPARATOR.search(unit) else _ROW_NUMBER.match(unit)
        number = int(m.group(1)) if m else None
        if number is not None and number == expected and run and run[-1] == i - 1:
            run.append(i)
        else:
            if len(run) >= _MIN_NUMBERED_ROWS:
                out += run
            run = [i] if number is not None else []
        expected = None if number is None else number + 1
    if len(run) >= _MIN_NUMBERED_ROWS:
        out += run
    return out



def line_sections(blocks: list[str], lines: list[str]) -> tuple[list[int], list[int], list[int]] | None:
    """(each block's section, each line's section, each line's section for its words): the
    number of the last heading at or before it (0 before the first) and, within it, of its slot:
    the run of repeated heading-like units before it (a week's "Tuesday. Intense Run:", a plan's
    "Meal 1"), which repeat from section to section and so open none. For the words, a line whose
    unit occurs once in the text is in section 0 whatever its heading: only a whole unit repeated
    under other headings is an item's form; n-grams shared by units that differ (the same
    paragraph with another city's name, a doorway page) count wherever they are.

    A heading is a unit (`blocks`: the lines, or a hard-wrapped text's paragraphs) that
    `_is_heading` and occurs once in the text (a heading that repeats names no item: a loop or a
    block pasted again repeats its headings with it), followed by text of its own before the
    next heading. None with fewer than 2 sections after the first heading, or when the blocks do
    not join the lines."""
    counts = Counter(blocks)
    # a heading opens a section only when the section holds text of its own: a unit that occurs
    # once and is no heading (an item's description, a session's main set); a heading followed by
    # headings or by repeats only (a menu, a grid of links) opens none
    once = [counts[b] == 1 for b in blocks]
    # most units end in a sentence mark (one endswith each, in C): only the others may be headings
    ended = list(map(ENDS_C4_PUNCT, blocks))
    heading = [o and not e and _is_heading(b) for b, o, e in zip(blocks, once, ended)]
    own = [o and not h for o, h in zip(once, heading)]
    opens = [False] * len(blocks)
    has_own = False
    for i in range(len(blocks) - 1, -1, -1):
        if heading[i]:
            opens[i] = has_own
            has_own = False
        elif own[i]:
            has_own = True
    section, top = 0, []
    for o in opens:
        section += o
        top.append(section)
    if section < 2:
        return None
    # Inside a section, the run of heading-like units before a passage names its slot: a plan's
    # "Meal 1" / "Eat every 2-3 hours", a week's "Tuesday. Intense Run:" (they repeat from section
    # to section, so they open none). A passage is an item's form when repeated under other
    # (section, slot) pairs: the warm-up of Tuesday's and of Thursday's session in one week
    keys: dict[tuple, int] = {}
    out: list[int] = []
    slot: list[str] = []
    after_text = True
    for b, o, e, sec, one in zip(blocks, opens, ended, top, once):
        if o:
            slot, after_text = [], False
        elif not one and not e and _is_heading(b):
            if after_text:
                slot, after_text = [], False
            slot.append(b)
        else:
            after_text = True
        out.append(keys.setdefault((sec, *slot), len(keys)))
    words_out = [0 if o else sec + 1 for sec, o in zip(out, once)]
    if blocks is lines:
        return out, out, words_out
    per_line: list[int] = []
    per_line_words: list[int] = []
    k = 0
    for b, sec, wsec in zip(blocks, out, words_out):
        if k >= len(lines):
            return None
        start = k
        joined = lines[k]
        k += 1
        while joined != b and k < len(lines) and len(joined) < len(b):
            joined += " " + lines[k]
            k += 1
        if joined != b:
            return None
        per_line += [sec] * (k - start)
        per_line_words += [wsec] * (k - start)
    return (out, per_line, per_line_words) if k == len(lines) else None



def unit_sections(
    sections: list[int], word_sections: list[int], raw_lines: list[str], invisible: bool, whole: set[int],
    paragraphs: list[str], per_line: list[list[str]] | None,
) -> tuple[list[int], list[int], np.ndarray | None]:
    """`line_sections`' sections (one per non-blank line) for the units the repetition signals
    count: the lines left after the conversation's `whole` lines, the `paragraphs` (the section
    of their first line), and the words of `per_line` (the words of each raw line; None: not
    spaced; `word_sections`: their lines' sections for the words). A hard-wrapped text's
    duplicate lines are its blocks: the caller takes their sections from `line_sections`."""
    if invisible:
        nonblank_at = [j for j, r in enumerate(raw_lines) if r.strip().strip(INVISIBLE).strip()]
    else:
        nonblank_at = [j for j, r in enumerate(raw_lines) if r and not r.isspace()]
    line_secs = [sec for sec, j in zip(sections, nonblank_at) if j not in whole] if whole else sections
    para_secs = []
    k = 0
    for paragraph in paragraphs:
        para_secs.append(line_secs[min(k, len(line_secs) - 1)])
        k += paragraph.count("\n") + 1 if not invisible else len(nonblank(paragraph.split("\n"), invisible))
    word_secs = None
    if per_line is not None:
        raw_secs = np.zeros(len(raw_lines), dtype=np.int64)
        raw_secs[nonblank_at] = word_sections
        word_secs = np.repeat(raw_secs, np.fromiter(map(len, per_line), dtype=np.int64, count=len(per_line)))
    return line_secs, para_secs, word_secs
