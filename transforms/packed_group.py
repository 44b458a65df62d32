"""GroupByKey for many small entries: packed into a few big shuffle elements, unpacked after.

Near dedup sends 21 band keys per document through a shuffle; each is a few dozen bytes, and a runner pays per shuffled element (encoding, the data
plane, the runner's grouping: 12-20 us each on the local runner, more than the bytes cost). Here a
record brings all its (key, value) entries as one list; within a bundle they are buffered by shard
(a stable hash of the key) and leave as one (shard, entries) element per shard, so a bundle
shuffles at most `shards` elements whatever its size. After the GroupByKey on the shard, the
entries are grouped by their own key in memory and come out as (key, [values]) pairs, as a
GroupByKey on the keys would give them (values in no particular order, as with GroupByKey).

Bounded memory on both sides: a bundle's buffer is flushed whenever it holds `max_buffered`
entries, and one shard holds about 1/`shards` of all entries: `shards` must grow with the corpus
(docs/dedup.md: 21 x 10^9 band keys over the default 1024 shards would be 2 x 10^7 entries, a few
GB, per shard). The result does not depend on the
bundles, the shard count or the order of arrival, only on the entries.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from typing import Any, Hashable, Iterable, Iterator

import apache_beam as beam
from apache_beam.utils.windowed_value import WindowedValue

DEFAULT_SHARDS = 1024  # one shard's entries are grouped in memory: ~1/1024 of all (2M at 100M documents)
DEFAULT_MAX_BUFFERED = 100_000  # entries a bundle holds before it flushes (~10 MB)


def shard_of(key: Hashable, shards: int) -> int:
    """A stable shard of a key: CRC-32 of its bytes (str keys UTF-8, tuples joined), never Python's
    salted `hash()`, so every worker and every run agrees."""
    if isinstance(key, tuple):
        key = "\x1f".join(key)
    data = key if isinstance(key, bytes) else key.encode("utf-8", "surrogatepass")
    return zlib.crc32(data) % shards


def group_entries(packs: Iterable[Iterable[tuple[Any, Any]]]) -> Iterator[tuple[Any, list]]:
    """Packs of (key, value) entries -> (key, values) per distinct key, keys in sorted order."""
    groups: dict[Any, list] = defaultdict(list)
    for pack in packs:
        for key, value in pack:
            groups[key].append(value)
    for key in sorted(groups):
        yield key, groups[key]


class _ShardBuffersFn(beam.DoFn):
    """Per bundle, entries buffered per window and shard, sent as one pack per shard when the bundle
    ends or `max_buffered` entries (or keys) are held. Subclasses fill `by_shard` in process()."""

    def __init__(self, shards: int, max_buffered: int):
        self.shards = shards
        self.max_buffered = max_buffered

    def start_bundle(self) -> None:
        self._buffers: dict[Any, dict[int, Any]] = {}  # window -> shard -> what the subclass holds
        self._size = 0

    def finish_bundle(self) -> Iterator[WindowedValue]:
        yield from self._drain()

    def _pack(self, held: Any) -> Any:
        return held

    def _drain(self) -> Iterator[WindowedValue]:
        """The buffered packs, each in its window (finish_bundle has no element to take it from)."""
        buffers, self._buffers, self._size = self._buffers, {}, 0
        for w, by_shard in buffers.items():
            for shard in sorted(by_shard):
                yield WindowedValue((shard, self._pack(by_shard[shard])), w.max_timestamp(), [w])


class _PackByShardFn(_ShardBuffersFn):
    """[(key, value), ...] per record -> (shard, [(key, value), ...]) per shard and bundle."""

    def process(self, entries: Iterable[tuple[Any, Any]], window=beam.DoFn.WindowParam) -> Iterator:
        by_shard = self._buffers.setdefault(window, defaultdict(list))
        for entry in entries:
            by_shard[shard_of(entry[0], self.shards)].append(entry)
            self._size += 1
        if self._size >= self.max_buffered:
            yield from self._drain()


class GroupPacked(beam.PTransform):
    """PCollection of per-record lists of (key, value) -> PCollection of (key, [values]): a
    GroupByKey of all the entries, shuffled as at most `shards` elements per bundle."""

    def __init__(self, shards: int = DEFAULT_SHARDS, max_buffered: int = DEFAULT_MAX_BUFFERED):
        super().__init__()
        if shards < 1 or max_buffered < 1:
            raise ValueError("shards and max_buffered must be >= 1")
        self.shards = shards
        self.max_buffered = max_buffered

    def expand(self, entries: beam.PCollection) -> beam.PCollection:
        return (
            entries
            | "PackByShard" >> beam.ParDo(_PackByShardFn(self.shards, self.max_buffered))
            | "GroupShards" >> beam.GroupByKey()
            | "Unpack" >> beam.FlatMap(lambda shard: group_entries(shard[1]))
        )



class _PackCombinedFn(_ShardBuffersFn):
    """[(key, value), ...] per record -> (shard, [(key, accumulator), ...]) per shard and bundle:
    the values of a key are combined within the bundle before they leave."""

    def __init__(self, combine_fn: beam.CombineFn, shards: int, max_buffered: int):
        super().__init__(shards, max_buffered)
        self.combine_fn = combine_fn

    def process(self, entries: Iterable[tuple[Any, Any]], window=beam.DoFn.WindowParam) -> Iterator:
        fn = self.combine_fn
        by_shard = self._buffers.setdefault(window, defaultdict(dict))  # shard -> key -> accumulator
        for key, value in entries:
            accs = by_shard[shard_of(key, self.shards)]
            acc = accs.get(key)
            if acc is None:
                acc = fn.create_accumulator()
                self._size += 1
            accs[key] = fn.add_input(acc, value)
        if self._size >= self.max_buffered:
            yield from self._drain()

    def _pack(self, held: dict) -> list:
        return sorted(held.items())


def merge_packs(packs: Iterable[Iterable[tuple[Any, Any]]], combine_fn: beam.CombineFn) -> Iterator[tuple[Any, Any]]:
    """Packs of (key, accumulator) -> (key, combined output) per distinct key, keys in sorted order."""
    merged: dict[Any, Any] = {}
    for pack in packs:
        for key, acc in pack:
            merged[key] = combine_fn.merge_accumulators([merged[key], acc]) if key in merged else acc
    for key in sorted(merged):
        yield key, combine_fn.extract_output(merged[key])


class CombinePacked(beam.PTransform):
    """PCollection of per-record lists of (key, value) -> PCollection of (key, combined): a
    CombinePerKey of all the entries, each bundle's values combined per key before the shuffle and
    shuffled as at most `shards` elements per bundle. One shard's keys are merged in memory: one
    accumulator per distinct key, about 1/`shards` of them."""

    def __init__(self, combine_fn: beam.CombineFn, shards: int = DEFAULT_SHARDS, max_buffered: int = DEFAULT_MAX_BUFFERED):
        super().__init__()
        if shards < 1 or max_buffered < 1:
            raise ValueError("shards and max_buffered must be >= 1")
        self.combine_fn = combine_fn
        self.shards = shards
        self.max_buffered = max_buffered

    def expand(self, entries: beam.PCollection) -> beam.PCollection:
        fn = self.combine_fn
        return (
            entries
            | "PackByShard" >> beam.ParDo(_PackCombinedFn(fn, self.shards, self.max_buffered))
            | "GroupShards" >> beam.GroupByKey()
            | "Merge" >> beam.FlatMap(lambda shard: merge_packs(shard[1], fn))
        )
