"""RemoveBoilerplate in a TestPipeline: a site's template lines learned across its pages."""

from __future__ import annotations

from functools import partial

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import make_doc
from transforms.boilerplate import BoilerplateConfig, RemoveBoilerplate

FOOTER = "Get the Harbour Times in your inbox every morning"
NAV = "Harbour Times home"


_doc = partial(make_doc, domain="harbour.example")


def _page(body: str) -> str:
    return f"{NAV}\n{body}\n{FOOTER}"


def test_template_lines_of_a_domain_are_removed_other_sites_untouched():
    docs = [
        _doc("a", _page("Ferry fares rise by 5% from June.")),
        _doc("b", _page("New lighthouse keeper appointed.")),
        _doc("c", _page("Fishing fleet returns early as storm nears.")),
        _doc("d", f"{NAV}\n{FOOTER}"),  # nothing but template: rejected
        _doc("x", _page("The same template on another site stays."), domain="other.example"),
    ]
    with TestPipeline() as p:
        out = p | beam.Create(docs) | RemoveBoilerplate(BoilerplateConfig(min_docs=3))
        assert_that(
            out.kept | "Kept" >> beam.Map(lambda d: (d.id, d.text, d.rule_counts, d.lines_removed)),
            equal_to(
                [
                    ("a", "Ferry fares rise by 5% from June.", (("boilerplate_domain", 2),), 2),
                    ("b", "New lighthouse keeper appointed.", (("boilerplate_domain", 2),), 2),
                    ("c", "Fishing fleet returns early as storm nears.", (("boilerplate_domain", 2),), 2),
                    ("x", _page("The same template on another site stays."), (), 0),
                ]
            ),
            label="KeptDocs",
        )
        assert_that(
            out.rejected | "Reasons" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.detail)),
            equal_to([("d", "empty_after_cleaning", "boilerplate_domain")]),
            label="RejectedDocs",
        )
        assert_that(out.failed, equal_to([]), label="NoFailures")

