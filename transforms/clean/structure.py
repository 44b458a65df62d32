"""Layer 2: the page's structure: title copies, repeats, noise, the body span, navigation, tails, teasers."""

from __future__ import annotations

import bisect
import re
from typing import Callable, Collection
from urllib.parse import unquote, urlsplit

from transforms.clean.config import (
    BLURB_RUN,
    LINK_LINE,
    NAVIGATION,
    OUTSIDE_BODY,
    REPEATED_LINE,
    REPEATED_TITLE,
    SYMBOL_LINE,
    TAIL_SECTION,
    TEASER_RUN,
    CleanConfig,
)
from transforms.clean.line_facts import (
    CLOSERS,
    OPENERS,
    WIDE_CHARS,
    LineFacts,
    ends_like_sentence,
    letter_share,
    words_with_letters,
    noise_rule,
    normalize_line,
    word_count,
)
from transforms.clean.removal import Removal
from transforms.clean.rule_pack import split_sentences


def infer_title(lines: list[str | None]) -> str:
    """The first non-blank line, when it is short enough to be a headline."""
    for line in lines:
        if line:
            return line if len(line) <= 300 else ""
    return ""


# A site's name beside the headline, as a page's <title> carries it and scrapers save it above
# the visible headline: "Storm closes schools | The Daily Courier", "BBC News - Storm closes schools"
_SITE_TAG_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
SITE_TAG_MAX_WORDS = 6


def untagged_titles(key: str) -> set[str]:
    """The title `key` stands for without a site's name of at most SITE_TAG_MAX_WORDS words after
    or before it (both readings: which side is the site's a separator cannot tell); empty when it
    has none. A headline of two words or fewer is never taken for one."""
    out = set()
    for sep in _SITE_TAG_SEPARATORS:
        head, found, tail = key.rpartition(sep)
        if found and len(tail.split()) <= SITE_TAG_MAX_WORDS and len(head.split()) > 2:
            out.add(head)
        head, found, tail = key.partition(sep)
        if found and len(head.split()) <= SITE_TAG_MAX_WORDS and len(tail.split()) > 2:
            out.add(tail)
    return out


def drop_title_copies(
    lines: list[str | None],
    title_key: str,
    lookahead: int,
    removals: list[Removal],
    facts: LineFacts,
    keep: Collection[int] = (),
) -> None:
    """Keep one copy of the title among the top lines; the others are page furniture.
    `keep`: lines never removed (a table's cells: a name in a ranking may be the page's title).

    A copy is the title itself, or the title and a site's name beside it ("Storm closes schools |
    The Daily Courier" for the title "Storm closes schools", or the other way round). The copy
    kept is the first without a site's name, else the first.

    Only the page head counts: at most `lookahead` other lines, and the search stops at the first
    sentence (a line ending in . ! ? that is not the title), so a short heading repeated inside
    the article is not touched. Copies are not counted as "other lines", so a second pass finds
    exactly what the first did (cleaning is idempotent).
    """
    cores = untagged_titles(title_key)
    bare = cores or {title_key}  # the title without a site's name
    copies: list[tuple[int, bool]] = []  # (line, carries a site's name)
    others = 0
    for i, line in enumerate(lines):
        if not line:
            continue
        key = facts.key(line)
        # the title, its bare form, or it with a site's name; not two lines that share a bare form
        # ("41 - check size table" and "42 - check size table": a list, not a site's name twice)
        if key == title_key or key in bare or title_key in untagged_titles(key):
            copies.append((i, key not in bare))
            continue
        others += 1
        if others >= lookahead or line.endswith((".", "!", "?", "。")):
            break
    kept = next((i for i, tagged in copies if not tagged), copies[0][0] if copies else -1)
    for i, _ in copies:
        if i != kept and i not in keep:
            removals.append(Removal(REPEATED_TITLE, lines[i], True))
            lines[i] = None


def drop_repeated_lines(
    lines: list[str | None], min_chars: int, removals: list[Removal], facts: LineFacts, keep: Collection[int] = ()
) -> None:
    """Later copies of a line go as `repeated_line`; `keep`: lines never removed (a table's cells)."""
    seen: set[str] = set()
    for i, line in enumerate(lines):
        if line is None or len(line) < min_chars or i in keep:
            continue
        key = facts.key(line)
        if key in seen:
            removals.append(Removal(REPEATED_LINE, line, True))
            lines[i] = None
        seen.add(key)


_SENTENCE_MARKS = re.compile(r"[.!?…。！？][\"'”’»)\]]*\s")


def drop_merged_copies(lines: list[str | None], cfg: CleanConfig, removals: list[Removal]) -> None:
    """A line of `merged_copy_min_sentences`+ sentences whose sentences (at least
    `merged_copy_share` of its characters) stand in other lines goes as `repeated_line`: the
    article again, flattened into one line (an AMP or "full text" copy), which doubles every
    shingle of it. The paragraphs stay; a line repeating one paragraph is an exact repeat and
    `drop_repeated_lines` takes it. Only sentences of 20+ characters count ("Yes." proves nothing)."""
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


# a cell boundary: a tab, " | " (or a bar at the line's end), or 2+ spaces between words (columns aligned by spaces)
_CELL = re.compile(r"\t|\s\|\s|^\||\|$|(?<=\S) {2,}(?=\S)")


def table_rows(lines: list[str | None], min_rows: int) -> set[int]:
    """Indices of the rows of tables: at least `min_rows` lines in a row (blank lines between them
    allowed) split into the same number (1+) of cells by tabs, " | " or columns aligned with
    spaces (a spreadsheet or a text table pasted into the page). A numbers-only row there is the
    table's data, not a page's symbol noise."""
    out: set[int] = set()
    run: list[int] = []
    cells = 0
    for i, line in enumerate(lines + [None]):
        if line == "":
            continue  # a blank line between two rows does not end the table
        # the scan only where a cell mark can be (most lines hold none)
        n = len(_CELL.findall(line)) if line and ("\t" in line or "|" in line or "  " in line) else 0
        if n and n == cells:
            run.append(i)
            continue
        if len(run) >= min_rows:
            out.update(run)
        run, cells = ([i], n) if n else ([], 0)
    return out


_DIGIT = re.compile(r"\d")
_RESCAN_MAX_ROWS = 50


def cell_shape(line: str, max_words: int, words: Callable[[str], int] = word_count) -> str | None:
    """A line's shape as a table cell: a figure ("$175,000", "37% / 40%", "12/1/2013": a digit
    and fewer letters than other characters) is "0" and its skeleton, any other line of at most
    `max_words` words is "a" (a text cell), a longer line None (no cell)."""
    if words(line) > max_words:
        return None
    if _DIGIT.search(line) and letter_share(line) < 0.5:
        return "0" + skeleton(line)
    return "a"


def stacked_table_cells(
    lines: list[str | None],
    min_rows: int,
    max_cols: int,
    max_words: int = 12,
    words: Callable[[str], int] = word_count,
) -> set[int]:
    """Indices of the cells of tables flattened one cell a line (a naive text conversion of an
    HTML table: "1 / Chicago Booth / 37% / $175,000 / 2 / Kellogg / 38% / $165,000 ..."): a
    run of non-blank lines whose cell shapes repeat with a period of k (2..`max_cols`) lines for
    at least `min_rows` rows, one cell a row may differ (a "3 (tie)" rank, a header). It is a
    table, not a repeated widget nor a list, only when
      - at least two of its columns are figures that keep their shape row after row (a list of
        headlines with dates has one; a menu none);
      - its rows hold different shapes, at least one change per row (a numbered list is one shape);
      - no smaller period explains it (a date/headline list read two items a row);
      - its text cells are mostly different (a comment's "Reply / 0 / Report" repeats word for word).
    Such cells are the article's data: never symbol noise, a menu, nor a cost to the body span."""
    if not (min_rows and max_cols >= 2):
        return set()
    idx = [i for i, line in enumerate(lines) if line]
    # first the figures alone (a digit is rare enough to look for first): a table needs two
    # columns of them that keep their shape, so two pairs of equal figures k lines apart at least
    # (one differing cell a row allowed, that is all `_is_table` can count on)
    figure_at: dict[int, str] = {}
    for j, i in enumerate(idx):
        line = lines[i] or ""
        if _DIGIT.search(line):
            shape = cell_shape(line, max_words, words)
            if shape and shape != "a":
                figure_at[j] = shape
    if len(figure_at) < 4:
        return set()  # most pages (two columns of figures, two equal figures in each)
    periods = [
        k
        for k in range(2, max_cols + 1)
        if sum(1 for j, sh in figure_at.items() if figure_at.get(j + k) == sh) >= 2
    ]
    if not periods:
        return set()
    shapes = [figure_at.get(j) or ("a" if words(lines[i] or "") <= max_words else None) for j, i in enumerate(idx)]
    out: set[int] = set()
    n = len(idx)
    for k in periods:
        j = 0
        while j < n - k:
            if shapes[j] is None or shapes[j] != shapes[j + k]:
                j += 1
                continue
            j0, miss, first_miss = j, j - k, -1
            while j < n - k and shapes[j] is not None and shapes[j + k] is not None:
                if shapes[j] != shapes[j + k]:
                    if j - miss < k:
                        break
                    miss = j  # one differing cell a row
                    first_miss = j if first_miss < 0 else first_miss
                j += 1
            end = j + k
            if end - j0 >= min_rows * k and _is_table(lines, idx, shapes, j0, end, k):
                out.update(idx[j0:end])
            elif first_miss > j0 and end - j0 <= _RESCAN_MAX_ROWS * k:
                # no table as a whole: the run starting after its first differing cell may be one
                # (it may reach further), and a second pass, without the lines before, starts there
                # (only for runs of a few rows: a long one scanned again and again would cost the
                # square of its length)
                j = first_miss + 1
    return out


def _is_table(lines: list[str | None], idx: list[int], shapes: list[str | None], j0: int, end: int, k: int) -> bool:
    """The checks of `stacked_table_cells` on the run `j0`..`end` (positions in `idx`) of period k."""
    figure_cols = {(m - j0) % k for m in range(j0, end - k) if shapes[m] != "a" and shapes[m] == shapes[m + k]}
    if len(figure_cols) < 2 or len(set(shapes[j0 : j0 + k])) < 2:
        return False
    if sum(shapes[m] != shapes[m + 1] for m in range(j0, end - 1)) < (end - j0) // k:
        return False
    for d in range(2, k):
        if k % d == 0 and sum(shapes[m] == shapes[m + d] for m in range(j0, end - d)) >= 0.8 * (end - j0 - d):
            return False
    texts = [lines[idx[m]] for m in range(j0, end) if shapes[m] == "a"]
    return len(set(texts)) >= 0.7 * len(texts)


def table_lines(lines: list[str | None], cfg: CleanConfig, facts: LineFacts) -> set[int]:
    """The lines of the page's tables, row a line (`table_rows`) or cell a line (`stacked_table_cells`)."""
    if not cfg.table_min_rows:
        return set()
    return table_rows(lines, cfg.table_min_rows) | stacked_table_cells(
        lines, cfg.table_min_rows, cfg.table_max_cols, cfg.nav_max_words, facts.words
    )


def drop_noise_lines(lines: list[str | None], cfg: CleanConfig, removals: list[Removal], tables: Collection[int]) -> None:
    """URL and symbol lines go (`noise_rule`), but not a table's rows or cells (`tables`: the
    page's `table_lines`)."""
    if LINK_LINE in cfg.disabled_rules and SYMBOL_LINE in cfg.disabled_rules:
        return  # as on extracted text: spare the URL and letter scans of every line
    for i, line in enumerate(lines):
        if not line:
            continue
        code = noise_rule(line, cfg)
        if code == SYMBOL_LINE and i in tables:
            continue
        if code and code not in cfg.disabled_rules:
            removals.append(Removal(code, line, True))
            lines[i] = None


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
        path = urlsplit(url).path
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


# where a headline runs into its standfirst: a lower-case letter or a closing mark, then a


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
