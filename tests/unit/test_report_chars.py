"""report.json's `chars` add up (issue 16.13): in = out + removed + whitespace_removed, where
`removed` counts the removed lines and sentences and `whitespace_removed` only whitespace."""

from __future__ import annotations

import pytest

from pipeline.run import with_whitespace
from tests.conftest import REPO, make_doc


def _spaces(text: str) -> int:
    return sum(ch.isspace() for ch in text)


def _chars(doc) -> dict[str, int]:
    """One clean document's share of report.json's `chars`, as the job sums them."""
    return {"in": doc.chars_in, "out": len(doc.text), "removed": doc.chars_removed}


@pytest.mark.parametrize("path", sorted((REPO / "samples").glob("*.txt")), ids=lambda p: p.name[:8])
def test_what_removed_does_not_count_is_whitespace(pack, path):
    from transforms.clean import CleanConfig, clean_document, strip_cruft

    text = path.read_text(encoding="utf-8")
    doc = clean_document(make_doc(path.name, text), pack, CleanConfig())
    removals = strip_cruft(text, pack, CleanConfig()).removals
    chars = with_whitespace(_chars(doc))
    assert chars["removed"] == sum(len(r.text) for r in removals)
    # every character that is neither kept nor in a removal is whitespace
    assert chars["whitespace_removed"] == _spaces(text) - _spaces(doc.text) - sum(_spaces(r.text) for r in removals)


def test_a_removed_line_takes_its_line_break_with_it(pack):
    from transforms.clean import CleanConfig, clean_document

    body = "The council approved the new budget on Tuesday after a long debate about schools."
    doc = clean_document(make_doc("d", f"{body}\nLeave a Comment\n"), pack, CleanConfig())
    assert doc.text == body
    assert with_whitespace(_chars(doc)) == {"in": len(body) + 17, "out": len(body), "removed": 15, "whitespace_removed": 2}
    assert with_whitespace({}) == {}  # no clean document: nothing to add up
