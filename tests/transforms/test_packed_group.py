"""GroupPacked: the same groups as a GroupByKey of every entry, however the entries are packed."""

from __future__ import annotations

import random

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to
from apache_beam.transforms import window

from transforms.packed_group import GroupPacked, _PackByShardFn, group_entries, shard_of


def _records(n: int, seed: int) -> list[list[tuple[bytes, str]]]:
    """n records of 0-6 entries over a small key space, so keys repeat across records."""
    rng = random.Random(seed)
    return [[(b"k%02d" % rng.randrange(40), f"r{i}e{j}") for j in range(rng.randrange(7))] for i in range(n)]


def _expected(records: list[list[tuple[bytes, str]]]) -> list[tuple[bytes, list[str]]]:
    groups: dict[bytes, list[str]] = {}
    for record in records:
        for key, value in record:
            groups.setdefault(key, []).append(value)
    return [(k, sorted(v)) for k, v in groups.items()]


@pytest.mark.parametrize("shards, max_buffered", [(1, 100_000), (7, 100_000), (1024, 100_000), (7, 3), (1, 1)])
def test_groups_equal_a_group_by_key_of_every_entry(shards, max_buffered):
    records = _records(120, seed=shards * 31 + max_buffered)
    with TestPipeline() as p:
        grouped = p | beam.Create(records) | GroupPacked(shards, max_buffered)
        assert_that(grouped | beam.MapTuple(lambda k, vs: (k, sorted(vs))), equal_to(_expected(records)))


def test_windows_are_kept_apart():
    """Entries of the same key in two windows form two groups, each in its own window."""
    stamped = [([("k", "a")], 5), ([("k", "b")], 15), ([("k", "c")], 17)]
    with TestPipeline() as p:
        grouped = (
            p
            | beam.Create(stamped)
            | beam.Map(lambda r: window.TimestampedValue(r[0], r[1]))
            | beam.WindowInto(window.FixedWindows(10))
            | GroupPacked(shards=4)
            | beam.MapTuple(lambda k, vs: (k, sorted(vs)))
        )
        assert_that(grouped, equal_to([("k", ["a"]), ("k", ["b", "c"])]))


def test_a_bundle_leaves_as_at_most_one_element_per_shard():
    fn = _PackByShardFn(shards=4, max_buffered=1_000)
    fn.start_bundle()
    records = _records(200, seed=3)
    emitted = [out for r in records for out in fn.process(r, window=window.GlobalWindow())]
    packs = [wv.value for wv in fn.finish_bundle()]
    assert emitted == []
    assert sorted(shard for shard, _ in packs) == sorted({shard_of(k, 4) for r in records for k, _ in r})
    assert sum(len(entries) for _, entries in packs) == sum(len(r) for r in records)


def test_a_full_buffer_is_flushed_from_process():
    fn = _PackByShardFn(shards=2, max_buffered=5)
    fn.start_bundle()
    gw = window.GlobalWindow()
    assert list(fn.process([("a", 1), ("b", 2)], window=gw)) == []
    flushed = list(fn.process([("a", 3), ("c", 4), ("d", 5)], window=gw))
    assert sum(len(wv.value[1]) for wv in flushed) == 5
    assert all(wv.windows == [gw] for wv in flushed)
    assert list(fn.finish_bundle()) == []


@pytest.mark.parametrize(
    "key, shards, expected",
    [
        (b"abc", 1024, 0x352441C2 % 1024),  # zlib.crc32(b"abc")
        ("abc", 1024, 0x352441C2 % 1024),  # str keys hash their UTF-8
        (("ab", "c"), 1024, 0xF06C6E48 % 1024),  # tuples joined by \x1f: crc32(b"ab\x1fc")
        (b"anything", 1, 0),
    ],
)
def test_shard_of_is_a_stable_crc(key, shards, expected):
    assert shard_of(key, shards) == expected


def test_group_entries_merges_packs_and_sorts_keys():
    packs = [[(b"b", 1), (b"a", 2)], [(b"b", 3)], []]
    assert list(group_entries(packs)) == [(b"a", [2]), (b"b", [1, 3])]


def test_shards_must_be_positive():
    with pytest.raises(ValueError):
        GroupPacked(shards=0)


@pytest.mark.parametrize("shards, max_buffered", [(1, 100_000), (7, 100_000), (7, 3), (1, 1)])
def test_combine_packed_equals_a_combine_per_key_of_every_entry(shards, max_buffered):
    from transforms.boilerplate import DistinctUpTo
    from transforms.packed_group import CombinePacked

    records = _records(120, seed=shards * 17 + max_buffered)
    # values repeat within a key, so the distinct count (capped at 3) depends on every entry
    records = [[(k, v[-1]) for k, v in r] for r in records]
    expected = {k: min(3, len(set(vs))) for k, vs in _expected(records)}
    with TestPipeline() as p:
        combined = p | beam.Create(records) | CombinePacked(DistinctUpTo(3), shards, max_buffered)
        assert_that(combined, equal_to(sorted(expected.items())))
