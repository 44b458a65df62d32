"""JoinByKey and SpreadDocuments move values as their coder's bytes (so Beam's runners never decode a
Document on the way) and hand consumers the values as they went in."""

from __future__ import annotations

import pickle

import apache_beam as beam
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import make_doc
from transforms.records import DocumentCoder
from transforms.routing import (
    JoinByKey,
    Note,
    NoteCoder,
    SpreadDocuments,
    _EncodedNotes,
    documents_in,
)

DOCS = [make_doc(f"d{i}", f"Story number {i} about the harbour and its ferries.", url=f"https://example.com/{i}") for i in range(6)]


def _summary(item):
    key, notes = item
    # read twice, as consumers do (first the tags, then their own side's values)
    tags = sorted(n.tag for n in notes)
    values = sorted((n.tag, n.value.id if n.tag == "page" else repr(n.value)) for n in notes)
    return key, tags, values


def test_join_gives_each_key_every_side_value_with_its_tag() -> None:
    with TestPipeline() as p:
        pages = p | "Pages" >> beam.Create([(d.id[-1:], d) for d in DOCS])
        flags = p | "Flags" >> beam.Create([("1", ("a", 2)), ("1", ("b", 3)), ("9", None)])
        out = {"page": pages, "flag": flags} | JoinByKey() | beam.Map(_summary)
        expected = [(d.id[-1:], ["page"], [("page", d.id)]) for d in DOCS if d.id != "d1"]
        expected += [("1", ["flag", "flag", "page"], [("flag", "('a', 2)"), ("flag", "('b', 3)"), ("page", "d1")]),
                     ("9", ["flag"], [("flag", "None")])]
        assert_that(out, equal_to(expected))


def test_encoded_notes_read_back_equal_values_and_pickle_read_or_not() -> None:
    coder = NoteCoder()
    encoded = [coder.encode(Note("page", DOCS[0])), coder.encode(Note("flag", {"x": [1, 2]}))]
    notes = list(_EncodedNotes(encoded))
    assert [n.tag for n in notes] == ["page", "flag"]
    unread = pickle.loads(pickle.dumps(notes[0]))  # a dead letter may cross a stage before it is read
    assert notes[0].value == DOCS[0] and notes[1].value == {"x": [1, 2]}
    assert unread.value == DOCS[0] and pickle.loads(pickle.dumps(notes[0])).value == DOCS[0]
    # a failed group's documents are found inside the encoded notes (tests/transforms/test_group_failures.py)
    assert documents_in(("key", _EncodedNotes(encoded))) == [DOCS[0]]


def test_spread_documents_keeps_every_document_as_it_was() -> None:
    with TestPipeline() as p:
        out = p | beam.Create(DOCS) | SpreadDocuments() | beam.Map(DocumentCoder().encode)
        assert_that(out, equal_to([DocumentCoder().encode(d) for d in DOCS]))
