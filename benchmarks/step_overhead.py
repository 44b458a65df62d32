"""What one more per-document Beam step costs, and what running stages as one step (DecideInOrder) saves.

`python -m benchmarks.step_overhead [--docs 2000] [--steps 20] [--repeats 3]`

Runs the throughput corpus's documents through `--steps` stages that keep every document unchanged,
in Beam's in-process runner (as the CLI's 1-worker runs), applied one ParDo per stage
(`apply_decisions`) and as one `DecideInOrder` step, and through a single such stage: the CPU
seconds of each pipeline (medians of --repeats, interleaved), and from them the cost per document
and per extra step. The stages do nothing, so the figures are Beam's alone.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import apache_beam as beam
from apache_beam.options.pipeline_options import PipelineOptions

import pipeline  # noqa: F401 - the job's Beam set-up (remembered DoFn specs and option views)
from benchmarks.corpus import WORK, corpus_in
from transforms.records import Document, Rejection
from transforms.routing import DecideFn, DecideInOrder, apply_decisions

FLAGS = ["--runner=DirectRunner", "--direct_running_mode=in_memory", "--direct_num_workers=1", "--no_pipeline_type_check"]


class KeepAll(DecideFn):
    stage = "keep_all"

    def decide(self, doc: Document) -> Document | Rejection:
        return doc


def load(path: str, n: int) -> list[Document]:
    docs = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i == n:
                break
            docs.append(Document(id=str(i), text=json.loads(line).get("text", ""), source=path, source_format="jsonl", position=i))
    return docs


def run(docs: list[Document], steps: int, fused: bool) -> float:
    """CPU seconds of building and running the pipeline."""
    started = time.process_time()
    with beam.Pipeline(options=PipelineOptions(FLAGS)) as p:
        pcoll = p | beam.Create(docs, reshuffle=False)
        if fused:
            _ = pcoll | "Fused" >> DecideInOrder([(KeepAll.stage, KeepAll()) for _ in range(steps)])
        else:
            for i in range(steps):
                pcoll = apply_decisions(pcoll, f"Step{i}", KeepAll()).kept
    return time.process_time() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    corpus = corpus_in(WORK, args.docs)
    docs = load(corpus, args.docs)
    cases = {"1 step": (1, False), f"{args.steps} steps, a ParDo each": (args.steps, False), f"{args.steps} steps as one DecideInOrder": (args.steps, True)}
    cpu: dict[str, list[float]] = {name: [] for name in cases}
    run(docs, 1, False)  # warm-up: imports, the runner's first start
    for _ in range(args.repeats):
        for name, (steps, fused) in cases.items():
            cpu[name].append(run(docs, steps, fused))
    base = statistics.median(cpu["1 step"])
    print(f"{len(docs)} documents, medians of {args.repeats} (CPU s of building and running):")
    for name, values in cpu.items():
        med = statistics.median(values)
        extra = (med - base) / (len(docs) * max(1, cases[name][0] - 1)) * 1e6 if name != "1 step" else 0.0
        print(f"  {name}: {med:.2f} s" + (f" (+{extra:.1f} us per document per extra step)" if name != "1 step" else ""))


if __name__ == "__main__":
    main()
