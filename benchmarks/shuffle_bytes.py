"""What each shuffle carries: the encoded bytes of every GroupByKey's input, per input document.

`python -m benchmarks.shuffle_bytes [--docs 2000] [--input FILE.jsonl]`

Builds the real job graph (`pipeline.build.process`, default config) on the throughput corpus
(`benchmarks/corpus.py`), finds every GroupByKey in it (those inside Reshuffle, CoGroupByKey,
CombinePerKey and GroupPacked included) and adds beside each a step that encodes each element of
the GroupByKey's input with the coder the runner gives that PCollection, and counts the bytes. The
job then runs on the in-memory DirectRunner; the table lists the bytes and elements per step,
summed per stage, and the total divided by the documents read.

A CombinePerKey's GroupByKey is measured before the runner's combiner lifting, i.e. as if every
element crossed: an upper bound (a distributed runner ships one accumulator per key and bundle).
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import apache_beam as beam
from apache_beam.metrics import Metrics
from apache_beam.metrics.metric import MetricsFilter
from apache_beam.options.pipeline_options import PipelineOptions
from apache_beam.pipeline import PipelineVisitor

from benchmarks.corpus import WORK, corpus_in
from pipeline.build import process
from pipeline.config import load_config

NAMESPACE = "shuffle_bytes"


class _Measure(beam.DoFn):
    def __init__(self, label: str, coder: beam.coders.Coder):
        self.label = label
        self.coder = coder

    def setup(self) -> None:
        self.bytes = Metrics.counter(NAMESPACE, f"{self.label}|bytes")
        self.elements = Metrics.counter(NAMESPACE, f"{self.label}|elements")

    def process(self, element):
        self.bytes.inc(len(self.coder.encode(element)))
        self.elements.inc()


class _FindGroupings(PipelineVisitor):
    def __init__(self):
        self.found: list[tuple[str, beam.PCollection]] = []

    def visit_transform(self, node) -> None:
        if isinstance(node.transform, beam.GroupByKey):
            (pcoll,) = node.inputs
            self.found.append((node.full_label, pcoll))


def measure(p: beam.Pipeline) -> None:
    """Add a measuring step beside the input of every GroupByKey of `p`."""
    finder = _FindGroupings()
    p.visit(finder)
    for i, (label, pcoll) in enumerate(finder.found):
        coder = beam.coders.registry.get_coder(pcoll.element_type)
        _ = pcoll | f"MeasureShuffle{i}" >> beam.ParDo(_Measure(label, coder))


def stage_of(label: str) -> str:
    parts = label.split("/")
    return "/".join(parts[:2]) if parts[0] == "Read" else parts[0]


def shuffle_bytes(corpus: str) -> tuple[dict[str, tuple[int, int]], int]:
    """{GroupByKey label: (bytes, elements)} and the number of documents read."""
    cfg = load_config()
    options = PipelineOptions(["--runner=DirectRunner", "--direct_running_mode=in_memory", "--direct_num_workers=1",
                               "--no_pipeline_type_check"])
    p = beam.Pipeline(options=options)
    everything, _ = process(p, cfg, [corpus])
    _ = everything | "CountRead" >> beam.Map(lambda _: Metrics.counter(NAMESPACE, "read|documents").inc())
    measure(p)
    result = p.run()
    result.wait_until_finish()
    got: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    docs = 0
    for c in result.metrics().query(MetricsFilter().with_namespace(NAMESPACE))["counters"]:
        label, kind = c.key.metric.name.rsplit("|", 1)
        if label == "read":
            docs += c.committed
            continue
        got[label][0 if kind == "bytes" else 1] += c.committed
    return {k: (v[0], v[1]) for k, v in got.items()}, docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--input", help="a JSONL corpus instead of the generated one")
    ap.add_argument("--work", default=WORK)
    ap.add_argument("--by-step", action="store_true", help="one row per GroupByKey instead of per stage")
    args = ap.parse_args()
    corpus = args.input or corpus_in(args.work, args.docs)
    got, docs = shuffle_bytes(corpus)
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for label, (b, n) in got.items():
        key = label if args.by_step else stage_of(label)
        rows[key][0] += b
        rows[key][1] += n
    print(f"{docs} documents read")
    print(f"{'shuffle':<60} | {'bytes/doc':>10} | {'elements/doc':>12}")
    print("-" * 88)
    for key in sorted(rows, key=lambda k: -rows[k][0]):
        b, n = rows[key]
        print(f"{key:<60} | {b / docs:>10,.0f} | {n / docs:>12.2f}")
    total = sum(b for b, _ in rows.values())
    print(f"{'total':<60} | {total / docs:>10,.0f} | {sum(n for _, n in rows.values()) / docs:>12.2f}")


if __name__ == "__main__":
    main()
