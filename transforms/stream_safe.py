"""Unicode normalisation in linear time, whatever the text holds (hostile round 15).

CPython's `unicodedata.normalize` puts each run of combining marks in canonical order with an
insertion sort: a run whose marks alternate between two classes (an acute above, a grave below,
U+0301 U+0316 U+0301 ...: what "zalgo" text generators write) costs the square of its length.
40,000 such marks on one letter took 1.6 s, 100,000 about 10 s, in each NFKC call; the exact-dedup
hash, the MinHash words, the boilerplate and title keys, the URL filter's host and
`urllib.parse.urlsplit` (which NFKC-normalises a non-ASCII host to check it) each made one. Four
records each holding one run of 100,000 marks (in a line, a title, a URL host), under every cap,
took the CLI 65 s instead of 6; a 2 MB record of ten such lines would hold a worker ten minutes.

Unicode's answer is the Stream-Safe Text Format (UAX #15, section 13): no run of more than 30
non-starters, a COMBINING GRAPHEME JOINER (U+034F, a starter that joins nothing and that
normalisation keeps) put after each 30th. The canonical order then sorts runs of at most 30
characters (UAX #15 counts the marks a character decomposes to; three Tibetan vowel signs
decompose to two, so a run sorted is at most 60 marks). A real text's marks come a few to a letter
(Vietnamese and Tibetan stack 3-4): no text but such runs changes, and the CGJ only ever stands in
keys and hashes (and in the `domain` of a URL whose host holds such a run), never in a text.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from urllib.parse import SplitResult, urlsplit

MAX_NON_STARTERS = 30  # UAX #15's limit for stream-safe text
CGJ = "\u034f"


def _is_non_starter(ch: str) -> bool:
    """A character of canonical combining class other than 0, or one whose compatibility
    decomposition starts with such a character (U+FF9E HALFWIDTH KATAKANA VOICED SOUND MARK is
    class 0 and becomes U+3099, class 8; three Tibetan vowel signs likewise): either lengthens
    the run the normaliser sorts."""
    if unicodedata.combining(ch):
        return True
    return bool(unicodedata.decomposition(ch)) and bool(unicodedata.combining(unicodedata.normalize("NFKD", ch)[0]))


def _ranges(codes: list[int]) -> str:
    """A regex character class body matching exactly `codes` (sorted), as ranges."""
    out, start = [], codes[0]
    for prev, cp in zip(codes, codes[1:] + [-1]):
        if cp != prev + 1:
            out.append(re.escape(chr(start)) + ("" if prev == start else "-" + re.escape(chr(prev))))
            start = cp
    return "".join(out)


@functools.cache
def _run_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(candidates, runs): runs of more than MAX_NON_STARTERS characters that are non-starters of
    the Basic Multilingual Plane or any character past it, and the runs of non-starters exactly.
    `re` tests a class of BMP characters by a bitmap but one holding ranges past the BMP range by
    range: the exact class searched 150 ms a MB of news text, the candidates 13 ms, and only a
    candidate run (a row of emoji, of marks) is searched with the exact class. Built once a
    process (0.2 s over every code point, as the Python it runs on defines them): a cache of a
    pure function."""
    codes = [cp for cp in range(sys.maxunicode + 1) if _is_non_starter(chr(cp))]
    bmp, astral = [c for c in codes if c <= 0xFFFF], [c for c in codes if c > 0xFFFF]
    more = f"{{{MAX_NON_STARTERS + 1},}}"
    return (re.compile(f"[{_ranges(bmp)}\U00010000-\U0010ffff]{more}"),
            re.compile(f"(?:[{_ranges(bmp)}]|[{_ranges(astral)}]){more}"))


def _joined(run: re.Match[str]) -> str:
    text = run.group()
    return CGJ.join(text[i : i + MAX_NON_STARTERS] for i in range(0, len(text), MAX_NON_STARTERS))


def stream_safe(text: str) -> str:
    """`text` with a CGJ after every 30th non-starter of a longer run; the text itself (the same
    object) when it has none, as every real text."""
    if text.isascii():
        return text
    candidates, runs = _run_patterns()
    if not candidates.search(text):
        return text
    return candidates.sub(lambda candidate: runs.sub(_joined, candidate.group()), text)


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, linear in the text's length: of the stream-safe text
    where the text is not in NFKC already. (A run of marks out of canonical order is not in NFKC,
    and `is_normalized` says so at the first pair out of order; the normaliser itself starts with
    the same test, so a text in NFKC, most news text, costs what it did.)"""
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", stream_safe(text))


def split_url(url: str) -> SplitResult:
    """`urlsplit` of the stream-safe URL: urlsplit checks a non-ASCII host by its NFKC form (for
    characters that become "/", "?", "#" or "@"), which took the square of a run of marks in it.
    A URL with such a run (no real host has one: a DNS label is at most 63 characters) is split
    with its CGJs, so the host keeps its other labels (a list naming the domain above still
    matches it); every other URL is split as written.
    Raises ValueError where urlsplit does.

    A URL written without its scheme whose first segment is a host (`example.com/path`,
    `www.example.com/a`, `news.example.com:8080/x`, `127.0.0.1/x`), as an address bar and a hand-made
    export take it, is split as `//` and it: urlsplit gave such a URL no host (or the host as its
    scheme, with a port), so a block list let `example.com/path` through while blocking
    `https://example.com/path`, an allow list rejected it "no url", and its `domain` was empty
    (hostile round 28). A relative link (`/x`, `../x`, `page/2`, `index.html`) has no host still."""
    url = stream_safe(url)
    if not url.startswith("//") and _BARE_HOST.match(url) and not _PAGE_NAME.match(url):
        return urlsplit("//" + url.lstrip())
    if special := _SPECIAL_SLASHES.match(url):
        # `http:example.com/a`, `https:/example.com/b`, `https:///example.com/c`, `https:\\example.com`:
        # a browser reads the host after any run of slashes and backslashes that follows a special
        # scheme (WHATWG URL, "special authority ignore slashes state"); urlsplit read none, so a
        # block list let them through and their domain column was empty (hostile round 31)
        return urlsplit(f"{special.group(1)}://{url[special.end():]}")
    return urlsplit(url)


# A special scheme (WHATWG URL: those whose URLs always have a host; `file:` aside), then a run of
# slashes and backslashes other than the two slashes urlsplit reads a host after
_SPECIAL_SLASHES = re.compile(r"\s*((?i:https?|wss?|ftp)):(?!//(?![/\\]))[/\\]*")


# A host at the start of a URL without a scheme: dotted labels whose last is no number (a name),
# four dotted numbers (IPv4) or a bracketed IPv6 address; then a port, and the path, query,
# fragment or the end. No ':' or '@' inside, so `mailto:a@b.c`, `javascript:x` and `urn:a:b` are
# not hosts; nor is anything with `://` in its first segment.
_LABEL = r"[^\s/?#\\@:.\[\]]+"
_BARE_HOST = re.compile(
    rf"\s*(?:(?:{_LABEL}\.)+(?![0-9]+\.?(?:[:/?#\\]|\s*$)){_LABEL}\.?|\d{{1,3}}(?:\.\d{{1,3}}){{3}}|\[[0-9A-Fa-f:.]+\])"
    r"(?::\d{1,5})?(?:[/?#\\]|\s*$)"
)
# A file name of a page (a relative link): none of these is a top-level domain.
_PAGE_NAME = re.compile(r"\s*[^/?#\\]*\.(?:s?html?|php\d?|aspx?|jsp|cgi|pl|xml|json|txt|pdf)(?:[/?#\\]|\s*$)", re.I)
