"""The Document coder: exact round trips, deterministic bytes, the zstd frames, thread safety."""

from __future__ import annotations

import pickle
import threading

import pyarrow as pa
import pytest

from transforms.records import _COMPRESS_FROM, Document, DocumentCoder, Reason, Rejection, domain_of, without_userinfo

LONG = "\n".join(f"Paragraph {i}: the council voted on the budget for the new library, said the mayor." for i in range(60))


def _doc(text: str = LONG, **changes) -> Document:
    fields = dict(
        id="doc-1", text=text, source="crawl.jsonl", source_format="jsonl", position=7, url="https://example.com/a",
        domain="example.com", title="Budget", flags=("decoded_with_replacement",), chars_in=len(text) + 40,
        lines_removed=2, chars_removed=40, rule_counts=(("share", 1), ("newsletter", 1)),
        removed_examples=(("share", "Share this"),), signals={"word_count": 612.0, "stop_word_share": 0.41},
        language="en", language_score=0.99, text_hash="ab" * 16, dup_cluster="c1", dup_cluster_size=3,
        pii_counts=(("email", 1),),
    )
    fields.update(changes)
    return Document(**fields)


@pytest.mark.parametrize("text", ["short text", LONG, "", "é" * 3000 + "\u2028\ud800"])
def test_round_trip_gives_an_equal_document_with_every_field(text):
    coder = DocumentCoder()
    doc = _doc(text)
    back = coder.decode(coder.encode(doc))
    assert back == doc
    assert [getattr(back, f) for f in doc.__dataclass_fields__] == [getattr(doc, f) for f in doc.__dataclass_fields__]
    assert back.with_(text="changed").text == "changed"  # a decoded record is a working dataclass
    assert hash(back.id) == hash(doc.id) and back.signals == doc.signals


def test_short_bodies_are_stored_plain_and_long_ones_compressed():
    coder = DocumentCoder()
    short, long = coder.encode(_doc("short text", signals={}, rule_counts=(), removed_examples=())), coder.encode(_doc())
    assert short[0] == 0 and len(short) < _COMPRESS_FROM
    assert long[0] == 1 and len(long) < len(LONG) / 2


def test_equal_documents_give_equal_bytes_whatever_object_identity():
    coder = DocumentCoder()
    url = "https://example.com/" + "a" * 10
    shared = _doc(url=url, title=url)  # one string object in two fields: a memo would back-reference it
    separate = _doc(url="https://example.com/" + "a" * 10, title="https://example.com/" + "a" * 10)
    assert shared == separate
    assert coder.encode(shared) == coder.encode(separate)
    assert coder.encode(coder.decode(coder.encode(shared))) == coder.encode(shared)


def test_compressed_frames_are_pyarrows_zstd_level_1_frames():
    """The coder's bytes did not change when it moved from pyarrow's codec to zstandard contexts:
    the frame after the 5-byte header is what pyarrow's zstd level 1 gives for the body."""
    coder = DocumentCoder()
    encoded = coder.encode(_doc())
    size = int.from_bytes(encoded[1:5], "little")
    codec = pa.Codec("zstd", compression_level=1)
    body = codec.decompress(encoded[5:], decompressed_size=size, asbytes=True)
    assert codec.compress(body, asbytes=True) == encoded[5:]


def test_pickle_of_a_document_and_a_rejection_uses_the_coder():
    doc = _doc()
    assert pickle.loads(pickle.dumps(doc)) == doc
    rej = Rejection.of(doc, Reason.LOW_QUALITY, "gopher:word_count=3<50", "quality")
    assert pickle.loads(pickle.dumps(rej)) == rej
    assert len(pickle.dumps(doc)) < len(LONG) / 2


def test_threads_encoding_and_decoding_at_once_get_the_single_thread_bytes():
    docs = [_doc(LONG + f" {i}", id=f"doc-{i}") for i in range(40)]
    expected = [DocumentCoder().encode(_doc(LONG + f" {i}", id=f"doc-{i}")) for i in range(40)]
    results: dict[int, list] = {}

    def work(k: int) -> None:
        coder = DocumentCoder()
        out = []
        for _ in range(5):
            fresh = [_doc(d.text, id=d.id) for d in docs]  # no cached encoding on them
            encoded = [coder.encode(d) for d in fresh]
            out.append((encoded, [coder.decode(e) for e in encoded]))
        results[k] = out

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for out in results.values():
        for encoded, decoded in out:
            assert encoded == expected
            assert decoded == docs


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://user:pass@example.com/x", "https://example.com/x"),
        ("https://user@example.com:8443/x?a=@b#@c", "https://example.com:8443/x?a=@b#@c"),
        ("//u:p@example.com/", "//example.com/"),
        ("https://a@b@example.com/", "https://example.com/"),  # to the last "@", as urlsplit reads it
        ("https://example.com/path@segment", "https://example.com/path@segment"),
        ("https://example.com/?mail=a@b.com", "https://example.com/?mail=a@b.com"),
        ("mailto:ann@example.com", "mailto:ann@example.com"),
        ("", ""),
    ],
)
def test_without_userinfo_drops_only_the_credentials(url, expected):
    assert without_userinfo(url) == (expected, expected != url)
    assert domain_of(without_userinfo(url)[0]) == domain_of(url)
