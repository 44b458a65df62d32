"""The CLI on a folder of crawled pages: HTML files (one broken charset, one truncated gzip, one
empty, one oversized), WARC.gz files (a non-HTML record, a page without main text, a file cut
short) and a JSONL record with an `html` field. Every outcome and reason exactly; counts add up."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.e2e.conftest import read_report, read_rows, run_cli
from tests.pages import HARBOUR, LIBRARY, MUSEUM, ORCHARD, PARAGRAPHS, news_page, warc_bytes

CAFE = (
    "The café on the market square will close for good at the end of the month, its owner said on Friday.",
    "Rents in the old town have risen by almost a third since 2021, and the naïve hope of a new lease – at € 2,400 a month – came to nothing.",
    "Regulars described the café as “the town's living room” and have started a petition to keep it open.",
)
NO_TEXT = "<!DOCTYPE html><html><head><title>Gallery</title></head><body><div class='gallery'><img src='/a.jpg'><img src='/b.jpg'></div></body></html>"


@pytest.fixture(scope="module")
def crawl_run(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("crawl")
    (src / "tram.html").write_text(news_page(), encoding="utf-8")
    # declared UTF-8, written in windows-1252: the declaration is wrong and detection decides
    (src / "cafe.html").write_bytes(news_page("Market square café to close", CAFE, charset="utf-8").encode("cp1252"))
    (src / "empty.html").write_bytes(b"")
    (src / "big.html").write_text(news_page("A very long page", PARAGRAPHS * 60), encoding="utf-8")
    whole = gzip.compress(news_page("Orchards expect a smaller harvest", ORCHARD).encode("utf-8"))
    (src / "cut.html.gz").write_bytes(whole[: len(whole) // 2])
    (src / "crawl.warc.gz").write_bytes(
        warc_bytes(
            [
                ("https://www.harbour-news.example/ferry-pier", "text/html; charset=utf-8", news_page("Ferry pier reopens", HARBOUR).encode()),
                ("https://www.harbour-news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),
                ("https://www.harbour-news.example/gallery", "text/html", NO_TEXT.encode()),
            ]
        )
    )
    cut = warc_bytes(
        [
            ("https://county.example/library-hours", "text/html", news_page("Library extends evening hours", LIBRARY).encode()),
            ("https://county.example/orchards", "text/html", news_page("Orchard harvest", ORCHARD).encode()),
        ]
    )
    (src / "cut.warc.gz").write_bytes(cut[:-150])
    record = {"id": "museum-1", "url": "https://museum.example/models", "html": news_page("Museum acquires ship models", MUSEUM)}
    (src / "pages.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = src / "out"
    proc = run_cli(
        "--input", str(src / "*.html"), "--input", str(src / "*.html.gz"), "--input", str(src / "*.warc.gz"),
        "--input", str(src / "*.jsonl"), "--output", str(out), "--set", "extract.max_html_chars=20000",
        # the articles are a few sentences long: quality would reject them (tested elsewhere)
        "--set", "quality.annotate_only=true",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def _key(row: dict) -> str:
    return row["url"] or row["id"]  # WARC record ids are random UUIDs: the URL names the record


def test_clean_documents_with_metadata(crawl_run):
    got = sorted((_key(r), r["source_format"], r["title"], r["author"], r["published"], r["domain"], r["flags"]) for r in read_rows(crawl_run, "clean"))
    assert got == [
        ("cafe.html", "html", "Market square café to close", "Maria Lindqvist", "2024-03-12", "", ["meta_charset_wrong", "decoded_as_cp1252", "extracted"]),
        ("https://county.example/library-hours", "warc", "Library extends evening hours", "Maria Lindqvist", "2024-03-12", "county.example", ["extracted"]),
        ("https://museum.example/models", "jsonl", "Museum acquires ship models", "Maria Lindqvist", "2024-03-12", "museum.example", ["extracted"]),
        ("https://www.harbour-news.example/ferry-pier", "warc", "Ferry pier reopens", "Maria Lindqvist", "2024-03-12", "harbour-news.example", ["extracted"]),
        ("tram.html", "html", "Council approves tram extension after decade of debate", "Maria Lindqvist", "2024-03-12", "", ["extracted"]),
    ]


@pytest.mark.parametrize(
    "key, title, body, removed",
    [
        # trafilatura keeps "Share your thoughts..." and the newsletter line inside the article; our cleaning removes them
        ("tram.html", "Council approves tram extension after decade of debate", PARAGRAPHS[:-1], [{"rule": "comment_prompt", "count": 1}]),
        ("https://www.harbour-news.example/ferry-pier", "Ferry pier reopens", HARBOUR[:-1], [{"rule": "newsletter_prompt", "count": 1}]),
        ("cafe.html", "Market square café to close", CAFE, []),
        ("https://museum.example/models", "Museum acquires ship models", MUSEUM, []),
    ],
)
def test_extracted_text_is_the_article_then_cleaned(crawl_run, key, title, body, removed):
    [row] = [r for r in read_rows(crawl_run, "clean") if _key(r) == key]
    # the headline is the title field and the text's first line (one convention for every format);
    # navigation, byline, comments and footer are gone
    assert (row["title"], row["text"], row["rule_counts"]) == (title, "\n".join((title, *body)), removed)


def test_rejected_and_failed_with_reasons(crawl_run):
    rejected = sorted((_key(r), r["stage"], r["reason"], r["detail"]) for r in read_rows(crawl_run, "rejected"))
    assert rejected == [
        ("big.html", "extract", "document_too_large", f"{len(news_page('A very long page', PARAGRAPHS * 60))} chars > extract.max_html_chars=20000"),
        ("empty.html", "read", "empty_input", "empty page"),
        ("https://www.harbour-news.example/gallery", "extract", "extraction_empty", "trafilatura found no main text"),
        ("https://www.harbour-news.example/logo.png", "read", "not_html", "content type 'image/png'"),
    ]
    failed = sorted((r["id"], Path(r["source"]).name, r["position"], r["stage"], r["error_type"], r["message"]) for r in read_rows(crawl_run, "failed"))
    assert failed == [
        ("cut.html.gz", "cut.html.gz", 0, "read", "TruncatedInput", "the gzip stream ends inside a member: the file is truncated"),
        # record 0, before the cut, is clean
        ("cut.warc.gz:1", "cut.warc.gz", 1, "read", "TruncatedInput", "the gzip stream ends inside a member: the file is truncated"),
    ]


def test_report_counts_add_up(crawl_run):
    report = read_report(crawl_run)
    assert report["counts"] == {"input": 11, "clean": 5, "rejected": 4, "failed": 2, "balanced": True}
    assert report["rejected_by_reason"] == {"document_too_large": 1, "empty_input": 1, "extraction_empty": 1, "not_html": 1}
    assert report["rejected_by_stage"] == {"extract": 2, "read": 2}
    assert report["failed_by_stage"] == {"read": 2}
    funnel = {s["stage"]: (s["in"], s["rejected"], s["failed"], s["out"]) for s in report["funnel"]}
    assert (funnel["read"], funnel["url_filter"], funnel["extract"]) == ((11, 2, 2, 7), (7, 0, 0, 7), (7, 2, 0, 5))
