"""Layer 2, the body span: the run of prose that holds the article (anchored at the headline
its URL names, when known), and what lies outside it: menus, enumerated and parallel lists."""

from __future__ import annotations

import bisect
import re
from typing import Callable, Collection
from urllib.parse import unquote

from transforms.clean.config import NAVIGATION, OUTSIDE_BODY, CleanConfig
from transforms.clean.line_facts import LineFacts, word_count
from transforms.clean.removal import Removal
from transforms.stream_safe import split_url


def body_span(
    lines: list[str | None],
    cfg: CleanConfig,
    by_pack: Collection[int] = (),
    anchors: Collection[int] = (),
    facts: LineFacts | None = None,
    free: Collection[int] = (),
) -> tuple[int, int] | None:
    """The run of lines with the most prose words net of `nav_line_cost` per other line
    (maximum subarray; blank lines are free, and so are lines removed by structure and the
    `free` lines, a table's cells: a long table inside an article does not part its prose in
    two; lines the rule pack removed still cost, so a widget-heavy block does not join the body); None when
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
        if (not line and i not in by_pack) or i in free:
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
    return anchored_span(pos, gains, anchors, best, best_span, cfg)



def anchored_span(
    pos: list[int], gains: list[float], anchors: Collection[int], best: float, best_span: tuple[int, int], cfg: CleanConfig
) -> tuple[int, int]:
    """`body_span`'s choice between the best span anywhere (`best_span`, scoring `best`) and the
    best one starting on prose within `anchor_window` lines after a headline (`anchors`); `pos`
    and `gains` are the lines the span is made of and what each adds.

    The best span starting at s ends where the running sum from s peaks: at the first peak of
    the prefix sums past s (`_prefix_peaks`), so the search is linear in the lines. Summing each
    start's span line by line cost a pass over the rest of the page per start: a page that
    repeats its headline between paragraphs (every copy an anchor) took the square of its lines
    (hostile round 13, docs/reading.md). The sums are of integers (`_exact_gains`), so no rounding
    decides between two spans."""
    scaled, scale = _exact_gains(gains)
    prefixes, peak, peak_at = _prefix_peaks(scaled)
    found, found_span = 0, None
    for a in anchors:
        first = bisect.bisect_right(pos, a)
        if first < len(pos) and pos[first] <= best_span[0] <= pos[min(first + 3 * cfg.anchor_window, len(pos)) - 1]:
            return best_span  # the body already starts soon after the headline
        for s in range(first, min(first + cfg.anchor_window, len(pos))):
            if scaled[s] <= 0:
                continue  # a span starts on prose
            total = peak[s] - prefixes[s]
            if total > found:  # the first start, and its first end, that reach the most win
                found, found_span = total, (pos[s], pos[peak_at[s]])
    if found_span is None or found / scale < cfg.anchor_min_share * best:
        return best_span
    return found_span



def _exact_gains(gains: list[float]) -> tuple[list[int], int]:
    """`gains` as integers, each times `scale` (a power of two: a float is a binary fraction, so
    the products are exact); sums of them are exact where sums of floats may round."""
    scale = max((g.as_integer_ratio()[1] for g in gains), default=1)
    return [int(g * scale) for g in gains], scale



def _prefix_peaks(values: list[int]) -> tuple[list[int], list[int], list[int]]:
    """The prefix sums of `values` (n + 1 of them), and for each start s the most that the sum
    before s plus `values[s] + ... + values[t]` reaches over t >= s (the peak of the prefix sums
    past s), and the first t where it does."""
    n = len(values)
    prefixes = [0] * (n + 1)
    for i, v in enumerate(values):
        prefixes[i + 1] = prefixes[i] + v
    peak, peak_at = [0] * n, [0] * n
    for s in range(n - 1, -1, -1):
        if s == n - 1 or prefixes[s + 1] >= peak[s + 1]:  # ties: the earlier end
            peak[s], peak_at[s] = prefixes[s + 1], s
        else:
            peak[s], peak_at[s] = peak[s + 1], peak_at[s + 1]
    return prefixes, peak, peak_at



def extended_body(
    lines: list[str | None], span: tuple[int, int], by_pack: Collection[int], facts: LineFacts, gap_max: int
) -> tuple[int, int]:
    """The body span grown over each paragraph run (2+ prose lines in a row) that lies at most
    `gap_max` kept non-prose lines beyond it, with no line the rule pack removed in between. An
    article's sections are split by headings, lists, tables and code (short lines the span counts
    against it), so the span held one section and the others went as `outside_body`; what parts
    a page's article from its sidebar, comments or footer is cruft the rule pack names (share
    rows, "Related", comment headers) or a menu longer than `gap_max` lines."""
    if not gap_max:
        return span
    start, end = span
    n = len(lines)

    def run_beyond(i: int, step: int) -> int | None:
        j, gap = i + step, 0
        while 0 <= j < n:
            line = lines[j]
            if line is None and j in by_pack:
                return None
            if line and facts.prose(line):
                break
            if line:
                gap += 1
                if gap > gap_max:
                    return None
            j += step
        last, count = j, 0
        while 0 <= j < n and lines[j] is not None:  # blank lines are skipped, a removed one ends the run
            line = lines[j]
            if line:
                if not facts.prose(line):
                    break
                last, count = j, count + 1
            j += step
        return last if count >= 2 else None

    while (grown := run_beyond(end, 1)) is not None:
        end = grown
    while (grown := run_beyond(start, -1)) is not None:
        start = grown
    return start, end



_SLUG_SPLIT = re.compile(r"[-_+.,]+")
_SLUG_EXT = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$", re.IGNORECASE)
_TOKENS = re.compile(r"\w+")



def slug_words(url: str) -> frozenset[str]:
    """The words of the URL path segment that has most of them ("son-of-former-german-president"),
    numbers and words of 1-2 letters ("a", "of") left out; empty when no segment has 3+ words
    (an id, "/news/123")."""
    best: list[str] = []
    try:
        path = split_url(url).path
    except ValueError:  # "http://[::1": a broken URL names no headline, and must not fail the page
        return frozenset()
    for seg in path.split("/"):
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
        if not line or len(line) > 400 or line.endswith((".", ":")) or len(line.split()) > longest:
            continue  # a sentence naming the topic, or a line leading into a list, is no headline
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
    lines: list[str | None],
    end: int,
    min_items: int,
    max_gap: int,
    min_words: int = 3,
    words: Callable[[str], int] = word_count,
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



def drop_navigation(
    lines: list[str | None],
    cfg: CleanConfig,
    removals: list[Removal],
    by_pack: set[int],
    anchors: tuple[int, ...],
    facts: LineFacts,
    tables: Collection[int] = (),
) -> None:
    """Runs of at least `nav_min_run` short non-prose lines above and below the body span go;
    headline-like lines right above it stay. A lone short line ("Pros:", a dateline) is not a menu.
    `tables`: the page's table rows and cells (`table_lines`), the article's data, never a menu."""
    span = body_span(lines, cfg, by_pack, anchors, facts, tables)
    if span is None:
        return
    start, end = extended_body(lines, span, by_pack, facts, cfg.body_extend_gap)
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
    listed |= tables
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
