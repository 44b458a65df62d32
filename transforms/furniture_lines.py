"""Layer 2c: page furniture told by the line alone, wherever it stands.

The rule pack names the furniture families it knows ("Read more:", share bars, newsletter
sign-ups), and the structure layers and the line classifier judge lines by their place on a page
that shows chrome. A furniture line of a family no rule names, standing between two article
paragraphs of an otherwise clean text ("Tap here to turn on desktop notifications", "Artikel
vorlesen lassen", "View image in fullscreen"), is caught by neither: position says content, and
no rule knows its words.

This layer scores each short line by its own words and shape with a logistic model learnt from
every labelled line of the three extraction sets' dev pages (about 550,000 distinct lines of up
to `max_words` words, 2,700 pages, 2,000 sites), with the clean article texts and real sentences
in 75 languages as content. It is trained by `benchmarks/train_furniture_lines.py`, which writes
the shipped `configs/furniture-lines-v1.json`; here it is a dictionary walk and one sum per line
(`math.fsum`: the same score whatever the order of the terms): no scikit-learn at run time, and
the same line always gets the same score.
"""

from __future__ import annotations

import functools
import json
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from transforms.line_classifier import lexical_tokens
from transforms.model_json import MAX_WEIGHT, is_weight, load_model_json
from transforms.side_files import config_file_text

FURNITURE = "furniture_line"
DEFAULT_FURNITURE_WEIGHTS = "furniture-lines-v1.json"
FORMAT = "newsclean furniture-lines 1"

_WORD = re.compile(r"\w+")
# how a line ends: a sentence's mark, a label's colon, a closing bracket or quote, or a word
_ENDS = frozenset('.!?:;,)»"…')
# characters whose presence alone is evidence: handles, separators of menus and bylines, the
# copyright sign, bullets and breadcrumbs, paths, hashtags, counts in brackets
_MARKS = "@|:©•»›/#()[]"
_MARK_SET = frozenset(_MARKS)
# what divides the items of a bar ("Edit · Delete · Mark as spam", "Home | News | Sport"): a `|`
# anywhere, or a middle dot or bullet with a space or the line's edge either side. Within a word a middle dot
# joins (Catalan "col·lecció", Korean "남·북", "한·미·일"): no separator there. One gives `#sep`, two
# or more `#bar`, the shape of metadata and action bars whatever their words (out of fold they
# catch a tenth more of the inline batches' unseen furniture at the same loss of page content)
_SEPARATOR = re.compile(r"(?<!\S)[·•](?!\S)|\|")
_SEPARATOR_CHARS = frozenset("·•|")
_MAX_COUNT = 12  # word counts above this share one shape key
# str.isdigit's characters: the decimal digits (\d) and 128 more (superscripts, circled digits),
# searched for only in a line that is not ASCII. A generator over the line's characters took a
# fifth of the layer's time; one class of all 788 is slower still (`re` tests a class holding
# characters past the BMP range by range)
_DECIMAL = re.compile(r"\d").search


@functools.cache
def _other_digit() -> Callable[[str], re.Match[str] | None]:
    # built on the first line that needs it (70 ms over every code point), not at import: a cache
    # of a pure function
    others = (chr(c) for c in range(sys.maxunicode + 1) if chr(c).isdigit() and not chr(c).isdecimal())
    return re.compile("[" + "".join(map(re.escape, others)) + "]").search


def _has_digit(line: str) -> bool:
    """any(c.isdigit() for c in line), in C."""
    return _DECIMAL(line) is not None or (not line.isascii() and _other_digit()(line) is not None)


def line_words(line: str) -> int:
    """The line's `\\w+` tokens: what `max_words` counts."""
    return len(_WORD.findall(line))


def furniture_keys(line: str) -> list[str]:
    """The keys a line's score sums over: its lexical tokens (transforms.line_classifier's:
    lower-cased words, their pairs, the first and the last word) and its shape: the word count,
    how it ends, a capital start, all capitals, digits, each of `_MARKS` it holds and the
    `_SEPARATOR`s of a bar."""
    keys = lexical_tokens(line)
    keys.append(f"#n{min(line_words(line), _MAX_COUNT)}")
    last = line.rstrip()[-1:]
    keys.append("#end" + (last if last in _ENDS else "w"))
    if line[:1].isupper():
        keys.append("#cap")
    if line.isupper():
        keys.append("#upper")
    if _has_digit(line):
        keys.append("#digit")
    if marks := _MARK_SET.intersection(line):
        keys.extend("#ch" + ch for ch in _MARKS if ch in marks)
    if not _SEPARATOR_CHARS.isdisjoint(line) and (separators := len(_SEPARATOR.findall(line))):
        keys.append("#sep" if separators == 1 else "#bar")
    return keys


@dataclass(frozen=True)
class FurnitureModel:
    """A logistic model over `furniture_keys`: P(furniture) = sigmoid(bias + the weights of the
    line's keys). Lines of more than `max_words` words are never scored (prose paragraphs: the
    model learnt short lines only)."""

    weights: Mapping[str, float]
    bias: float
    max_words: int
    source: str = ""

    def score(self, line: str) -> float:
        """The probability that `line` is furniture (0.0 for a line too long to be judged)."""
        if not line.strip() or line_words(line) > self.max_words:
            return 0.0
        get = self.weights.get
        z = math.fsum([self.bias, *(w for w in map(get, furniture_keys(line)) if w is not None)])
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def scores(self, lines: Sequence[str]) -> list[float]:
        return [self.score(line) for line in lines]

    def to_json(self) -> str:
        """The model as the shipped file holds it: keys sorted, one line per section."""
        body = {"format": FORMAT, "source": self.source, "max_words": self.max_words, "bias": self.bias}
        head = json.dumps(body, ensure_ascii=False)[:-1]
        weights = json.dumps(dict(sorted(self.weights.items())), ensure_ascii=False, separators=(",", ":"))
        return f'{head},\n"weights": {weights}}}\n'


def parse_furniture_model(text: str) -> FurnitureModel:
    """The model in `text` (a ValueError when it is not one)."""
    data = load_model_json(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a furniture-lines model (its 'format' must be {FORMAT!r}): retrain it with benchmarks/train_furniture_lines.py")
    weights, bias, max_words = data.get("weights"), data.get("bias"), data.get("max_words")
    if not isinstance(weights, dict) or not all(map(is_weight, weights.values())):
        raise ValueError(f"furniture-lines model: 'weights' must map keys to finite numbers between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
    if not is_weight(bias):
        raise ValueError(f"furniture-lines model: 'bias' must be a finite number between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
    if not isinstance(max_words, int) or isinstance(max_words, bool) or max_words < 1:
        raise ValueError("furniture-lines model: 'max_words' must be a positive whole number")
    return FurnitureModel({str(k): float(v) for k, v in weights.items()}, float(bias), max_words, str(data.get("source", "")))


def furniture_weights_text(path: str = "") -> str:
    """The text of the model file at `path`, or of the bundled configs/furniture-lines-v1.json."""
    return config_file_text(path, DEFAULT_FURNITURE_WEIGHTS)


def load_furniture_model(path: str = "") -> FurnitureModel:
    """The model at `path`, or the bundled one."""
    return parse_furniture_model(furniture_weights_text(path))
