"""Main-text extraction from HTML with trafilatura, bounded in size and time per page.

Documents that arrive with `html` (HTML files, WARC responses, JSONL/Parquet records with an html
field) get their article text, title and metadata from trafilatura; the page itself is dropped
afterwards so it never travels further down the pipeline. Documents without `html` (text input)
pass through untouched.

Two guards keep one bad page from hurting the run:
- size: a page over `extract.max_html_chars` is rejected before it is parsed (lxml's memory and
  trafilatura's time grow with the tree);
- time: trafilatura has no timeout and pure-Python loops cannot be interrupted from another
  thread, so with `extract.isolation: subprocess` each page is extracted in a child process that
  the worker owns (started in `DoFn.setup()`); a page over `extract.timeout_s` gets the child
  killed and restarted, and the document is rejected as `extraction_timeout`. A thread with a
  timeout would only stop *waiting*: the runaway thread keeps its core and memory for good.
  Beam's `with_exception_handling(timeout=..., use_subprocess=True)` does kill its pool, but it
  sends the element to the dead letters (a `failed` record, not a rejection with a reason), forks
  a process that runs Beam's threads, and sleeps a second per kill; our own child is spawned
  clean (from a fork server), keeps the reason, and only carries the page text across a pipe.

trafilatura's `deduplicate` is never used: it keeps a per-process cache, so a page's output would
depend on which pages the same worker saw before it. Comments are excluded, but for
`extract.thread_max_chars` (a short opening post: the recall call reads the comment area too).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import re
import string
import sys
from collections.abc import Callable
from dataclasses import dataclass

import apache_beam as beam

from transforms.extract_depth import shorten_wrapper_runs
from transforms.extract_justext import install as install_linear_justext
from transforms.records import (
    URL_USERINFO_REMOVED,
    Document,
    Reason,
    Rejection,
    domain_of,
    without_userinfo,
)
from transforms.routing import DecideFn, StageOutputs, apply_decisions

STAGE = "extract"
SUBPROCESS, INLINE = "subprocess", "inline"


@dataclass(frozen=True)
class ExtractConfig:
    # trafilatura switches, chosen by measurement (benchmarks/extraction.py, docs/extraction.md)
    favor_precision: bool = False
    favor_recall: bool = False
    include_tables: bool = True
    # trafilatura's own recall mode as a second opinion: when it finds at least this many times
    # the text of the first call, its text is taken (the document is flagged extracted_favor_recall).
    # The first call keeps out whole sections (a product's specs, a listing's entries, a doc page's
    # second half) on pages whose layout it misreads; the ratio was chosen on all three benchmark
    # sets (docs/extraction.md): flat between 1.2 and 1.5. 0 switches it off (one call per page).
    recall_fallback: float = 1.3
    # A forum thread: when the first call's text is shorter than this many characters (a short
    # opening post), the recall call also reads the page's comment area, where the replies are
    # (measured in docs/extraction.md: it moves WCXB's forum pages only). 0: never.
    thread_max_chars: int = 1000
    # The page's headline (<h1>) opens trafilatura's text; it is also the `title` field. Off: the
    # copy at the top of the text is dropped (both benchmarks' ground truth is the body without it).
    title_in_text: bool = True
    # Sizes and time: a news page is ~50-500 kB of HTML; Common Crawl truncates records at 1 MiB.
    # larger pages are rejected as document_too_large, unparsed. As large as read.max_document_bytes
    # by default (a page has no more characters than bytes), so a page the reader passed is not
    # turned away here: WCXB's 5.3 MB product page 0588 takes trafilatura under a second.
    max_html_chars: int = 10_000_000
    # Memory is bounded by the page's tags, not its characters: lxml's tree and trafilatura's copies
    # of it take about 1 kB a tag, so a 9.9 MB page of `<p>x` (2.5 million tags, under
    # max_html_chars) took the extraction child to 2.2 GB before timeout_s ran out (hostile round
    # 23). A page with more start tags is rejected as document_too_large, unparsed: an article page
    # has a few thousand, and 100,000 sibling paragraphs already outlast timeout_s.
    max_html_tags: int = 200_000
    timeout_s: float = 20.0  # per page; trafilatura takes ~10-100 ms on a normal page
    isolation: str = SUBPROCESS  # subprocess (timeout enforced) | inline (no timeout; tests, trusted input)

    def __post_init__(self) -> None:
        if self.isolation not in (SUBPROCESS, INLINE):
            raise ValueError(f"extract.isolation must be {SUBPROCESS} or {INLINE}, not {self.isolation!r}")
        if self.favor_precision and self.favor_recall:
            raise ValueError("extract.favor_precision and extract.favor_recall exclude each other")
        if self.recall_fallback and self.recall_fallback < 1.0:
            raise ValueError("extract.recall_fallback must be 0 (off) or at least 1.0")
        if self.thread_max_chars < 0:
            raise ValueError("extract.thread_max_chars must be 0 (off) or a number of characters")
        if self.timeout_s <= 0 or self.max_html_chars <= 0 or self.max_html_tags <= 0:
            raise ValueError("extract.timeout_s, extract.max_html_chars and extract.max_html_tags must be positive")


@dataclass(frozen=True)
class ExtractResult:
    """What trafilatura found on one page; empty strings where it found nothing."""

    text: str
    title: str = ""
    author: str = ""
    published: str = ""
    sitename: str = ""
    url: str = ""
    via: str = ""  # "favor_recall" when the text came from the recall fallback (extract.recall_fallback)


class ExtractionFailed(Exception):
    """The page could not be parsed into an HTML tree."""


class ExtractionTimeout(Exception):
    """The page took longer than extract.timeout_s."""


class PageTooLarge(ExtractionFailed):
    """The page parsed, but trafilatura would build past extract.max_html_tags elements from it
    (its tables' rows padded to their widest): rejected document_too_large, not extracted."""


# --- pure functions ----------------------------------------------------------------------------

# A tag that only HTML (or XHTML) has, near the top of the page.
_HTML_TAG = re.compile(
    rb"<\s*(?:!doctype\s+html|html|head|body|meta|title|div|p|article|main|section|span|table|br)\b",
    re.IGNORECASE,
)
# What a real page may open with before its first such tag, of any length: whitespace, comments
# (a licence, a build stamp), an XML declaration or processing instruction, and whole script,
# style, noscript and template elements (tag managers, inlined CSS). Skipped, not counted in the
# window: a page that opens with 10 kB of inlined script is still a page trafilatura reads.
_PROLOGUE = re.compile(
    rb"\s*(?:<!--.*?-->|<\?.*?\?>|<(script|style|noscript|template)\b.*?</\1\s*>)",
    re.IGNORECASE | re.DOTALL,
)


def looks_like_html(page: str | bytes, window: int = 4096) -> bool:
    """An HTML tag within the first `window` characters after any leading whitespace, BOM,
    comments, processing instructions and script/style/noscript/template elements."""
    head = page[: window * 4] if isinstance(page, bytes) else page[: window * 4].encode("utf-8", "replace")
    if _HTML_TAG.search(head.lstrip()[:window]):
        return True
    data = page if isinstance(page, bytes) else page.encode("utf-8", "replace")
    data = data.removeprefix(b"\xef\xbb\xbf")
    at = 0
    while (m := _PROLOGUE.match(data, at)) and m.end() > at:
        at = m.end()
    return _HTML_TAG.search(data[at : at + window * 4].lstrip()[:window]) is not None


# Elements whose content libxml2 keeps as one string of raw text, markup and all, as HTML5 parses
# them: an iframe's content (HTML4's fallback, "<p>Your browser does not support iframes</p>"),
# the text a frameset page offers clients without frames, the fallback of an embed. The scan steps
# over comments and the other raw-text elements (script, style, ...), where a "<iframe" is text.
_RAW_TEXT = ("iframe", "noframes", "noembed")
_RAW_SCAN = re.compile(r"<!--|<(iframe|noframes|noembed|script|style|textarea|xmp|title)\b[^<>]*>", re.IGNORECASE)
_RAW_END = {tag: re.compile(rf"</{tag}(?:[\s/][^<>]*)?>", re.IGNORECASE)
            for tag in ("iframe", "noframes", "noembed", "script", "style", "textarea", "xmp", "title")}
_RAW_END["--"] = re.compile(r"-->")


def raw_text_as_markup(html: str) -> str:
    """`html` with the content of iframe, noframes and noembed elements as markup, not raw text.

    libxml2 reads such an element's content as one string, tags included; when the page's text was
    there (a frameset page's noframes, which is all a search engine or a text browser reads of
    it), trafilatura took the string as text, and "<p>...</p>" reached clean. A noframes or noembed
    element becomes a div, so its content is parsed as the markup it is; an iframe's content is
    dropped, as HTML5 browsers never show it (its content model is nothing), and an iframe without
    an end tag ends at its start tag (the page after it was raw text to its end). Linear: an end
    tag not found from one place is not looked for again."""
    if not re.search(r"<(?:iframe|noframes|noembed)\b", html, re.IGNORECASE):
        return html
    out, pos, unended = [], 0, set()
    while found := _RAW_SCAN.search(html, pos):
        tag = (found.group(1) or "--").lower()
        end = None if tag in unended else _RAW_END[tag].search(html, found.end())
        if end is None:
            unended.add(tag)
        if tag not in _RAW_TEXT:  # a comment, a script: read past it as libxml2 does; unended, it is the rest
            if end is None:
                break
            out.append(html[pos : end.end()])
            pos = end.end()
            continue
        out.append(html[pos : found.start()])
        if tag == "iframe":
            out.append(f"{found.group(0)}</iframe>")
        elif end is None:
            out.append("<div>")
        else:  # its content may hold an iframe: at most three deep, each a tag of another kind
            out.append(f"<div>{raw_text_as_markup(html[found.end() : end.start()])}</div>")
        pos = found.end() if end is None else end.end()
    out.append(html[pos:])
    return "".join(out)


def extract_page(html: str, url: str, cfg: ExtractConfig = ExtractConfig()) -> ExtractResult | None:
    """trafilatura on one page: the main text (paragraphs on their own lines) and its metadata.

    Returns None when the page holds no main text; raises ExtractionFailed when it is not
    parseable HTML, PageTooLarge when trafilatura would build too large a tree from it.
    """
    html = raw_text_as_markup(html)
    tree = load_page(html)
    if tree is None and looks_like_html(html):
        # a fragment (a CMS export's body HTML: "<p>...</p>", "<body>...</body>") parses to a tree
        # too small for trafilatura, which reads the same markup as a whole page
        html = f"<html><body>{html}</body></html>"
        tree = load_page(html)
    if tree is None:
        raise ExtractionFailed("trafilatura could not parse the page into an HTML tree")
    if cfg.include_tables and (made := elements_with_table_cells(tree)) > cfg.max_html_tags:
        raise PageTooLarge(f"{made} elements with the table cells trafilatura makes > extract.max_html_tags="
                           f"{cfg.max_html_tags} (it pads each table row to the widest, up to {TABLE_MAX_SPAN} columns)")
    try:
        found = _bare_extraction(tree, url, cfg, cfg.favor_precision, cfg.favor_recall)
        text = (found.text or "").strip() if found is not None else ""
        via = ""
        if cfg.recall_fallback and not cfg.favor_recall:
            # a fresh tree: trafilatura prunes the tree it is given
            wide = _bare_extraction(load_page(html), url, cfg, False, True, len(text) < cfg.thread_max_chars)
            wide_text = (wide.text or "").strip() if wide is not None else ""
            if prefer_wide(text, wide_text, cfg.recall_fallback):
                text, via, found = (
                    wide_text,
                    "favor_recall",
                    found if found is not None else wide,
                )
    except RecursionError:
        raise ExtractionFailed(f"the page nests elements deeper than trafilatura's recursion reaches (Python's limit "
                               f"{sys.getrecursionlimit():,}; the extraction child's: {EXTRACT_RECURSION_LIMIT:,})") from None
    if found is None or not text:
        return None
    return ExtractResult(
        text=text,
        title=found.title or "",
        author=found.author or "",
        published=found.date or "",
        sitename=found.sitename or "",
        url=found.url or "",
        via=via,
    )


_HUGE_PARSER = None  # lxml's HTML parser as trafilatura's, with huge_tree: made on first use


def load_page(html: str):
    """trafilatura's `load_html`, but a page nested deeper than libxml2's 256 levels is parsed again
    with `huge_tree` (2,048 levels).

    libxml2 stops building the tree at depth 256 and drops what lies below: a page with a few
    hundred unclosed `<font>` or `<div>` tags before its article (old CMS templates, forum
    software) came out as an empty tree, rejected as extraction_empty "trafilatura found no main
    text". A page nested deeper than 2,048 levels raises ExtractionFailed saying so. In a page
    parsed with `huge_tree`, runs of identical empty wrappers are shortened (`extract_depth`):
    trafilatura's work grows with the depth above each paragraph."""
    from trafilatura.utils import HTML_PARSER, load_html

    tree = load_html(html)
    if tree is None or not _too_deep(HTML_PARSER):
        return tree
    global _HUGE_PARSER
    if _HUGE_PARSER is None:
        from lxml.html import HTMLParser

        _HUGE_PARSER = HTMLParser(collect_ids=False, default_doctype=False, encoding="utf-8", remove_comments=True,
                                  remove_pis=True, huge_tree=True)
    from lxml.html import fromstring

    try:
        tree = fromstring(html, parser=_HUGE_PARSER)
    except ValueError:  # a str with an XML encoding declaration: lxml takes it as bytes only
        tree = fromstring(html.encode("utf-8", "surrogatepass"), parser=_HUGE_PARSER)
    if _too_deep(_HUGE_PARSER):
        raise ExtractionFailed("the page nests elements more than 2,048 levels deep (lxml's limit): "
                               "what lies below could not be read")
    shorten_wrapper_runs(tree)
    return tree


def _too_deep(parser) -> bool:
    """The parser's last parse stopped at its depth limit."""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" and "depth" in e.message for e in parser.error_log)


def prefer_wide(text: str, wide_text: str, ratio: float) -> bool:
    """Whether the recall call's text replaces the first call's: it is longer, and at least
    `ratio` times as long (any text beats none)."""
    return len(wide_text) > len(text) and len(wide_text) >= ratio * len(text)


def _bare_extraction(
    tree,
    url: str,
    cfg: ExtractConfig,
    favor_precision: bool,
    favor_recall: bool,
    comments: bool = False,
):
    from trafilatura import bare_extraction

    install_linear_justext()  # its fallback's own revision is quadratic in a page's paragraphs
    # comments=True keeps the comment area in the tree the main text is chosen from; trafilatura's
    # separate `comments` text is never used
    return bare_extraction(
        tree,
        url=url or None,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        include_comments=comments,
        include_tables=cfg.include_tables,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,  # per-process state: see the module docstring
        with_metadata=True,
    )


def _fold(line: str) -> str:
    return " ".join(line.casefold().split()).strip(" .:|-–—")


def drop_leading_title(text: str, titles: tuple[str, ...]) -> str:
    """`text` without its first line when that line is one of `titles` (case and spacing folded)."""
    first, _, rest = text.lstrip("\n").partition("\n")
    keys = {_fold(t) for t in titles if t and t.strip()}
    return rest.strip("\n") if _fold(first) in keys else text


def start_tags_past(page: str, limit: int) -> int | None:
    """The number of start tags (`<` and a letter) in `page` when it is more than `limit`, else None.
    Its `<`s are counted first (one scan; a page of fewer has fewer tags), a letter's tags only past
    that: no list of matches is made, a page of millions of tags costs a few scans, not a regex's
    match objects."""
    if page.count("<") <= limit:
        return None
    tags = sum(page.count("<" + letter) for letter in string.ascii_letters)
    return tags if tags > limit else None


# trafilatura's handle_table pads every row of a table to the table's widest row (colspans counted,
# each up to 100 columns) with new empty cells, and its text conversion visits each of them: the tags
# of a page understate the tree it builds. A 623 kB page of one table of 20,000 rows
# `<tr><td colspan=100>x` (40,000 start tags, under max_html_tags) made 4 million cells over its two
# calls, 18.5 s and 744 MB in extract_page, and 6 MB of text of empty cells; one of 1.5 MB had the
# child past 1.8 GB when timeout_s ran out (hostile round 30). So the cells it will make count as
# elements against extract.max_html_tags, as the page's own do.
TABLE_MAX_SPAN = 100  # trafilatura's cap on a colspan and on a table's columns (_MAX_SPAN)
_TABLE_SECTIONS = ("thead", "tbody", "tfoot")  # handle_table strips them: their rows are the table's


def _span(cell) -> int:
    value = cell.get("colspan", "1")
    return min(int(value), TABLE_MAX_SPAN) if value.isdecimal() else 1  # as trafilatura reads it


def elements_with_table_cells(tree) -> int:
    """The elements of `tree` and the cells trafilatura's handle_table makes for its tables: each
    row (and the one it starts with) as wide as the table's widest row, at most TABLE_MAX_SPAN; the
    original cells stay in the tree beside the new ones. An upper bound: trafilatura converts only
    the tables in the part of the page it keeps."""
    made = 0
    for table in tree.iter("table"):
        rows = [row for child in table for row in ((child,) if child.tag == "tr" else
                                                   child if child.tag in _TABLE_SECTIONS else ()) if row.tag == "tr"]
        if rows:
            widest = max(sum(_span(cell) for cell in row if cell.tag in ("td", "th")) for row in rows)
            made += (len(rows) + 1) * min(widest, TABLE_MAX_SPAN)
    return made + sum(1 for _ in tree.iter())


# Attributes in one start tag past which a page is rejected unparsed. libxml2 checks each attribute
# of a tag against all before it (duplicates), and trafilatura's passes over the tree are slow in
# them too: one `<div>` of 50,000 distinct attributes (a 341 kB page) took extract_page 26 s, of a
# million (10 MB) over 10 minutes (hostile round 24), so with extract.isolation=inline a run never
# ended. A real tag has tens; 1,000 of them take 30 ms.
MAX_TAG_ATTRIBUTES = 1000
# a start tag as libxml2 reads it: a quoted value (after `=`) may hold `>` and `<`; any other quote
# is a character like the rest. Possessive: re kept a backtracking state per step, 294 MB for a
# 10 MB tag, where nothing is ever given back.
_START_TAG = re.compile(r"""<[A-Za-z](?:[^>="']++|=\s*+"[^"]*+"|=\s*+'[^']*+'|[="'])*+""")
_QUOTED_VALUE = re.compile(r"""=\s*(?:"[^"]*"|'[^']*')""")
# an attribute: a name, and `=` with an unquoted value or none (quoted ones are removed first)
_ATTRIBUTE = re.compile(r"[^\s/=>]+(?:\s*=\s*[^\s>]*)?")
# where a script or a style opens or closes: libxml2 reads no tag inside them
_RAW_TEXT_EDGE = re.compile(r"<(/?)(?:script|style)\b", re.IGNORECASE)


def attributes_past(page: str, limit: int = MAX_TAG_ATTRIBUTES) -> int | None:
    """The number of attributes of the first start tag in `page` with more than `limit`, else None.
    Only a tag longer than `limit` characters can have that many (each has a name) and is counted;
    one inside a script or a style (`if (i<n) ...` there is no tag) is not. Counted one match at a
    time: a list of a million attributes took 358 MB."""
    for tag in _START_TAG.finditer(page):
        if tag.end() - tag.start() <= limit:
            continue
        count = sum(1 for _ in _ATTRIBUTE.finditer(_QUOTED_VALUE.sub('=""', tag.group()))) - 1  # the tag's name is not one
        if count <= limit:
            continue
        edge = None
        for edge in _RAW_TEXT_EDGE.finditer(page, 0, tag.start()):  # the last before the tag: an opening one holds it
            pass
        if edge is not None and not edge.group(1):
            continue
        return count
    return None


Extractor = Callable[[str, str], "ExtractResult | None"]
NO_MARKUP = "no HTML tag near the top of the page, and no text trafilatura could read"


def extract_document(doc: Document, cfg: ExtractConfig, run: Extractor | None = None) -> Document | Rejection:
    """The extract stage's decision: text and metadata from `doc.html`, or why there are none.

    `run(html, url)` does the extraction (default: `extract_page` in this process); it may raise
    ExtractionFailed or ExtractionTimeout, which become rejections. Any other exception is a crash
    and goes to `failed` through the stage's routing.
    """
    if not doc.html:
        return doc
    page = doc.html
    light = doc.with_(html="")  # rejected records never carry the page along
    if len(page) > cfg.max_html_chars:
        return Rejection.of(
            light,
            Reason.DOCUMENT_TOO_LARGE,
            f"{len(page)} chars > extract.max_html_chars={cfg.max_html_chars}",
            STAGE,
        )
    if (tags := start_tags_past(page, cfg.max_html_tags)) is not None:
        return Rejection.of(light, Reason.DOCUMENT_TOO_LARGE, f"{tags} tags > extract.max_html_tags={cfg.max_html_tags}", STAGE)
    if (attributes := attributes_past(page)) is not None:
        return Rejection.of(light, Reason.DOCUMENT_TOO_LARGE,
                            f"a tag with {attributes} attributes > {MAX_TAG_ATTRIBUTES} (parsing takes time in their square)", STAGE)
    if not page.strip():
        return Rejection.of(light, Reason.EXTRACTION_EMPTY, "blank page", STAGE)
    # The "no HTML tag near the top" test only names the reason a page gives no text: it never
    # rejects a page by itself, so a page trafilatura can read (one opening with an SVG sprite, a
    # tag the test does not know) is never lost to it. A PDF or a plain sentence gives no text.
    markup = looks_like_html(page)
    try:
        result = run(page, doc.url) if run is not None else extract_page(page, doc.url, cfg)
    except ExtractionTimeout as exc:
        return Rejection.of(light, Reason.EXTRACTION_TIMEOUT, str(exc), STAGE)
    except PageTooLarge as exc:
        return Rejection.of(light, Reason.DOCUMENT_TOO_LARGE, str(exc), STAGE)
    except ExtractionFailed as exc:
        if not markup:
            return Rejection.of(light, Reason.NOT_HTML, NO_MARKUP, STAGE)
        return Rejection.of(light, Reason.EXTRACTION_FAILED, str(exc), STAGE)
    if result is None:
        if not markup:
            return Rejection.of(light, Reason.NOT_HTML, NO_MARKUP, STAGE)
        return Rejection.of(light, Reason.EXTRACTION_EMPTY, "trafilatura found no main text", STAGE)
    title = doc.title or result.title
    body = drop_leading_title(result.text, (title, result.title))
    # One convention for every format: the headline, when known, is the text's first line (as in
    # a text or JSONL record that carries it), once, whether or not trafilatura kept it in the body.
    # A page whose whole text is its headline (a link post, a one-line notice) keeps it as its
    # text: a page trafilatura reads is not turned away here (the quality stage judges its length).
    if not body:
        text = result.text
    else:
        text = f"{title.strip()}\n{body}" if cfg.title_in_text and title.strip() else body
    # a page's own URL (canonical, og:url) when the record had none: without its credentials too
    url, had_userinfo = without_userinfo(doc.url or result.url)
    return light.with_(
        text=text,
        title=title,
        author=doc.author or result.author,
        published=doc.published or result.published,
        sitename=doc.sitename or result.sitename,
        url=url,
        domain=doc.domain or domain_of(url),
        chars_in=len(text),
        # "extracted": cleaning skips what trafilatura already did (clean.EXTRACTED); the second
        # records which trafilatura call gave the text
        flags=(
            *doc.flags,
            *((URL_USERINFO_REMOVED,) if had_userinfo and URL_USERINFO_REMOVED not in doc.flags else ()),
            "extracted",
            *((f"extracted_{result.via}",) if result.via else ()),
        ),
    )


# --- the child process that enforces the time limit -------------------------------------------


# trafilatura walks lists (handle_lists and process_nested_elements call each other) and writes its
# text (process_element) recursively, a few frames a level: a list nested 500 deep (a 14 kB page; a
# menu whose `<ul><li>` are never closed) ran out of Python's 1,000 frames, and the page went to
# failed as "ExtractionCrashed: RecursionError" (hostile round 30). load_page reads pages to 2,048
# levels, which trafilatura walks in under 3,000 frames (measured); the child, which runs nothing
# else and whose crash costs one page, allows four a level. A worker extracting inline keeps
# Python's limit, and such a page is rejected extraction_failed, saying so.
EXTRACT_RECURSION_LIMIT = 4 * 2048 + 1000


def _serve(conn: multiprocessing.connection.Connection, cfg: ExtractConfig) -> None:
    """Child loop: ("ready",) once, then (html, url) in, ("ok", result) / ("too_large", message) /
    ("failed", message) / ("error", type, message) out."""
    import trafilatura  # noqa: F401  (imported before "ready", so the first page's clock is fair)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), EXTRACT_RECURSION_LIMIT))

    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        html, url = job
        try:
            conn.send(("ok", extract_page(html, url, cfg)))
        except PageTooLarge as exc:
            conn.send(("too_large", str(exc)))
        except ExtractionFailed as exc:
            conn.send(("failed", str(exc)))
        except Exception as exc:  # reported to the parent, which raises it: the record goes to failed
            conn.send(("error", type(exc).__name__, str(exc)[:2000]))


class ExtractionCrashed(RuntimeError):
    """The extraction child raised, or died (out of memory, a crash in lxml)."""


class IsolatedExtractor:
    """Runs `extract_page` in one child process; a page over the time limit gets the child killed.

    One instance per DoFn (built in setup(), closed in teardown()); not shared between threads.
    The child comes from multiprocessing's fork server: a clean single-threaded process that has
    imported trafilatura once, so a child never inherits the worker's threads and locks (a plain
    fork of a Beam worker could deadlock), and starting a new one after a timeout costs a fork, not
    the seconds of a fresh interpreter importing Beam and trafilatura.
    """

    START_TIMEOUT_S = 120.0

    def __init__(self, cfg: ExtractConfig):
        self.cfg = cfg
        self._ctx = multiprocessing.get_context("forkserver")
        # Only takes effect if this process's fork server is not running yet.
        self._ctx.set_forkserver_preload(["trafilatura", "transforms.extract"])
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._conn: multiprocessing.connection.Connection | None = None

    def _start(self) -> None:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_serve, args=(child, self.cfg), daemon=True, name="newsclean-extract")
        try:
            proc.start()
        except Exception as exc:  # whatever stops a start: a fork refused, a script re-run in the fork server
            # Kept, the unstarted process made every later page and close() fail with "can only
            # join a started process", an AssertionError that says nothing of why (hostile round 31).
            parent.close()
            raise ExtractionCrashed(f"extraction process could not start: {type(exc).__name__}: {' '.join(str(exc).split())[:200]}") from exc
        finally:
            child.close()
        self._proc, self._conn = proc, parent
        # Starting (the fork server's first start imports trafilatura: seconds on a busy machine)
        # is not charged to the page: the page's clock starts once the child says it is ready.
        try:
            ready = parent.poll(max(self.START_TIMEOUT_S, self.cfg.timeout_s)) and parent.recv() == ("ready",)
        except (EOFError, OSError):
            ready = False
        if not ready:
            code = self._proc.exitcode
            self.close()
            raise ExtractionCrashed(f"extraction process did not start (exit code {code})")

    def __call__(self, html: str, url: str) -> ExtractResult | None:
        if self._proc is None or not self._proc.is_alive():
            self.close()
            self._start()
        assert self._conn is not None
        try:
            self._conn.send((html, url))
            if not self._conn.poll(self.cfg.timeout_s):
                self.close()
                raise ExtractionTimeout(f"no result within extract.timeout_s={self.cfg.timeout_s:g}s")
            reply = self._conn.recv()
        except (EOFError, BrokenPipeError, ConnectionResetError) as exc:
            code = self._proc.exitcode if self._proc is not None else None
            self.close()
            raise ExtractionCrashed(f"extraction process died (exit code {code})") from exc
        if reply[0] == "ok":
            return reply[1]
        if reply[0] == "too_large":
            raise PageTooLarge(reply[1])
        if reply[0] == "failed":
            raise ExtractionFailed(reply[1])
        raise ExtractionCrashed(f"{reply[1]}: {reply[2]}")

    def close(self) -> None:
        proc, conn = self._proc, self._conn
        self._proc = self._conn = None
        if conn is not None:
            conn.close()
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(timeout=5)


# --- the stage ---------------------------------------------------------------------------------


class ExtractTextFn(DecideFn):
    stage = STAGE

    def __init__(self, cfg: ExtractConfig):
        self.cfg = cfg
        self.extractor: IsolatedExtractor | None = None

    def setup(self) -> None:
        if self.cfg.isolation == SUBPROCESS:
            self.extractor = IsolatedExtractor(self.cfg)  # the child starts with the first page

    def decide(self, doc: Document) -> Document | Rejection:
        return extract_document(doc, self.cfg, self.extractor)

    def teardown(self) -> None:
        if self.extractor is not None:
            self.extractor.close()


class ExtractText(beam.PTransform):
    """Document -> kept: Document (text and metadata from its html; html emptied; documents without
    html untouched), rejected: Rejection (document_too_large, not_html, extraction_empty,
    extraction_failed, extraction_timeout), failed: Failure."""

    def __init__(self, cfg: ExtractConfig):
        super().__init__()
        self.cfg = cfg

    def expand(self, docs: beam.PCollection) -> StageOutputs:
        return apply_decisions(docs, "ExtractText", ExtractTextFn(self.cfg))
