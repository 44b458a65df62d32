"""The run report: its data gathered inside Beam (`pipeline/report_data.py`), assembled into
report.json by the driver.

Counts come from the output records themselves (not from runner metrics, whose names and
availability differ between runners), combined with CombineFns so they scale like the rest; so do
the histograms and samples the page shows. The driver only reads the job's small stats file, so
its work does not grow with the corpus. `report.json` is written last: its presence marks a
finished run.
"""

from __future__ import annotations

import json
import platform
import sys
from importlib import metadata
from typing import Any, Mapping

from apache_beam.io.filesystems import FileSystems

from pipeline.config import cut
from pipeline.field_paths import absent_field_warnings, read_fields_report
from pipeline.report_data import CountOutcomes, merge_counts, write_json
from pipeline.usage import say

__all__ = ["CountOutcomes", "build_report", "funnel", "merge_counts", "read_json", "write_report"]

REPORT_FILE = "report.json"
STATS_FILE = "_stats.json"
# Stage order of the funnel; a stage absent from a run simply shows no losses.
STAGES = ("read", "url_filter", "extract", "clean", "boilerplate", "pii", "language", "quality", "prior_dedup", "exact_dedup", "near_dedup")
PACKAGES = ("apache-beam", "trafilatura", "langdetect", "datasketch", "pyarrow", "pyyaml")


def funnel(stats: Mapping[str, Any], skipped: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Documents in and out of each stage, from the per-stage rejection and failure counts;
    `skipped`: stages this run did not build (prior_dedup without --dedup-against)."""
    rows = []
    remaining = stats.get("input", 0)
    rejected = stats.get("rejected_by_stage", {})
    failed = stats.get("failed_by_stage", {})
    ran = tuple(s for s in STAGES if s not in skipped or s in rejected or s in failed)
    for stage in ran + tuple(sorted((set(rejected) | set(failed)) - set(STAGES))):
        lost_r, lost_f = rejected.get(stage, 0), failed.get(stage, 0)
        rows.append({"stage": stage, "in": remaining, "rejected": lost_r, "failed": lost_f, "out": remaining - lost_r - lost_f})
        remaining -= lost_r + lost_f
    return rows


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def read_json(path: str) -> dict[str, Any]:
    with FileSystems.open(path) as f:
        return json.loads(f.read().decode("utf-8"))


def build_report(stats: Mapping[str, Any], *, config: Mapping[str, Any], config_hash: str, inputs: list[str],
                 outputs: Mapping[str, str], timings: Mapping[str, float], options: list[str]) -> dict[str, Any]:
    counts = {k: int(stats.get(k, 0)) for k in ("input", "clean", "rejected", "failed")}
    counts["balanced"] = counts["input"] == counts["clean"] + counts["rejected"] + counts["failed"]
    if "sampled_out" in stats:  # left out by --sample: never read into the run, so apart from the input
        counts["sampled_out"] = int(stats["sampled_out"])
    return {
        "counts": counts,
        "rejected_by_reason": dict(sorted(stats.get("rejected_by_reason", {}).items())),
        "rejected_by_stage": dict(sorted(stats.get("rejected_by_stage", {}).items())),
        "failed_by_stage": dict(sorted(stats.get("failed_by_stage", {}).items())),
        "rejected_by_stage_reason": {k: dict(sorted(v.items())) for k, v in sorted(stats.get("rejected_by_stage_reason", {}).items())},
        "rules": dict(sorted(stats.get("rules", {}).items())),
        "languages": dict(sorted(stats.get("languages", {}).items(), key=lambda kv: (-kv[1], kv[0]))),
        "chars": stats.get("chars", {}),
        "pii": dict(sorted(stats.get("pii", {}).items())),
        "near_dedup": near_dedup_report(stats.get("near_dedup", {})),
        # prior_dedup is built only when the run dedups against earlier runs
        "funnel": funnel(stats, () if config.get("prior_dedup", {}).get("against") else ("prior_dedup",)),
        # what the page draws, gathered in the job: fixed-bin histograms, bounded samples
        "histograms": stats.get("histograms", {}),
        "samples": stats.get("samples", {}),
        "boilerplate": stats.get("boilerplate", {}),
        # a field name set away from its default that found nothing in any record: most likely a
        # mistake, which left every title (or url, id, ...) empty without a word (hostile round 22)
        "read_fields": read_fields_report(stats.get("read_fields", {})),
        "warnings": absent_field_warnings(stats.get("read_fields", {}), config.get("read", {})),
        "inputs": inputs,
        "outputs": dict(outputs),
        "config": config,
        "config_hash": config_hash,
        "versions": versions(),
        "beam_options": options,
        "timings": dict(timings),
        "command": " ".join(sys.argv),
    }


def near_dedup_report(counts: Mapping[str, Any]) -> dict[str, Any]:
    """Clusters found, their size distribution, and the candidate pairs verification turned down."""
    keys = ("clusters", "docs_in_clusters", "pairs_verified", "pairs_rejected_by_verification", "hot_buckets", "unconverged_nodes")
    out: dict[str, Any] = {k: int(counts.get(k, 0)) for k in keys}
    out["cluster_sizes"] = dict(sorted(counts.get("cluster_sizes", {}).items(), key=lambda kv: int(kv[0].split("-")[0])))
    return out


def write_report(out_dir: str, report: Mapping[str, Any]) -> str:
    path = FileSystems.join(out_dir, REPORT_FILE)
    write_json(path, report)
    return path


def main(argv: list[str] | None = None) -> int:
    """`python -m pipeline.report OUT_DIR`: rebuild report.html from a finished run's report.json
    (the Parquet outputs are not read)."""
    import argparse

    from pipeline.inputs import from_file_uri
    from pipeline.report_html import write_html  # it imports this module: import at call time

    parser = argparse.ArgumentParser(prog="python -m pipeline.report", description=main.__doc__)
    parser.add_argument("out_dir", help="the --output folder (or URI) of a finished run")
    args = parser.parse_args(argv)

    # a file:// URI is the local path, as for `pipeline.run`; a cloud URI without its Beam extra
    # (gs:// without `.[gcp]`), an unknown scheme or an unreachable bucket was a traceback, exit 1
    # (hostile round 9): one line, exit 2
    try:
        out_dir = from_file_uri(args.out_dir)
        report_path = FileSystems.join(out_dir, REPORT_FILE)
        found = FileSystems.exists(report_path)
    except Exception as exc:  # noqa: BLE001 - any filesystem error is the same mistake to the user
        say(f"error: cannot read {cut(args.out_dir)}: {cut(' '.join(str(exc).split()), 200)}")
        return 2
    if not found:
        say(f"error: {report_path} not found: not a finished run")
        return 2
    try:
        page = write_html(out_dir)
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, ArithmeticError, RecursionError) as exc:
        # a report.json cut short (a copy or a full disk) or not written by this pipeline: one line,
        # not a traceback (json.JSONDecodeError and UnicodeDecodeError are ValueErrors; a count of
        # 1e999 is an OverflowError, arrays nested thousands deep a RecursionError: hostile round 9)
        say(f"error: {report_path} cannot be drawn: {type(exc).__name__}: {cut(str(exc))}")
        return 2
    say(page, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
