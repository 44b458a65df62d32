"""FilterLowQuality in a TestPipeline: kept with signals, rejected with filter and value, failed."""

from __future__ import annotations

from functools import partial

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import make_doc
from tests.unit.test_quality import BRIEF, CHINESE
from transforms.quality import FilterLowQuality, QualityConfig


_doc = partial(make_doc, language="en")


def test_filter_low_quality_routes_kept_rejected_failed():
    lorem = BRIEF + "\n\nLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod."
    with TestPipeline() as p:
        docs = p | beam.Create(
            [
                _doc("brief", BRIEF),
                _doc("zh", CHINESE, language="zh-cn"),
                _doc("stub", "Breaking: more soon."),
                _doc("lorem", lorem),
                _doc("poison", None),  # text that is not a string: the stage raises (a TypeError naming it)
            ]
        )
        out = docs | FilterLowQuality(QualityConfig())
        assert_that(out.kept | "Kept" >> beam.Map(lambda d: (d.id, d.signals.get("word_count"), d.signals["line_count"])),
                    equal_to([("brief", 64.0, 3.0), ("zh", None, 5.0)]), label="Kept")
        assert_that(out.rejected | "Rejected" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.detail, r.stage)),
                    equal_to([("stub", "gopher_quality", "gopher_quality:word_count=3<50", "quality"),
                              ("lorem", "c4_quality", "c4_quality:c4_lorem_ipsum_lines=1>0", "quality")]),
                    label="Rejected")
        assert_that(out.failed | "Failed" >> beam.Map(lambda f: (f.id, f.stage, f.error_type)),
                    equal_to([("poison", "quality", "TypeError")]), label="Failed")

