"""Code blocks in page text: found by their nesting, spared by the noise and repeat rules, and
given back their indentation.

A tutorial's or a documentation page's code reached the output mangled. Every line was stripped
of its leading whitespace (Python without its indentation is other code, or none), and the
lines of code that are mostly symbols ("s = 0", "});", "x += 1") went as `symbol_line`, a
closing brace written twice as `repeated_line`, a URL in a string as `link_line`: on the ground-truth texts of the dev sets that
hold code, 0 of 1,768 indented code lines kept their indentation (1,524 now) and 11.8% of their
code's characters were removed (9.6% now; docs/cleaning.md, "Code blocks").

A code block here is what people write and a scraper keeps: a run of lines nested by
indentation (two or more indentation levels), with marks of code on at least two and at least a
third of its lines (an assignment, a call, a bracket, a statement's `;`, a keyword that opens a
statement), not a
list of bullet items nested in each other and not prose (at most a third of its lines end as
sentences). A poem's indented lines or an outline's nested items show the nesting without the
marks; a page's minified script is one long line without the nesting. Within a block, blank
lines followed by an indented line belong to it (a function's body split by a blank line).

Only text laid out a line a unit (not a hard-wrapped dump, whose pieces are joined into
paragraphs: the units then are not the lines) is searched, and only lines the rule pack left
whole get their whitespace back, so what another layer removed or cut stays removed or cut.
"""

from __future__ import annotations

import os
import re

# a mark of code on a stripped line: an assignment or comparison, an arrow, a scope, a call
# (a name right before "("), a bracket or brace, a statement's end, or a keyword that opens a
# statement in the common languages
_CODE_MARK = re.compile(
    r"\s=\s|[=!<>+\-*/%&|^]=|=>|->|::|\w\(|[{}\[\]]|;$"
    r"|^(?:def|class|return|import|from|function|const|let|var|if|elif|else|for|while|try|except|catch"
    r"|finally|switch|case|public|private|protected|static|async|await|fn|func|package|#include|SELECT)\b"
)
# a list item: a bullet or a number, then a space (an outline nests these)
_LIST_ITEM = re.compile(r"(?:[-*•●○◦▪‣►▶✓✔·]|\d{1,3}[.)])\s")
# ends as a sentence: an end mark after a letter or a closing quote, at the end of the line
_SENTENCE_END = re.compile(r"[^\W\d_][.!?][\"'”’»)]*$")
_PROSE_WORDS = 5  # a line of prose: at least this many words, ending as a sentence
_MIN_LINES = 3  # a block holds at least this many non-blank lines
_MIN_MARKED = 2  # ... this many of them with a mark of code
_MIN_MARKED_SHARE = 1 / 3  # ... and this share of them (a page's menu indented by its HTML source
# holds a "Cart(0)" or two among dozens of items)
_MAX_SENTENCE_SHARE = 1 / 3  # ... and at most this share ending as sentences



# a line that starts with whitespace, after any line end text_lines cuts at: a text without one
# holds no block (most texts), and is not cut into lines a second time
_INDENTED_LINE = re.compile("(?:^|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029])[ \t]")



def may_hold_code(text: str) -> bool:
    """Whether `text` has an indented line at all (one scan, in C)."""
    return _INDENTED_LINE.search(text) is not None



def indent_width(line: str) -> int:
    """Columns of leading whitespace (a tab to the next multiple of 8, as a terminal shows it)."""
    width = 0
    for ch in line:
        if ch == " ":
            width += 1
        elif ch == "\t":
            width += 8 - width % 8
        elif ch in "\f\v":
            continue
        else:
            return width
    return width



def _is_prose(stripped: str) -> bool:
    # not line_facts.is_prose: that reads a colon or a semicolon as a sentence's end, and a
    # Python or C line ("def load(path, limit, cache, retries):") would end a block
    return len(stripped.split(maxsplit=_PROSE_WORDS - 1)) >= _PROSE_WORDS and _SENTENCE_END.search(stripped) is not None



def _runs(raw: list[str]) -> list[list[int]]:
    """The runs of non-blank lines that a block can be: a blank line stays inside a run when the
    next non-blank line is indented (a body going on after a blank line), and a sentence of
    prose flush left is in none (extracted text sets code between paragraphs without a blank
    line; a comment or a docstring in the code is indented, or short)."""
    runs: list[list[int]] = []
    current: list[int] = []
    pending_blank = False
    for i, line in enumerate(raw):
        stripped = line.strip()
        if not stripped:
            pending_blank = bool(current)
            continue
        flush = not indent_width(line)
        prose = flush and _is_prose(stripped)
        if (pending_blank and flush) or prose:
            if current:
                runs.append(current)
            current = []
        if not prose:
            current.append(i)
        pending_blank = False
    if current:
        runs.append(current)
    return runs



def _is_code_block(lines: list[str]) -> bool:
    if len(lines) < _MIN_LINES:
        return False
    if len({indent_width(line) for line in lines}) < 2:
        return False  # no nesting
    stripped = [line.strip() for line in lines]
    if sum(1 for s in stripped if _LIST_ITEM.match(s)) * 2 > len(stripped):
        return False  # an outline
    if sum(1 for s in stripped if _SENTENCE_END.search(s)) > _MAX_SENTENCE_SHARE * len(stripped):
        return False  # prose, indented
    marked = sum(1 for s in stripped if _CODE_MARK.search(s))
    return marked >= _MIN_MARKED and marked >= _MIN_MARKED_SHARE * len(stripped)



def code_block_runs(raw: list[str]) -> list[list[int]]:
    """The code blocks of `raw` (a text's lines, unstripped; see the module docstring), each as
    the positions of its non-blank lines."""
    return [run for run in _runs(raw) if _is_code_block([raw[i] for i in run])]



def code_block_lines(raw: list[str]) -> set[int]:
    """The positions among `raw` of the lines of its code blocks (`code_block_runs`); blank lines
    inside a block are not listed."""
    return {i for run in code_block_runs(raw) for i in run}



def restore_indentation(lines: list[str | None], raw: list[str], blocks: set[int], runs: list[list[int]] | None = None) -> None:
    """Give each kept line of a code block its leading whitespace back, less the block's common
    indentation (a block indented as a whole by the page is set flush left, its nesting kept,
    when a second pass reads it so as the same block: `_same_block_flush_left`).
    `lines` are the cleaned units, position for position with `raw`; a line another layer
    removed (None) or changed (not the stripped raw line) is left as it is. `runs`: the blocks'
    runs when the caller has them (`code_block_runs`), else found again."""
    for run in _runs(raw) if runs is None else runs:
        # the lines written back, and their common indentation: of those alone, so that the
        # block a second pass finds in the output has none to take (idempotence)
        members = [i for i in run if i in blocks and lines[i] and lines[i] == raw[i].strip()]
        if not members:
            continue
        prefix = _common_prefix([raw[i] for i in members])
        if prefix and not _same_block_flush_left(lines, raw, run, set(members), prefix):
            prefix = ""
        for i in members:
            lines[i] = raw[i][len(prefix) :].rstrip()



def _same_block_flush_left(lines: list[str | None], raw: list[str], run: list[int], members: set[int], prefix: str) -> bool:
    """Whether the run, its members set `prefix` to the left, is still one run and a block, as a
    second pass reads it. A block indented as a whole holds lines at its own left edge, which the
    whole block's indentation kept inside it: flush left, a blank line before one of them, or one
    reading as a sentence, ends a run, and the second pass found other blocks (or none), stripping
    lines the first had written back (hostile round 17). Such a block keeps the page's
    indentation instead: the second pass then reads what the first did."""
    view = []
    for i in range(run[0], run[-1] + 1):
        line = lines[i]
        if line is None:
            continue  # removed: no line of the output
        view.append(raw[i][len(prefix) :].rstrip() if i in members else line)
    again = _runs(view)
    return len(again) == 1 and _is_code_block([view[k] for k in again[0]])



def _common_prefix(lines: list[str]) -> str:
    """The leading whitespace every line starts with (character for character, as textwrap.dedent
    reads it: a tab and 8 spaces are not the same indentation)."""
    # os.path.commonprefix compares the least and the greatest head only: linear, where shrinking
    # a prefix a character at a time took the square of a 100,000-column indentation
    return os.path.commonprefix([line[: len(line) - len(line.lstrip())] for line in lines])
