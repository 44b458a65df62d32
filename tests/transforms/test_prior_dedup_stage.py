"""RemovePriorDuplicates on TestPipeline: earlier runs' documents that share an id."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from news_texts import ELECTION, FLOOD

from transforms.near_dedup import BandSigner, NearDedupConfig
from transforms.prior_dedup import PriorDedupConfig, RemovePriorDuplicates, index_row
from transforms.records import Document

NEAR = NearDedupConfig()


def doc(id_: str, text: str) -> Document:
    return Document(id=id_, text=text, source="day.jsonl", source_format="jsonl")


@pytest.mark.parametrize("order", [1, -1])
def test_near_copies_of_two_earlier_documents_of_one_id_are_both_rejected(order):
    # hostile round 19: an id is not unique in a run (two files each holding an `x` are both kept,
    # flagged duplicate_id). Refs were (id, run), so the shingles of one `x` were shipped for both:
    # a near copy of the other passed, which one depending on the order the rows arrived in
    signer = BandSigner(NEAR)
    rows = [index_row(doc("x", FLOOD), signer), index_row(doc("x", ELECTION), signer)][::order]
    new = [doc("n1", FLOOD.replace(" the ", " a ", 1)), doc("n2", ELECTION.replace(" the ", " a ", 1))]
    with TestPipeline() as p:
        index = p | "Index" >> beam.Create([("day1", row) for row in rows], reshuffle=False)
        out = p | "New" >> beam.Create(new, reshuffle=False) | RemovePriorDuplicates(PriorDedupConfig(), NEAR, index)
        rejected = out.rejected | beam.Map(lambda r: (r.doc.id, str(r.reason), r.duplicate_of, r.detail.split(" with ")[-1]))
        assert_that(rejected, equal_to([("n1", "duplicate_near", "x", "x in earlier run day1"),
                                        ("n2", "duplicate_near", "x", "x in earlier run day1")]), label="Rejected")
        assert_that(out.kept, equal_to([]), label="Kept")
