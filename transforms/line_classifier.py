"""Layer 2b: a small line classifier for what rules and the body span cannot tell from prose.

After the rule pack and the structure layer, what is left of naive page text is mostly long lines
near or inside the body: comment threads, teasers, captions, "most read" lists. A logistic
regression over per-line features (the line itself and its neighbours, its position, its distance
to the body span; no HTML: text mode) gives each kept line a probability of being content; lines
below the threshold go as `classifier`. The weights are a small JSON file trained by
`benchmarks/train_line_classifier.py` on the extraction benchmark's dev pages; numpy only, and
deterministic: the same lines always get the same probabilities.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

CLASSIFIER = "classifier"
DEFAULT_WEIGHTS = "line-classifier-v1.json"

# Small function-word lists for the languages of the benchmark pages: prose is full of them,
# teasers, captions and menus much less so. Not language detection, just a share.
_STOP = frozenset(
    """
    the a an and or but of to in on at for with by from as is are was were be been has have had it its
    this that these those not no he she they we you i his her their our your my me him them who which
    what when where will would can could should there than then so if also about after into over more
    der die das und oder ein eine einer eines den dem des ist sind war waren nicht mit von zu im auf
    für als auch sich es er sie wir ihr bei nach aus wie dass noch nur wird werden hat haben
    le la les un une des et ou est sont était dans sur pour par avec pas que qui ce cette il elle ils
    nous vous du au aux se ne plus mais comme été
    el los las y o es son era en por para con no que se su sus lo al del como más pero una unos
    и в на не что с по как это он она они мы вы из за к о от для то но его её их был была было
    """.split()
)
_PERSONAL = frozenset("i i'm my me you your you're we us our ich mir mein du je moi mon tu vous yo mi tú я мне мой ты".split())
_COMMENT_CUE = re.compile(
    r"\b(?:\d+\s+(?:minutes?|hours?|days?|weeks?|months?|years?)\s+ago|repl(?:y|ies)|wrote:|says:|said:|posted|permalink|"
    r"upvote|likes?|antworten|répondre|responder|ответить)\b|@\w",
    re.IGNORECASE,
)
_DATE_CUE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b|\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b|\b\d{1,2}:\d{2}\b",
    re.IGNORECASE,
)
_SENT = re.compile(r"[.!?…。！？][\"'”’»)\]]*(?:\s|$)")
_TERMINAL = tuple(".!?…:;。！？")
_CLOSERS = "\"'”’»)]"

FEATURES: tuple[str, ...] = (
    "log_words", "log_chars", "terminal", "ends_colon", "ends_ellipsis", "ends_question", "letters",
    "digits", "upper", "punct", "stop_share", "personal_share", "mean_word_len", "log_sentences",
    "starts_lower", "starts_quote", "separators", "comment_cue", "date_cue", "rel_pos", "word_pos",
    "in_span", "log_dist_before", "log_dist_after", "span_word_share", "prev_log_words",
    "next_log_words", "prev_terminal", "next_terminal", "window_prose", "rel_to_max", "rel_to_median",
    "log_doc_lines", "in_span_x_words", "in_span_x_terminal", "log_words_sq",
)  # fmt: skip


@dataclass(frozen=True)
class LineModel:
    """A logistic regression on standardised features: p(content) = sigmoid(w . (x - mean) / scale + b)."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float  # the trained threshold; CleanConfig.classifier_threshold overrides it when set
    source: str = ""  # what it was trained on, for the record

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        z = ((x - self.mean) / self.scale) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -30.0, 30.0)))

    def to_json(self) -> str:
        return json.dumps(
            {
                "features": list(self.features),
                "mean": [round(float(v), 6) for v in self.mean],
                "scale": [round(float(v), 6) for v in self.scale],
                "weights": [round(float(v), 6) for v in self.weights],
                "bias": round(float(self.bias), 6),
                "threshold": round(float(self.threshold), 4),
                "source": self.source,
            },
            indent=1,
        )


def parse_line_model(text: str) -> LineModel:
    data = json.loads(text)
    names = tuple(data["features"])
    if names != FEATURES:
        raise ValueError(f"line classifier weights are for features {names}, this code computes {FEATURES}")
    arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "weights")]
    if any(a.shape != (len(FEATURES),) for a in arrays):
        raise ValueError("line classifier weights: mean, scale and weights need one value per feature")
    return LineModel(names, *arrays, float(data["bias"]), float(data["threshold"]), str(data.get("source", "")))


def load_line_model(path: str = "") -> LineModel:
    """The weights at `path`, or the bundled configs/line-classifier-v1.json."""
    if path:
        return parse_line_model(Path(path).read_text(encoding="utf-8"))
    return parse_line_model(resources.files("configs").joinpath(DEFAULT_WEIGHTS).read_text(encoding="utf-8"))


# --- features ----------------------------------------------------------------------------------


def _terminal(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(_TERMINAL)


def _line_stats(line: str, words: int) -> list[float]:
    chars = max(1, len(line) - sum(map(str.isspace, line)))
    letters = sum(map(str.isalpha, line))
    tokens = [t.lower() for t in line.split()]
    bare = [t.strip(".,;:!?\"'()[]«»“”‘’") for t in tokens]
    n_tok = max(1, len(tokens))
    stripped = line.rstrip(_CLOSERS)
    first = line[0]
    return [
        math.log1p(words),
        math.log1p(len(line)),
        float(_terminal(line)),
        float(stripped.endswith(":")),
        float(stripped.endswith(("...", "…"))),
        float(stripped.endswith(("?", "？"))),
        letters / chars,
        sum(map(str.isdigit, line)) / chars,
        sum(map(str.isupper, line)) / max(1, letters),
        (chars - sum(map(str.isalnum, line))) / chars,  # punctuation and symbols (alnum is never space)
        sum(t in _STOP for t in bare) / n_tok,
        sum(t in _PERSONAL for t in bare) / n_tok,
        min(20.0, letters / n_tok),
        math.log1p(len(_SENT.findall(line))),
        float(first.islower()),
        float(first in "\"'“‘«„"),
        float(any(s in line for s in ("|", "»", "•", "·", " / "))),
        float(_COMMENT_CUE.search(line) is not None),
        float(_DATE_CUE.search(line) is not None),
    ]


def line_features(
    lines: Sequence[str],
    span: tuple[int, int] | None,
    word_count: Callable[[str], int],
    is_prose: Callable[[str], bool],
    cache: dict[str, list[float]] | None = None,
) -> np.ndarray:
    """One row of FEATURES per line of `lines` (the kept, non-blank lines of a document in order);
    `span` is the body span found by the structure layer, as indices into `lines`. `cache` keeps
    the per-line statistics across the fixed point's rounds on one document (they do not depend
    on the context)."""
    cache = {} if cache is None else cache
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(FEATURES)))
    words = [word_count(line) for line in lines]
    prose = [is_prose(line) for line in lines]
    terminal = [_terminal(line) for line in lines]
    total_words = max(1, sum(words))
    start, end = span if span is not None else (n, -1)
    span_words = sum(words[start : end + 1])  # 0 without a span
    max_words = max(1, max(words))
    prose_words = sorted(w for w, p in zip(words, prose) if p)
    median = prose_words[len(prose_words) // 2] if prose_words else max_words
    rows: list[list[float]] = []
    before = 0
    for i, line in enumerate(lines):
        lw = math.log1p(words[i])
        in_span = float(start <= i <= end)
        lo, hi = max(0, i - 3), min(n, i + 4)
        window = sum(prose[lo:hi]) - prose[i]
        stats = cache.get(line)
        if stats is None:
            stats = cache[line] = _line_stats(line, words[i])
        row = list(stats)
        row += [
            i / (n - 1) if n > 1 else 0.0,
            before / total_words,
            in_span,
            math.log1p(max(0, start - i)) if span is not None else 3.0,
            math.log1p(max(0, i - end)) if span is not None else 3.0,
            span_words / total_words,
            math.log1p(words[i - 1]) if i > 0 else 0.0,
            math.log1p(words[i + 1]) if i + 1 < n else 0.0,
            float(terminal[i - 1]) if i > 0 else 0.0,
            float(terminal[i + 1]) if i + 1 < n else 0.0,
            window / max(1, hi - lo - 1),
            words[i] / max_words,
            min(5.0, words[i] / max(1, median)),
            math.log1p(n),
            in_span * lw,
            in_span * float(terminal[i]),
            lw * lw,
        ]
        rows.append(row)
        before += words[i]
    return np.asarray(rows, dtype=np.float64)
