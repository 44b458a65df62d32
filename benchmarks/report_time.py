"""The report's cost: the driver's part is the same for 10k and 1M documents; the job's part is a
fixed cost per row, spread over the workers.

`python -m benchmarks.report_time --rows 10000 1000000`

Rows are synthetic outcome records (no data files needed): 80% clean documents with 39 quality
signals, rule counts, removed-line examples and boilerplate from 1,000 domains; 17% rejected (four
reasons, near-duplicates of clusters of 2-9); 3% failed. For each size it prints
- in the job: CPU µs per row of the combiners' per-record work (the `Accumulate` adders, and the
  keys the per-domain / per-cluster combines receive), the rows folded on 4 simulated workers whose
  accumulators are then merged; and the size of the merged accumulator;
- on the driver: `build_report` + `render` + writing report.json and report.html from the job's
  stats file (median of 5), which is all the driver does after the job.
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from pipeline.report import build_report, read_json, write_report
from pipeline.report_data import (
    ADDERS,
    boilerplate_keys,
    cluster_keys,
    finish,
    load_lookalike_pack,
    merge,
    merge_keyed,
    new_accumulator,
    write_json,
)
from pipeline.report_html import write_html
from transforms.clean import CleanConfig
from transforms.quality import SIGNALS
from transforms.records import Document, Failure, Reason, Rejection

WORKERS = 4
CHUNK = 10_000
PARAGRAPH = ("The council met on Tuesday to discuss the harbour plan, and residents who spoke at the meeting "
             "welcomed the proposal while asking for more detail on costs. ")
REASONS = (Reason.GOPHER_QUALITY, Reason.DUPLICATE_EXACT, Reason.LANGUAGE_NOT_ALLOWED)


def outcome(i: int) -> tuple[str, object]:
    """Row i as (kind, record): deterministic, cheap to make."""
    if i % 100 < 3:
        return "failed", Failure(stage="read", source=f"part-{i % 97}.jsonl", position=i, id=f"r{i}", error_type="JSONDecodeError",
                                 message=f"Expecting value: line {i} column 1")
    domain = f"site{i % 1000}.example"
    text = PARAGRAPH * (3 + i % 20) + f"Story number {i}."
    doc = Document(
        id=f"doc-{i:09d}", text=text, source=f"part-{i % 97}.jsonl", source_format="jsonl", position=i, url=f"https://{domain}/{i}",
        domain=domain, chars_in=len(text) + 400 + i % 700, lines_removed=4, chars_removed=400,
        rule_counts=(("boilerplate_domain", 2), ("share_prompt", 1), ("newsletter", 1)),
        removed_examples=(("boilerplate_domain", f"Footer of {domain}"), ("boilerplate_domain", "Home | World | Sport"),
                          ("share_prompt", "Share this article"), ("newsletter", f"Subscribe to {domain}")),
        signals={name: ((i * 7 + k * 13) % 1000) / (1000 if k % 2 else 3) for k, name in enumerate(SIGNALS)},
        language="en" if i % 9 else "de", language_score=0.99,
    )
    slot = i % 100
    if slot < 20:
        if slot < 8:  # near-duplicates of this hundred's row 30: a cluster of 9
            survivor = i - slot + 30
            return "rejected", Rejection(doc=doc, reason=Reason.DUPLICATE_NEAR, detail=f"near-duplicate of doc-{survivor:09d}",
                                         stage="near_dedup", duplicate_of=f"doc-{survivor:09d}")
        reason = REASONS[slot % 3]
        return "rejected", Rejection(doc=doc, reason=reason, detail=str(reason), stage="quality" if reason == Reason.GOPHER_QUALITY else "x")
    if slot == 30:
        return "clean", doc.with_(dup_cluster=doc.id, dup_cluster_size=9)
    return "clean", doc


def chunks(rows: int) -> Iterator[list[tuple[str, object]]]:
    for start in range(0, rows, CHUNK):
        yield [outcome(i) for i in range(start, min(start + CHUNK, rows))]


def job_part(rows: int) -> tuple[dict, float, float, int]:
    """Fold every row as the workers would; returns (stats, adder seconds, keying seconds, accumulator bytes)."""
    workers = [new_accumulator() for _ in range(WORKERS)]
    boilerplate: dict[tuple, list] = {}
    clusters: dict[str, list] = {}
    adding = keying = 0.0
    for chunk in chunks(rows):
        t0 = time.process_time()
        for n, (kind, record) in enumerate(chunk):
            acc = workers[n % WORKERS]
            ADDERS["read"](acc, record)
            ADDERS[kind](acc, record)
        t1 = time.process_time()
        for kind, record in chunk:
            if kind == "failed":
                continue
            d = record if kind == "clean" else record.doc
            for key, pair in boilerplate_keys(d):
                boilerplate.setdefault(key, []).append(pair)
            for key, part in cluster_keys(record):
                clusters.setdefault(key, []).append(part)
        keying += time.process_time() - t1
        adding += t1 - t0
    # the per-key combines and the final merge: their cost grows with domains and clusters, not rows
    total = new_accumulator()
    for acc in workers:
        merge(total, acc)
    merge_keyed(total, boilerplate, clusters)
    size = len(pickle.dumps(workers[0]))
    return finish(total, load_lookalike_pack(CleanConfig())), adding, keying, size


def driver_part(stats_path: Path, out: Path) -> float:
    """What pipeline/run.py does after the job: read the stats, write report.json, draw report.html."""
    t0 = time.perf_counter()
    stats = read_json(str(stats_path))
    report = build_report(stats, config={}, config_hash="x", inputs=["synthetic"], outputs={}, timings={}, options=[])
    write_report(str(out), report)
    write_html(str(out))
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    print(f"{'rows':>10} {'adders us/row':>14} {'keys us/row':>12} {'worker acc KB':>14} {'stats KB':>9} "
          f"{'report.json KB':>15} {'html KB':>8} {'driver ms (median)':>19}")
    for rows in args.rows:
        stats, adding, keying, acc_bytes = job_part(rows)
        assert stats["input"] == stats["clean"] + stats["rejected"] + stats["failed"] == rows
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            stats_path = folder / "_stats.json"
            write_json(str(stats_path), stats)
            times = [driver_part(stats_path, folder) for _ in range(args.repeats)]
            sizes = [(folder / name).stat().st_size / 1e3 for name in ("_stats.json", "report.json", "report.html")]
            report = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            assert report["counts"]["balanced"] and report["counts"]["input"] == rows
        print(f"{rows:>10,} {1e6 * adding / rows:>14.1f} {1e6 * keying / rows:>12.1f} {acc_bytes / 1e3:>14.0f} {sizes[0]:>9.0f} "
              f"{sizes[1]:>15.0f} {sizes[2]:>8.0f} {1e3 * statistics.median(times):>19.1f}")


if __name__ == "__main__":
    main()
