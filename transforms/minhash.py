"""MinHash maths for near-duplicate detection, with no Beam: shingles, signatures, bands, Jaccard.

Compatible with datasketch 2.x (`datasketch.MinHash(num_perm, seed)`, default "affine32" scheme):
the same SHA-1 shingle hash, the same MurmurHash3 pre-mix and the same affine permutations drawn
from `numpy.random.RandomState(seed)`, so `minhash_signature(text)` equals the `hashvalues` of a
datasketch MinHash updated with the same shingles (tests check it). It is computed for all
shingles of a document at once with numpy instead of one `update()` per shingle.

One SHA-1 per shingle gives both hashes we need: its first 4 bytes (little-endian) are
datasketch's `sha1_hash32`, fed to the permutations; its first 8 bytes are `sha1_hash64`, kept as
a sorted array for the exact Jaccard check of candidate pairs (64 bits: no accidental collisions
between the shingles of two documents, so the check is exact for practical purposes).
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from typing import AnyStr, Iterable, Sequence

import numpy as np

from transforms.library_args import require_int, require_str
from transforms.stream_safe import nfkc

DEFAULT_NUM_PERM = 128
DEFAULT_NGRAM = 5
DEFAULT_SEED = 1  # datasketch's own default seed, so a plain `MinHash()` matches

_MAX_HASH32 = np.uint32(0xFFFFFFFF)
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16))
_WORD = re.compile(r"\w+")
_DIGIT = re.compile(r"\d")
# Rows of the (shingles x permutations) matrix handled at once: bounds the temporary array of a
# huge document to ~1M values whatever its length.
_CHUNK_CELLS = 1 << 20

Permutations = tuple[np.ndarray, np.ndarray]


# --- normalisation and shingles --------------------------------------------------------------

def normalize_words(text: str) -> list[str]:
    """Words of `text` as compared for near-duplicates.

    - NFKC: full-width, ligature and compatibility forms compare equal to their plain forms.
    - casefold: a headline-cased copy or an ALL-CAPS paragraph is the same text.
    - punctuation and whitespace dropped (words are `\\w+` runs): syndicated copies differ in
      quotes, dashes and spacing more than in words.
    - every digit folded to 0: updated copies change times, dates and tallies ("12:05", "at
      least 41 dead") while the story is the same. Numbers keep their length and position, so
      numeric tables still differ from prose.
    - each letter of a script written without spaces between words (Han, Hiragana, Katakana,
      Bopomofo, Thai, Lao, Khmer, Myanmar) is a token of its own, with the combining marks that
      follow it (`_spaceless_tokens`): there a `\\w+` run is a whole clause or paragraph, so one
      changed character changed the only "word" of the clause and an unpunctuated text was one
      shingle. Other words around them (Latin, digits, Hangul, ...) stay words, in order.
    - a word keeps the combining marks inside and after it (`_marked_words`): the vowel signs and
      viramas of Devanagari, Bengali, Tamil..., Hebrew and Arabic points, accents NFKC cannot
      compose. `\\w` matches no mark, so `हिन्दी` was cut into `ह न द`. Variation selectors and
      marks after no letter or digit separate.
    Accents are kept: removing them would merge distinct words in many languages.
    """
    joined = _normalized_bytes(text)
    return joined.decode("utf-8").split(" ") if joined else []


# The ASCII bytes (no UTF-8 sequence of another character holds one), and what the normalisation
# makes of each: letters and "_" kept, digits folded to "0", every other ASCII character (space,
# punctuation, control) a separator. Bytes from 0x80 up, the rest of UTF-8, are left alone.
_ASCII_BYTES = bytes(range(128))
_ASCII_NON_WORD = bytes(b for b in _ASCII_BYTES if not (chr(b).isalnum() or chr(b) == "_"))
_ASCII_FOLD = bytes.maketrans(_ASCII_NON_WORD + b"123456789", b" " * len(_ASCII_NON_WORD) + b"0" * 9)
_NON_WORD = re.compile(r"\W")

# Blocks of the scripts written without spaces between words. Hangul is not here: Korean puts
# spaces between its words (eojeol), so its `\w+` runs are words already. Unassigned code points
# and the blocks' punctuation are left out below (only letters and marks count), and digits
# (Thai ๑๒๓, Myanmar ၁၂၃) stay digits, folded to 0 and joined into numbers as elsewhere.
_SPACELESS_BLOCKS: tuple[tuple[int, int], ...] = (
    (0x0E00, 0x0E7F),  # Thai
    (0x0E80, 0x0EFF),  # Lao
    (0x1000, 0x109F),  # Myanmar
    (0x1780, 0x17FF),  # Khmer
    (0x3005, 0x3007),  # 々 〆 〇: iteration mark, closing mark, ideographic zero
    (0x3021, 0x3029),  # Hangzhou numerals
    (0x3031, 0x303C),  # kana repeat marks, 〻
    (0x3040, 0x30FF),  # Hiragana, Katakana (with ー)
    (0x3100, 0x312F),  # Bopomofo
    (0x31A0, 0x31BF),  # Bopomofo extended
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA9E0, 0xA9FF),  # Myanmar extended B
    (0xAA60, 0xAA7F),  # Myanmar extended A
    (0xF900, 0xFAFF),  # CJK compatibility ideographs (those NFKC keeps)
    (0x1AFF0, 0x1B16F),  # kana extended and supplement (hentaigana)
    (0x20000, 0x2FA1F),  # CJK unified ideographs extensions B-F, compatibility supplement
    (0x30000, 0x323AF),  # CJK unified ideographs extensions G, H
)


def _char_class(codes: list[int]) -> str:
    """A regex character class body matching exactly `codes` (sorted), as ranges."""
    parts, start = [], None
    for i, c in enumerate(codes):
        if start is None:
            start = c
        if i + 1 == len(codes) or codes[i + 1] != c + 1:
            parts.append(re.escape(chr(start)) + ("" if c == start else "-" + re.escape(chr(c))))
            start = None
    return "".join(parts)


def _spaceless_classes() -> tuple[str, str]:
    """(letters, marks) of the spaceless scripts as character class bodies. Letters are what
    `\\w` matches there but digits; marks are the combining marks (Thai vowels and tone marks,
    Myanmar and Khmer signs, the kana voicing marks), which `\\w` does not match."""
    letters, marks = [], []
    for lo, hi in _SPACELESS_BLOCKS:
        for code in range(lo, hi + 1):
            ch = chr(code)
            if ch.isalnum() and not ch.isdecimal():
                letters.append(code)
            elif unicodedata.category(ch).startswith("M"):
                marks.append(code)
    return _char_class(letters), _char_class(marks)


_SPACELESS_LETTERS, _SPACELESS_MARKS = _spaceless_classes()


def _joins_word(ch: str) -> bool:
    """Whether `ch` is a combining mark that stays in the word it follows: category Mn, Mc or Me
    (`\\w` matches none), but for the variation selectors (FE00-FE0F, E0100-E01EF), which choose a
    glyph (emoji or text style of ™, ❤) and separate as before: a copy without them is the same text."""
    return unicodedata.category(ch)[0] == "M" and not ("\ufe00" <= ch <= "\ufe0f" or "\U000e0100" <= ch <= "\U000e01ef")


# The marks of `_joins_word` (they lie in the BMP and the SMP): as a set, intersected with a
# text's distinct separators (one C-level operation, where a call per character cost ~1.3 us a
# document), and as a character class body
_MARK_CHARS = frozenset(chr(c) for c in range(0x20000) if _joins_word(chr(c)))
_MARKS = _char_class(sorted(map(ord, _MARK_CHARS)))


# Finding whether a text holds such a letter: the exact class (~160 ranges) costs 40-80 us on a
# 2 KB Russian, Greek or Arabic text, where the first test below costs ~1 us. No spaceless letter
# is encoded without one of these UTF-8 lead bytes (E0 Thai and Lao, E1 Myanmar and Khmer, E3-E9
# kana and the main ideographs, EA Myanmar extensions, EF compatibility ideographs, F0 the
# supplementary planes); 2-byte scripts and the quotes and dashes (E2) have none of them.
_NOT_SPACELESS_LEAD = bytes(b for b in range(256) if b not in (0xE0, 0xE1, *range(0xE3, 0xEB), 0xEF, 0xF0))
# then the blocks as ~20 ranges (~10 us where the lead bytes occur: Indic scripts, Hangul), and the
# exact class only on what falls in a block
_SPACELESS_BLOCK = re.compile("[" + "".join(f"{re.escape(chr(lo))}-{re.escape(chr(hi))}" for lo, hi in _SPACELESS_BLOCKS) + "]")
_SPACELESS = re.compile(f"[{_SPACELESS_LETTERS}]")
# A token is one letter of a spaceless script with the marks that follow it, or a run of other
# word characters with the marks inside and after them (what `_marked_words` makes a word
# elsewhere: a Tamil word next to a Chinese name is cut as in a Tamil text); marks after anything
# else separate, as `\W` characters always did.
_SPACELESS_TOKEN = re.compile(f"[{_SPACELESS_LETTERS}][{_SPACELESS_MARKS}]*|[^\\W{_SPACELESS_LETTERS}](?:[^\\W{_SPACELESS_LETTERS}]|[{_MARKS}])*")


def _has_spaceless(data: bytes, others: str) -> bool:
    """Whether a normalised text (`data`, its UTF-8; `others`, its non-ASCII characters) holds a
    letter of a spaceless script, by the cheapest test that can say no first."""
    if not data.translate(None, _NOT_SPACELESS_LEAD):
        return False
    return any(_SPACELESS.match(m.group()) for m in _SPACELESS_BLOCK.finditer(others))


def _spaceless_tokens(folded: str) -> bytes:
    """The normalised tokens of an NFKC-casefolded text holding letters of a spaceless script,
    joined by single spaces, as UTF-8: each such letter (with its marks) a token, other words
    as `_normalized_bytes` cuts them, digits folded to 0.

    Only texts with such letters come here, so every other text keeps the byte-for-byte
    tokens (and hashes, signatures, band keys) of the word path. On a text without them this
    function gives the same bytes as the word path, combining marks included (tested), so mixed
    text is cut alike."""
    joined = " ".join(_SPACELESS_TOKEN.findall(folded))
    return _DIGIT.sub("0", joined).encode("utf-8", "surrogatepass")


def _normalized_bytes(text: str) -> bytes:
    """`normalize_words(text)` encoded to UTF-8 and joined by single spaces, made without a Python
    object per word: what the shingles are cut from. A text holding a letter of a spaceless
    script is cut by `_spaceless_tokens`; every other text by `_word_bytes`, as before that
    split existed, so its shingles, hashes and band keys did not change."""
    folded = nfkc(text).casefold()
    data = folded.encode("utf-8", "surrogatepass")
    others = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    if others and _has_spaceless(data, others):  # Chinese, Japanese, Thai...: a token per letter
        return _spaceless_tokens(folded)
    return _word_bytes(data, others)


def _word_bytes(data: bytes, others: str) -> bytes:
    """The words of a normalised text (`data`, its UTF-8; `others`, its non-ASCII characters):
    `\\w+` runs with the combining marks inside and after them (`_marked_words`), digits folded
    to 0, joined by single spaces. A text without a combining mark is cut as by `\\w+` alone.

    Run over every character, the regexes `\\w+` and `\\d` took 0.2 ms of a 4 KB document. Most
    news text is ASCII but for a few quotes, dashes and accented letters, so the ASCII characters
    are folded by one `bytes.translate` on the UTF-8, and the regexes only see the other
    characters (extracted by another translate): each non-ASCII separator or digit found there
    is replaced everywhere by one `bytes.replace` (UTF-8 sequences only match whole characters).
    """
    marks: set[str] = set()
    if others:
        non_word = set(_NON_WORD.findall(others))
        # combining marks are `\\W` too, but stay in the word they follow (below)
        marks = non_word & _MARK_CHARS
        # the order of the replacements is free: each is of a different character, by ASCII
        for ch in non_word - marks:
            data = data.replace(ch.encode("utf-8", "surrogatepass"), b" ")
        for ch in set(_DIGIT.findall(others)):
            data = data.replace(ch.encode("utf-8", "surrogatepass"), b"0")
    data = data.translate(_ASCII_FOLD)
    if not marks:  # nearly every text: cut as it always was
        return b" ".join(data.split())
    return _marked_words(data, marks)


def _marked_words(data: bytes, marks: set[str]) -> bytes:
    """The words of `data` (UTF-8 where every separator is an ASCII space and `marks` are the
    combining marks it holds), with the marks inside and after them, joined by single spaces.

    Devanagari, Bengali, Tamil... write vowel signs and the virama as combining marks, Hebrew and
    Arabic their points: by `\\w+` runs, `हिन्दी` was `ह न द`, 5 such fragments spanned about two
    words, and the Jaccard of two texts was not that of their words. A space-separated run here
    is word characters and marks; the marks before its first word character follow no letter or
    digit (a mark at the start, after a space or punctuation) and separate, as every `\\W`
    character does: where there are any (rare: a typo, a mark after a symbol), they are removed
    first, by one regex over the bytes (linear however many follow one another)."""
    leads = [ch.encode("utf-8", "surrogatepass") for ch in marks]
    if data.startswith(tuple(leads)) or any(b" " + lead in data for lead in leads):
        loose = re.compile(b" (?:" + b"|".join(re.escape(lead) for lead in leads) + b")+")
        data = loose.sub(b" ", b" " + data)
    return b" ".join(data.split())


def word_path_bytes(text: str) -> bytes:
    """What `_normalized_bytes` makes of a text as if it held no letter of a spaceless script (its
    words, with their combining marks): what every text was cut into before spaceless scripts were
    cut by letter, but for those marks. For benchmarks and tests."""
    data = nfkc(text).casefold().encode("utf-8", "surrogatepass")
    return _word_bytes(data, data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass"))


def _word_grams(words: Sequence[AnyStr], ngram: int, space: AnyStr) -> list[AnyStr]:
    """Runs of `ngram` words joined by `space`, in order; fewer words give one run of all of them."""
    if ngram < 1:
        raise ValueError(f"ngram must be >= 1, got {ngram}")
    if not words:
        return []
    if len(words) <= ngram:
        return [space.join(words)]
    return [space.join(words[i : i + ngram]) for i in range(len(words) - ngram + 1)]


def shingles(text: str, ngram: int = DEFAULT_NGRAM) -> list[str]:
    """Word n-grams of the normalised text, joined by one space, in order (repeats kept).

    A text shorter than `ngram` words gives one shingle of all its words, so short texts still
    match their exact copies; an empty text gives none.
    """
    return _word_grams(normalize_words(text), ngram, " ")


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique of a 1-d array by one sort: numpy 2's hash-based np.unique took 3x longer on our
    ~600 shingle hashes (66 against 20 us)."""
    values = np.sort(values)
    if values.size < 2:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def _digest_prefixes(digests: bytes) -> np.ndarray:
    """The first 8 bytes (little-endian) of each 20-byte SHA-1 digest in `digests`, in order:
    datasketch's `sha1_hash64`. Whole digests are joined and cut here by numpy: slicing each
    digest in Python cost ~0.1 us a shingle."""
    rows = np.frombuffer(digests, dtype=np.uint8).reshape(-1, 20)[:, :8]
    return np.ascontiguousarray(rows).view("<u8").reshape(-1).astype(np.uint64)


def _first_8_bytes(digests: bytes) -> np.ndarray:
    """`_digest_prefixes` of `digests`, sorted and unique."""
    return _sorted_unique(_digest_prefixes(digests))


def _sha1_64(grams: Iterable[bytes]) -> np.ndarray:
    """Sorted, unique first 8 bytes (little-endian) of each gram's SHA-1: datasketch's `sha1_hash64`."""
    sha1 = hashlib.sha1
    return _first_8_bytes(b"".join([sha1(g).digest() for g in grams]))


def hash_shingles(grams: Sequence[str]) -> np.ndarray:
    """Sorted, unique 64-bit shingle hashes (datasketch's `sha1_hash64` of the UTF-8 bytes)."""
    return _sha1_64(g.encode("utf-8", "surrogatepass") for g in grams)


def shingle_bytes(text: str, ngram: int = DEFAULT_NGRAM) -> list[bytes]:
    """The shingles of a text as UTF-8 bytes: equal to `[g.encode() for g in shingles(text, ngram)]`.

    They are cut as slices of the normalised text's UTF-8 (`_normalized_bytes`), between the
    spaces that separate its words: no word or shingle is built as a string.
    """
    if ngram < 1:
        raise ValueError(f"ngram must be >= 1, got {ngram}")
    return cut_shingles(_normalized_bytes(text), ngram)


def cut_shingles(joined: bytes, ngram: int) -> list[bytes]:
    """Runs of `ngram` space-separated tokens of `joined` (tokens joined by single spaces), as
    slices; fewer tokens give one shingle of all of them, no tokens none."""
    starts, ends = shingle_bounds(joined, ngram)
    return [joined[a:b] for a, b in zip(starts.tolist(), ends.tolist())]


def shingle_bounds(joined: bytes, ngram: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each shingle of `joined` starts and ends (`cut_shingles`' slices), as two arrays."""
    if not joined:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    spaces = np.flatnonzero(np.frombuffer(joined, dtype=np.uint8) == ord(" "))
    if spaces.size < ngram:  # ngram words or fewer: one shingle of all of them
        return np.zeros(1, dtype=np.int64), np.full(1, len(joined), dtype=np.int64)
    # shingle i runs from the start of word i to the end of word i + ngram - 1
    return np.concatenate(([0], spaces[: spaces.size - ngram + 1] + 1)), np.concatenate((spaces[ngram - 1 :], [len(joined)]))


# Shingles cut and hashed at a time. All of a text's shingles as bytes objects, their bounds as
# Python ints and their digests took about 35 bytes of memory per character at once: 340 MB for a
# 10 MB text (read.max_document_bytes), 940 MB for 6 MB whose NFKC form is three times as long;
# in blocks, what is held is the normalised text and 8 bytes per shingle.
_HASH_BLOCK = 1 << 15


def shingle_hashes(text: str, ngram: int = DEFAULT_NGRAM) -> np.ndarray:
    """The shingle set of a text as sorted unique uint64 hashes: what the exact Jaccard uses.
    Equal to `hash_shingles(shingles(text, ngram))`, and to the hashes of `shingle_bytes(text,
    ngram)`, cut and hashed `_HASH_BLOCK` shingles at a time."""
    if ngram < 1:
        raise ValueError(f"ngram must be >= 1, got {ngram}")
    joined = _normalized_bytes(text)
    starts, ends = shingle_bounds(joined, ngram)
    if not starts.size:
        return np.empty(0, dtype=np.uint64)
    sha1 = hashlib.sha1
    blocks = []
    for lo in range(0, starts.size, _HASH_BLOCK):
        bounds = zip(starts[lo : lo + _HASH_BLOCK].tolist(), ends[lo : lo + _HASH_BLOCK].tolist())
        digests = b"".join([sha1(joined[a:b]).digest() for a, b in bounds])
        blocks.append(_digest_prefixes(digests))
    return _sorted_unique(np.concatenate(blocks))


# --- signatures ------------------------------------------------------------------------------

MAX_SEED = (1 << 32) - 1  # numpy's RandomState takes 32-bit seeds


def make_permutations(num_perm: int = DEFAULT_NUM_PERM, seed: int = DEFAULT_SEED) -> Permutations:
    """(a, b) of datasketch 2.x's "affine32" scheme: the same draws from the same RandomState.

    `seed` must be an int: RandomState(None) seeds itself from the OS, so `seed=None` (a missing
    config value) gave another signature on every call, and a bool or a float for either argument
    failed inside numpy with a message about casting rules (hostile round 32)."""
    return _permutations("make_permutations", num_perm, seed)


def _permutations(caller: str, num_perm: object, seed: object) -> Permutations:
    # the checks name the function the user called
    require_int(caller, "num_perm", num_perm, 1)
    require_int(caller, "seed", seed, 0, MAX_SEED)
    gen = np.random.RandomState(int(seed))
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


def signature_from_hashes(hashes64: np.ndarray, perms: Permutations) -> np.ndarray:
    """MinHash signature (uint32[num_perm]) of a set given as 64-bit shingle hashes."""
    a, b = perms
    sig = np.full(a.shape[0], _MAX_HASH32, dtype=np.uint32)
    if hashes64.size == 0:
        return sig
    # sha1_hash32 is the low half of sha1_hash64 (both read the digest little-endian). Two 64-bit
    # hashes may share a low half; repeats do not change a minimum, so no second np.unique.
    h32 = (hashes64 & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    mixed = _fmix32(h32)
    step = max(1, _CHUNK_CELLS // a.shape[0])
    with np.errstate(over="ignore"):  # uint32 wraparound is the intended mod 2^32
        for start in range(0, mixed.size, step):
            # a row per permutation: the minimum runs along contiguous memory, and the sum is
            # taken in place (0.110 -> 0.086 ms a document against shingles x permutations)
            block = a[:, None] * mixed[None, start : start + step]
            block += b[:, None]
            np.minimum(sig, block.min(axis=1), out=sig)
    return sig


def minhash_signature(text: str, num_perm: int = DEFAULT_NUM_PERM, ngram: int = DEFAULT_NGRAM,
                      seed: int = DEFAULT_SEED, perms: Permutations | None = None) -> np.ndarray:
    """MinHash signature of a text: equal to datasketch's `MinHash(num_perm, seed)` fed the same shingles.

    Pass `perms` (from `make_permutations`) when signing many texts, to draw them once.
    """
    require_str("minhash_signature", "text", text)
    require_int("minhash_signature", "ngram", ngram, 1)
    if perms is None:
        perms = _permutations("minhash_signature", num_perm, seed)
    elif not (isinstance(perms, tuple) and len(perms) == 2 and all(isinstance(a, np.ndarray) for a in perms)):
        raise TypeError(f"minhash_signature: `perms` must be the (a, b) arrays make_permutations returns, not {type(perms).__name__}")
    return signature_from_hashes(shingle_hashes(text, int(ngram)), perms)


# --- banding ---------------------------------------------------------------------------------

def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    """Chance that two sets of Jaccard `similarity` share at least one band: 1 - (1 - s^r)^b."""
    return 1.0 - (1.0 - similarity**rows) ** bands


def _integrate(f, a: float, b: float, steps: int = 200) -> float:
    # Midpoint rule: smooth integrands on [0, 1]; matches datasketch's scipy-free integration closely.
    h = (b - a) / steps
    return sum(f(a + (i + 0.5) * h) for i in range(steps)) * h


def optimal_bands(threshold: float, num_perm: int, fp_weight: float = 0.5, fn_weight: float = 0.5) -> tuple[int, int]:
    """datasketch's `MinHashLSH` choice: (bands, rows) minimising weighted false positive and
    negative areas around `threshold`. Tuned for LSH *without* verification."""
    best, best_err = (1, num_perm), math.inf
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = _integrate(lambda s: candidate_probability(s, b, r), 0.0, threshold)
            fn = _integrate(lambda s: 1.0 - candidate_probability(s, b, r), threshold, 1.0)
            err = fp * fp_weight + fn * fn_weight
            if err < best_err - 1e-12:
                best, best_err = (b, r), err
    return best


def recall_bands(threshold: float, num_perm: int, min_recall: float = 0.99) -> tuple[int, int]:
    """(bands, rows) for LSH *followed by exact verification*: the most rows per band (fewest
    chance candidates to verify) such that a pair exactly at `threshold` still shares a band with
    probability >= `min_recall`. 128 permutations at 0.8 give 21 x 6; 256 give 32 x 8."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if candidate_probability(threshold, bands, rows) >= min_recall:
            return bands, rows
    return num_perm, 1


def band_keys(signature: np.ndarray, bands: int, rows: int) -> list[bytes]:
    """One key per band: the band index (2 bytes) and its rows' values, big-endian. Raw bytes,
    not a hash of them, so distinct bands never collide and keys are the same on every machine."""
    if bands * rows > signature.shape[0]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} permutations, signature has {signature.shape[0]}")
    body = signature[: bands * rows].astype(">u4").reshape(bands, rows)
    return [i.to_bytes(2, "big") + body[i].tobytes() for i in range(bands)]


# --- verification ----------------------------------------------------------------------------

def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Exact Jaccard similarity of two sorted unique hash arrays (0.0 when both are empty)."""
    if a.size == 0 and b.size == 0:
        return 0.0
    if a.size > b.size:
        a, b = b, a
    if a.size == 0:
        return 0.0
    # Both sorted: binary-search the smaller set in the larger (about twice as fast as
    # np.intersect1d, which concatenates and re-sorts both).
    at = np.searchsorted(b, a)
    at[at == b.size] = 0
    inter = int(np.count_nonzero(b[at] == a))
    return inter / (a.size + b.size - inter)


def estimated_jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float:
    """Share of equal signature positions: the MinHash estimate of Jaccard similarity."""
    return float(np.count_nonzero(sig_a == sig_b)) / sig_a.shape[0]
