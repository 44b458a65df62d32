"""ExtractText in a TestPipeline: the DoFn is pickled, its extraction child started in setup();
kept, rejected (including the time guard) and failed outputs."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.pages import LIBRARY, news_page
from transforms.extract import ExtractConfig, ExtractText
from transforms.records import Document


def _page(id: str, html, **kw) -> Document:
    return Document(id=id, text="", source=f"in/{id}", source_format="html", html=html, **kw)


TEXT_DOC = Document(id="plain.txt", text="A plain text document passes through untouched.", source="in/plain.txt", source_format="text")
POISON = _page("poison.html", 12345)  # not a string: the decision raises, the record goes to failed


def test_extract_text_in_a_subprocess_routes_kept_rejected_failed():
    with TestPipeline() as p:
        docs = p | beam.Create([_page("library.html", news_page("Library extends evening hours", LIBRARY)), _page("blank.html", "  "), TEXT_DOC, POISON])
        out = docs | ExtractText(ExtractConfig(timeout_s=30.0))
        assert_that(
            out.kept | "Kept" >> beam.Map(lambda d: (d.id, d.title, d.text.splitlines()[-1], d.html)),
            equal_to([("library.html", "Library extends evening hours", LIBRARY[-1], ""), ("plain.txt", "", TEXT_DOC.text, "")]),
            label="Kept",
        )
        assert_that(out.rejected | "Rej" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.stage)), equal_to([("blank.html", "extraction_empty", "extract")]), label="Rejected")
        assert_that(out.failed | "Fail" >> beam.Map(lambda f: (f.id, f.stage, f.error_type)), equal_to([("poison.html", "extract", "TypeError")]), label="Failed")


def test_extraction_over_the_time_limit_is_rejected_and_the_run_goes_on():
    # A limit no page can meet: every page's child is killed, every page rejected with the reason.
    with TestPipeline() as p:
        docs = p | beam.Create([_page("a.html", news_page()), _page("b.html", news_page("Library hours", LIBRARY)), TEXT_DOC])
        out = docs | ExtractText(ExtractConfig(timeout_s=0.0001))
        assert_that(out.kept | "Kept" >> beam.Map(lambda d: d.id), equal_to(["plain.txt"]), label="Kept")
        assert_that(
            out.rejected | "Rej" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.detail)),
            equal_to([(i, "extraction_timeout", "no result within extract.timeout_s=0.0001s") for i in ("a.html", "b.html")]),
            label="Rejected",
        )
        assert_that(out.failed, equal_to([]), label="Failed")
