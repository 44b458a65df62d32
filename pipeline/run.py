"""Entry point: `python -m pipeline.run --input 'samples/*.txt' --output out/`.

Our flags are parsed here; every other flag goes to Beam's PipelineOptions untouched (`--runner`,
`--direct_num_workers`, `--project`, ...). Mistakes the user can fix (a bad flag, a missing input,
a config error, an output folder that already holds a run) are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import json
import logging
import math
import os
import re
import shlex
import shutil
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Any, NoReturn, Sequence


class _QuietBeamNoise(logging.Filter):
    """Drop the tag-hint notice Beam's dead-letter wrapper logs for every stage: it says nothing to a
    user of this pipeline. (Beam's GCP notice on import is dropped where Beam is first imported:
    transforms/beam_import.py.)"""

    NOISE = ("requested in with_outputs() but not declared in type hints",)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not any(noise in message for noise in self.NOISE)


logging.getLogger().addFilter(_QuietBeamNoise())


class _QuietNoSpace(logging.Filter):
    """Drop the traceback Beam logs for a step that hit a full disk (in this process, or relayed from
    a worker process as text): the run then stops with one line saying so (no_space), and the
    traceback names only the sink's internals."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and damaged_index(record.exc_info[1]) is not None:
            return False  # an earlier run's index damaged or changed under the run: one line too (damaged_index)
        return not (no_space(record.exc_info[1]) if record.exc_info else names_no_space(record.getMessage()))


for _name in ("apache_beam.runners.common", "apache_beam.runners.portability.local_job_service"):
    logging.getLogger(_name).addFilter(_QuietNoSpace())

import apache_beam as beam  # noqa: E402
from apache_beam.io.filesystems import FileSystems  # noqa: E402
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions, _BeamArgumentParser  # noqa: E402
from apache_beam.runners.runner import PipelineRunner, create_runner  # noqa: E402

from pipeline.build import build, output_paths  # noqa: E402
from pipeline.config import Config, ConfigError, cut, load_config, shipped_config  # noqa: E402
from pipeline.documents import shown_path  # noqa: E402
from pipeline.formats import FORMATS  # noqa: E402
from pipeline.inputs import distinct_files, match_input  # noqa: E402
from pipeline.output_folder import (  # noqa: E402
    check_not_being_written, check_output, clear_stale_staging, local_path, make_staging, output_folder, output_lock,
    remove_staging, run_paths, swap_in,
)  # fmt: skip
from pipeline.progress import DEFAULT_INTERVAL, ProgressPrinter  # noqa: E402
from pipeline.report import REPORT_FILE, build_report, read_json, versions, write_report  # noqa: E402
from pipeline import report_html  # noqa: E402
from pipeline.report_html import HTML_FILE  # noqa: E402
from pipeline.usage import UsageError, names_no_space, no_space, path_text, say, usage_error  # noqa: E402
from transforms.clean import CleanFiles, RulePackError, read_clean_files  # noqa: E402
from transforms.prior_dedup import SUCCESS_FILE, check_indexes, damaged_index, run_of  # noqa: E402
from transforms.url_filter import check_lists  # noqa: E402

# Without --config: configs/default.yaml of the folder we run in (a clone), else the shipped one.
DEFAULT_CONFIG = "configs/default.yaml"
DEFAULT_INPUT = "samples/*.txt"
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


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class _BeamParser(_BeamArgumentParser):
    """Beam's own option parser, whose mistakes (`--direct_num_workers abc`) are one line, not
    Beam's usage text and a SystemExit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


class _StoreOnce(argparse._StoreAction):
    """A flag of one value: given twice with two values, a usage error naming it. argparse keeps the
    last, without a word: `--output a --output b` wrote the run to b, `--format text --format jsonl`
    read text files as JSON lines, `--direct_num_workers 1 --direct_num_workers 4` ran four (hostile
    round 28). Given twice with one value, it is that value. Repeatable flags (`--input`, `--set`,
    `--dedup-against`, Beam's `--experiments`) append, and are not this action."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        given = getattr(self, "given", _UNSET)
        if given is not _UNSET and given != values:
            parser.error(f"{option_string} given twice ({cut(repr(given))}, then {cut(repr(values))}): it takes one value; "
                         "give it once")
        self.given = values
        super().__call__(parser, namespace, values, option_string)


_UNSET = object()


def _beam_parser() -> _BeamParser:
    """Every Beam flag, as Beam's get_all_options() parses them, its mistakes usage errors."""
    parser = _BeamParser(allow_abbrev=False)
    for cls in {str(c): c for c in PipelineOptions.__subclasses__()}.values():
        cls._add_argparse_args(parser)
    return parser


def beam_flags_given_once(extra: list[str]) -> None:
    """A usage error when the command line gives one of Beam's single-valued flags twice with two
    values (`_StoreOnce`). The config's `runner.beam_args` come before the command line's, which
    win: that repeat is by design, so only the command line's own flags are looked at."""
    parser = _beam_parser()
    for action in parser._actions:
        if type(action) is argparse._StoreAction:
            action.__class__ = _StoreOnce
    parser.parse_known_args(extra)


def prog() -> str:
    """How the user started us: the installed `newsclean` command or `python -m pipeline.run`."""
    return "newsclean" if Path(sys.argv[0]).stem == "newsclean" else "python -m pipeline.run"


def _parser() -> _Parser:
    parser = _Parser(prog=prog(), description=__doc__, allow_abbrev=False)
    parser.add_argument("--config", action=_StoreOnce, type=_path, default=None,
                        help="YAML config: a path, or the name of a shipped config (default, flink, dataflow); default: default")
    parser.add_argument("--input", type=_path, action="append", default=[], help=f"file or glob; repeatable (default: {DEFAULT_INPUT})")
    parser.add_argument("--format", action=_StoreOnce, choices=["auto", *FORMATS], default=None)
    parser.add_argument("--output", action=_StoreOnce, type=_path, default="output", help="output folder or URI (default: output)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--overwrite", action="store_true", help="replace a previous run in --output once this one has finished")
    parser.add_argument("--dedup-against", dest="dedup_against", type=_path, action="append", default=[], metavar="RUN",
                        help="an earlier run's output folder: its clean documents survive, copies of them are rejected; repeatable")
    parser.add_argument("--sample", action=_StoreOnce, type=float, default=None, metavar="FRACTION",
                        help="keep this share of the input, chosen by a hash of the id (the same documents every run)")
    parser.add_argument("--progress", action=_StoreOnce, type=_seconds, default=DEFAULT_INTERVAL, metavar="SECONDS",
                        help=f"print progress to stderr at most this often (default: {DEFAULT_INTERVAL:g}; 0: off)")
    return parser


def _path(value: str) -> str:
    """A path flag's value, not empty nor blank: `--output "$OUT"` with OUT unset wrote the run into
    the current folder, among its files, and `--dedup-against ""` deduplicated against it, and
    `--config ""` ran the default config without a word (hostile round 9)."""
    if not value.strip():
        raise ValueError(value)
    # A leading ~ is the home folder, as the shell would have made it: it expands only a word's
    # first ~, so `--output=~/runs/day1` and a quoted '~/runs' reached us as written, and the run
    # went to a folder named `~` in the current one, reported as "-> ~/runs/day1" (hostile round
    # 19). A folder named ~ is still reached as ./~
    return os.path.expanduser(value) if value.startswith("~") else value


_path.__name__ = "path (empty: an unset shell variable?)"  # argparse names the type in its error


def _seconds(value: str) -> float:
    """--progress: `inf` made the printer's thread die with an OverflowError traceback (its wait
    cannot be that long), and `nan` or a negative number turned progress off without a word."""
    seconds = float(value)
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(value)
    return seconds


_seconds.__name__ = "number of seconds (0 or more; 0: off)"  # argparse names the type in its error


def parse_args(argv: Sequence[str]) -> tuple[argparse.Namespace, list[str]]:
    return _parser().parse_known_args(list(argv))


def _given(args: list[str]) -> set[str]:
    return {a.split("=", 1)[0] for a in args if a.startswith("--")}


def beam_options(extra: list[str], input_bytes: int = 0) -> PipelineOptions:
    """Our defaults (sized to the input), then the user's Beam flags; an unknown flag or a bad
    value is an error, not a silent warning or Beam's usage text."""
    parser = _beam_parser()
    _, unknown = parser.parse_known_args(extra)
    if unknown:
        known = [o for p in (parser, _parser()) for action in p._actions for o in action.option_strings]
        hint = difflib.get_close_matches(unknown[0].split("=", 1)[0], known, n=1)
        raise UsageError(f"unrecognised argument {cut(repr(unknown[0]))}" + (f"; did you mean {hint[0]}?" if hint else ""))
    given = _given(extra)
    defaults = [a for a in local_beam_args(input_bytes, usable_cores()) if a.split("=", 1)[0] not in given]
    if "--runner" in given:
        defaults = []  # another runner: its own defaults
    options = PipelineOptions(defaults + extra)
    workers = options.get_all_options().get("direct_num_workers")
    if isinstance(workers, int) and workers < 0:
        # Beam takes any int and the direct runner crashes with an IndexError traceback mid-run
        raise UsageError(f"--direct_num_workers {workers}: expected a number of workers, 1 or more (0: one per core)")
    if (options.get_all_options().get("direct_running_mode") == "multi_processing"
            and "--default_sdk_harness_log_level" not in given):
        # worker processes print ~50 lines of start-up INFO to the terminal otherwise (errors still show)
        options = PipelineOptions(defaults + extra + ["--default_sdk_harness_log_level=ERROR"])
    return options


def make_runner(options: PipelineOptions) -> PipelineRunner | None:
    """The runner `--runner` names, made now so that a typo is a usage error before anything runs."""
    name = options.view_as(StandardOptions).runner
    if not name:
        return None  # Beam's own default
    if not isinstance(name, str):
        return name
    try:
        return create_runner(name)
    except ValueError as exc:
        known = [n for n in StandardOptions.KNOWN_RUNNER_NAMES if not n.startswith("Test")]
        hint = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
        raise UsageError(f"unknown runner {cut(repr(name))}" + (f"; did you mean {hint[0]}?" if hint else "")
                         + f" Beam knows {', '.join(known)} (or a module.Class path)") from exc
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"runner {cut(repr(name))} is not available here: {cut(str(exc), 200)}") from exc


def resolve_setup_file(args: list[str]) -> list[str]:
    """`--setup_file=./setup.py` (what the shipped Flink and Dataflow configs say) from any folder:
    a relative path missing here is looked up in the source tree we run from; missing there too, it
    is a one-line error now rather than a failed submission later."""
    out = []
    for arg in args:
        if arg.startswith("--setup_file="):
            given = arg.split("=", 1)[1]
            source = Path(__file__).resolve().parents[1] / given
            if not Path(given).is_file():
                if Path(given).is_absolute() or not source.is_file():
                    raise UsageError(f"--setup_file {path_text(given)} not found: run from the newsclean source tree "
                                     "or pass --setup_file=/path/to/newsclean/setup.py")
                arg = f"--setup_file={source}"
        out.append(arg)
    return out


def resolve_config(args: argparse.Namespace) -> Config:
    overrides = list(args.overrides)
    if args.format:
        overrides.append(f"read.format={args.format}")
    if args.dedup_against:
        # a file: URI is a local path here as in --input and --output (Beam has no file system for it)
        overrides.append("prior_dedup.against=" + json.dumps([local_path(run) for run in args.dedup_against]))
    if args.sample is not None:
        overrides.append(f"sample.fraction={args.sample}")
    path = args.config or (DEFAULT_CONFIG if Path(DEFAULT_CONFIG).is_file() else shipped_config("default"))
    return load_config(path, overrides)


def with_runs_named(cfg: Config) -> Config:
    """`cfg` with each earlier run to dedup against named by its folder (`prior_dedup.run_of`: a
    run's `index/` folder given for the run), from the command line or the config file alike."""
    runs = tuple(run_of(run) for run in cfg.prior_dedup.against)
    if runs == cfg.prior_dedup.against:
        return cfg
    return dataclasses.replace(cfg, prior_dedup=dataclasses.replace(cfg.prior_dedup, against=runs))


def default_inputs() -> list[str]:
    """samples/*.txt of the folder we run in, else of the source tree we run from (an editable
    install); an installed package has no samples."""
    if Path("samples").is_dir():
        return [DEFAULT_INPUT]
    here = Path(__file__).resolve().parents[1] / "samples"
    if here.is_dir():
        return [str(here / "*.txt")]
    raise UsageError("no --input given and no samples/ folder here: pass --input 'FILES'")


def check_inputs(patterns: list[str], fmt: str = "auto") -> tuple[int, list[str]]:
    """Every pattern matches at least one file (as the reader will match it); returns the bytes
    they match and their paths."""
    every = []
    for pattern in patterns:
        try:
            matched = match_input(pattern, fmt, strict=True)
        except ValueError as exc:  # nothing there, a folder of nothing readable, an earlier run
            raise UsageError(str(exc)) from exc
        except Exception as exc:  # a malformed URI or an unreachable bucket
            raise UsageError(f"cannot read input {path_text(pattern)}: {cut(str(exc), 200)}") from exc
        if not matched:
            raise UsageError(f"input {path_text(pattern)} matches no file")
        every.append(matched)
    files = distinct_files(every)  # as the reader reads them: a file two patterns name, once
    return sum(m.size_in_bytes for m in files), [m.path for m in files]


# --- the run -----------------------------------------------------------------------------------


def with_whitespace(chars: dict[str, int]) -> dict[str, int]:
    """report.json's `chars` with `whitespace_removed`: `removed` counts the characters of removed
    lines and sentences (the sum of `chars_removed`), not the line breaks and blank lines that went
    with them, so in = out + removed + whitespace_removed."""
    if not chars:
        return chars
    return {**chars, "whitespace_removed": chars["in"] - chars["out"] - chars["removed"]}


def command_line(argv: Sequence[str]) -> str:
    """The command as typed (`newsclean ...` or `python -m pipeline.run ...`), quoted for a shell."""
    return shlex.join([*prog().split(), *argv])


def write_html(staging: str) -> None:
    """report.html for the run in `staging`, drawn from its report.json alone (the same page
    `python -m pipeline.report` rebuilds once the run is swapped in)."""
    report_html.write_html(staging)


def job_server_error(exc: BaseException) -> str | None:
    """One line for Beam's "cannot download the job-server jar" (a Flink or Spark run offline)."""
    found = re.search(r"Unable to fetch remote job server jar at (\S+?\.jar)", str(exc))
    if not found:
        return None
    jar = found.group(1).rsplit("/", 1)[-1]
    runner = "Spark" if "spark" in jar else "Flink"
    return (f"could not fetch the {runner} job-server jar {jar} (offline?): download it and pass "
            f"--{runner.lower()}_job_server_jar=/path/to/{jar}, or pass --job_endpoint=HOST:PORT of a running job server")


# --- stopping: Ctrl-C or a `kill` is one line, and the output as it was ---------------------------


@contextlib.contextmanager
def on_signals(handler: Any) -> Any:
    """SIGINT and SIGTERM go to `handler` inside the block. Only the main thread may set handlers
    (a caller running main() in a thread keeps Python's own)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # a signal the command was started with ignored stays ignored, as while it starts (pipeline's
    # __init__): a shell without job control starts `newsclean ... &` with SIGINT ignored, so that
    # Ctrl-C at the terminal stops the script in front, not the run behind it
    previous = {s: signal.signal(s, handler) for s in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(s) is not signal.SIG_IGN}
    try:
        yield
    finally:
        for s, h in previous.items():
            signal.signal(s, h)


def main(argv: Sequence[str] | None = None) -> int:
    """Ctrl-C printed Beam's KeyboardInterrupt traceback, and a `kill` (SIGTERM: a scheduler's
    time limit, `timeout`) left the staging folder behind: both now stop the run with an exception,
    which removes the staging folder, and are one line with the shell's exit code 128 + signal.
    The signal is recorded as it comes: Beam logs an exception from inside a step and may re-raise
    it as a RuntimeError naming the step."""
    stopped: list[int] = []

    def stop(signum: int, frame: Any) -> NoReturn:
        stopped.append(signum)
        logging.disable()  # what Beam logs from here on is the stop itself: the step it hit, with a traceback
        raise KeyboardInterrupt(signum)

    try:
        with on_signals(stop):
            return _main(argv)
    except BaseException:
        if not stopped:
            raise
        name = signal.Signals(stopped[0]).name
        say(f"error: stopped by {name} before the run finished: no output was written or replaced")
        return 128 + stopped[0]


def _main(argv: Sequence[str] | None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    argv = list(sys.argv[1:] if argv is None else argv)
    with contextlib.ExitStack() as held:  # the output's lock and the staging folder, let go on every way out
        try:
            args, extra = parse_args(argv)
            cfg = resolve_config(args)
            cfg = with_runs_named(cfg)
            # the rule pack and weights, checked before anything is written and read once: the hash, the
            # clean stage and the report use these texts (a pipe, `<(...)`, gives its text once)
            clean_files = read_clean_files(cfg.clean)
            inputs = args.input or default_inputs()
            input_bytes, input_paths = check_inputs(inputs, cfg.read.format)
            check_not_being_written(cfg.prior_dedup.against)  # before its index is checked: the job would read another
            try:
                url_lists = check_lists(cfg.url_filter)  # read once here: a bad list fails before anything runs
                # earlier runs finished, their indexes read and match; the job reads the files checked, as checked
                indexes = check_indexes(cfg.prior_dedup, cfg.near_dedup)
            except ValueError as exc:
                raise UsageError(str(exc)) from exc
            beam_flags_given_once(extra)
            extra = resolve_setup_file(list(cfg.runner.beam_args) + extra)  # the config's runner flags; the command line's win
            options = beam_options(extra, input_bytes)
            runner = make_runner(options)
            out_dir = output_folder(args.output)
            locked = held.enter_context(output_lock(out_dir))  # before the check: no other run can start or swap in until we are done
            # left by runs stopped mid-run (SIGKILL, a lost machine): before the check, which then sees a swap finished
            for line in clear_stale_staging(out_dir) if locked else ():
                say(line)
            try:
                check_output(out_dir, args.overwrite, input_paths, cfg.prior_dedup.against)
            except UsageError:
                raise
            except Exception as exc:  # gs:// without the gcp extra, an unknown scheme: a traceback before (hostile round 9)
                raise UsageError(f"cannot reach the output {path_text(out_dir)}: {cut(str(exc), 200)}") from exc
            staging = make_staging(out_dir)
            held.callback(remove_staging, staging)  # gone after a swap; after a failure the previous run stays as it was
        except (UsageError, ConfigError, RulePackError) as exc:
            return usage_error(exc)
        try:
            return _run(args, argv, cfg, inputs, input_bytes, extra, options, runner, out_dir, staging, url_lists, indexes,
                        clean_files)
        except UsageError as exc:
            return usage_error(exc)
        except Exception as exc:
            if (damaged := damaged_index(exc)) is not None:  # a --dedup-against index read part-way (hostile round 10)
                return usage_error(UsageError(damaged))
            if (full := no_space(exc)) is None:
                raise
            # a full disk stopped the run with 30 lines of Beam's or pyarrow's traceback
            return usage_error(UsageError(f"cannot write the output {path_text(out_dir)}: {full}: free some space, "
                                          "or pass another --output"))


def _run(args: argparse.Namespace, argv: list[str], cfg: Config, inputs: list[str], input_bytes: int, extra: list[str],
         options: PipelineOptions, runner: PipelineRunner | None, out_dir: str, staging: str, url_lists: dict[str, str],
         indexes: list[tuple[str, tuple]] | None = None, clean_files: CleanFiles | None = None) -> int:
    config_hash = cfg.digest(clean_files)
    run_metadata = {"config_hash": config_hash, "versions": json.dumps(versions(), sort_keys=True)}
    if url_lists:
        run_metadata["url_lists"] = ",".join(f"{k}={v}" for k, v in sorted(url_lists.items()))
    started = time.monotonic()
    direct = options.get_all_options()
    where = (f", {direct['direct_num_workers']} {direct['direct_running_mode']} worker(s)"
             if str(direct.get("runner") or "").endswith("DirectRunner") else "")
    size = f"{input_bytes / 1e6:.1f} MB" if input_bytes >= 100_000 else f"{input_bytes / 1e3:.0f} KB"
    say(f"Running on {len(inputs)} input pattern(s), {size}{where} -> {out_dir}")
    with ProgressPrinter(args.progress) if args.progress > 0 else contextlib.nullcontext() as progress:
        p = beam.Pipeline(runner=runner, options=options)
        try:
            build(p, cfg, inputs, staging, run_metadata, progress=progress.tally if progress else None,
                  leave_out=run_paths(out_dir, staging), indexes=indexes, clean_files=clean_files)
        except BaseException:
            # Beam makes a temporary folder for each pipeline and removes it only in run()
            shutil.rmtree(p.local_tempdir, ignore_errors=True)
            raise
        built = time.monotonic()
        try:
            result = p.run()  # returns at once on Dataflow/Flink: the printer then polls its metrics
        except RuntimeError as exc:
            if message := job_server_error(exc):
                raise UsageError(message) from exc
            raise
        if progress:
            progress.attach(result)
        result.wait_until_finish()
    wall = time.monotonic() - started

    staged, paths = output_paths(staging), output_paths(out_dir)
    stats = read_json(staged["stats"])
    FileSystems.delete([staged["stats"]])
    report = build_report(
        stats,
        config=cfg.to_dict(),
        config_hash=config_hash,
        inputs=[shown_path(pattern) for pattern in inputs],  # JSON is UTF-8: a name that is not shows its bytes as %XX
        outputs={k: v for k, v in paths.items() if k != "stats"},
        # building the job graph is the driver's own fixed cost; running includes the runner's
        # start-up (worker processes, stage set-up) and every stage
        timings={"wall_seconds": round(wall, 3), "build_seconds": round(built - started, 3),
                 "run_seconds": round(wall - (built - started), 3)},
        options=extra,
    )
    report["command"] = shown_path(command_line(argv))  # what was typed, not the path of this file
    report["chars"] = with_whitespace(report["chars"])
    write_report(staging, report)
    write_html(staging)
    with FileSystems.create(FileSystems.join(staging, SUCCESS_FILE)):
        pass
    # The run has finished: a signal now would stop the swap half-way and remove the staging folder
    # that holds the finished run, so the swap completes first (a local one takes milliseconds).
    held: list[int] = []
    with on_signals(lambda signum, frame: held.append(signum)):
        swap_in(staging, out_dir)
    if held:  # Ctrl-C went without a word, and the run said Done as if none had come (hostile round 29)
        say(f"note: {signal.Signals(held[0]).name} came while the finished run was being swapped in: the swap was "
            "completed first (stopping it would have left half of each run in the output)")
    c = report["counts"]
    for line in report["warnings"]:
        say(f"warning: {line}")
    # stdout: a summary that cannot be written (`>/dev/full`, `| head` gone) changes nothing now
    say(
        f"Done in {wall:.1f}s: {c['input']} read -> {c['clean']} clean, {c['rejected']} rejected, {c['failed']} failed.\n"
        f"  clean:    {paths['clean']}/\n  rejected: {paths['rejected']}/\n  failed:   {paths['failed']}/\n"
        f"  report:   {FileSystems.join(out_dir, REPORT_FILE)}\n  html:     {FileSystems.join(out_dir, HTML_FILE)}",
        sys.stdout,
    )
    return 0 if c["balanced"] else 1


def console_main() -> None:
    """The `newsclean` command (setup.py's console script)."""
    sys.exit(main())


if __name__ == "__main__":
    sys.exit(main())
