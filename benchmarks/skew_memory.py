"""Memory of the hottest key: does a worker's memory grow with the number of documents behind one key?

`python -m benchmarks.skew_memory [--sizes 10000 100000 1000000]`

Three skewed inputs, each run through the code a worker runs for its hottest key, with the key's
values made one at a time and handed over as a grouped iterable that can be read twice without
being held (as Dataflow's and Flink's shuffles hand them over, paging them in):

- `copies`: N copies of one page. Exact dedup's combiner (SmallestKey) over the N survivor keys,
  then the join that routes the N copies (its KeepOneCopy DoFn).
- `footer`: N pages of one domain sharing a footer line. Boilerplate's combiner (DistinctUpTo)
  over the N text digests of the footer's (domain, line) key, then the join of the domain's lines
  with its pages (StripBoilerplate), all N pages in one group (the default spreads a domain over
  `domain_shards` groups).
- `prior`: dedup against earlier runs (`--dedup-against`) at its hottest keys: a band bucket shared
  by N earlier documents (combined to the `max_candidates` smallest by SmallestRefs) and N new
  ones, a text hash with N earlier and N new copies, and one earlier document that is a candidate
  of N new ones (its shingles shipped to each). Each new document's own decision holds at most
  1 + bands x `max_candidates` candidates, whatever N (docs/daily_crawls.md).
- `cluster`: one near-duplicate cluster of N documents (N copies of a story with one word changed
  each, so every band bucket holds them all). The bucket's linking (LinkBuckets), the cluster's
  survivor (PickSurvivors), the assignment join (AssignClusters) per document, and the large-star
  step at the cluster's root, whose neighbour set is the one per-key state that grows with a
  cluster (see docs/dedup.md for the bound).

Each size of each input runs in a fresh process; printed: peak traced Python memory of the
per-key code (tracemalloc) and the process's peak RSS (including the ~150 MB of imports).
DirectRunner itself is not used: it holds whole PCollections in memory, so it would measure
itself, not the per-key code a distributed runner's worker runs.
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tracemalloc
from typing import Callable, Iterator

from transforms.boilerplate import (
    FLAGS,
    PAGE,
    BoilerplateConfig,
    DistinctUpTo,
    _StripBoilerplateFn,
    line_hash,
)
from transforms.exact_dedup import (
    COPY,
    SURVIVOR,
    SmallestKey,
    _SplitCopiesFn,
    text_hash,
)
from transforms.near_dedup import (
    ASSIGN,
    _AssignFn,
    _pick_survivor,
    large_star,
    link_bucket,
    node_key,
    survivor_key,
)
from transforms.near_dedup import PAGE as NEAR_PAGE
from transforms.prior_dedup import PriorDedupConfig, SmallestRefs, _candidates, _exact_matches, _ship_old_hashes
from transforms.records import Document
from transforms.routing import Note


class Replay:
    """A grouped iterable made on demand: each pass generates the values again, none is held."""

    def __init__(self, make: Callable[[], Iterator]):
        self.make = make

    def __iter__(self) -> Iterator:
        return self.make()


def _drain(outputs) -> int:
    n = 0
    for _ in outputs:
        n += 1
    return n


def _combine(fn, values: Iterator):
    acc = fn.create_accumulator()
    for v in values:
        acc = fn.add_input(acc, v)
    return fn.extract_output(fn.merge_accumulators([acc]))


def copies(n: int) -> int:
    text = "The same wire story, syndicated everywhere. " * 10

    def doc(i: int) -> Document:
        return Document(id=f"copy-{i:09d}", text=text, source=f"feed-{i % 100}.jsonl", source_format="jsonl", position=i)

    best = _combine(SmallestKey(), ((survivor_key(doc(i)), doc(i).id) for i in range(n)))
    notes = Replay(lambda: _copy_notes(best, doc, n))
    return _drain(_SplitCopiesFn().process((text_hash(text), notes)))


def _copy_notes(best, doc, n) -> Iterator[Note]:
    yield Note(SURVIVOR, best)
    for i in range(n):
        yield Note(COPY, doc(i))


def footer(n: int) -> int:
    cfg = BoilerplateConfig()
    footer_line = "Get the Harbour Times in your inbox every morning"

    def text(i: int) -> str:
        return f"Harbour story {i:09d} about ferries and storms.\n{footer_line}"

    distinct = _combine(DistinctUpTo(max(cfg.min_docs, cfg.corpus_min_docs)), (line_hash(text(i)) for i in range(n)))
    assert distinct >= cfg.min_docs

    def notes() -> Iterator[Note]:
        yield Note(FLAGS, [line_hash(" ".join(footer_line.lower().split()))])
        for i in range(n):
            yield Note(PAGE, Document(id=f"page-{i}", text=text(i), source="site.jsonl", source_format="jsonl",
                                      position=i, domain="harbour.example"))

    fn = _StripBoilerplateFn(cfg)
    return _drain(fn.process((("harbour.example", 0), Replay(notes))))


def cluster(n: int) -> int:
    words = ("Flood waters rose across the valley overnight as rescue teams moved families to higher ground "
             "while the river kept rising").split()

    def doc(i: int) -> Document:
        changed = list(words)
        changed[i % len(words)] = f"w{i}"
        return Document(id=f"near-{i:09d}", text=" ".join(changed), source="wire.jsonl", source_format="jsonl", position=i)

    nodes = Replay(lambda: (node_key(doc(i)) for i in range(n)))
    edges = _drain(link_bucket(nodes, max_bucket=1000))
    members = Replay(lambda: ((survivor_key(doc(i)), doc(i).id, node_key(doc(i))) for i in range(n)))
    _drain(_pick_survivor((b"label", members)))  # one (node, decision) per member, streamed out
    assign = _AssignFn()
    for i in range(0, n, max(1, n // 1000)):  # per document: the same work whatever n
        _drain(assign.process((node_key(doc(i)), [Note(NEAR_PAGE, doc(i)), Note(ASSIGN, ("near-0", i == 0, n))])))
    return edges


def prior(n: int) -> int:
    def refs() -> Iterator[tuple[str, str]]:
        return ((f"old-{i:09d}", "runs/day1") for i in range(n))

    def group(tag: str, value, nodes_tag: str) -> Replay:  # the one-value side, then the n nodes
        return Replay(lambda: itertools.chain([Note(tag, value)], (Note(nodes_tag, i.to_bytes(16, "big")) for i in range(n))))

    bucket = _combine(SmallestRefs(PriorDedupConfig().max_candidates), refs())
    pairs = _drain(_candidates((b"band", group("old", bucket, "new"))))
    exact = _drain(_exact_matches(("hash", group("old", _combine(SmallestRefs(1), refs()), "new"))))
    shingles = b"\x01" * 8 * 600  # a 600-shingle article's hashes
    shipped = _drain(_ship_old_hashes((bucket[0], group("shingles", shingles, "nodes"))))
    return pairs + exact + shipped


def star_root(n: int) -> int:
    """large-star at the root of an n-node cluster: its neighbour set is held (the stated bound)."""
    root = b"\x00" * 16
    neighbours = {i.to_bytes(16, "big") for i in range(1, n + 1)}
    return _drain(large_star(root, neighbours))


CASES = {"copies": copies, "footer": footer, "cluster": cluster, "prior": prior, "star_root": star_root}


def measure(case: str, n: int) -> dict:
    tracemalloc.start()
    CASES[case](n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"case": case, "n": n, "traced_peak_kb": peak / 1024,
            "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--cases", nargs="+", default=list(CASES))
    ap.add_argument("--one", nargs=2, metavar=("CASE", "N"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]))))
        return
    print(f"{'case':<10} | {'documents':>10} | {'per-key peak (traced) KB':>24} | {'process peak RSS MB':>19}")
    print("-" * 74)
    for case in args.cases:
        for n in args.sizes:
            out = subprocess.run([sys.executable, "-m", "benchmarks.skew_memory", "--one", case, str(n)],
                                 capture_output=True, text=True, check=True)
            row = json.loads(out.stdout.strip().splitlines()[-1])
            print(f"{case:<10} | {n:>10,} | {row['traced_peak_kb']:>24,.0f} | {row['rss_peak_mb']:>19,.0f}", flush=True)


if __name__ == "__main__":
    main()
