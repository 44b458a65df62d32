"""Exact dedup: normalisation and the survivor policy."""

from __future__ import annotations

from transforms.exact_dedup import normalize_for_hash, split_copies, text_hash
from transforms.records import Document, Reason


def _doc(id: str, text: str, published: str = "") -> Document:
    return Document(id=id, text=text, source="s", source_format="jsonl", published=published)


def test_layout_and_case_do_not_change_the_hash():
    assert normalize_for_hash("  Hello\n\nWORLD\t!") == "hello world !"
    assert text_hash("Hello world") == text_hash("hello   WORLD")
    assert text_hash("Hello world") != text_hash("Hello world.")


def test_survivor_is_earliest_published_then_smallest_id_whatever_the_order():
    docs = [_doc("c", "x", "2024-01-02"), _doc("b", "x"), _doc("a", "x", "2024-01-02"), _doc("d", "x", "2024-01-01")]
    for order in (docs, docs[::-1], docs[1:] + docs[:1]):
        keep, rejected = split_copies(order)
        assert keep.id == "d"
        assert sorted((r.doc.id, r.reason, r.duplicate_of) for r in rejected) == [
            ("a", Reason.DUPLICATE_EXACT, "d"),
            ("b", Reason.DUPLICATE_EXACT, "d"),
            ("c", Reason.DUPLICATE_EXACT, "d"),
        ]


def test_single_copy_is_kept():
    keep, rejected = split_copies([_doc("a", "x")])
    assert (keep.id, rejected) == ("a", [])
