"""Gopher's repetition signals: repeated lines and paragraphs, and the characters inside the most
frequent and the repeated word n-grams, counted within units (lines, paragraphs, cells)."""

from __future__ import annotations

from itertools import repeat
from typing import Callable, Iterable

import numpy as np

from .config import DUP_NGRAMS, TOP_NGRAMS

# a list of parallel items has at least this many: a passage found under 2 headings only is a
# block pasted twice (a menu given for desktop and for mobile, a teaser in two carousels)
PARALLEL_MIN_ITEMS = 3



def duplicates(items: Iterable[str], min_chars: int = 0, sections: Iterable[int] | None = None) -> tuple[int, int]:
    """(repeats, characters in repeats): every copy after the first counts (Gopher, datatrove),
    if longer than `min_chars` characters. `sections`: each item's section (`line_sections`);
    then a copy counts only when it occurred before in the same section."""
    keys: Iterable[tuple[str, int]]
    if sections is None:
        keys = zip(items, repeat(-1))
    else:
        items, sections = list(items), list(sections)
        spread: dict[str, set[int]] = {}
        for item, sec in zip(items, sections):
            spread.setdefault(item, set()).add(sec)
        # a passage in fewer than PARALLEL_MIN_ITEMS sections is a repeat wherever it is
        keys = [(item, sec if len(spread[item]) >= PARALLEL_MIN_ITEMS else -1) for item, sec in zip(items, sections)]
    seen: set[tuple[str, int]] = set()
    n = chars = 0
    for key in keys:
        if len(key[0]) <= min_chars:
            continue
        if key in seen:
            n += 1
            chars += len(key[0])
        else:
            seen.add(key)
    return n, chars



def word_ids(words: list[str]) -> tuple[np.ndarray, dict[str, int]]:
    """(each word's id, {distinct word: its id}): a word's id is the position of its first
    occurrence, found by one pass of dict.setdefault, in C."""
    first_at: dict[str, int] = {}
    ids = np.fromiter(map(first_at.setdefault, words, range(len(words))), dtype=np.int64, count=len(words))
    return ids, first_at



def ngram_repetition(
    words: list[str],
    chars: int | None = None,
    lengths: np.ndarray | None = None,
    ids: np.ndarray | None = None,
    unit_starts: np.ndarray | None = None,
    sections: np.ndarray | Callable[[], np.ndarray | None] | None = None,
    top_counts: dict[int, int] | None = None,
) -> dict[str, float]:
    """Gopher's n-gram signals: top 2/3/4-gram and duplicate 5..10-gram character fractions.

    Characters are word characters; the denominator is `chars`, the text's characters (score_document
    passes them), or all word characters when not given. The top n-gram
    fraction is the characters of the most frequent n-gram times its count (0.0 when no n-gram
    repeats; ties go to the longer n-gram). The duplicate n-gram fraction covers the words inside
    any repeat of an earlier n-gram, each character once: like duplicate lines and paragraphs
    (and datatrove) the first occurrence is not a duplicate, but overlapping repeats are measured
    exactly rather than with datatrove's skip-ahead scan.

    Vectorised: n-grams are numbered level by level (an n-gram is its (n-1)-gram's number and
    one more word id, renumbered densely by one stable sort), so no n-gram is ever built as a string
    or tuple, and the numbering is exact, with no hash collisions. Each level numbers only the
    n-grams that can still repeat (both of their (n-1)-grams repeat).

    `unit_starts`: the word positions where a new line or paragraph begins (ours). An n-gram does
    not run across them: a word that begins a unit is preceded by a separator of its own, which
    never repeats, so no n-gram holding it does. Gopher reads a page as one run of words; then a
    page of short repeated cells (a training plan's "30 min" / "Run Easy" lines, a recipe's units,
    an interview's labels) strings them into 5- to 10-grams that "repeat" although no line or
    sentence does. Repeats of a line's own words are still counted.

    `sections`: each word's section (`line_sections`), or None, or a function returning them,
    called only when a 5..10-gram repeats. Then an occurrence of a 5..10-gram found in at least
    PARALLEL_MIN_ITEMS sections is a duplicate only when the n-gram occurred before in the same
    section (ours): a passage repeated once per item of a list of parallel items is its form.

    `top_counts`: when given, {5: occurrences of the most frequent 5-gram} is written to it, if a
    5-gram repeats (for `top_5gram_unit_frac`).
    """
    out = {f"top_{n}gram_char_frac": 0.0 for n in TOP_NGRAMS} | {f"dup_{n}gram_char_frac": 0.0 for n in DUP_NGRAMS}
    n_words = len(words)
    if n_words < 2:
        return out
    if ids is None:  # score_document passes them (word_ids)
        ids, _ = word_ids(words)
    if lengths is None:  # score_document passes the word lengths it has already measured
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=n_words)
    total = int(lengths.sum()) if chars is None else chars
    if not total:
        return out
    inserted_at = None
    if unit_starts is not None and len(unit_starts):
        separators = n_words + np.arange(len(unit_starts))  # ids no word has, each once
        ids = np.insert(ids, unit_starts, separators)
        lengths = np.insert(lengths, unit_starts, 0)
        inserted_at = unit_starts  # the separators' places: each in the section of the word after it
        if isinstance(sections, np.ndarray):
            sections = np.insert(sections, unit_starts, 0)
        n_words = len(ids)
    cum = np.concatenate(([0], np.cumsum(lengths)))
    # Only n-grams that can repeat are numbered: an n-gram repeats only if both of its (n-1)-grams
    # do, so each level keeps the positions whose (n-1)-gram at p and at p + 1 repeat. In prose
    # that is a few percent of the positions from n = 4 on; every other n-gram occurs once.
    is_repeated = np.zeros(n_words + 1, dtype=bool)  # the last slot stays False: no word there
    pos = np.arange(n_words)
    rank = ids
    repeated = np.bincount(ids)[ids] > 1
    for n in range(2, max(DUP_NGRAMS) + 1):
        prev_pos, prev_rank = pos[repeated], rank[repeated]
        is_repeated[:] = False
        is_repeated[prev_pos] = True
        # the (n-1)-gram at p + 1 repeats, so it fits in the text, and so does the n-gram at p
        sel = is_repeated[prev_pos + 1]
        pos = prev_pos[sel]
        m = len(pos)
        if not m:
            break
        keys = prev_rank[sel] * n_words + ids[pos + n - 1]  # rank, id < n_words: exact in int64
        # Grouped with one stable argsort rather than np.unique, which costs ~30 us a call even on
        # the ~20 keys a level usually has (this ~10): ngram_repetition 0.38 -> 0.33 ms a document.
        # Stable: within a group, candidates stay in text order, first occurrence first.
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.ones(m + 1, dtype=bool)  # starts[j]: sorted key j opens a group; starts[m]: the end
        np.not_equal(ordered[1:], ordered[:-1], out=starts[1:m])
        bounds = np.flatnonzero(starts)
        counts = np.diff(bounds)
        top = int(counts.max())
        if top < 2:  # every n-gram unique: no longer one repeats either
            break
        repeated = np.empty(m, dtype=bool)
        repeated[order] = np.repeat(counts > 1, counts)
        rank = np.empty(m, dtype=np.int64)
        rank[order] = np.cumsum(starts[:m]) - 1
        if n == min(DUP_NGRAMS) and top_counts is not None:
            top_counts[n] = top
        if n in TOP_NGRAMS:
            # the members of a group are one n-gram, of one length: its first stands for it
            at = pos[order[bounds[:-1][counts == top]]]
            out[f"top_{n}gram_char_frac"] = top * int((cum[at + n] - cum[at]).max()) / total
        if n in DUP_NGRAMS:
            # found now that a long n-gram repeats in as many places as a list of parallel items
            # has (a repeat of 2 counts wherever it is): most texts never get here
            if callable(sections) and top >= PARALLEL_MIN_ITEMS:
                sections = sections()
                if sections is not None and inserted_at is not None:
                    sections = np.insert(sections, inserted_at, 0)
            if sections is None or callable(sections):
                later = pos[order[~starts[:m]]]  # every occurrence but the first of its group
            else:
                # every occurrence but the first of its group in its section: groups in text
                # order, then by section (stable), so the first of each run is the earliest
                group = np.cumsum(starts[:m]) - 1
                keys2 = group * (int(sections.max()) + 1) + sections[pos[order]]
                order2 = np.argsort(keys2, kind="stable")
                sorted2 = keys2[order2]
                first2 = np.ones(m, dtype=bool)
                np.not_equal(sorted2[1:], sorted2[:-1], out=first2[1:])
                # a group in fewer than PARALLEL_MIN_ITEMS sections: every occurrence but its first
                spread = np.bincount(group[order2][first2], minlength=int(group[-1]) + 1)
                narrow = spread[group[order2]] < PARALLEL_MIN_ITEMS
                first_of_group = starts[:m][order2]
                later = pos[order[order2[~(first2 & ~narrow) & ~(narrow & first_of_group)]]]
            depth = np.cumsum(np.bincount(later, minlength=n_words + 1) - np.bincount(later + n, minlength=n_words + 1))
            out[f"dup_{n}gram_char_frac"] = int(lengths[depth[:n_words] > 0].sum()) / total
    return out
