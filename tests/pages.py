"""Small real-looking news pages and WARC files, written for the extraction tests."""

from __future__ import annotations

import io
from html import escape

PARAGRAPHS = (
    "The city council voted on Tuesday to expand the riverside tram line by four stops, ending a debate that has run for almost a decade.",
    "Supporters said the extension would cut commuting times for about 12,000 residents of the northern districts, where bus routes are often overcrowded.",
    "Opponents questioned the cost, estimated at 310 million euros, and asked why the plan had grown since the first study was published in 2019.",
    "Construction is expected to begin next spring and to last roughly three years, according to the transport department.",
    "Share your thoughts in the comments below!",
)


def news_page(
    title: str = "Council approves tram extension after decade of debate",
    paragraphs: tuple[str, ...] = PARAGRAPHS,
    author: str = "Maria Lindqvist",
    published: str = "2024-03-12",
    charset: str | None = "utf-8",
    site: str = "The Riverside Courier",
) -> str:
    """A news article page with navigation, a byline, a footer and a comment section around it."""
    meta = f'<meta charset="{charset}">' if charset else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
{meta}
<title>{escape(title)} | {escape(site)}</title>
<meta name="author" content="{escape(author)}">
<meta property="article:published_time" content="{published}T08:30:00Z">
<meta property="og:site_name" content="{escape(site)}">
<meta property="og:title" content="{escape(title)}">
</head>
<body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li><li><a href="/contact">Contact us</a></li></ul></nav></header>
<main>
<article>
<h1>{escape(title)}</h1>
<p class="byline">By {escape(author)}</p>
{body}
</article>
<section id="comments" class="comments"><h3>2 comments</h3><div class="comment"><p>Great news for the north side, finally!</p></div></section>
</main>
<footer><p>Copyright 2024 {escape(site)}. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body>
</html>
"""


def warc_record(headers: list[tuple[str, str]], block: bytes) -> bytes:
    """One WARC 1.1 record written by hand (its headers in order, then Content-Length): for the
    records warcio will not write (segments, continuation, WARC-Truncated, bytes that are not UTF-8)."""
    head = "WARC/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers) + f"Content-Length: {len(block)}\r\n\r\n"
    return head.encode() + block + b"\r\n\r\n"


def http_response(body: bytes) -> bytes:
    """An HTTP 200 response of an HTML body, as a WARC response record's block holds it."""
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n" % len(body) + body


def warc_bytes(records: list[tuple[str, str, bytes]], gzip: bool = True, warcinfo: bool = True) -> bytes:
    """A WARC file (Common Crawl layout: warcinfo, then request/response pairs) with one response per
    (url, content type, body); a request record precedes each response."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    if warcinfo:
        writer.write_record(writer.create_warcinfo_record("test.warc.gz", {"software": "newsclean tests", "format": "WARC File Format 1.0"}))
    for url, content_type, body in records:
        request = StatusAndHeaders("GET / HTTP/1.1", [("Host", url.split("/")[2])], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return out.getvalue()


# Further articles with distinct text, so that pages in one run are not duplicates of each other.
HARBOUR = (
    "The harbour authority reopened the old ferry pier on Saturday after eighteen months of repairs to its timber piles.",
    "Engineers replaced more than two hundred posts that had been weakened by shipworm, a problem first noticed during a routine dive survey.",
    "Local fishing crews welcomed the reopening, saying the detour to the southern quay had added an hour to every trip.",
    "Sign up for our newsletter to get the latest news delivered to your inbox.",
)
LIBRARY = (
    "The county library will extend its opening hours on weekday evenings from next month, the board announced on Monday.",
    "Visitor numbers have risen by a fifth since the reading room was renovated, with students making up most of the evening crowd.",
    "The extra hours will be covered by four new part-time posts funded from the county's cultural budget.",
)
ORCHARD = (
    "Apple growers in the valley expect a smaller harvest this autumn after a late frost damaged blossom in April.",
    "The growers' association estimates that yields will fall by about a quarter compared with last year's record crop.",
    "Some farms have started to install frost fans, which mix warmer air from above into the orchard on cold nights.",
)
MUSEUM = (
    "The maritime museum has acquired a collection of ship models built by a retired shipwright over forty years.",
    "The sixty models, some more than two metres long, will go on display in a new gallery on the museum's ground floor.",
    "Curators said the collection documents vessels that were built in the town's yards but of which no plans survive.",
)
