"""Layer 2, tables: rows and stacked cells that no structural layer removes, found once on the
page the rule pack left; and the noise lines (symbols, bare links) outside them."""

from __future__ import annotations

import re
from typing import Callable, Collection

from transforms.clean.body import skeleton
from transforms.clean.config import LINK_LINE, SYMBOL_LINE, CleanConfig
from transforms.clean.line_facts import LineFacts, letter_share, noise_rule, word_count
from transforms.clean.removal import Removal

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



def drop_noise_lines(
    lines: list[str | None], cfg: CleanConfig, removals: list[Removal], tables: Collection[int], code_block: Collection[int] = ()
) -> None:
    """URL and symbol lines go (`noise_rule`), but not a table's rows or cells as symbols
    (`tables`: the page's `table_lines`) nor a code block's lines at all (`code_block`: its URLs are
    string literals, and a block missing one would not be the same block on a second pass)."""
    if LINK_LINE in cfg.disabled_rules and SYMBOL_LINE in cfg.disabled_rules:
        return  # as on extracted text: spare the URL and letter scans of every line
    for i, line in enumerate(lines):
        if not line or i in code_block:
            continue
        code = noise_rule(line, cfg)
        if code == SYMBOL_LINE and i in tables:
            continue
        if code and code not in cfg.disabled_rules:
            removals.append(Removal(code, line, True))
            lines[i] = None
