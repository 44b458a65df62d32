"""Layer 2, after the article: the tail a comment or "related" header opens, and runs of teasers
(headline and blurb items) between or after the paragraphs."""

from __future__ import annotations

import re

from transforms.clean.config import BLURB_RUN, TAIL_SECTION, TEASER_RUN, CleanConfig
from transforms.clean.line_facts import CLOSERS, OPENERS, WIDE_CHARS, LineFacts, ends_like_sentence, words_with_letters
from transforms.clean.removal import Removal


def cut_tail(
    lines: list[str | None],
    cfg: CleanConfig,
    removals: list[Removal],
    pack_codes: dict[int, str],
    facts: LineFacts,
) -> None:
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
            or (
                code in cfg.tail_related_headers
                and min(total - before, runs_after if not related_left else total) <= cfg.tail_related_max_share * total
            )
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



def _title_case(line: str) -> bool:
    """Most words with a letter start with a capital (headline style), and there are 4+ of them."""
    words = words_with_letters(line.split())
    return len(words) >= 4 and sum(w.lstrip(OPENERS)[:1].isupper() for w in words) >= 0.6 * len(words)



def drop_teaser_runs(lines: list[str | None], cfg: CleanConfig, removals: list[Removal], facts: LineFacts) -> None:
    """Runs of at least `teaser_min_units` teasers go as `teaser_run`: a teaser is one to three
    headline-like lines (no sentence end, the longest of `teaser_head_min_words`+ words: a
    headline, perhaps its author's name and date) and then one short prose line (its standfirst, at most
    `teaser_max_words` words; any prose line after a headline, author and date line). "More from ..." and "Most read" blocks are made of them; the body
    span takes them in because each standfirst is prose. An article's sections have short
    headings ("Patents") or longer paragraphs, so they do not make such a run."""
    idx = [i for i, line in enumerate(lines) if line]
    words = [facts.words(lines[i] or "") for i in idx]
    kinds = []  # h: headline-like, b: short prose, o: anything else
    letter_words = []  # of headline-like lines: words with a letter (words_with_letters)
    for i, n_words in zip(idx, words):
        line = lines[i] or ""
        head = 0
        if n_words <= _HEADLINE_MAX_WORDS and line.rstrip(CLOSERS).endswith(("?", "!")) and _title_case(line):
            kinds.append("q")  # "Did Pelosi Divert $2.4 Billion from Social Security?": a headline, if dated
            head = len(words_with_letters(line.split()))
        elif facts.prose(line):
            kinds.append("b" if n_words <= cfg.teaser_max_words else "p")
        elif n_words <= _HEADLINE_MAX_WORDS and not ends_like_sentence(line):
            kinds.append("h")
            head = n_words if WIDE_CHARS.search(line) else len(words_with_letters(line.split()))
        else:
            kinds.append("o")
        letter_words.append(head)
    k = 0
    # 0 switches teaser runs off, as it does blurb runs and glued teasers: a run of "at least 0"
    # found none at a line and stayed there (k = j), and `--set clean.teaser_min_units=0` (in its
    # range) never ended on the samples (hostile round 30)
    while cfg.teaser_min_units and k < len(idx):
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
            if (
                not h
                or j + h >= len(idx)
                or kinds[j + h] not in (("b", "p") if dated else ("b",))
                or max(letter_words[j : j + h]) < cfg.teaser_head_min_words
            ):
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
        drop_blurb_runs(lines, idx, words, kinds, cfg, removals)



def drop_glued_teasers(lines: list[str | None], cfg: CleanConfig, removals: list[Removal], facts: LineFacts) -> None:
    """Glued teasers (`glued_teaser`) go as `teaser_run` when a page has at least
    `glued_teaser_min_units` of them: teaser blocks, often split by menu labels and timestamps.
    Each is prose to the body span, so a few of them outweigh a short article; one alone stays."""
    glued = [i for i, line in enumerate(lines) if line and facts.glued(line)]
    if len(glued) >= cfg.glued_teaser_min_units:
        for i in glued:
            removals.append(Removal(TEASER_RUN, lines[i] or "", True))
            lines[i] = None



def drop_blurb_runs(
    lines: list[str | None],
    idx: list[int],
    words: list[int],
    kinds: list[str],
    cfg: CleanConfig,
    removals: list[Removal],
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
