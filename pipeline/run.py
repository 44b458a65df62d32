"""Entry point: `python -m pipeline.run --input 'samples/*.txt' --output out/`.

Our flags are parsed here; every other flag goes to Beam's PipelineOptions untouched (`--runner`,
`--direct_num_workers`, `--project`, ...). Mistakes the user can fix (a bad flag, a missing input,
a config error, an output folder that already holds a run) are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import logging
import os
import sys
import time
from typing import NoReturn, Sequence


class _QuietBeamNoise(logging.Filter):
    """Drop Beam warnings that say nothing to a user of this pipeline: the GCP client notice (we
    do not need GCP locally) and the tag-hint notice its dead-letter wrapper logs for every stage."""

    NOISE = ("apitools not found", "requested in with_outputs() but not declared in type hints")

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


logging.getLogger().addFilter(_QuietBeamNoise())  # before Beam is imported: it warns at import

import apache_beam as beam  # noqa: E402
from apache_beam.io.filesystems import FileSystems  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions, _BeamArgumentParser  # noqa: E402

from pipeline.build import build, output_paths  # noqa: E402
from pipeline.config import Config, ConfigError, load_config  # noqa: E402
from pipeline.io import FORMATS  # noqa: E402
from pipeline.progress import DEFAULT_INTERVAL, ProgressPrinter  # noqa: E402
from pipeline.report import REPORT_FILE, build_report, read_json, versions, write_report  # noqa: E402
from pipeline.report_html import HTML_FILE, write_html  # noqa: E402
from transforms.prior_dedup import INDEX_DIR, check_indexes  # noqa: E402
from transforms.url_filter import check_lists  # noqa: E402

DEFAULT_CONFIG = "configs/default.yaml"
SUCCESS_FILE = "_SUCCESS"
# Offline and deterministic by default: the FnApi-based direct runner in-process. Beam's plain
# DirectRunner may first try to download the Prism runner, so behaviour would depend on the network.
# Beam type-checks every step's hints while it builds the graph: 0.3 of the graph's 1.7 CPU
# seconds (153 ParDos), paid on every run although the graph is the same each time. The test
# suite builds that whole graph with the check on (test_job_graph_builds_for_dataflow_without_submitting),
# so a local run skips it.
DEFAULT_BEAM_ARGS = ["--runner=DirectRunner", "--direct_running_mode=in_memory", "--direct_num_workers=1", "--no_pipeline_type_check"]
# From this much input on, a local run uses a worker process per core: each worker costs a few
# seconds to start (it re-imports Beam and loads the language profiles), which a big input repays
# and a small one does not (measured crossover in docs/runners.md).
PARALLEL_INPUT_BYTES = 8 << 20


def local_beam_args(input_bytes: int, cores: int) -> list[str]:
    """The local runner's flags for an input of this size on this many cores."""
    if cores > 1 and input_bytes >= PARALLEL_INPUT_BYTES:
        # Worker processes log Beam's start-up notices (about 50 lines of INFO and WARNING) to
        # the terminal; errors still show, and a record's own errors go to failed/ anyway.
        return ["--runner=DirectRunner", "--direct_running_mode=multi_processing", f"--direct_num_workers={cores}",
                "--default_sdk_harness_log_level=ERROR", "--no_pipeline_type_check"]
    return DEFAULT_BEAM_ARGS


def usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class UsageError(Exception):
    """Something the user can fix from the command line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _parser() -> _Parser:
    parser = _Parser(prog="python -m pipeline.run", description=__doc__, allow_abbrev=False)
    parser.add_argument("--config", default=None, help=f"YAML config (default: {DEFAULT_CONFIG} if present)")
    parser.add_argument("--input", action="append", default=[], help="file or glob; repeatable (default: samples/*.txt)")
    parser.add_argument("--format", choices=["auto", *FORMATS], default=None)
    parser.add_argument("--output", default="output", help="output folder or URI (default: output)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--overwrite", action="store_true", help="replace a previous run in --output")
    parser.add_argument("--dedup-against", dest="dedup_against", action="append", default=[], metavar="RUN",
                        help="an earlier run's output folder: its clean documents survive, copies of them are rejected; repeatable")
    parser.add_argument("--sample", type=float, default=None, metavar="FRACTION",
                        help="keep this share of the input, chosen by a hash of the id (the same documents every run)")
    parser.add_argument("--progress", type=float, default=DEFAULT_INTERVAL, metavar="SECONDS",
                        help=f"print progress to stderr at most this often (default: {DEFAULT_INTERVAL:g}; 0: off)")
    return parser


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    return _parser().parse_known_args(list(argv))


def beam_options(extra: list[str], input_bytes: int = 0) -> PipelineOptions:
    """Our defaults (sized to the input), then the user's Beam flags; an unknown flag is an error,
    not a silent warning."""
    parser = _BeamArgumentParser(allow_abbrev=False)
    for cls in {str(c): c for c in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)  # same parser Beam builds in get_all_options()
    _, unknown = parser.parse_known_args(extra)
    if unknown:
        known = [o for p in (parser, _parser()) for action in p._actions for o in action.option_strings]
        hint = difflib.get_close_matches(unknown[0].split("=", 1)[0], known, n=1)
        raise UsageError(f"unrecognised argument {unknown[0]!r}" + (f"; did you mean {hint[0]}?" if hint else ""))
    given = {a.split("=", 1)[0] for a in extra if a.startswith("--")}
    defaults = [a for a in local_beam_args(input_bytes, usable_cores()) if a.split("=", 1)[0] not in given]
    if "--runner" in given:
        defaults = []  # another runner: its own defaults
    return PipelineOptions(defaults + extra)


def resolve_config(args: argparse.Namespace) -> Config:
    path = args.config
    if path is None and FileSystems.exists(DEFAULT_CONFIG):
        path = DEFAULT_CONFIG
    overrides = list(args.overrides)
    if args.format:
        overrides.append(f"read.format={args.format}")
    if args.dedup_against:
        overrides.append("prior_dedup.against=" + json.dumps(args.dedup_against))
    if args.sample is not None:
        overrides.append(f"sample.fraction={args.sample}")
    return load_config(path, overrides)


def check_inputs(patterns: list[str]) -> int:
    """Every pattern matches at least one file; returns the bytes they match."""
    total = 0
    for pattern in patterns:
        try:
            matched = FileSystems.match([pattern])[0].metadata_list
        except Exception as exc:  # a malformed URI or an unreachable bucket
            raise UsageError(f"cannot read input {pattern!r}: {exc}") from exc
        if not matched:
            raise UsageError(f"input {pattern!r} matches no file")
        total += sum(m.size_in_bytes for m in matched)
    return total


def prepare_output(out_dir: str, overwrite: bool) -> None:
    """Refuse to mix two runs in one folder; with --overwrite, clear the previous run's outputs."""
    previous = [FileSystems.join(out_dir, name) for name in ("clean", "rejected", "failed", INDEX_DIR, REPORT_FILE, HTML_FILE, SUCCESS_FILE)]
    existing = [p for p in previous if FileSystems.exists(p)]
    if existing and not overwrite:
        raise UsageError(f"output {out_dir!r} already holds a run; pass --overwrite to replace it")
    if existing:
        FileSystems.delete(existing)


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    try:
        args, extra = parse_args(sys.argv[1:] if argv is None else argv)
        cfg = resolve_config(args)
        inputs = args.input or ["samples/*.txt"]
        input_bytes = check_inputs(inputs)
        try:
            url_lists = check_lists(cfg.url_filter)  # read once here: a bad list fails before anything runs
            check_indexes(cfg.prior_dedup, cfg.near_dedup)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
        extra = list(cfg.runner.beam_args) + extra  # the config's runner flags; the command line's win
        options = beam_options(extra, input_bytes)
        prepare_output(args.output, args.overwrite)
    except (UsageError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    out_dir = args.output
    config_hash = cfg.digest()
    run_metadata = {"config_hash": config_hash, "versions": str(versions())}
    if url_lists:
        run_metadata["url_lists"] = ",".join(f"{k}={v}" for k, v in sorted(url_lists.items()))
    started = time.monotonic()
    direct = options.get_all_options()
    where = (f", {direct['direct_num_workers']} {direct['direct_running_mode']} worker(s)"
             if str(direct.get("runner") or "").endswith("DirectRunner") else "")
    size = f"{input_bytes / 1e6:.1f} MB" if input_bytes >= 100_000 else f"{input_bytes / 1e3:.0f} KB"
    print(f"Running on {len(inputs)} input pattern(s), {size}{where} -> {out_dir}", file=sys.stderr)
    with ProgressPrinter(args.progress) if args.progress > 0 else contextlib.nullcontext() as progress:
        p = beam.Pipeline(options=options)
        build(p, cfg, inputs, out_dir, run_metadata, progress=progress.tally if progress else None)
        built = time.monotonic()
        result = p.run()  # returns at once on Dataflow/Flink: the printer then polls its metrics
        if progress:
            progress.attach(result)
        result.wait_until_finish()
    wall = time.monotonic() - started

    paths = output_paths(out_dir)
    stats = read_json(paths["stats"])
    FileSystems.delete([paths["stats"]])
    report = build_report(
        stats,
        config=cfg.to_dict(),
        config_hash=config_hash,
        inputs=inputs,
        outputs={k: v for k, v in paths.items() if k != "stats"},
        # building the job graph is the driver's own fixed cost; running includes the runner's
        # start-up (worker processes, stage set-up) and every stage
        timings={"wall_seconds": round(wall, 3), "build_seconds": round(built - started, 3),
                 "run_seconds": round(wall - (built - started), 3)},
        options=extra,
    )
    report_path = write_report(out_dir, report)
    html_path = write_html(out_dir)
    with FileSystems.create(FileSystems.join(out_dir, SUCCESS_FILE)):
        pass
    c = report["counts"]
    print(
        f"Done in {wall:.1f}s: {c['input']} read -> {c['clean']} clean, {c['rejected']} rejected, {c['failed']} failed.\n"
        f"  clean:    {paths['clean']}/\n  rejected: {paths['rejected']}/\n  failed:   {paths['failed']}/\n"
        f"  report:   {report_path}\n  html:     {html_path}"
    )
    return 0 if c["balanced"] else 1


if __name__ == "__main__":
    sys.exit(main())
