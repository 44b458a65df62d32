"""What langdetect cannot see: scripts it has no profile for, and full-width Latin letters.

langdetect's 55 profiles cover no language written in Georgian, Armenian, Tibetan, Khmer, Myanmar,
Sinhala, Lao, Odia or Thaana. Their letters match next to nothing, and langdetect answers from
what does: the Estonian profile holds a few Georgian and Armenian letters (noise in its training
text), so Georgian and Armenian text comes out `et` at 0.99999; Odia's danda (।) and Dhivehi's
Arabic comma (،) are in the Nepali and Arabic profiles: `ne`, `ar`; the others match nothing
(`und`). Each of these scripts is written by essentially one
language, so the script names it: when at least half of the letters (and combining marks) a
detector reads are in one of them, the answer is that language, with the script's share of the
letters as its score, whatever langdetect would say (it cannot know the language).

Scripts that several languages write, or whose language has no ISO 639-1 code, have no language
(`None`): a text mostly in one of them is `und`, never a langdetect code that is certainly wrong.
- Ethiopic: Amharic and Tigrinya (and Tigre, Ge'ez), in the same letters;
- the Myanmar letters of Mon, Shan, Karen and the other minority languages (U+105A-109F and the
  Extended blocks): a Myanmar text with more than a trace of them (`FOREIGN_MAX_SHARE`) is not
  labelled Burmese. Burmese in the Zawgyi font encoding uses some of the same code points for its
  stacked letters, so it is left `und` too;
- Cherokee (`chr`), Canadian syllabics (Cree, Inuktitut, Ojibwe), Mongolian (also Manchu, Xibe),
  Tifinagh (the Berber languages), Syriac, N'Ko, Ol Chiki (Santali): no single ISO 639-1 code.
Known sharers of a labelled script, labelled with its main language: Dzongkha (`dz`, Tibetan
script, about a tenth of Tibetan's speakers) comes out `bo`; Mingrelian and Svan (no ISO 639-1
code) `ka`; Pali in Sinhala, Khmer or Burmese letters `si`, `km`, `my`.

Full-width Latin letters and digits (U+FF10-FF5A, common in pages from Chinese and Japanese
sites) are outside every profile too; they are folded to ASCII before langdetect reads the text.
Only the letters and digits: the full-width punctuation （），－：；＝～ is in the Chinese,
Japanese and Korean profiles, and NFKC would also decompose Thai's SARA AM (ำ), which is in the
Thai profile, so neither NFKC nor a fold of the whole block leaves langdetect's answers alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from transforms.char_table import CharTable

# A text is labelled by a script when at least this share of its letters is in it (the quality
# stage's "mostly" is the same half). On the lingua sentences it is 0 in every sentence of the 73
# other languages, and at least half in 1,999 of the 2,000 Georgian and Armenian ones (the one
# below, 0.38, quotes two English titles). Half is the natural line for "mostly": a Georgian
# article quoting English stays Georgian, an English one quoting Georgian stays English
# (docs/language.md, benchmarks/language_scripts.py).
MIN_SHARE = 0.5
# Letters of other languages in a labelled script (Shan's in the Myanmar block) above this share
# of the script's letters leave the text unlabelled: Shan writes a tone mark in most syllables.
FOREIGN_MAX_SHARE = 0.01


@dataclass(frozen=True)
class Script:
    name: str
    ranges: tuple[tuple[int, int], ...]  # inclusive code point ranges
    language: str | None  # ISO 639-1 code; None: more than one language, or none with a code
    foreign: tuple[tuple[int, int], ...] = ()  # letters of the block that other languages write


SCRIPTS: tuple[Script, ...] = (
    Script("Georgian", ((0x10A0, 0x10FF), (0x1C90, 0x1CBF), (0x2D00, 0x2D2F)), "ka"),
    Script("Armenian", ((0x0530, 0x058F), (0xFB13, 0xFB17)), "hy"),
    Script("Tibetan", ((0x0F00, 0x0FFF),), "bo"),
    Script("Khmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF)), "km"),
    Script("Myanmar", ((0x1000, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F)), "my",
           foreign=((0x105A, 0x109F), (0xA9E0, 0xA9FF), (0xAA60, 0xAA7F))),
    Script("Sinhala", ((0x0D80, 0x0DFF),), "si"),
    Script("Lao", ((0x0E80, 0x0EFF),), "lo"),
    Script("Odia", ((0x0B00, 0x0B7F),), "or"),
    Script("Thaana", ((0x0780, 0x07BF),), "dv"),
    Script("Ethiopic", ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)), None),
    Script("Cherokee", ((0x13A0, 0x13FF), (0xAB70, 0xABBF)), None),
    Script("Canadian syllabics", ((0x1400, 0x167F), (0x18B0, 0x18FF)), None),
    Script("Mongolian", ((0x1800, 0x18AF),), None),
    Script("Tifinagh", ((0x2D30, 0x2D7F),), None),
    Script("Syriac", ((0x0700, 0x074F),), None),
    Script("NKo", ((0x07C0, 0x07FF),), None),
    Script("Ol Chiki", ((0x1C50, 0x1C7F),), None),
)

# The languages the fallback can answer, for the config's allow-list check.
LANGUAGES: tuple[str, ...] = tuple(sorted({s.language for s in SCRIPTS if s.language}))


def _char_class(ranges: tuple[tuple[int, int], ...]) -> str:
    return "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges)


def _within(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(a <= cp <= b for a, b in ranges)


# Any character of these scripts: most texts have none, and are told so by one regex search.
_ANY_SCRIPT = re.compile(f"[{''.join(_char_class(s.ranges) for s in SCRIPTS)}]")

# Each character's tag: "" (not a letter or mark), "L" (a letter of any other script), chr(0x61 +
# 2i) (a letter of SCRIPTS[i]), chr(0x62 + 2i) (one of its foreign letters).
_OTHER = "L"


def _tag(ch: str) -> str:
    if unicodedata.category(ch)[0] not in "LM":
        return ""
    cp = ord(ch)
    for i, script in enumerate(SCRIPTS):
        if _within(cp, script.ranges):
            return chr(0x62 + 2 * i) if _within(cp, script.foreign) else chr(0x61 + 2 * i)
    return _OTHER


_TAGS = CharTable(_tag)  # a pure function of the character: shared by every caller


def script_share(text: str) -> tuple[Script | None, float, float]:
    """(script, share, foreign share): the one of `SCRIPTS` with the most letters in `text`, the
    share of the letters of `text` in it, and the share of the script's letters that are its
    `foreign` ones; (None, 0.0, 0.0) when `text` has none. Letters are Unicode letters and
    combining marks (the vowel signs of Indic and Southeast Asian scripts are marks)."""
    if _ANY_SCRIPT.search(text) is None:  # most texts: one scan in C
        return None, 0.0, 0.0
    tags = text.translate(_TAGS)
    best, best_native, best_foreign = None, 0, 0
    for i, script in enumerate(SCRIPTS):  # the first of equal counts: the same answer every time
        native, foreign = tags.count(chr(0x61 + 2 * i)), tags.count(chr(0x62 + 2 * i))
        if native + foreign > best_native + best_foreign:
            best, best_native, best_foreign = script, native, foreign
    if best is None:
        return None, 0.0, 0.0
    letters = best_native + best_foreign
    return best, letters / len(tags), best_foreign / letters


def predominant_script(text: str) -> tuple[Script, float, float] | None:
    """`script_share(text)` when at least `MIN_SHARE` of the letters of `text` are in its script;
    None when no script of `SCRIPTS` is predominant."""
    script, share, foreign = script_share(text)
    return None if script is None or share < MIN_SHARE else (script, share, foreign)


def script_language(text: str) -> tuple[str | None, float] | None:
    """(language, share) when at least `MIN_SHARE` of the letters of `text` are in one of
    `SCRIPTS`: the script's language (None when several languages or none with a code write it,
    or when more than `FOREIGN_MAX_SHARE` of its letters are another language's) and its share of
    the letters; None when no such script is predominant: langdetect decides."""
    found = predominant_script(text)
    if found is None:
        return None
    script, share, foreign = found
    return (script.language if foreign <= FOREIGN_MAX_SHARE else None), share


# Full-width digits and Latin letters (U+FF10-FF19, FF21-FF3A, FF41-FF5A) -> ASCII (0xFEE0 below).
_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FOLD = {cp: cp - 0xFEE0 for a, b in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for cp in range(a, b + 1)}


def fold_fullwidth(text: str) -> str:
    """`text` with full-width digits and Latin letters as ASCII ("ＨＥＬＬＯ" -> "HELLO"); every
    other character, full-width punctuation included, as it is."""
    if _FULLWIDTH_ALNUM.search(text) is None:
        return text
    return text.translate(_FOLD)
