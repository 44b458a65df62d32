"""What every signal reads of a text: its words, its non-blank lines, the marks that end a line or a
sentence, the scripts written without spaces, and the share of sentences that start in lower case
(`prose_quality`)."""

from __future__ import annotations

import operator
import re
import string
from itertools import repeat

from .config import QualityConfig

# Format characters str.strip() keeps (zero-width space/joiners, word joiner, BOM): a line of only
# these is blank on screen, and counting it made 19 invisible "lines" repeat in a real article.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
# At a token's edge, those and the other invisible format characters: soft hyphen, left-to-right
# and right-to-left marks, embeddings, overrides and isolates.
# Pages of right-to-left text (and their English quotes) put a mark before every word: read as
# part of the word, no stop word was found and every word grew by one (hostile round 13: such an
# English article went as gopher_quality). Inside a word (a Persian ZWNJ) they stay.
FORMAT_MARKS = INVISIBLE + "\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Stripped from both ends of a token; a token made only of these is not a word.
_PUNCT = string.punctuation + "“”„‟‘’‚‛«»‹›—–‐‑‒―…·•●○◦▪▫■□‣⁃►▶→¡¿、。，．！？：；（）「」『』【】《》〈〉" + FORMAT_MARKS

ELLIPSES = ("...", "…")

# Sentence-final marks of other scripts: CJK full stop and full-width ! ?, Devanagari/Bengali/
# Gurmukhi danda, Arabic question mark, Urdu full stop, Armenian, Ethiopic, Myanmar, Khmer and
# Tibetan full stops, and the Khmer and Tibetan marks that close a passage (៕ ༎: UDHR article 1 in
# Tibetan ends in ༎). Without them C4 finds no sentence in Hindi or Urdu at all (measured on the
# lingua sentences: 6 of 10 Hindi and Urdu documents rejected).
OTHER_SCRIPT_END = ("。", "！", "？", "」", "』", "।", "॥", "؟", "۔", "։", "።", "။", "។", "៕", "།", "༎")

# C4's END_PUNCTUATION . ? ! " ' and typographic forms; an ellipsis does not count (C4).
C4_END_PUNCT = (".", "?", "!", '"', "'", "”", "’", "»", *OTHER_SCRIPT_END)
ENDS_C4_PUNCT = operator.methodcaller("endswith", C4_END_PUNCT)
C4_POLICY = ("terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies")
C4_MIN_LINE_WORDS = 3

# A sentence boundary inside a line: terminal mark, optional closing quotes/brackets, space, more text.
SENTENCE_BREAK = re.compile(
    # a run of marks is tried once, from its first mark and whole (possessive): tried from each of
    # its marks and backtracked into, 60 kB of "..." took 73 s (quadratic); the matches are the same
    r"(?<![.!?…।॥؟۔։።။។៕།༎])[.!?…।॥؟۔։።။។៕།༎]++(?:[\"'”’»)\]]*\s+(?=\S)"
    # or a full stop with the space lost when the page was flattened ("on Wednesday.The stabbing"):
    # a lower-case word, the mark, a capital (not "U.S." or "Node.js"). One pattern starting with
    # the mark, the letters looked back at: the scan stays one test per character
    r"|(?<=[a-zà-ÿа-яё]{2}[.!?])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zà-ÿа-яё]))"
)

# Scripts written without spaces between words, and the two of them without sentence-final marks.
_NO_SPACE_SCRIPT = re.compile(r"[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_THAI_LAO = re.compile(r"[\u0e00-\u0eff]")

# The first UTF-8 byte of the characters _NO_SPACE_SCRIPT matches (3-byte characters: 0xE0 | code
# point >> 12), and every other byte. A text without any of these first bytes has none of those
# scripts: most texts, whose only characters beyond ASCII are quotes and dashes (U+20xx, first byte
# 0xE2), are told so by one bytes.translate instead of a regex scan (26 -> 7 us a document).
_NO_SPACE_FIRST_BYTES = bytes([0xE0, 0xE1, *range(0xE3, 0xEA), 0xEF])
_OTHER_BYTES = bytes(b for b in range(256) if b not in _NO_SPACE_FIRST_BYTES)



def nonblank(parts: list[str], invisible: bool = True) -> list[str]:
    """The parts stripped of whitespace and invisible format characters, blank ones dropped.
    `invisible`: whether the text has any of those characters (rare: else the path stays in C)."""
    out = list(filter(None, map(str.strip, parts)))
    if invisible:
        out = [t for t in (p.strip(INVISIBLE).strip() for p in out) if t]
    return out



def words_of(text: str) -> list[str]:
    """Whitespace tokens with edge punctuation stripped; punctuation-only tokens dropped."""
    # map/filter keep the per-token loop in C: this runs on every document.
    return list(filter(None, map(str.strip, text.split(), repeat(_PUNCT))))



def ratio(a: float, b: float) -> float:
    return a / b if b else 0.0



def _mostly(script: re.Pattern[str], text: str) -> bool:
    """Whether at least half of the non-space characters of `text` are in `script`."""
    found = len(script.findall(text))
    return found > 0 and 2 * found >= len(text) - sum(map(text.count, " \n\t\r"))



def writing_traits(text: str, language: str, cfg: QualityConfig) -> tuple[bool, bool]:
    """(spaced, punctuated): whether words are whitespace tokens, and whether sentences end in a mark.

    Decided by the detected language, and by the script when the language code does not say
    (langdetect may return `und`, or a wrong code on short or mixed text): a Chinese text must
    never be measured in "words" that are whole sentences.
    """
    # False for most texts after one bytes.translate (see _NO_SPACE_FIRST_BYTES); else the regex decides
    may_be_unspaced = bool(text.encode("utf-8", "surrogatepass").translate(None, _OTHER_BYTES))
    spaced = language not in cfg.no_space_languages and not (may_be_unspaced and _mostly(_NO_SPACE_SCRIPT, text))
    punctuated = language not in cfg.no_terminal_punct_languages and (spaced or not _mostly(_THAI_LAO, text))
    return spaced, punctuated



# A sentence end inside a line and the next word: an end mark after 2 letters (so not "e.g." or
# "U.S."), with no closing quote (speech goes on after '"Help!" she said'), spaces, opening quotes.
# The mark is matched first and the letters looked back at, so the scan costs one test per character.
_SENTENCE_START = re.compile(r"[.!?](?<=[^\W\d_]{2}[.!?])[ \t]+[\"'“‘«(" + FORMAT_MARKS + r"]*([^\W\d_]\S*)")

# Abbreviations of 2+ letters that a lower-case word may follow (lower-cased, without the full
# stop): "Apple Inc. said", "vs. last year", German "bzw. die", Russian "5 млн. рублей".
_ABBREVIATIONS = frozenset(
    {
        "vs", "etc", "ca", "cf", "approx", "incl", "excl", "esp", "resp", "al", "inc", "corp", "co", "ltd",
        "llc", "plc", "bros", "jr", "sr", "aprox", "bzw", "usw", "vgl", "ggf", "evtl", "sog", "ua", "nr",
        "inkl", "tys", "тыс", "млн", "млрд", "руб", "см", "др", "стр", "гг",
    }
)

# Units of measure after a quantity, before the thing measured: a recipe's "1 tsp. olive oil", "8 oz.
# milk", "½ lb. beef" (not a sentence start; without the quantity before it, "oz." may end one)
_UNITS = frozenset(
    {
        "tsp", "tbsp", "oz", "lb", "lbs", "pkg", "qt", "pt", "fl", "doz", "kg", "mg", "ml", "cm", "mm", "km",
        "min", "mins", "hr", "hrs", "sec", "sq", "ft", "yd",
    }
)
_QUANTITY = re.compile(r"[\d½¼¾⅓⅔⅛]+(?:[.,/-][\d½¼¾⅓⅔⅛]+)*")



def lower_sentence_starts(text: str) -> tuple[int, int]:
    """(sentences starting in lower case, sentences starting with a cased letter), counting the
    sentences that follow an end mark on the same line; scripts without capitals in prose
    (Georgian) are not cased. A following web address ("see
    example.com") or a known abbreviation before the mark ("vs. field") is not a sentence start."""
    lower = cased = 0
    for m in _SENTENCE_START.finditer(text):
        first = m.group(1)[0]
        if "\u10d0" <= first <= "\u10ff":
            # Georgian Mkhedruli letters are lower case in Unicode (Mtavruli capitals exist since
            # 2018), but Georgian prose never capitalises a sentence: every start would be "lower"
            continue
        if first.islower():
            word = m.group(1)
            tokens = text[max(m.start() - 16, 0) : m.start()].split()  # abbreviations are short
            before = tokens[-1].lower()
            if before in _ABBREVIATIONS or "." in word.rstrip(".!?,;:") or "/" in word:
                continue
            if before in _UNITS and len(tokens) > 1 and _QUANTITY.fullmatch(tokens[-2]):
                continue
            lower += 1
            cased += 1
        elif first.isupper():
            cased += 1
    return lower, cased



def split_sentences(line: str) -> list[str]:
    """The sentences of one line, each with its end mark: cut after every sentence break."""
    cuts = [m.end() for m in SENTENCE_BREAK.finditer(line)]
    return [p for p in (line[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(line)])) if p]
