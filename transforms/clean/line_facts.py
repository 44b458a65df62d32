"""Per-line facts the structure layers share: word counts, prose, keys, URL and letter shares."""

from __future__ import annotations

import re
import string
import unicodedata
from typing import Any, Callable, Iterable

from transforms.clean.config import LINK_LINE, SYMBOL_LINE, CleanConfig
from transforms.stream_safe import nfkc


def normalize_line(line: str) -> str:
    """Comparison key for repeated lines and titles: case, width, spacing and edge punctuation folded."""
    folded = nfkc(line).casefold()
    return " ".join(folded.split()).strip(" .:;!?-–—|")


# --- layer 2: structure ------------------------------------------------------------------------

# A line ends like a sentence: a final mark (a colon before a list, CJK full stops included),
# then optional closing quotes or brackets. A headline ending in a quoted word ("... ‘suspicious’")
# does not end like a sentence.
_TERMINAL = tuple(".!?…:;。！？")
CLOSERS = "\"'”’»)]"


def ends_like_sentence(line: str) -> bool:
    return line.rstrip(CLOSERS).endswith(_TERMINAL)


_LINK_LINE_MAX_CHARS = 1000  # longer lines are never link lists; keeps the URL scan linear in the text
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|edu|gov|io|co|uk|de|fr|ru)\b/?\S*",
    re.IGNORECASE,
)


WIDE_CHARS = re.compile("[\u3040-\u9fff\uac00-\ud7af]")  # kana, CJK ideographs, Hangul


def word_count(line: str) -> int:
    """Words of a line; CJK and Hangul text, written without spaces, counts one word per 2 characters."""
    words = len(line.split())
    if line.isascii() or max(line) < "\u3040":  # no kana, CJK or Hangul: skip the scan
        return words
    return max(words, len(WIDE_CHARS.findall(line)) // 2)


# Punctuation inside a line: prose has some; a tag cloud or a run of menu labels has none.
_INNER_PUNCT = re.compile(r"[,.;:!?()、，。]")


def is_prose(line: str, cfg: CleanConfig) -> bool:
    """A sentence-like line of `prose_min_words`+ words, or a long line (`prose_long_words`+
    words) with some punctuation inside: 25 words with no comma nor stop are a tag cloud."""
    return _is_prose(line, word_count(line), cfg)


def _is_prose(line: str, words: int, cfg: CleanConfig) -> bool:
    if words >= cfg.prose_long_words:
        return _INNER_PUNCT.search(line) is not None
    return words >= cfg.prose_min_words and ends_like_sentence(line)


class _Memo(dict):
    """`fn(line)` per line, worked out on the first ask (dict lookups stay in C)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[str], Any]):
        super().__init__()
        self.fn = fn

    def __missing__(self, line: str) -> Any:
        value = self[line] = self.fn(line)
        return value


class LineFacts:
    """A document's per-line answers (`word_count`, `is_prose`, `normalize_line`, `glued_teaser`),
    each worked out once: the structure layers ask them of the same lines again and again (body
    span, tail, teasers, navigation, and each round of the fixed point), which made word counting
    the largest single cost of cleaning. One per document (a line's answers depend only on the
    line and `cfg`), never shared between documents. Each answer is a callable: `facts.words(line)`."""

    __slots__ = ("cfg", "words", "prose", "key", "glued")

    def __init__(self, cfg: CleanConfig):
        self.cfg = cfg
        words = self.words = _Memo(word_count).__getitem__  # (not self: no reference cycle per document)
        self.prose: Callable[[str], bool] = _Memo(lambda line: _is_prose(line, words(line), cfg)).__getitem__
        self.key: Callable[[str], str] = _Memo(normalize_line).__getitem__
        self.glued: Callable[[str], bool] = _Memo(lambda line: glued_teaser(line, cfg)).__getitem__


# What every _URL match contains ("://", "www." or a dot and a listed domain ending): a line
# without one has no URL, and the full pattern, slow on long prose, is not run on it.
_URL_HINT = re.compile(r"://|www\.|\.(?:com|org|net|edu|gov|io|co|uk|de|fr|ru)\b", re.IGNORECASE)


def link_share(line: str) -> float:
    """The share of a line's non-space characters inside URLs."""
    if len(line) > _LINK_LINE_MAX_CHARS or not _URL_HINT.search(line):
        return 0.0
    chars = len(line.replace(" ", ""))
    return sum(len(m.group(0)) for m in _URL.finditer(line)) / chars if chars else 0.0


_ASCII_LETTERS = string.ascii_letters.encode()
_ASCII_SPACES = bytes(c for c in range(128) if chr(c).isspace())


# Combining marks (Unicode categories Mn, Mc, Me) of the ranges where scripts use them: the vowel
# signs and viramas of the Indic and Southeast Asian scripts, Hebrew and Arabic points,
# decomposed accents. str.isalpha is false for them, though they are parts of letters: a
# Telugu or Tamil line is a third marks, and with a year or two in it read as symbols.
# Only a run of marks right after a letter counts: a strikethrough price ("£̶9̶,̶9̶5̶0̶", U+0336
# after each character) stays symbols.
_MARK_RANGES = "".join(
    f"\\u{c:04x}" for lo, hi in ((0x0300, 0x3100), (0xA800, 0xAC00), (0xFE00, 0xFE30)) for c in range(lo, hi)
    if unicodedata.category(chr(c)).startswith("M")
)
_LETTER_MARKS = re.compile(rf"(?<=[^\W\d_])[{_MARK_RANGES}]+")


def letter_share(line: str) -> float:
    """Letters (with the combining marks that are parts of them) over non-space characters (1.0
    for a blank line)."""
    if line.isascii():
        # the same counts, done in C: among ASCII characters, str.isalpha accepts exactly the
        # ASCII letters and str.isspace exactly _ASCII_SPACES
        raw = line.encode("ascii")
        chars = len(raw.translate(None, _ASCII_SPACES))
        return (len(raw) - len(raw.translate(None, _ASCII_LETTERS))) / chars if chars else 1.0
    chars = len("".join(line.split()))  # split() cuts at exactly the str.isspace characters
    return (sum(map(str.isalpha, line)) + sum(map(len, _LETTER_MARKS.findall(line)))) / chars if chars else 1.0


def noise_rule(line: str, cfg: CleanConfig) -> str | None:
    """link_line or symbol_line for lines that carry no prose, else None."""
    if link_share(line) >= cfg.link_line_ratio:
        return LINK_LINE
    if letter_share(line) < cfg.symbol_line_ratio and not is_prose(line, cfg):
        return SYMBOL_LINE
    return None


def words_with_letters(words: Iterable[str]) -> list[str]:
    """The words holding a letter ("November 19, 2019 at 8:53 am" has 3)."""
    return [w for w in words if any(c.isalpha() for c in w)]


OPENERS = "\"'“‘«(["

_GLUE = re.compile(r"[a-z0-9?!’'”)][A-Z]")  # a plain scan (lookarounds at every position cost 3x)
_GLUED_WORD = re.compile(r"(?:[A-Z][a-z’']+|A|I)[\s,]")
# words a headline leaves in lower case ("Police Seek Man in Theft of $690 Bill")
_HEADLINE_SMALL = frozenset("a an the of in on at to for and or but nor by with from as is are vs vs. via into over".split())


def glued_teaser(line: str, cfg: CleanConfig) -> bool:
    """Whether `line` is a headline run into its standfirst: a headline-case prefix of 4-15
    words (each capitalised, a number or a small word) glued without a space to a prose line of
    its own. The prefix's last word is a whole word (4+ letters, a number or a closing mark): "MacBook",
    "AirPods", "McDonald" and "WiFi" glue 2-3 letters, and a prose line naming them stays."""
    if len(line) > 600 or not _GLUE.search(line):
        return False
    for m in _GLUE.finditer(line):
        if not _GLUED_WORD.match(line, m.start() + 1):
            continue
        prefix, tail = line[: m.start() + 1], line[m.start() + 1 :]
        words = prefix.split()
        if not 4 <= len(words) <= 15:
            continue
        last = words[-1]
        if last[-1].isalpha() and sum(c.isalpha() for c in last) < 4:
            continue
        lettered = [w.lstrip(OPENERS) for w in words_with_letters(words)]
        if len(lettered) < 3 or not (words[0].lstrip(OPENERS)[:1].isupper() or words[0][:1].isdigit()):
            continue
        if all(w[:1].isupper() or w[:1].isdigit() or w.lower() in _HEADLINE_SMALL for w in lettered) and is_prose(tail, cfg):
            return True
    return False
