"""Dedup against earlier runs: the pure decisions and the index row."""

from transforms import minhash
from transforms.exact_dedup import text_hash
from transforms.near_dedup import BandSigner, NearDedupConfig, banding
from transforms.prior_dedup import best_near, decide, index_row, pick_exact
from transforms.records import Document, Reason, Rejection
from tests.news_texts import ELECTION, FLOOD

NEAR = NearDedupConfig()


def doc(text: str, i: str = "new") -> Document:
    return Document(id=i, text=text, source="s", source_format="jsonl")


def old(text: str) -> bytes:
    return minhash.shingle_hashes(text, NEAR.ngram).tobytes()


def test_index_row_holds_the_exact_hash_band_keys_and_shingles():
    row = index_row(doc(FLOOD, "a1"), BandSigner(NEAR))
    bands, rows = banding(NEAR)
    assert row["id"] == "a1" and row["text_hash"] == text_hash(FLOOD)
    assert row["band_keys"] == minhash.band_keys(minhash.minhash_signature(FLOOD), bands, rows)
    assert row["shingles"] == old(FLOOD)
    assert index_row(doc("", "e"), BandSigner(NEAR))["band_keys"] == []


def test_an_exact_match_wins_and_names_the_smallest_earlier_run_and_id():
    out = decide(doc(FLOOD), [("z9", "runs/day1"), ("a1", "runs/day2"), ("b2", "runs/day1")], [(("x", "runs/day0"), old(FLOOD))], NEAR)
    assert isinstance(out, Rejection)
    assert (out.reason, out.duplicate_of, out.detail, out.stage) == (
        Reason.DUPLICATE_EXACT, "b2", "same text as b2 in earlier run runs/day1", "prior_dedup")
    assert pick_exact([("b", "r2"), ("a", "r2"), ("c", "r1")]) == ("c", "r1")


def test_near_candidates_are_verified_exactly():
    edited = FLOOD.replace("early on Tuesday", "late on Monday")
    out = decide(doc(edited), [], [(("e1", "d1"), old(ELECTION)), (("f1", "d1"), old(FLOOD))], NEAR)
    assert isinstance(out, Rejection) and out.reason == Reason.DUPLICATE_NEAR and out.duplicate_of == "f1"
    assert out.detail.startswith("Jaccard 0.9") and out.detail.endswith("with f1 in earlier run d1")
    # a band collision with an unrelated story never removes it
    kept = doc(ELECTION, "n2")
    assert decide(kept, [], [(("f1", "d1"), old(FLOOD))], NEAR) is kept


def test_best_near_takes_the_highest_jaccard_then_the_smallest_ref():
    own = minhash.shingle_hashes(FLOOD)
    same = old(FLOOD)
    assert best_near(own, [(("b", "r"), same), (("a", "r"), same)], 0.8) == (("a", "r"), 1.0)
    assert best_near(own, [(("a", "r"), old(ELECTION))], 0.8) is None
