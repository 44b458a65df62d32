"""langdetect's Detector with its hot loops rewritten: the same probabilities, bit for bit, about
3x faster at our 1,000-character cap (benchmarks/language_speed.py).

langdetect (1.0.9, its last release) spends a document's time in pure-Python loops: a
character-by-character copy in `append`, a per-character script count in `cleaning_text`, an
n-gram extractor that steps a window one character at a time with a dict lookup per n-gram, and
a per-language loop over Python floats for every sampled n-gram. `FastDetector` keeps the
algorithm, the random draws (the same calls on the same `random.Random`, in the same order) and
the floating-point operations (the same operands, in the same order), and changes how they run:

- `append` and `cleaning_text`: regexes over the same characters;
- n-grams: every 1-, 2- and 3-gram of the text formed at once as integer keys (`gram_key`) and
  looked up with one `searchsorted` in the profiles' sorted keys (`Profiles`);
- trials: numpy element-wise operations on rows of the profiles' float64 matrix, with the one
  sum langdetect takes left to right still taken in Python;
- random draws: every document reseeds the same `random.Random(seed)`, so the 32-bit words its
  Mersenne Twister yields are the same for every document. `Profiles.draws` computes them once
  per worker with numpy's MT19937 started from Python's seeded state; a trial turns them into
  its gauss and choices as `random.gauss` and `random.choice` do, many draws at a time.

`Profiles.load()` reads langdetect's profile files itself, in sorted order (see `profile_names`).
`tests/unit/test_fast_langdetect.py` compares the probabilities with the stock `Detector` on a
factory loaded in the same order, exactly, on texts in many scripts. langdetect is frozen, so the
`Detector` internals we rely on cannot drift; the test would catch it if they did.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
from types import SimpleNamespace

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.lang_profile import LangProfile
from langdetect.utils.ngram import NGram

from transforms.char_table import CharTable

# Runs of two or more spaces (each becomes one): a single space is left as it is, so the regex
# stops only where there is something to change, not at every space of the text.
_SPACES = re.compile("  +")
_LATIN = re.compile("[A-z]")  # langdetect counts 'A' <= ch <= 'z', so [\]^_` too
# langdetect means to exclude Latin Extended Additional here, but compares the block's integer id
# with its name, so every character from U+0300 up counts as non-Latin; we keep its behaviour.
_NON_LATIN_FROM = 0x300


def profile_names(directory: str = PROFILES_DIRECTORY) -> list[str]:
    """langdetect's profile files in sorted order.

    langdetect's own `load_profile` adds them in `os.listdir` order, which depends on the
    filesystem: the languages' order changes the order of a floating-point sum in every trial,
    so two machines could disagree in a rare close call. Sorted, every worker agrees.
    """
    return sorted(n for n in os.listdir(directory) if not n.startswith(".") and os.path.isfile(os.path.join(directory, n)))


def load_factory(seed: int = 0, directory: str = PROFILES_DIRECTORY) -> DetectorFactory:
    """A stock DetectorFactory with langdetect's profiles, added in sorted order (see
    `profile_names`): the reference `FastDetector` is tested against."""
    names = profile_names(directory)
    factory = DetectorFactory()
    for index, name in enumerate(names):
        with open(os.path.join(directory, name), encoding="utf-8") as f:
            factory.add_profile(LangProfile(**json.load(f)), index, len(names))
    factory.seed = seed  # instance attribute: read by each Detector it creates
    return factory


class Profiles:
    """langdetect's language profiles as one float64 matrix (a row per n-gram, a column per
    language), with a sorted index of the n-grams, built once per worker.

    A stock factory holds them as a dict of Python lists of Python floats: about 150 MB per worker,
    a cache miss per float in the inner loop, and half a second to build. The matrix holds the
    same numbers in 39 MB, built in about 0.2 s (the n-grams keyed and placed with numpy).
    """

    def __init__(self, langlist: list[str], keys: np.ndarray, matrix: np.ndarray) -> None:
        self.langlist = langlist
        # Every n-gram as one integer (see `gram_key`), sorted, row i of the matrix naming keys[i]:
        # a text's n-grams are then found with one searchsorted instead of a dict lookup each.
        self.keys = keys
        self.matrix = matrix
        self.normalized = CharTable(NGram.normalize)  # NGram.normalize is a pure function of the character
        self.upper = CharTable(lambda ch: "\x01" if ch.isupper() else "\x00")
        self._draws: dict[int, np.ndarray | None] = {}  # seed -> its Mersenne Twister words (a cache)

    def draws(self, seed: int) -> np.ndarray | None:
        """The first `DRAW_WORDS` 32-bit outputs of `random.Random(seed)`, the same for every
        document (each reseeds); None when numpy's generator does not reproduce Python's here."""
        if seed not in self._draws:
            self._draws[seed] = mersenne_words(seed, DRAW_WORDS)
        return self._draws[seed]

    @classmethod
    def load(cls, directory: str = PROFILES_DIRECTORY) -> "Profiles":
        """Straight from langdetect's profile files, in sorted order, with the numbers its
        `DetectorFactory.add_profile` computes: count / n-grams of that length in the language
        (numpy's float64 division of the same two numbers). Its profiles hold 1- to 3-grams only."""
        names = profile_names(directory)
        langlist: list[str] = []
        keys: list[np.ndarray] = []
        cols: list[np.ndarray] = []
        values: list[np.ndarray] = []
        for col, name in enumerate(names):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                profile = LangProfile(**json.load(f))
            langlist.append(profile.name)
            for length in (1, 2, 3):
                grams = [g for g in profile.freq if len(g) == length]
                keys.append(gram_keys(grams, length))
                cols.append(np.full(len(grams), col))
                values.append(np.array([profile.freq[g] for g in grams], dtype=np.float64) / profile.n_words[length - 1])
        unique, rows = np.unique(np.concatenate(keys), return_inverse=True)
        matrix = np.zeros((len(unique), len(names)), dtype=np.float64)
        matrix[rows, np.concatenate(cols)] = np.concatenate(values)
        return cls(langlist, unique, matrix)

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """The matrix rows of the n-gram keys the profiles know, in their order; others dropped."""
        at = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return at[self.keys[at] == keys]


def gram_keys(grams: list[str], length: int) -> np.ndarray:
    """`gram_key` of many n-grams of one length at once."""
    codes = np.frombuffer("".join(grams).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    codes = codes.reshape(len(grams), length).astype(np.uint64) + np.uint64(1)
    keys = codes[:, 0].copy()
    for i in range(1, length):
        keys = (keys << np.uint64(21)) | codes[:, i]
    return keys


def gram_key(gram: str) -> int:
    """An n-gram of up to 3 characters as one integer: 21 bits per character (Unicode needs 21),
    each stored plus one so grams of different lengths never share a key."""
    key = 0
    for ch in gram:
        key = (key << 21) | (ord(ch) + 1)
    return key


DRAW_WORDS = 1 << 16  # 7 trials of at most 1,001 draws need ~14,000 words even when half are rejected
_LOOKAHEAD_BLOCKS = 10  # blocks of n-grams a trial draws at once: 46 steps, a trial's median 41
_TWOPI = 2.0 * math.pi
_RANDOM_SCALE = 1.0 / 9007199254740992.0  # 2**-53, as random.random() scales its 53 bits


def mersenne_words(seed: int, n: int) -> np.ndarray | None:
    """The first n outputs of `random.Random(seed).getrandbits(32)`, from numpy's MT19937 given
    Python's seeded state. Checked against Python's own words: on an interpreter whose `random`
    differs, None, and detection keeps drawing from `random.Random` itself."""
    rng = random.Random(seed)
    _, state, _ = rng.getstate()
    gen = np.random.MT19937()
    gen.state = {"bit_generator": "MT19937", "state": {"key": np.array(state[:624], dtype=np.uint32), "pos": state[624]}}
    words = gen.random_raw(n).astype(np.uint32)
    return words if _same_as_python(words, seed) else None


def _same_as_python(words: np.ndarray, seed: int) -> bool:
    """Whether `_Draws` on these words gives what `random.Random(seed)` gives: the same gauss and
    choice values, in an interleaving like a detection's, for sizes at and around powers of two."""
    rng = random.Random(seed)
    draws = _Draws(words, 0)
    try:
        for n in (1, 2, 3, 1000, 1024, 1025, 70000):
            draws.n = n
            if draws.gauss() != rng.gauss(0.0, 1.0):
                return False
            if draws.choices(1).tolist() + draws.choices(5).tolist() != [rng.choice(range(n)) for _ in range(6)]:
                return False
            draws.end_trial()
    except _OutOfDraws:  # too few words to tell
        return False
    return True


def _unit(a: int, b: int) -> float:
    """random.random() from two 32-bit words."""
    return ((a >> 5) * 67108864.0 + (b >> 6)) * _RANDOM_SCALE


class _Draws:
    """A trial's random draws from the precomputed words, in `random.Random`'s order: `gauss()`
    as Python's (two uniforms, a cached second value), `choices(k)` as k calls of `choice` over n
    rows (rejection sampling on the top bits of each word, like `_randbelow_with_getrandbits`)."""

    def __init__(self, words: np.ndarray, n: int) -> None:
        self.words = words
        self.n = n
        self.pos = 0  # next unused word
        self.gauss_next: float | None = None
        self._picks = np.empty(0, dtype=np.int64)  # accepted choices from pos on, and the word after each
        self._after = np.empty(0, dtype=np.int64)
        self._used = 0
        self._scanned: int | None = None  # where the next scan starts; None: at pos

    def gauss(self) -> float:
        z, self.gauss_next = self.gauss_next, None
        if z is None:
            if self.pos + 4 > self.words.size:
                raise _OutOfDraws
            a, b, c, d = self.words[self.pos : self.pos + 4].tolist()
            self.pos += 4
            x2pi = _unit(a, b) * _TWOPI
            g2rad = math.sqrt(-2.0 * math.log(1.0 - _unit(c, d)))
            z = math.cos(x2pi) * g2rad
            self.gauss_next = math.sin(x2pi) * g2rad
        return 0.0 + z * 1.0  # random.gauss(mu=0.0, sigma=1.0)

    def choices(self, k: int) -> np.ndarray:
        while self._picks.size - self._used < k:
            self._scan(max(64, 2 * k))
        out = self._picks[self._used : self._used + k]
        self._used += k
        return out

    def end_trial(self, used: int | None = None) -> None:
        """The trial drew the first `used` choices handed out (None: all of them): give back the
        words scanned or handed out beyond them."""
        used = self._used if used is None else used
        if used:
            self.pos = int(self._after[used - 1])
        self._picks, self._after, self._used, self._scanned = self._picks[:0], self._after[:0], 0, None

    def _scan(self, want: int) -> None:
        start = self.pos if self._scanned is None else self._scanned
        if start >= self.words.size:
            raise _OutOfDraws
        stop = min(start + 2 * want, self.words.size)  # each word is accepted with probability > 1/2
        top = self.words[start:stop] >> np.uint32(32 - self.n.bit_length())  # getrandbits(k) keeps the top k bits
        hit = np.flatnonzero(top < self.n)
        self._picks = np.concatenate([self._picks, top[hit].astype(np.int64)])
        self._after = np.concatenate([self._after, hit + start + 1])
        self._scanned = stop


class _RandomDraws:
    """`_Draws`' interface over `random.Random` itself, one call per draw (`choice(range(n))`
    draws as `choice(rows)` does): for a seed without precomputed words, or a document that
    needed more of them."""

    def __init__(self, rng: random.Random, seed: int | None, n: int) -> None:
        rng.seed(seed)
        self.rng = rng
        self.n = n
        self._handed = 0  # choices handed out this trial
        self._last: tuple[int, tuple] = (0, rng.getstate())  # choices handed out before the last call, and the state then

    def gauss(self) -> float:
        return self.rng.gauss(0.0, 1.0)

    def choices(self, k: int) -> np.ndarray:
        self._last = (self._handed, self.rng.getstate())
        self._handed += k
        return np.array([self.rng.choice(range(self.n)) for _ in range(k)], dtype=np.int64)

    def end_trial(self, used: int | None = None) -> None:
        """As `_Draws.end_trial`: choices handed out beyond `used` are un-drawn, by going back to
        the state before the last call and drawing again up to `used` (the trial's own loop only
        asks for more once it has used all it was handed, so `used` is within the last call)."""
        if used is not None and used < self._handed:
            before, state = self._last
            self.rng.setstate(state)
            for _ in range(used - before):
                self.rng.choice(range(self.n))
        self._handed = 0


class _OutOfDraws(Exception):
    """A document needed more words than were precomputed: it is redone with `random.Random`."""


class FastDetector(Detector):
    """A drop-in `langdetect.detector.Detector` on `Profiles`: `FastDetector(profiles, seed)`;
    `append`, `set_max_text_length`, `get_probabilities` and `detect` as usual."""

    def __init__(self, profiles: Profiles, seed: int | None = None) -> None:
        # Detector reads the factory's table, languages and seed; the table lives in `profiles`
        super().__init__(SimpleNamespace(word_lang_prob_map={}, langlist=profiles.langlist, seed=seed))
        self.profiles = profiles

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        # Each of these two regexes needs a character most texts lack ("@", a Vietnamese combining
        # mark), looked for first by C's substring search: their scans of every position took
        # 43 and 27 us of a document's 105 in `append`.
        if "@" in text:
            text = self.MAIL_RE.sub(" ", text)
        if any(mark in text for mark in NGram.DMARK_CLASS):
            text = NGram.normalize_vi(text)
        # The original copies the first max_text_length characters, dropping a space after a
        # space; its "previous character" starts fresh on every call, as the regex does.
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        # counted on the code points with numpy: a findall of each class built a list of up to
        # 1,000 one-character strings (67 -> 8 us a document)
        codes = np.frombuffer(self.text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        latin = int(np.count_nonzero((codes >= ord("A")) & (codes <= ord("z"))))  # _LATIN
        non_latin = int(np.count_nonzero(codes >= _NON_LATIN_FROM))
        if latin * 2 < non_latin:
            self.text = _LATIN.sub("", self.text)

    def _extract_rows(self) -> np.ndarray:
        """langdetect's `_extract_ngrams`, as profile rows instead of n-gram strings.

        langdetect reads the text one character at a time into a window that restarts after each
        space, and after every character emits the window's last 1, 2 and 3 characters when the
        profiles know them. Over the whole text at once: after position k it emits t[k], t[k-1:k+1]
        and t[k-2:k+1] of t = " " + text. The grams its window would not form (a lone space, two
        spaces, a 3-gram with a space in the middle) are in no profile, so the lookup drops them
        as langdetect never forms them; what remains to mimic is its `capitalword` state, which
        skips a position holding an upper-case letter right after another one.
        """
        t = " " + self.text.translate(self.profiles.normalized)
        c = np.frombuffer(t.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.uint64) + 1
        grams = np.zeros((len(c) - 1, 3), dtype=np.uint64)  # key 0 is no n-gram
        grams[:, 0] = c[1:]
        grams[:, 1] = (c[:-1] << 21) | c[1:]
        grams[1:, 2] = (c[:-2] << 42) | (c[1:-1] << 21) | c[2:]
        if not t.islower():
            upper = np.frombuffer(t.translate(self.profiles.upper).encode("latin-1"), dtype=np.uint8).astype(bool)
            grams[upper[1:] & upper[:-1]] = 0
        return self.profiles.rows_of(grams.ravel())  # row-major: position, then 1-2-3

    def _detect_block(self) -> None:
        self.cleaning_text()
        rows = self._extract_rows()
        if not rows.size:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        n = int(rows.size)
        words = self.profiles.draws(self.seed) if isinstance(self.seed, int) else None
        try:
            langprob = self._trials(rows, _Draws(words, n) if words is not None else _RandomDraws(self.random, self.seed, n))
        except _OutOfDraws:
            langprob = self._trials(rows, _RandomDraws(self.random, self.seed, n))
        self.langprob = langprob.tolist()

    def _trials(self, rows: np.ndarray, draws: _Draws | _RandomDraws) -> np.ndarray:
        # numpy's element-wise + * / are the same IEEE operations as langdetect's scalar loop;
        # only the sum is taken in Python, left to right, as langdetect takes it.
        matrix = self.profiles.matrix
        langprob = np.zeros(len(self.langlist))
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + draws.gauss() * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            # langdetect draws an n-gram and multiplies its factors in at every step, and
            # normalises and tests for convergence after steps 0, 5, 10, ... The steps between
            # two tests form a block (1 step, then 5): its rows are drawn at once and multiplied
            # in with one reduction down the block, which numpy takes row after row, so each
            # value is still ((prob * f0) * f1) * ..., langdetect's products in its order.
            # The rows of the next 10 blocks are drawn, gathered and given their weight at once
            # (the trial gives back the draws it does not use, in end_trial): per block, these
            # were three numpy calls of ~1-3 us on 5 rows (probabilities: 1.42 -> 1.20 ms a document).
            # Blocks are 1, then 5 steps: a lookahead of whole blocks always ends on a block.
            steps, size = 0, 1
            ahead, at = matrix[:0], 0  # the rows drawn ahead, weighted; the next one to use
            while True:
                if at == len(ahead):
                    ahead = matrix[rows[draws.choices(size + 5 * (_LOOKAHEAD_BLOCKS - 1))]]
                    ahead += weight
                    at = 0
                block = ahead[at : at + size]
                at += size
                block[0] *= prob
                np.multiply.reduce(block, axis=0, out=prob)
                steps += size
                values = prob.tolist()
                total = sum(values)
                prob /= total
                # rounding is monotonic, so the largest quotient is the largest value's
                if max(values) / total > self.CONV_THRESHOLD or steps > self.ITERATION_LIMIT:
                    break
                size = 5
            draws.end_trial(steps)
            langprob += prob / self.n_trial
        return langprob
