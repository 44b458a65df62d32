"""Digests of a run's records, to show a speed change left every output as it was.

`python -m benchmarks.output_digest OUT_DIR [OUT_DIR ...]`

For each output directory of `python -m pipeline.run`, one line per output: clean, rejected,
failed and index rows (every column, rows sorted, so the worker count and the order of the files
do not matter; a failure's traceback frames are left out, they name the step that caught it) and
report.json without what changes from run to run (timings, command, paths, versions, Beam flags).
Two runs wrote the same records when their lines are equal.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os

import pyarrow.parquet as pq

VARIABLE = ("timings", "command", "inputs", "outputs", "versions", "beam_options")


def rows_digest(folder: str) -> tuple[int, str]:
    """(row count, sha256 of the sorted rows) of every Parquet file under `folder`."""
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True)):
        for row in pq.read_table(path).to_pylist():
            if "traceback" in row:
                row["traceback"] = (row["traceback"] or "").strip().splitlines()[-1:]  # the error line only
            rows.append(json.dumps(row, sort_keys=True, default=repr))
    rows.sort()
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def report_digest(out_dir: str) -> str:
    with open(os.path.join(out_dir, "report.json")) as f:
        report = json.load(f)
    for key in VARIABLE:
        report.pop(key, None)
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode()).hexdigest()[:16]


def digests(out_dir: str) -> dict[str, str]:
    out = {}
    for name in ("clean", "rejected", "failed", "index"):
        rows, digest = rows_digest(os.path.join(out_dir, name))
        out[name] = f"{rows} rows {digest}"
    out["report.json"] = report_digest(out_dir)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dirs", nargs="+")
    args = ap.parse_args()
    for out_dir in args.out_dirs:
        print(out_dir, json.dumps(digests(out_dir)))


if __name__ == "__main__":
    main()
