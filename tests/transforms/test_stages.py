"""Each stage in a TestPipeline: kept, rejected and failed outputs, including a record that raises."""

from __future__ import annotations

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import make_doc
from tests.script_texts import UDHR1
from transforms.clean import CleanConfig, StripCruft
from transforms.exact_dedup import ExactDedupConfig, RemoveExactDuplicates
from transforms.language import DetectLanguage, LanguageConfig


_doc = make_doc


# A text that is not a string makes every stage raise: the record must land in `failed`.
POISON = _doc("poison", None)


def test_strip_cruft_routes_kept_rejected_failed():
    with TestPipeline() as p:
        docs = p | beam.Create(
            [
                _doc("a", "Rain fell all day in the city.\nLeave a Comment"),
                _doc("b", "Adblock Detected\nLeave a Comment"),
                POISON,
            ]
        )
        out = docs | StripCruft(CleanConfig())
        assert_that(out.kept | "KeptText" >> beam.Map(lambda d: (d.id, d.text, d.rule_counts)),
                    equal_to([("a", "Rain fell all day in the city.", (("comment_widget", 1),))]), label="Kept")
        assert_that(out.rejected | "Reasons" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.detail)),
                    equal_to([("b", "empty_after_cleaning", "adblock_notice,comment_widget")]), label="Rejected")
        assert_that(out.failed | "Failures" >> beam.Map(lambda f: (f.id, f.stage, f.source, f.error_type)),
                    equal_to([("poison", "clean", "src/poison", "AttributeError")]), label="Failed")


def test_detect_language_annotates_and_filters():
    with TestPipeline() as p:
        docs = p | beam.Create(
            [
                _doc("en", "The committee will meet again next week to discuss the budget."),
                _doc("de", "Der Ausschuss wird sich nächste Woche erneut treffen, um den Haushalt zu beraten."),
                _doc("ka", UDHR1["ka"]),  # Georgian: no langdetect profile, named by its script
                _doc("hy", UDHR1["hy"]),
                POISON,
            ]
        )
        out = docs | DetectLanguage(LanguageConfig(allowed=("en", "ka")))
        assert_that(out.kept | "Kept" >> beam.Map(lambda d: (d.id, d.language, d.language_score)),
                    equal_to([("en", "en", 1.0), ("ka", "ka", 1.0)]), label="Kept")
        assert_that(out.rejected | "Rej" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.detail)),
                    equal_to([("de", "language_not_allowed", "de"), ("hy", "language_not_allowed", "hy")]), label="Rejected")
        assert_that(out.failed | "Fail" >> beam.Map(lambda f: (f.id, f.stage)), equal_to([("poison", "language")]), label="Failed")


def test_exact_duplicates_keep_one_copy():
    with TestPipeline() as p:
        docs = p | beam.Create(
            [
                _doc("b", "Same story.\nSecond line."),
                _doc("a", "same   STORY.\nsecond line."),
                _doc("c", "Another story."),
                POISON,
            ]
        )
        out = docs | RemoveExactDuplicates(ExactDedupConfig())
        assert_that(out.kept | "Kept" >> beam.Map(lambda d: d.id), equal_to(["a", "c"]), label="Kept")
        assert_that(out.rejected | "Rej" >> beam.Map(lambda r: (r.doc.id, str(r.reason), r.duplicate_of)),
                    equal_to([("b", "duplicate_exact", "a")]), label="Rejected")
        assert_that(out.failed | "Fail" >> beam.Map(lambda f: (f.id, f.stage)), equal_to([("poison", "exact_dedup")]), label="Failed")
