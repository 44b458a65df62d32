"""Layer 2b: learned line labelling with context, over what the rule pack leaves of a page.

Every line the rule pack keeps gets a probability of being content from a small gradient-boosted
tree ensemble. It sees the line itself (length, punctuation, letters, stop words, comment and
date cues), its words (their content log-odds in a learnt lexicon), its neighbours, its place in
the page, and what the structure layer decided about it and about the lines around it (the
structural verdicts are evidence, and the names a removal keeps). The trees and the lexicon are
trained by `benchmarks/train_line_classifier.py` with scikit-learn and shipped as one JSON file;
here the trees are walked in numpy, vectorised over a document's lines: no scikit-learn at run
time, and the same lines always get the same scores.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from itertools import pairwise, repeat
from typing import Callable, Mapping, Sequence

import numpy as np

from transforms.model_json import (
    MAX_WEIGHT,
    is_finite_number,
    is_weight,
    load_model_json,
)
from transforms.rule_prefilter import foldable
from transforms.side_files import config_file_text

CLASSIFIER = "classifier"
DEFAULT_WEIGHTS = "line-classifier-v3.json"

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

# What the structure layer decided about a line, in groups (the rule codes of transforms.clean.config);
# a code that is in no group (a layer added later) counts as "other".
VERDICTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("kept", ("",)),
    ("navigation", ("navigation",)),
    ("outside_body", ("outside_body",)),
    ("tail", ("tail_section",)),
    ("teasers", ("teaser_run", "blurb_run")),
    ("repeats", ("repeated_line", "repeated_title")),
    ("noise", ("link_line", "symbol_line")),
)
_VERDICT_INDEX = {code: i for i, (_, codes) in enumerate(VERDICTS) for code in codes}
OFFSETS = (-3, -2, -1, 1, 2, 3)  # the neighbours a line's row describes
WINDOW = 6  # lines either side for the window shares

_LINE = (
    "log_words", "log_chars", "terminal", "ends_colon", "ends_ellipsis", "ends_question", "letters",
    "digits", "upper", "punct", "stop_share", "personal_share", "mean_word_len", "log_sentences",
    "starts_lower", "starts_quote", "separators", "comment_cue", "date_cue",
)  # fmt: skip
STRUCTURE_FEATURES: tuple[str, ...] = (
    *_LINE,
    "prose",
    "is_title",
    *(f"verdict_{name}" for name, _ in VERDICTS),
    "verdict_other",
    *(f"{k}_{'m' if d < 0 else 'p'}{abs(d)}" for d in OFFSETS for k in ("log_words", "terminal", "prose", "kept")),
    "window_prose", "window_kept", "window_log_words",
    "rel_pos", "word_pos", "log_lines", "log_total_words",
    "kept_word_share", "kept_prose_share", "in_kept_region", "log_dist_first_kept", "log_dist_last_kept",
    "rel_to_max", "rel_to_median", "log_copies",
)  # fmt: skip
# What the line's words say: the mean and the lowest of its tokens' content log-odds from the
# model's lexicon (`lexical_columns`), its neighbours' means and the window's. The structure
# features see a line's shape and place; a "Staff Writer", "Find Local Pros" or "Read more
# reviews" line has the shape of a heading, and only its words give it away.
LEXICAL_FEATURES: tuple[str, ...] = ("lex_mean", "lex_min", "lex_mean_m2", "lex_mean_m1", "lex_mean_p1", "lex_mean_p2", "lex_window")
FEATURES: tuple[str, ...] = STRUCTURE_FEATURES + LEXICAL_FEATURES


@dataclass(frozen=True)
class LineModel:
    """Gradient-boosted binary trees over FEATURES, all trees' nodes in flat arrays.

    A node is a leaf when `left` is -1; otherwise a row goes left when its `feature` value is
    <= `threshold` (scikit-learn's rule for numeric features without missing values). The content
    probability is sigmoid(baseline + the sum over trees of the leaf values reached)."""

    features: tuple[str, ...]
    roots: np.ndarray  # int64 (n_trees,): index of each tree's root node
    feature: np.ndarray  # int64 (n_nodes,)
    threshold: np.ndarray  # float64 (n_nodes,)
    left: np.ndarray  # int64 (n_nodes,), -1 at a leaf
    right: np.ndarray  # int64 (n_nodes,)
    value: np.ndarray  # float64 (n_nodes,): the leaf's contribution (0 at inner nodes)
    baseline: float
    cut: float  # the trained threshold; CleanConfig.classifier_threshold overrides it when set
    depth: int  # the deepest leaf: the walk takes this many steps
    source: str = ""  # what it was trained on, for the record
    restore: float | None = None  # the trained restore threshold (CleanConfig.classifier_restore_threshold); None: `cut`
    lexicon: Mapping[str, float] = field(default_factory=dict)  # token -> content log-odds (lexical_columns)
    # node -> [right child, left child], a leaf leading to itself: one step of the walk is
    # steps[2 * node + goes_left], whatever the depth of the leaf a row reached
    steps: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        own = np.arange(len(self.left))
        leaf = self.left < 0
        steps = np.stack([np.where(leaf, own, self.right), np.where(leaf, own, self.left)], axis=1).ravel()
        object.__setattr__(self, "steps", steps)

    def rows(self, lines: Sequence[str], structure: np.ndarray) -> np.ndarray:
        """The model's input rows: `structure` (line_features' rows of `lines`) and the lexical
        columns its lexicon gives the lines."""
        return np.hstack([structure, lexical_columns(lines, self.lexicon)])

    def margins(self, x: np.ndarray) -> np.ndarray:
        """baseline + the leaf values, per row of `x` (n_rows, len(features))."""
        if len(x) == 0:
            return np.zeros(0)
        # leaves lead to themselves (feature 0, any threshold), so every row takes `depth` steps
        flat = np.ascontiguousarray(x, dtype=np.float64).ravel()
        base = (np.arange(len(x)) * x.shape[1])[:, None]
        node = np.broadcast_to(self.roots, (len(x), len(self.roots)))
        for _ in range(self.depth):
            go_left = flat[base + self.feature[node]] <= self.threshold[node]
            node = self.steps[2 * node + go_left]
        return self.baseline + self.value[node].sum(axis=1)

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        # math.exp one row at a time, as `_each`: numpy's vectorised exp can differ in the last
        # bit between CPUs, and a probability is compared with thresholds
        return 1.0 / (1.0 + _each(math.exp, -np.clip(self.margins(x), -30.0, 30.0)))

    def to_json(self) -> str:
        trees = []
        for t, root in enumerate(self.roots):
            end = self.roots[t + 1] if t + 1 < len(self.roots) else len(self.feature)
            nodes = range(int(root), int(end))
            trees.append(
                {
                    "feature": [int(self.feature[i]) for i in nodes],
                    "threshold": [float(self.threshold[i]) for i in nodes],
                    "left": [int(self.left[i] - root) if self.left[i] >= 0 else -1 for i in nodes],
                    "right": [int(self.right[i] - root) if self.left[i] >= 0 else -1 for i in nodes],
                    "value": [float(self.value[i]) for i in nodes],
                }
            )
        head = {"features": list(self.features), "baseline": self.baseline, "threshold": self.cut, "source": self.source}
        if self.restore is not None:
            head["restore_threshold"] = self.restore
        body = ",\n".join(json.dumps(t, separators=(",", ":")) for t in trees)
        lexicon = json.dumps(dict(sorted(self.lexicon.items())), ensure_ascii=False, separators=(",", ":"))
        return json.dumps(head)[:-1] + ',\n"trees": [\n' + body + '\n],\n"lexicon": ' + lexicon + "}"


def model_from_trees(
    trees: Sequence[dict],
    baseline: float,
    cut: float,
    source: str = "",
    features: Sequence[str] = FEATURES,
    restore: float | None = None,
    lexicon: Mapping[str, float] | None = None,
) -> LineModel:
    """A LineModel from per-tree node lists (`feature`, `threshold`, `left`, `right`, `value`;
    child indices within the tree, -1 at leaves), checked: every child inside its tree."""
    roots, feature, threshold, left, right, value = [], [], [], [], [], []
    for t in trees:
        n, base = len(t["feature"]), len(feature)
        if n == 0 or any(len(t[k]) != n for k in ("threshold", "left", "right", "value")):
            raise ValueError("line classifier: every tree needs one feature, threshold, left, right and value per node")
        for lo, hi in zip(t["left"], t["right"]):
            if (lo >= 0) != (hi >= 0) or not (-1 <= lo < n and -1 <= hi < n):
                raise ValueError("line classifier: a node's children must both be nodes of its tree, or both -1")
        if any(not 0 <= f < len(features) for f, lo in zip(t["feature"], t["left"]) if lo >= 0):
            raise ValueError("line classifier: a split names a feature that does not exist")
        # NaN never compares: a split on it would send every line right, a NaN leaf every score to
        # NaN; leaves of ±1e308 in two trees summed to ±inf, and inf - inf is NaN again
        if not all(map(is_finite_number, t["threshold"])) or not all(map(is_weight, t["value"])):
            raise ValueError(f"line classifier: thresholds must be finite numbers, leaf values between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
        roots.append(base)
        feature += t["feature"]
        threshold += t["threshold"]
        left += [lo + base if lo >= 0 else -1 for lo in t["left"]]
        right += [hi + base if hi >= 0 else -1 for hi in t["right"]]
        value += [v if lo < 0 else 0.0 for v, lo in zip(t["value"], t["left"])]
    left_a, right_a = np.asarray(left, dtype=np.int64), np.asarray(right, dtype=np.int64)
    # the walk takes as many steps as the deepest leaf is deep; leaves then stay where they are.
    # A child that leads back to a node (a hand-edited file) is a loop: the levels, kept distinct,
    # would go on for ever (and double each step) had it not been refused here (hostile round 8)
    depth, level = 0, np.asarray(roots, dtype=np.int64)
    while True:
        inner = level[left_a[level] >= 0]
        if not inner.size:
            break
        level, depth = np.unique(np.concatenate([left_a[inner], right_a[inner]])), depth + 1
        if depth > len(feature):
            raise ValueError("line classifier: a node's children lead back to it (a tree must not loop)")
    return LineModel(
        tuple(features), np.asarray(roots, dtype=np.int64), np.maximum(np.asarray(feature, dtype=np.int64), 0),
        np.asarray(threshold, dtype=np.float64), left_a, right_a,
        np.asarray(value, dtype=np.float64), float(baseline), float(cut), depth, source,
        None if restore is None else float(restore), {str(k): float(v) for k, v in (lexicon or {}).items()},
    )  # fmt: skip


# A run reads the weights' text up to four times in one process (the CLI's check, each clean
# DoFn's setup()): the trees are never changed once built, so one parse per text serves them all
@functools.lru_cache(maxsize=4)
def parse_line_model(text: str) -> LineModel:
    data = load_model_json(text)
    names = tuple(data["features"])
    if names != FEATURES:
        lacking, unknown = [f for f in FEATURES if f not in names], [f for f in names if f not in FEATURES]
        raise ValueError(
            f"line classifier weights are for other features than this code computes (missing {lacking}, unknown {unknown}; "
            "the same names in another order otherwise): retrain them with benchmarks/train_line_classifier.py"
        )
    if not is_weight(data.get("baseline", 0.0)) or not is_finite_number(data.get("threshold", 0.0)):
        raise ValueError(f"line classifier: baseline must be a finite number between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}, threshold a finite number")
    lexicon = data.get("lexicon", {})
    if not isinstance(lexicon, dict) or not all(map(is_weight, lexicon.values())):
        raise ValueError(f"line classifier: the lexicon must map tokens to finite numbers between -{MAX_WEIGHT:g} and {MAX_WEIGHT:g}")
    return model_from_trees(
        data["trees"], data["baseline"], data["threshold"], str(data.get("source", "")), restore=data.get("restore_threshold"), lexicon=lexicon
    )


def line_weights_text(path: str = "") -> str:
    """The text of the trees file at `path`, or of the bundled configs/line-classifier-v3.json."""
    return config_file_text(path, DEFAULT_WEIGHTS)


def load_line_model(path: str = "") -> LineModel:
    """The trees at `path`, or the bundled configs/line-classifier-v3.json."""
    return parse_line_model(line_weights_text(path))


# --- features ----------------------------------------------------------------------------------


def _terminal(line: str) -> bool:
    return line.rstrip(_CLOSERS).endswith(_TERMINAL)


# Literals one of which every match of the cue regexes holds (lower-cased): a line without any
# cannot match, and most lines have none, so the regex runs on few lines.
_COMMENT_LITERALS = ("ago", "repl", "wrote:", "says:", "said:", "posted", "permalink", "upvote", "like",
                     "antworten", "répondre", "responder", "ответить", "@")  # fmt: skip
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"  # what str.isspace() is true for in ASCII
_ASCII_LOWER = b"abcdefghijklmnopqrstuvwxyz"
_ASCII_UPPER = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ASCII_DIGITS = b"0123456789"


def _char_counts(line: str) -> tuple[int, int, int, int, int]:
    """(spaces, letters, digits, upper-case letters, alphanumerics) of `line`: its ASCII
    characters counted by bytes.translate (one C pass each instead of a Python call per
    character), the others one by one; each count is the sum of the two."""
    ascii_part = line.encode("ascii", "ignore")
    counts = _ascii_counts(ascii_part)
    if len(ascii_part) == len(line):
        return counts
    rest = line.translate(_DROP_ASCII)  # what str.isspace & co. must be asked of (accents, curly quotes)
    spaces, letters, digits, upper, alnum = counts
    return (
        spaces + sum(map(str.isspace, rest)), letters + sum(map(str.isalpha, rest)), digits + sum(map(str.isdigit, rest)),
        upper + sum(map(str.isupper, rest)), alnum + sum(map(str.isalnum, rest)),
    )  # fmt: skip


_DROP_ASCII = dict.fromkeys(range(128))


def _ascii_counts(b: bytes) -> tuple[int, int, int, int, int]:
    n = len(b)
    lower = n - len(b.translate(None, _ASCII_LOWER))
    upper = n - len(b.translate(None, _ASCII_UPPER))
    digits = n - len(b.translate(None, _ASCII_DIGITS))
    return n - len(b.translate(None, _ASCII_SPACE)), lower + upper, digits, upper, lower + upper + digits


def _has_cue(pattern: re.Pattern[str], line: str, literals: tuple[str, ...], lowered: str) -> bool:
    # (`lowered`: line.lower()) the literal test is exact only where lower() folds as IGNORECASE
    # does (not for İ, ı, ſ)
    if foldable(line) and not any(map(lowered.__contains__, literals)):
        return False
    return pattern.search(line) is not None


_EDGE_PUNCT = ".,;:!?\"'()[]«»“”‘’"  # stripped off a token before it is looked up as a stop word
_SEPARATORS = ("|", "»", "•", "·", " / ")


def line_stats(line: str, words: int) -> list[float]:
    """The features of a line alone (`_LINE`), in order."""
    spaces, letters, digits, upper, alnum = _char_counts(line)
    chars = max(1, len(line) - spaces)
    lowered = line.lower()
    tokens = lowered.split()  # lower() never makes or removes white space: the same tokens
    bare = list(map(str.strip, tokens, repeat(_EDGE_PUNCT)))
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
        digits / chars,
        upper / max(1, letters),
        (chars - alnum) / chars,  # punctuation and symbols (alnum is never space)
        sum(map(_STOP.__contains__, bare)) / n_tok,
        sum(map(_PERSONAL.__contains__, bare)) / n_tok,
        min(20.0, letters / n_tok),
        math.log1p(len(_SENT.findall(line))),
        float(first.islower()),
        float(first in "\"'“‘«„"),
        float(any(map(line.__contains__, _SEPARATORS))),
        float(_has_cue(_COMMENT_CUE, line, _COMMENT_LITERALS, lowered)),
        float(digits > 0 and _DATE_CUE.search(line) is not None),  # every date cue holds a digit
    ]


_N_STATS = len(line_stats("x", 1))


def _context_stats(line: str, words: int) -> list[float]:
    """A stand-in for `line_stats` with only what other lines' rows read of this one (columns 0
    and 2: its length and its end mark); the rest 0."""
    out = [0.0] * _N_STATS
    out[0], out[2] = math.log1p(words), float(_terminal(line))
    return out


def _shifted(a: np.ndarray, offsets: Sequence[int]) -> np.ndarray:
    """Rows a[i + d] for every i, 0 past either end, for each d of `offsets` in turn, the
    columns of `a` side by side (one array for every column and offset: most pages have few
    lines, and then each numpy call costs more than its arithmetic)."""
    n, reach = len(a), max(map(abs, offsets))
    padded = np.zeros((n + 2 * reach, a.shape[1]), dtype=a.dtype)
    padded[reach : reach + n] = a
    return np.hstack([padded[reach + d : reach + d + n] for d in offsets])


def _each(f: Callable[[float], float], values: Sequence[float] | np.ndarray) -> np.ndarray:
    """`f` (math.log, math.log1p, math.exp) of each value, one at a time. numpy's vectorised log,
    log1p and exp take another code path on a CPU with AVX-512 than on one without, and the two
    can differ in the last bit (log1p(2): 1.0986122886681098 against ...096): a tree whose
    threshold sat on such a value sent the same line left on one machine and right on another.
    The scalar functions are the ones `line_stats` uses, the same on every worker."""
    items = values.tolist() if isinstance(values, np.ndarray) else values
    return np.fromiter(map(f, items), dtype=np.float64, count=len(items))


def _window_mean(a: np.ndarray, w: int) -> np.ndarray:
    """Per column of `a`: the mean of rows i-w .. i+w without row i itself, over the lines that
    exist. (A cumulative sum down a column adds in the same order as one of the column alone.)"""
    c = np.concatenate([np.zeros((1, a.shape[1])), np.cumsum(a, axis=0)])
    n = len(a)
    lo, hi = np.maximum(0, np.arange(n) - w), np.minimum(n, np.arange(n) + w + 1)
    count = np.maximum(1, hi - lo - 1)
    return (c[hi] - c[lo] - a) / count[:, None]


def line_features(
    lines: Sequence[str],
    verdicts: Sequence[str],
    words: Sequence[int],
    prose: Sequence[bool],
    title: Sequence[bool],
    cache: dict[str, list[float]] | None = None,
    judged: Sequence[bool] | None = None,
) -> np.ndarray:
    """One row of STRUCTURE_FEATURES per line of `lines` (the lines the rule pack kept, in order).
    `verdicts[i]` is the structure layer's rule code for a line it removed, "" for one it kept;
    `words`, `prose` and `title` are the structure layer's word counts and prose verdicts and
    whether the line is the page title. `cache` keeps the per-line statistics (they do not
    depend on the context) across calls on one document. With `judged`, only those rows are
    whole: the others hold just what their neighbours' rows read of them (length and end
    mark), for a caller that scores the judged rows alone."""
    cache = {} if cache is None else cache
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(STRUCTURE_FEATURES)))
    stats = []
    for k, (line, w) in enumerate(zip(lines, words)):
        s = cache.get(line)
        if s is None:
            if judged is not None and not judged[k]:
                stats.append(_context_stats(line, w))
                continue
            s = cache[line] = line_stats(line, w)
        stats.append(s)
    base = np.asarray(stats, dtype=np.float64)
    w_arr = np.asarray(words, dtype=np.float64)
    lw = base[:, 0]
    term = base[:, 2]
    pr = np.asarray(prose, dtype=np.float64)
    kept = np.asarray([v == "" for v in verdicts], dtype=np.float64)
    onehot = np.zeros((n, len(VERDICTS) + 1))
    onehot[np.arange(n), [_VERDICT_INDEX.get(v, len(VERDICTS)) for v in verdicts]] = 1.0
    total = max(1.0, w_arr.sum())
    before = np.concatenate([[0.0], np.cumsum(w_arr)[:-1]])
    prose_words = w_arr * pr
    kept_idx = np.flatnonzero(kept * pr) if (kept * pr).any() else np.flatnonzero(kept)
    first, last = (kept_idx[0], kept_idx[-1]) if kept_idx.size else (n, -1)
    idx = np.arange(n)
    prose_sorted = np.sort(w_arr[pr > 0])
    median = prose_sorted[len(prose_sorted) // 2] if prose_sorted.size else max(1.0, w_arr.max())
    keys = [" ".join(line.casefold().split()) for line in lines]
    copies: dict[str, int] = {}
    for k in keys:
        copies[k] = copies.get(k, 0) + 1
    columns = [
        base,
        pr[:, None],
        np.asarray(title, dtype=np.float64)[:, None],
        onehot,
        _shifted(np.stack([lw, term, pr, kept], axis=1), OFFSETS),
        _window_mean(np.stack([pr, kept, lw], axis=1), WINDOW),
        np.stack(
            [
                idx / max(1, n - 1),
                before / total,
                np.full(n, math.log1p(n)),
                np.full(n, math.log1p(total)),
                np.full(n, (w_arr * kept).sum() / total),
                np.full(n, (prose_words * kept).sum() / max(1.0, prose_words.sum())),
                ((idx >= first) & (idx <= last)).astype(np.float64),
                _each(math.log1p, np.maximum(0, first - idx)) if kept_idx.size else np.full(n, 5.0),
                _each(math.log1p, np.maximum(0, idx - last)) if kept_idx.size else np.full(n, 5.0),
                w_arr / max(1.0, w_arr.max()),
                np.minimum(5.0, w_arr / max(1.0, median)),
                _each(math.log, [copies[k] for k in keys]),
            ],
            axis=1,
        ),
    ]
    return np.hstack(columns)


# --- lexical features ---------------------------------------------------------------------------

_LEX_TOKEN = re.compile(r"\w+")
LEX_WINDOW = 5  # lines either side for lex_window


def lexical_tokens(line: str) -> list[str]:
    """What the lexicon is keyed by, each once, in order: the line's lower-cased `\\w+` tokens
    (digit runs as "<num>"), their pairs ("a b"), the first token as "^first" and the last as
    "last$"."""
    words = _LEX_TOKEN.findall(line.lower())
    if not words:
        return []
    if any(map(str.isdigit, words)):
        words = ["<num>" if w.isdigit() else w for w in words]
    keys = words + list(map(" ".join, pairwise(words)))
    keys.append("^" + words[0])
    keys.append(words[-1] + "$")
    return list(dict.fromkeys(keys))


def lexical_columns(lines: Sequence[str], lexicon: Mapping[str, float]) -> np.ndarray:
    """LEXICAL_FEATURES per line: the mean and the lowest lexicon value over the line's
    lexical_tokens (0 for a token the lexicon lacks, and for a line without tokens), the mean of
    the lines 2 and 1 before and after (0 past the ends) and over LEX_WINDOW lines either side.
    math.fsum: the same value whatever the order of the terms."""
    n = len(lines)
    mean, low = np.zeros(n), np.zeros(n)
    get = lexicon.get
    for i, line in enumerate(lines):
        keys = lexical_tokens(line)
        if keys:  # a token the lexicon lacks is a 0: it adds nothing to the sum and may be the lowest
            values = list(map(get, keys, repeat(0.0)))
            mean[i], low[i] = math.fsum(values) / len(keys), min(values)
    if not n:
        return np.zeros((0, len(LEXICAL_FEATURES)))
    means = mean[:, None]
    return np.hstack([means, low[:, None], _shifted(means, (-2, -1, 1, 2)), _window_mean(means, LEX_WINDOW)])
