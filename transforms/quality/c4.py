"""C4's line rules as signals (sentences on the lines C4 keeps, braces, lorem ipsum), and what a
line is besides prose: a row of figures, code, a list item a sentence announces."""

from __future__ import annotations

import operator
import re
from itertools import pairwise

from .text import (
    C4_END_PUNCT,
    C4_MIN_LINE_WORDS,
    C4_POLICY,
    ELLIPSES,
    ENDS_C4_PUNCT,
    SENTENCE_BREAK,
    ratio,
)

_NON_LETTER = re.compile(r"[^\w\s]|[\d_]")  # a character that is neither a letter nor a space
_LETTERED_TOKEN = re.compile(r"[^\W\d_]\S*")  # from a token's first letter to its end: one match per token
_C4_CITATION = re.compile(r"\[\d*\]|\[edit\]|\[citation needed\]")
_C4_MAX_WORD_CHARS = 1000

# A quote's attribution after its last sentence: a dash, then a name and role without an end mark
# ("... than before. – Ken Englund, Americas technology sector growth leader, EY")
_ATTRIBUTION = re.compile(r"[.!?\"'”’][ \t]+[–—-][ \t]*[^\W\d_][^.!?\n]{0,120}$")

# A braced aside of words, as people write in prose ("{unless it makes you fall asleep!}", a prompt
# template's "{list of your data}"): opens after a space or a bracket/quote, starts with a letter,
# holds none of code's ; = : < > and ends without padding. Code braces follow ")" "=" or a name,
# pad with spaces ("{ margin: 0 }") or hold code, and C4's brace rule is there for code (ours:
# on the benchmark, 2 of the 4 real articles C4 dropped for a brace had only asides).
_PROSE_BRACES = re.compile(r"(?:^|(?<=[\s(\[\"'“‘]))\{[^\W\d_][^{}\n;=:<>]*(?<=\S)\}")



def _is_table_row(line: str) -> bool:
    """A row of figures or symbols: fewer than half of its whitespace tokens hold a letter ("1 Kyle
    Busch 5040 5 1 17 27", "1/1/2013 +13.1%", "(415) 861-5449", a price level "$$"). A line of
    only letters and spaces cannot be one (one regex scan, in C); the tokens with a letter are
    counted by one more."""
    if not _NON_LETTER.search(line):
        return False
    return 2 * len(_LETTERED_TOKEN.findall(line)) < len(line.split())



# A line of code: a comment ("# clone repo", "-- Bad: ...", "// step 2"), a block's or a statement's
# end ("{", "}", ";" as below), an operator prose does not write ("==", "=>", "-->", "::", "</", "${"; not
# "->", which menus write: "Read more ->"), a
# call of a dotted or camelCase name ("console.log(", "useState ("), or an SQL clause in capitals.
# Tested in that order, the cheap tests first (`_is_code_line`)
_CODE_COMMENT = ("# ", "#\t", "// ", "-- ", "/* ", "<!-- ")
_CODE_END = ("{", "}")

# a statement's ";" (prose ends a clause of a list with it too: "... and requests for donations;",
# French "conseiller du président ;"): with a mark of code beside it, or closing a short line
_CODE_MARK = re.compile(r"[={}\[\]<>]|\w\(")
_CODE_STATEMENT_MAX_WORDS = 6
_CODE_OPERATOR = re.compile(r"==|!=|=>|-->|:=|&&|\|\||::|</|/>|\$\{|^[{}()\[\];,]+$")
_CODE_CALL = re.compile(r"\b[a-z_][a-z0-9_]*(?:[A-Z_]|\.[^\W\d])[\w.]*[ \t]?\(")
# A call's name is made of name characters and ends right before "(": only a whole run of them
# followed by "(" can hold one. Searched over the whole line, _CODE_CALL scanned a run to its end
# from every word in it: a 48 kB token ("a.b.b...") after a "(" took 7 s (hostile round 13)
_CALL_NAME_RUN = re.compile(r"(?<![\w.])[\w.]++(?=[ \t]?\()")


def has_code_call(line: str) -> bool:
    """Whether `line` holds a call in code (`_CODE_CALL`: `obj.method(`, `snake_case (`), searched
    only in the runs of name characters that "(" follows: linear in the line."""
    return any(_CODE_CALL.search(line, m.start(), m.end() + 2) is not None for m in _CALL_NAME_RUN.finditer(line))


# an SQL clause in capitals before a name, a number, "*" or "(" ("FROM users u", "LIMIT 10"), not
# before a word in capitals ("JOIN THE TEAM", "FROM THE EDITOR": headings)
_SQL_CLAUSE = re.compile(
    r"(?:SELECT|FROM|WHERE|(?:ORDER|GROUP) BY|(?:INNER |LEFT |RIGHT |OUTER )?JOIN|HAVING|LIMIT|UPDATE|VALUES)"
    r"[ \t]+[a-z_*0-9('\"]|(?:CREATE|ALTER) (?:TABLE|INDEX|VIEW|EXTENSION|SYSTEM)\b|INSERT INTO\b|DELETE FROM\b|SELECT$"
)



def _is_code_line(line: str) -> bool:
    """Whether a stripped line that does not end as a sentence bears a mark of code."""
    return (
        line.startswith(_CODE_COMMENT)
        or line.endswith(_CODE_END)
        or (line.endswith(";") and (_CODE_MARK.search(line) is not None or (
            not line.endswith(" ;") and len(line.split(maxsplit=_CODE_STATEMENT_MAX_WORDS)) <= _CODE_STATEMENT_MAX_WORDS)))
        or _SQL_CLAUSE.match(line) is not None
        or _CODE_OPERATOR.search(line) is not None
        or ("(" in line and has_code_call(line))
    )



# the lines without an end mark between two lines of code that are code too: a statement's
# continuation lines, a column list (a menu between two code blocks is no code's neighbour: prose
# or a heading stands between them)
_CODE_GAP_LINES = 8



def code_lines(lines: list[str]) -> set[int]:
    """The positions of the lines of code among `lines` (stripped, non-blank): a line with a mark of
    code (`_is_code_line`) that does not end as a sentence does, and the lines without an end mark
    between two of them, up to `_CODE_GAP_LINES` ("git init" between its comments, a SELECT's
    column list "u.name," / "COUNT(o.id) as orders,").

    Code in a tutorial or in documentation is neither prose nor page chrome (ours): for FineWeb
    and C4 each of its lines is a line without an end mark, as a menu item is, and its tokens
    (`const [ state , setState ] = useState`) repeat as no prose does, so a tutorial read as a
    menu or as repeated text. A line ending in a full stop is prose whatever it holds: shuffled
    or spun prose ("word salad") cannot pass for code."""
    # most lines of an article end as sentences: one endswith, in C, and the pattern never runs
    out = {i for i, line in enumerate(lines) if not line.endswith(C4_END_PUNCT) and _is_code_line(line)}
    if out:
        marked = sorted(out)
        for a, b in pairwise(marked):
            if 1 < b - a <= _CODE_GAP_LINES + 1 and not any(map(ENDS_C4_PUNCT, lines[a + 1 : b])):
                out.update(range(a + 1, b))
    return out



# A list item: a bullet or a number, then a space ("- hemp", "2. Beat the butter", "3) Drain")
LIST_ITEM = re.compile(r"(?:[-*•●○◦▪▫■□‣⁃►▶➢✓✔·]|\d{1,3}[.)])[ \t]")
_ENDS_COLON = operator.methodcaller("endswith", ":")



def _announced_lists(lines: list[str]) -> set[int]:
    """The positions of the lists a sentence announces: a line of >= 3 words ending in a colon
    ("Many patches were sent for review:", "You will need:") and the list items right after it.

    Such a list is the sentence's own content, written one item a line: the patches, the
    ingredients, the steps (ours: for C4 and FineWeb every item is a line without an end mark,
    and a page of lists announced in prose counted as a menu). A menu or a link list is not
    introduced by a sentence; "Menu:" or "Follow us:" are too short to be one, and a list item
    ending in a colon ("- Buying options:") is a label inside a list, not a sentence. The
    announcement and its items count as prose characters, not as prose lines: a page is prose
    only with 5 lines of its own sentences, so a menu whose lists are each announced ("Browse our
    departments:") is still not a prose page."""
    out: set[int] = set()
    i, n = 0, len(lines)
    while i < n - 1:
        if (lines[i].endswith(":") and LIST_ITEM.match(lines[i + 1]) and not LIST_ITEM.match(lines[i])
                and len(lines[i].split(maxsplit=C4_MIN_LINE_WORDS - 1)) >= C4_MIN_LINE_WORDS):
            out.add(i)
            i += 1
            while i < n and LIST_ITEM.match(lines[i]):
                out.add(i)
                i += 1
        else:
            i += 1
    return out



# A term and its description, set off by a dash ("Hire florist – discuss vision, favorite flowers",
# "Hotel room blocks – reserve blocks at convenient hotels")
_DESCRIPTION_DASH = re.compile(r"[ \t][–—-][ \t]+")
_DESCRIPTION_MIN_WORDS = 3



def _written_item(line: str) -> bool:
    """Whether a line without an end mark is a piece of a sentence set as a list item: a bulleted
    or numbered item whose first word is in lower case ("- organic cotton", "2. hemp"), or a term
    and its description after a dash, the description a clause of >= 3 words starting in lower
    case ("Celebrate engagement – enjoy the moment, throw a party").

    Such items are the words of an enumeration or of a checklist, which a sentence would have
    run together with commas (ours: to FineWeb every item is a line without an end mark, as a
    menu entry is). A menu entry, a link, a heading or a headline is a title: its first word is
    capitalised, and so is what follows a dash in "Headline - Site name" or "Posted - 3 days ago"
    (no lower-case clause). A word is in lower case from its first character: not "iPhone", not
    "225g" (a quantity, a model number)."""
    item = LIST_ITEM.match(line)
    if item is not None:
        first = line[item.end() :].split(maxsplit=1)
        if first and first[0][0].islower() and first[0].islower():
            return True
    dash = _DESCRIPTION_DASH.search(line) if ("–" in line or "—" in line or " - " in line) else None
    if dash is not None:
        words = line[dash.end() :].split(maxsplit=_DESCRIPTION_MIN_WORDS)
        return len(words) >= _DESCRIPTION_MIN_WORDS and words[0][0].islower() and words[0].islower()
    return False



# A word a list shares with the prose: a run of 4 or more letters (shorter ones are mostly
# function words), compared case-folded
_TOPIC_WORD = re.compile(r"[^\W\d_]{4,}")


def list_topic_frac(prose: list[str], others: list[str]) -> float:
    """The share of the lines that are not prose (list items, headings, labels) that share a word
    of 4 or more letters with the prose lines: how far the page's list is about what its prose is
    about. A shop's categories under its write-up ("Women's Crocs" below a paragraph on Crocs), a
    product's specification rows ("Brand | CORSAIR"), a directory's entries share the prose's
    words; a site's menu ("Home", "Sign in", "Privacy policy") does not. Lines, not characters:
    one long heading would outweigh a menu. 1.0 when every line is prose, a row of figures or
    code (no list to judge)."""
    if not others:
        return 1.0
    vocabulary = set(_TOPIC_WORD.findall("\n".join(prose).casefold()))
    return sum(1 for line in others if not vocabulary.isdisjoint(_TOPIC_WORD.findall(line.casefold()))) / len(others)



def c4_signals(
    lines: list[str],
    spaced: bool = True,
    punctuated: bool = True,
    long_sentence_words: int | None = None,
    keywords: bool = True,
    code: set[int] | None = None,
    topic_under_lines: float | None = None,
) -> dict[str, float]:
    """C4's page rules on the lines its line filters would keep (TFDS c4_utils.clean_page order).

    The line rules that do not fit the script are not applied: the 3-word minimum on text without
    spaces, the end-punctuation rule on Thai and Lao (else C4 would never see a brace there).
    `long_sentence_words`: an unpunctuated line whose last part runs at least this many words,
    more of them lower case than capitalised, counts that part as a sentence (None: never, as C4).

    Also counts the prose lines (the lines C4's end-mark and 3-word rules keep), their characters,
    and the characters of all lines but rows of figures (`_is_table_row`) and lines of code
    (`code_lines`): a table of data or a code listing is neither prose nor the menus and link
    lists that line rules look for, so whether a report or a tutorial is prose is read on its
    text around them; list items, headings and labels count against the prose. In the same pass
    as C4's rules, which test the same two things.
    `keywords`: whether any line may hold "lorem ipsum", "javascript" or a policy phrase (False
    when the text has none of them: most lines are then not lower-cased at all). `code`:
    code_lines(lines), when the caller has found them (else found here when a line needs them).
    `topic_under_lines`: on a spaced text with at least one prose line and fewer than this, also
    `list_topic_frac`: the only pages whose prose-page test reads it (None: never).
    """
    sentences = braces = lorem = prose = prose_chars = other_chars = 0
    prose_at: list[int] = []  # the prose lines and the others (list items, headings, labels), for
    other_at: list[int] = []  # list_topic_frac

    def is_code(i: int) -> bool:
        nonlocal code
        if code is None:
            code = code_lines(lines)
        return i in code

    kept: list[str] = []
    announced = _announced_lists(lines) if any(map(_ENDS_COLON, lines)) else ()
    for i, line in enumerate(lines):
        if len(line) > _C4_MAX_WORD_CHARS and any(len(w) > _C4_MAX_WORD_CHARS for w in line.split()):
            other_chars += len(line)
            continue
        if "[" in line:
            line = _C4_CITATION.sub("", line)
        if punctuated and (not line.endswith(C4_END_PUNCT) or line.endswith(ELLIPSES)):
            # C4 drops the line as not prose. Its finished sentences still count (ours): a
            # paragraph whose last sentence lost its full stop, or a whole article flattened to
            # one line, is prose; a menu or heading line has no sentence break in it
            breaks = SENTENCE_BREAK.findall(line)
            sentences += len(breaks)
            lost = False
            # ... and its last part, when it runs longer than any heading and is written as a
            # sentence (more words in lower case than capitalised: not a menu or a title-case
            # heading flattened to one line): a sentence whose full stop the scraper lost (ours)
            # (words between spaces: the count, in C, spares most headings the split)
            if (long_sentence_words and line.count(" ") >= long_sentence_words - 1
                    and not line.endswith(ELLIPSES)):
                words = (SENTENCE_BREAK.split(line)[-1] if breaks else line).split()
                if len(words) >= long_sentence_words:
                    lower = sum(1 for w in words if w[0].islower())
                    lost = lower > sum(1 for w in words if w[0].isupper())
                    sentences += lost
            # Such a line is a prose line too (ours): its full stop was lost, or its finished
            # sentences are followed by a quote's attribution, set off by a dash ("... and it
            # worked. - Ken Englund, EY": the paragraphs of a round-up of quotes, an interview)
            if breaks and _ATTRIBUTION.search(line, max(len(line) - 130, 0)):
                prose += 1
                prose_chars += len(line)
                prose_at.append(i)
            elif i in announced or _written_item(line):  # a list a sentence announces is that
                prose_chars += len(line)  # sentence's prose; an item written in lower case is prose
            elif not _is_table_row(line) and not is_code(i):
                other_chars += len(line)
                other_at.append(i)
            continue
        if spaced and len(line.split(maxsplit=C4_MIN_LINE_WORDS - 1)) < C4_MIN_LINE_WORDS:
            if i in announced or _written_item(line):
                prose_chars += len(line)
            elif not _is_table_row(line) and not is_code(i):
                other_chars += len(line)
                other_at.append(i)
            continue
        prose += 1
        prose_chars += len(line)
        prose_at.append(i)
        if not keywords:
            if "{" in line and "{" in _PROSE_BRACES.sub("", line):
                braces += 1
            kept.append(line)
            continue
        lower = line.lower()
        if "lorem ipsum" in lower:
            lorem += 1
        if "javascript" in lower:
            continue
        if "{" in line and "{" in _PROSE_BRACES.sub("", line):
            braces += 1
        # every policy phrase holds "polic", "cookie" or "terms": one test for most lines
        if ("polic" in lower or "cookie" in lower or "terms" in lower) and any(p in lower for p in C4_POLICY):
            continue
        kept.append(line)
    # each kept line is a sentence, plus its sentence breaks: one scan of the kept lines joined by
    # NUL, which no break matches across (a break needs a space or a letter after the mark)
    sentences += len(kept) + len(SENTENCE_BREAK.findall("\0".join(kept)))
    out = {"c4_sentence_count": sentences, "c4_curly_brace_lines": braces, "c4_lorem_ipsum_lines": lorem,
           "prose_line_count": prose, "prose_char_frac": ratio(prose_chars, prose_chars + other_chars)}
    if spaced and topic_under_lines is not None and 0 < prose < topic_under_lines:
        out["list_topic_frac"] = list_topic_frac([lines[i] for i in prose_at], [lines[i] for i in other_at])
    return out
