"""jusText's context-sensitive paragraph classification and its paragraph maker in linear time,
for trafilatura.

trafilatura falls back on jusText when its own extraction looks short or unclean, and jusText's
`revise_paragraph_classification` looks, for each short or near-good paragraph, for the nearest
good or bad one before and after it, one paragraph at a time. On a page of many short
paragraphs in a row (the cells of a big table, a list of links, a page of `<br>`-parted lines)
every look runs to the ends of the page: the square of its paragraphs. A 256 KB page of small
tables took 25 s, past `extract.timeout_s`, and was rejected as `extraction_timeout` (hostile
round 13, docs/reading.md).

`revise_paragraph_classification` below gives every paragraph the class jusText 3.0's gives it
(tests/unit/test_extract_justext.py compares the two on random pages), with each nearest
neighbour found once, in a pass over the page, and each heading's search bounded by a prefix
sum of paragraph lengths. `install` puts it where trafilatura calls it.

jusText's paragraph maker gives each paragraph the path of tags above it (`dom_path`,
"html.body.div.div...", and `xpath`, "/html[1]/body[1]/div[1]..."), joined afresh from the list of
open tags each time a paragraph starts: the depth of the tree for every paragraph, element by
element in Python. 450 two-word paragraphs under 2,000 unclosed `<div>`s spent 3.8 s of their 7 s
of extraction joining paths (hostile round 14). `LinearPathInfo` keeps the path of each open
element as it is opened, so a paragraph takes the strings as they stand: the same strings.
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Sequence

GOOD, BAD, NEARGOOD, SHORT = "good", "bad", "neargood", "short"
GOOD_OR_BAD = (GOOD, BAD)
GOOD_BAD_OR_NEARGOOD = (GOOD, BAD, NEARGOOD)


def _nearest(classes: Sequence[str], wanted: tuple[str, ...], step: int) -> list[str]:
    """For each position, the class of the nearest other position before it (`step` 1) or after
    it (`step` -1) whose class is in `wanted`; 'bad' where there is none (as jusText)."""
    n = len(classes)
    out = [BAD] * n
    last = BAD
    order = range(n) if step == 1 else range(n - 1, -1, -1)
    for i in order:
        out[i] = last
        if classes[i] in wanted:
            last = classes[i]
    return out


def _heading_finds_good(classes: Sequence[str], lengths: Sequence[int], max_distance: int) -> list[bool]:
    """For each position i: whether jusText's heading search from i (positions i+1, i+2, ... while
    the lengths of the paragraphs passed over add up to at most `max_distance`) meets a paragraph
    of class 'good'. The first good paragraph after i is met when the ones between add up to at
    most the distance, since the sum only grows."""
    n = len(classes)
    prefix = [0] * (n + 1)
    for i, length in enumerate(lengths):
        prefix[i + 1] = prefix[i] + length
    out = [False] * n
    next_good = n  # the first good position after i
    for i in range(n - 1, -1, -1):
        out[i] = next_good < n and prefix[next_good] - prefix[i + 1] <= max_distance
        if classes[i] == GOOD:
            next_good = i
    return out


def revise_paragraph_classification(paragraphs, max_heading_distance: int = 200) -> None:
    """jusText's context-sensitive classification (`justext.core.revise_paragraph_classification`)
    of `paragraphs`, which `classify_paragraphs` has classified (`cf_class`), in linear time."""
    if not paragraphs:
        return
    lengths = [len(p.text) for p in paragraphs]

    # good headings: jusText copies each paragraph's class as it goes, so a heading's search reads
    # the classes the paragraphs after it had before this pass
    finds = _heading_finds_good([p.class_type for p in paragraphs], lengths, max_heading_distance)
    for i, p in enumerate(paragraphs):
        p.class_type = p.cf_class
        if p.heading and p.class_type == SHORT and finds[i]:
            p.class_type = NEARGOOD

    # classify short: every short paragraph by its neighbours as they stood (applied after)
    classes = [p.class_type for p in paragraphs]
    prev_gb, next_gb = _nearest(classes, GOOD_OR_BAD, 1), _nearest(classes, GOOD_OR_BAD, -1)
    prev_any, next_any = _nearest(classes, GOOD_BAD_OR_NEARGOOD, 1), _nearest(classes, GOOD_BAD_OR_NEARGOOD, -1)
    for i, p in enumerate(paragraphs):
        if classes[i] != SHORT:
            continue
        if prev_gb[i] == GOOD and next_gb[i] == GOOD:
            p.class_type = GOOD
        elif prev_gb[i] == BAD and next_gb[i] == BAD:
            p.class_type = BAD
        elif (prev_gb[i] == BAD and prev_any[i] == NEARGOOD) or (next_gb[i] == BAD and next_any[i] == NEARGOOD):
            p.class_type = GOOD
        else:
            p.class_type = BAD

    # revise neargood, in place: a paragraph sees the ones before it as this pass left them and
    # the ones after it as they were
    classes = [p.class_type for p in paragraphs]
    next_gb = _nearest(classes, GOOD_OR_BAD, -1)
    prev = BAD
    for i, p in enumerate(paragraphs):
        if p.class_type == NEARGOOD:
            p.class_type = BAD if (prev, next_gb[i]) == (BAD, BAD) else GOOD
        if p.class_type in GOOD_OR_BAD:
            prev = p.class_type

    # more good headings: a search reads the paragraphs after the heading, which this pass has
    # not changed yet
    finds = _heading_finds_good([p.class_type for p in paragraphs], lengths, max_heading_distance)
    for i, p in enumerate(paragraphs):
        if p.heading and p.class_type == BAD and p.cf_class != BAD and finds[i]:
            p.class_type = GOOD


# The jusText releases whose revision this one reproduces (the tests compare the two): over
# another release trafilatura keeps jusText's own, slow but whatever that release decides.
VERIFIED_RELEASES = ("3.0.",)


@functools.cache
def _verified_release() -> bool:
    try:
        version = importlib.metadata.version("jusText")
    except importlib.metadata.PackageNotFoundError:
        return False
    return version.startswith(VERIFIED_RELEASES)


class LinearPathInfo:
    """`justext.core.PathInfo` (the open tags, each with its order among its siblings of that tag),
    holding the `dom` and `xpath` strings of every open element instead of joining them on each
    read: a read is constant, an element costs one copy of its parent's strings (in C)."""

    def __init__(self):
        self._elements: list[tuple[str, int, dict[str, int]]] = []  # (tag, order, its children's counts)
        self._doms: list[str] = []
        self._xpaths: list[str] = []

    @property
    def dom(self) -> str:
        return self._doms[-1] if self._doms else ""

    @property
    def xpath(self) -> str:
        return self._xpaths[-1] if self._xpaths else "/"

    def append(self, tag_name: str) -> "LinearPathInfo":
        children = self._elements[-1][2] if self._elements else {}
        order = children.get(tag_name, 0) + 1
        children[tag_name] = order
        self._elements.append((tag_name, order, {}))
        self._doms.append(f"{self._doms[-1]}.{tag_name}" if self._doms else tag_name)
        self._xpaths.append(f"{self._xpaths[-1] if self._xpaths else ''}/{tag_name}[{order}]")
        return self

    def pop(self) -> "LinearPathInfo":
        self._elements.pop()
        self._doms.pop()
        self._xpaths.pop()
        return self


@functools.cache
def _linear_paragraph_maker():
    """jusText's `ParagraphMaker` with `LinearPathInfo` as its path (made on first use: jusText is
    imported with trafilatura)."""
    from justext.core import ParagraphMaker

    class LinearParagraphMaker(ParagraphMaker):
        def __init__(self):
            super().__init__()  # an empty path and paragraph: nothing joined yet
            self.path = LinearPathInfo()
            self.paragraph = None
            self._start_new_pragraph()  # jusText's spelling

    return LinearParagraphMaker


def install() -> bool:
    """Make trafilatura's jusText fallback use `revise_paragraph_classification` and
    `LinearPathInfo` (idempotent), when the installed jusText is one it reproduces and trafilatura
    calls both by those names; whether they are in place. It replaces two names in
    `trafilatura.external` for the whole process, so a caller's own trafilatura calls get the same
    paragraphs and classes, found faster."""
    import trafilatura.external

    names = ("revise_paragraph_classification", "ParagraphMaker")
    if not (_verified_release() and all(hasattr(trafilatura.external, name) for name in names)):
        return False
    trafilatura.external.revise_paragraph_classification = revise_paragraph_classification
    trafilatura.external.ParagraphMaker = _linear_paragraph_maker()
    return True
