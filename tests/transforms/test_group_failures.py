"""Nothing lost when a grouped step fails: every grouping step of exact dedup, corpus boilerplate and
near dedup is made to raise (a probe hook that raises for every group of that step), and every
input document must land exactly once, in kept, rejected or failed, those of a failed group in
`failed` under their own id and source."""

from __future__ import annotations

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from news_texts import ELECTION, FLOOD, MARKET

from tests.conftest import make_doc
from transforms.boilerplate import BoilerplateConfig, RemoveBoilerplate
from transforms.exact_dedup import ExactDedupConfig, RemoveExactDuplicates
from transforms.near_dedup import NearDedupConfig, RemoveNearDuplicates


class FailAt:
    """A probe that makes every group of one step raise."""

    def __init__(self, step: str):
        self.step = step

    def __call__(self, step: str, key) -> None:
        if step == self.step:
            raise RuntimeError(f"injected failure in {step}")


def run_and_check(docs, transform, expected: list[tuple]) -> None:
    """Every document once: ("kept"|"rejected", id) or ("failed", id, source, stage)."""
    with TestPipeline() as p:
        out = p | beam.Create(docs) | transform
        rows = (
            out.kept | "Kept" >> beam.Map(lambda d: ("kept", d.id)),
            out.rejected | "Rejected" >> beam.Map(lambda r: ("rejected", r.doc.id)),
            out.failed | "Failed" >> beam.Map(lambda f: ("failed", f.id, f.source, f.stage)),
        ) | beam.Flatten()
        assert_that(rows, equal_to(expected))
    assert len({row[1] for row in expected}) == len(docs) == len(expected)  # the expectation is one row per document


# --- exact dedup -----------------------------------------------------------------------------------

COPIES = [make_doc("c1", "Same story."), make_doc("c2", "same   STORY."), make_doc("c3", "Same story. ")]
OTHER = make_doc("o", "Another story.")


def test_exact_dedup_as_usual_without_a_failure():
    run_and_check(COPIES + [OTHER], RemoveExactDuplicates(ExactDedupConfig()),
                  [("rejected", "c1"), ("kept", "c2"), ("rejected", "c3"), ("kept", "o")])  # c2: most text


def test_exact_dedup_failed_group_sends_every_copy_to_failed():
    # the case: a 3-copy group whose split raises gave 1 kept, 0 rejected, 1 failure with id ''
    run_and_check(COPIES + [OTHER], RemoveExactDuplicates(ExactDedupConfig(), probe=FailAt("KeepOneCopy")),
                  [("failed", d.id, d.source, "exact_dedup") for d in COPIES + [OTHER]])


# --- boilerplate -----------------------------------------------------------------------------------

FOOTER = "Get the Harbour Times in your inbox every morning"


def _pages():
    stories = ["Ferry fares rise in June.", "A new lighthouse keeper.", "The fleet returns early.", "Storm warning for the bay."]
    site = [make_doc(f"h{i}", f"{story}\n{FOOTER}", domain="harbour.example") for i, story in enumerate(stories)]
    return site + [make_doc("x", f"Elsewhere.\n{FOOTER}", domain="other.example"), make_doc("n", f"No site.\n{FOOTER}")]


@pytest.mark.parametrize("step, failed", [
    (None, set()),
    ("ShareFlags", {"h0", "h1", "h2", "h3"}),  # the domain with boilerplate lines: all its pages
    ("StripBoilerplate", {"h0", "h1", "h2", "h3", "x"}),  # every page with a counting domain
])
def test_boilerplate_failed_group_sends_its_pages_to_failed(step, failed):
    docs = _pages()
    expected = [("failed", d.id, d.source, "boilerplate") if d.id in failed else ("kept", d.id) for d in docs]
    run_and_check(docs, RemoveBoilerplate(BoilerplateConfig(min_docs=3), probe=FailAt(step) if step else None), expected)


# --- near dedup ------------------------------------------------------------------------------------

def chain() -> tuple[str, str, str]:
    """Three versions of a story, each a few words from the one before: one cluster (as in test_near_dedup)."""
    words = FLOOD.split(" ")
    b = list(words)
    for i in range(10, 110, 25):
        b[i] = "officials"
    c = list(b)
    for i in range(130, 230, 25):
        c[i] = "engineers"
    return FLOOD, " ".join(b), " ".join(c)


def _near_docs():
    a, b, c = chain()
    return [make_doc("a", a), make_doc("b", b), make_doc("c", c), make_doc("m", MARKET), make_doc("e", ELECTION),
            make_doc("w", "!!! ???")]  # no words: no shingles, never in a bucket


CLUSTER = {"a", "b", "c"}
SHINGLED = {"a", "b", "c", "m", "e"}
EVERY = SHINGLED | {"w"}


@pytest.mark.parametrize("step, failed", [
    ("LinkBuckets", SHINGLED),  # every document with shingles is in some bucket
    ("AskDocuments", EVERY),  # every document's group
    ("VerifyPairs", CLUSTER),  # candidates only
    ("LargeStar0", CLUSTER),
    ("SmallStar0", CLUSTER),
    ("Label", CLUSTER),
    ("KeyByLabel", CLUSTER),
    ("PickSurvivors", CLUSTER),
    ("AssignClusters", CLUSTER),
])
def test_near_dedup_failed_step_sends_its_documents_to_failed(step, failed):
    docs = _near_docs()
    expected = [("failed", d.id, d.source, "near_dedup") if d.id in failed else ("kept", d.id) for d in docs]
    run_and_check(docs, RemoveNearDuplicates(NearDedupConfig(), probe=FailAt(step)), expected)


def test_near_dedup_as_usual_without_a_failure():
    docs = _near_docs()
    # the chain is one cluster: its survivor (most text) kept, the others rejected
    survivor = min((d for d in docs if d.id in CLUSTER), key=lambda d: (-len(d.text), d.id)).id
    expected = [("kept", d.id) if d.id not in CLUSTER or d.id == survivor else ("rejected", d.id) for d in docs]
    run_and_check(docs, RemoveNearDuplicates(NearDedupConfig()), expected)
