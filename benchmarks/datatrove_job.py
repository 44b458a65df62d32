"""datatrove's closest equivalent of our job, run by `benchmarks/throughput.py` in datatrove's own venv.

`<datatrove venv>/bin/python benchmarks/datatrove_job.py --input corpus.jsonl --work /tmp/dt --tasks 1`

This file imports only datatrove (it runs in another interpreter than the project). The steps are
the ones datatrove's own FineWeb example chains: JSONL reader -> Gopher repetition, Gopher quality
and C4 filters -> JSONL (filtered) -> MinHash signatures -> buckets -> clusters -> the filtered
documents re-read, MinHash filter -> Parquet. Left out: its fastText language filter (it downloads
a model at run time; our pipeline runs langdetect, so this favours datatrove).
"""

from __future__ import annotations

import argparse
import os
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True, help="one JSONL file")
    ap.add_argument("--work", required=True, help="empty working folder")
    ap.add_argument("--tasks", type=int, default=1)
    args = ap.parse_args()

    from datatrove.executor.local import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter
    from datatrove.pipeline.readers import JsonlReader
    from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

    folder, name = os.path.split(os.path.abspath(args.input))
    work = os.path.abspath(args.work)
    tasks = args.tasks
    mh = MinhashConfig()  # 14 buckets x 8 hashes, 5-grams: datatrove's defaults

    def run(label: str, pipeline: list, n_tasks: int) -> float:
        started = time.perf_counter()
        workers = min(n_tasks, tasks)  # never more processes than the cores we were given
        LocalPipelineExecutor(pipeline, tasks=n_tasks, workers=workers, logging_dir=f"{work}/logs/{label}").run()
        return time.perf_counter() - started

    times = {
        "filters": run("filters", [
            JsonlReader(folder, glob_pattern=name),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            C4QualityFilter(filter_no_terminal_punct=False),
            JsonlWriter(f"{work}/filtered"),
        ], tasks),
        "signatures": run("signatures", [
            JsonlReader(f"{work}/filtered"),
            MinhashDedupSignature(output_folder=f"{work}/signatures", config=mh),
        ], tasks),
        "buckets": run("buckets", [
            MinhashDedupBuckets(input_folder=f"{work}/signatures", output_folder=f"{work}/buckets", config=mh),
        ], mh.num_buckets),
        "clusters": run("clusters", [
            MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids", config=mh),
        ], 1),
        "filter_write": run("filter_write", [
            JsonlReader(f"{work}/filtered"),
            MinhashDedupFilter(input_folder=f"{work}/remove_ids"),
            ParquetWriter(f"{work}/output"),
        ], tasks),
    }
    print("DATATROVE_STAGES " + " ".join(f"{k}={v:.3f}" for k, v in times.items()))


if __name__ == "__main__":
    main()
