"""Near-dedup decisions without Beam: survivor policy, bucket linking, components, config."""

from __future__ import annotations

import itertools
import random

import pytest

from transforms.near_dedup import (
    NearDedupConfig,
    banding,
    components,
    link_bucket,
    node_key,
    size_bucket,
    star_label,
    survivor_key,
)
from transforms.records import Document


def doc(id_: str, text: str = "some text", published: str = "", position: int = 0) -> Document:
    return Document(id=id_, text=text, source="feed.jsonl", source_format="jsonl", published=published, position=position)


@pytest.mark.parametrize(
    "docs, keep, survivor",
    [
        # most text after cleaning wins
        ([doc("a", "short copy"), doc("b", "the longer copy of it")], ("most_text", "earliest_published", "smallest_id"), "b"),
        # equal length: earliest published; undated copies come last
        ([doc("a", "same", "2024-05-02"), doc("b", "same", "2024-05-01"), doc("c", "same")], NearDedupConfig.keep, "b"),
        ([doc("a", "same"), doc("b", "same", "2024-05-09")], NearDedupConfig.keep, "b"),
        # everything equal: smallest id
        ([doc("b", "same"), doc("a", "same"), doc("c", "same")], NearDedupConfig.keep, "a"),
        # latest_published policy; undated still last
        ([doc("a", "x", "2024-05-01"), doc("b", "x", "2024-06-01"), doc("c", "x")], ("latest_published",), "b"),
        # policy order matters: date before length
        ([doc("a", "much longer text here", "2024-06-01"), doc("b", "short", "2024-01-01")], ("earliest_published", "most_text"), "b"),
        # same id from two sources: position breaks the tie
        ([doc("a", "x", position=7), doc("a", "x", position=3)], NearDedupConfig.keep, "a@3"),
    ],
)
def test_survivor_policy(docs, keep, survivor):
    for order in itertools.permutations(docs):
        best = min(order, key=lambda d: survivor_key(d, keep))
        assert (f"{best.id}@{best.position}" if "@" in survivor else best.id) == survivor


def test_node_key_is_stable_and_distinguishes_records():
    a = doc("a", "text", position=1)
    assert node_key(a) == node_key(doc("a", "text", position=1))
    assert len({node_key(a), node_key(doc("a", "text", position=2)), node_key(doc("b", "text", position=1)),
                node_key(doc("a", "other", position=1))}) == 4


def _nodes(n: int) -> list[bytes]:
    return [i.to_bytes(4, "big") * 4 for i in range(n)]


def test_link_bucket_small_is_a_star_on_the_smallest_node():
    members = _nodes(5)
    random.Random(1).shuffle(members)
    assert sorted(link_bucket(members, 1000)) == [(_nodes(5)[0], m) for m in _nodes(5)[1:]]
    assert list(link_bucket(_nodes(1), 1000)) == []


def test_link_bucket_huge_is_linear_connected_and_degree_bounded():
    members = _nodes(10_000)
    edges = list(link_bucket(members, 100))
    assert len(edges) == 9_999  # a spanning tree: n - 1 edges, never n^2 / 2
    degree: dict[bytes, int] = {}
    for a, b in edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    assert max(degree.values()) <= 300  # ~ max_bucket + n / max_bucket with hash-spread parts
    labels, _ = components(edges, 6)
    assert set(labels.values()) == {_nodes(1)[0]} and len(labels) == 10_000


@pytest.mark.parametrize(
    "edges, groups",
    [
        ([("A", "B"), ("B", "C")], [{"A", "B", "C"}]),  # a chain: one cluster
        ([("A", "B"), ("C", "D")], [{"A", "B"}, {"C", "D"}]),
        ([("D", "C"), ("C", "B"), ("B", "A"), ("E", "D")], [{"A", "B", "C", "D", "E"}]),
        ([("B", "C"), ("C", "D"), ("D", "A")], [{"A", "B", "C", "D"}]),
    ],
)
def test_components(edges, groups):
    enc = [(a.encode(), b.encode()) for a, b in edges]
    labels, _ = components(enc, 6)
    found: dict[bytes, set[str]] = {}
    for node, label in labels.items():
        found.setdefault(label, set()).add(node.decode())
    assert sorted(found.values(), key=min) == groups
    assert all(label == min(found_group).encode() for label, found_group in found.items())


def test_long_path_converges_within_default_rounds():
    # A 2,000-node path with shuffled labels: the worst shape for label propagation (2,000
    # rounds); large/small-star needs O(log^2 n) rounds.
    order = _nodes(2000)
    random.Random(3).shuffle(order)
    labels, rounds = components(list(zip(order, order[1:])), 20)
    assert set(labels.values()) == {min(order)}
    assert rounds <= NearDedupConfig().max_rounds


@pytest.mark.parametrize(
    "node, neighbours, expected",
    [(b"a", {b"b", b"c"}, (b"a", True)), (b"c", {b"a"}, (b"a", True)), (b"c", {b"a", b"b"}, (b"a", False)),
     (b"b", {b"a", b"c"}, (b"a", False))],
)
def test_star_label(node, neighbours, expected):
    assert star_label(node, neighbours) == expected


@pytest.mark.parametrize("size, label", [(2, "2"), (3, "3-4"), (4, "3-4"), (5, "5-8"), (8, "5-8"), (9, "9-16"), (1000, "513-1024")])
def test_size_bucket(size, label):
    assert size_bucket(size) == label


@pytest.mark.parametrize(
    "cfg, expected",
    [
        (NearDedupConfig(), (21, 6)),
        (NearDedupConfig(num_perm=256), (32, 8)),
        (NearDedupConfig(verify=False), (9, 13)),
        (NearDedupConfig(bands=16, rows=8), (16, 8)),
    ],
)
def test_banding(cfg, expected):
    assert banding(cfg) == expected


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 0.0}, {"bands": 20}, {"bands": 20, "rows": 7}, {"keep": ("longest",)}, {"max_bucket": 1}],
)
def test_config_rejects(kwargs):
    with pytest.raises(ValueError):
        NearDedupConfig(**kwargs)


@pytest.mark.parametrize("lang", ["zh", "ja", "th"])
def test_spaceless_near_copies_are_linked_and_verified_unrelated_texts_are_not(lang):
    # what the stage does to each pair, with its own functions: a shared band links the pair, the
    # exact Jaccard keeps the edge, components put both in one cluster; texts without spaces
    # between words were cut into whole clauses, and such a copy was never found
    from cjk_texts import TEXTS, edit_chars

    from transforms.minhash import jaccard
    from transforms.near_dedup import BandSigner

    cfg = NearDedupConfig()
    signer = BandSigner(cfg)
    first, other = TEXTS[lang]
    copies = [edit_chars(first, 100, ch, offset) for offset, ch in enumerate({"zh": "的是", "ja": "のが", "th": "กข"}[lang])]
    docs = [doc("a", first), doc("b", copies[0]), doc("c", copies[1]), doc("d", other)]
    signed = [signer.sign(d.text) for d in docs]
    buckets: dict[bytes, list[bytes]] = {}
    for d, (_, keys) in zip(docs, signed):
        for key in keys:
            buckets.setdefault(key, []).append(node_key(d))
    candidates = {e for members in buckets.values() for e in link_bucket(members, cfg.max_bucket)}
    hashes = {node_key(d): h for d, (h, _) in zip(docs, signed)}
    edges = [(a, b) for a, b in candidates if jaccard(hashes[a], hashes[b]) >= cfg.threshold]
    labels, _ = components(edges, cfg.max_rounds)
    a, b, c, d = (node_key(x) for x in docs)
    assert labels[a] == labels[b] == labels[c]
    assert d not in labels  # the unrelated text: no verified edge at all
    assert all(jaccard(hashes[d], hashes[x]) < 0.1 for x in (a, b, c))
