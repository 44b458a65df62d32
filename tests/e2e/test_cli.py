"""CLI behaviour: user mistakes are one line and exit code 2; inputs of each format; accounting."""

from __future__ import annotations

import errno
import fcntl
import gzip
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from apache_beam.version import __version__ as beam_version

from tests.e2e.conftest import REPO, read_report, read_rows, run_cli
from tests.unit.test_config import BOMB

SAMPLE = str(REPO / "samples" / "000_88ead7a6887f5737.txt")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes: a run compared byte for byte."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def previous_run(folder: Path) -> Path:
    """A finished run as an earlier version left it, plus a file of the user's own."""
    out = folder / "out"
    (out / "clean").mkdir(parents=True)
    pq.write_table(pa.table({"id": ["old-1"], "text": ["An article from the previous run."]}), out / "clean" / "part-old.parquet")
    (out / "rejected").mkdir()
    (out / "report.json").write_text('{"counts": {"input": 1}}', encoding="utf-8")
    (out / "report.html").write_text("<html>old</html>", encoding="utf-8")
    (out / "_SUCCESS").write_bytes(b"")
    (out / "notes.txt").write_text("the user's own file", encoding="utf-8")
    return out


def siblings(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name != "in")


@pytest.mark.parametrize(
    "args,message",
    [
        (["--input", "nothing/here/*.txt"], "error: input 'nothing/here/*.txt' matches no file"),
        (["--runnr", "DirectRunner"], "error: unrecognised argument '--runnr'; did you mean --runner?"),
        (["--set", "language.min_scor=0.5"], "error: unknown config key 'language.min_scor'"),
        (["--config", "missing.yaml"], "error: config file not found: missing.yaml"),
        (["--format", "xml"], "error: argument --format: invalid choice: 'xml'"),
        (["--set", "write.codec=zip"], "error: write: write.codec must be one of zstd"),
        # issue 16.3: each of these ran and lost or rejected every record, with exit 0
        (["--set", "read.max_document_bytes=-1"], "error: read.max_document_bytes: -1 is out of range (1 .. 2,147,483,648)"),
        (["--set", "quality.gopher_max_words=-1"], "error: quality.gopher_max_words: -1 is out of range"),
        (["--set", "language.allowed=[english]"], "error: language.allowed: unknown language code 'english'"),
        # issue 16.7: an alias is refused before it can expand
        (["--set", "language.allowed=[*a]"], "error: --set 'language.allowed': not valid YAML: anchors and aliases"),
        # the key was quoted twice (''min_score'')
        (["--set", "language.min_score.x=1"], "error: --set 'language.min_score.x': 'min_score' is not a section, it holds 0.0"),
        # issue 16.9: a traceback, or 126 lines of Beam's usage, before
        (["--runner", "NoSuchRunner"], "error: unknown runner 'NoSuchRunner' Beam knows DataflowRunner, BundleBasedDirectRunner, "),
        (["--runner", "nosuch.module.Runner"], "error: runner 'nosuch.module.Runner' is not available here: No module named 'nosuch'"),
        (["--runner", "FlinkRuner"], "error: unknown runner 'FlinkRuner'; did you mean FlinkRunner? Beam knows "),
        (["--direct_num_workers", "abc"], "error: argument --direct_num_workers: invalid int value: 'abc'"),
        # hostile round 8: an IndexError traceback from the direct runner, exit 1
        (["--direct_num_workers=-2"], "error: --direct_num_workers -2: expected a number of workers, 1 or more (0: one per core)"),
        # an OverflowError traceback from the progress thread (inf), or progress off without a word (nan, -1)
        (["--progress", "inf"], "error: argument --progress: invalid number of seconds (0 or more; 0: off) value: 'inf'"),
        (["--progress", "-1"], "error: argument --progress: invalid number of seconds (0 or more; 0: off) value: '-1'"),
        # Beam's "Unable to get filesystem ... pip install apache-beam[gcp]" for any file:// URI
        (["--input", "file://server/share/a.jsonl"], "error: 'file://server/share/a.jsonl' names a file on another host ('server')"),
        # hostile round 9: a traceback (gs:// without the gcp extra the same)
        (["--output", "foo://bucket/run"], "error: cannot reach the output 'foo://bucket/run': Unable to get filesystem"),
        # hostile round 17: each address replaced by 20,000 characters (a 1.7 MB page: 80 MB, 1.5 GB of memory)
        (["--set", "pii.email_placeholder=" + "E" * 20_000], "error: pii: pii.email_placeholder: 20,000 characters, more than 32"),
        # hostile round 28: the last value kept without a word (the run went to the second --output;
        # Beam's flags the same)
        (["--output", "one", "--output", "two"], "error: --output given twice ('one', then 'two'): it takes one value; give it once"),
        (["--direct_num_workers", "1", "--direct_num_workers=2"], "error: --direct_num_workers given twice (1, then 2): it takes one value"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(tmp_path, args, message):
    # the first case starts a fresh interpreter, where an import's notice would show
    output = () if "--output" in args else ("--output", str(tmp_path / "o"))  # a case's own is its only one
    proc = run_cli(*output, *args, fresh="nothing/here/*.txt" in args)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [proc.stderr.strip()]  # one line: no notices, no usage text
    assert proc.stderr.startswith(message)
    assert not (tmp_path / "o").exists() and list(tmp_path.iterdir()) == []  # nothing written, no staging folder


def test_a_run_forked_by_the_tests_cli_server_gives_what_the_command_gives(tmp_path):
    # tests/e2e/cli_server.py runs most of these tests' commands: the same exit code and streams
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Leave a Reply\nAdBlock Detected\n", encoding="utf-8")
    for args in (["--runnr", "x"], ["--input", str(tmp_path / "in" / "*.txt"), "--progress", "0"]):
        forked, fresh = (run_cli(*args, "--output", str(tmp_path / f"out{i}"), fresh=i == 1) for i in (0, 1))
        assert forked.returncode == fresh.returncode
        same = lambda text: re.sub(r"Done in [0-9.]+s", "Done", text.replace("out1", "out0"))  # noqa: E731
        assert (same(forked.stdout), same(forked.stderr)) == (same(fresh.stdout), same(fresh.stderr))
    assert read_report(tmp_path / "out0")["counts"] == read_report(tmp_path / "out1")["counts"]


def test_existing_run_is_not_overwritten_without_flag(samples_run, tmp_path):
    proc = run_cli("--input", "samples/000_88ead7a6887f5737.txt", "--output", str(samples_run))
    assert proc.returncode == 2
    assert "already holds a run; pass --overwrite" in proc.stderr


def test_jsonl_gz_and_parquet_inputs_with_bad_records(tmp_path):
    body = "The council approved the new budget on Tuesday after a long debate about schools."
    lines = [
        json.dumps({"id": "j1", "url": "https://www.example.com/a", "title": "Budget", "text": body}),
        "",
        "{not json",
        json.dumps({"id": "j2", "text": None}),
        json.dumps({"id": "j3", "text": "   "}),
        json.dumps({"id": "j4", "text": body.replace("budget", "BUDGET")}),  # exact duplicate after normalising
    ]
    src = tmp_path / "in"
    src.mkdir()
    with gzip.open(src / "a.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    pq.write_table(pa.table({"text": ["Der Stadtrat hat am Dienstag den neuen Haushalt beschlossen, nach langer Debatte."], "link": ["http://b.de/x"]}),
                   src / "b.parquet")
    out = tmp_path / "out"
    # One-sentence bodies are below every quality filter's minimum length; this test is about
    # reading, so the quality stage only annotates here.
    proc = run_cli("--input", str(src / "*.jsonl.gz"), "--input", str(src / "*.parquet"), "--output", str(out),
                   "--set", "read.url_field=url", "--set", "quality.annotate_only=true")
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean = {r["id"]: r for r in read_rows(out, "clean")}
    assert sorted(clean) == ["b.parquet:0", "j1"]
    assert (clean["j1"]["domain"], clean["j1"]["language"], clean["b.parquet:0"]["language"]) == ("example.com", "en", "de")
    assert (clean["j1"]["q_word_count"], clean["b.parquet:0"]["q_word_count"]) == (14.0, 12.0)
    rejected = sorted((r["id"], r["reason"], r["duplicate_of"]) for r in read_rows(out, "rejected"))
    assert rejected == [("j3", "empty_input", ""), ("j4", "duplicate_exact", "j1")]
    failed = sorted((r["id"], r["stage"], r["error_type"]) for r in read_rows(out, "failed"))
    assert failed == [("a.jsonl.gz:1", "read", "BadRecord"), ("a.jsonl.gz:2", "read", "BadRecord")]
    assert read_report(out)["counts"] == {"input": 6, "clean": 2, "rejected": 2, "failed": 2, "balanced": True}


def test_dotted_field_names_read_nested_fields_and_one_that_finds_nothing_is_a_warning(tmp_path):
    # hostile round 22: datatrove's and dolma's layout (`metadata.url`, `metadata.date`) read
    # through `--set read.url_field=metadata.url` gave every record an empty url and title without
    # a word. Now the nested fields are read; a name set away from its default that finds nothing
    # in the run is one warning line on stderr, in report.json and on the page
    body = "The city council approved the new budget for schools and libraries on Tuesday, after a long debate."
    src = tmp_path / "in"
    src.mkdir()
    (src / "dolma.jsonl").write_text("".join(json.dumps({"id": f"d{i}", "text": body.replace("Tuesday", day), "metadata": {
        "url": f"https://news.example/{i}", "date": f"2024-05-0{i + 1}"}}) + "\n" for i, day in enumerate(("Tuesday", "Friday"))))
    out = tmp_path / "out"
    proc = run_cli("--input", str(src / "dolma.jsonl"), "--output", str(out), "--progress", "0", "--set", "quality.annotate_only=true",
                   "--set", "read.url_field=metadata.url", "--set", "read.published_field=metadata.date",
                   "--set", "read.title_field=metadata.title")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert sorted((r["id"], r["url"], r["published"]) for r in read_rows(out, "clean")) == [
        ("d0", "https://news.example/0", "2024-05-01"), ("d1", "https://news.example/1", "2024-05-02")]
    warning = ("read.title_field 'metadata.title' was found in none of the 2 records read by field name (JSON, CSV, Parquet): "
               "no record's title was read; check the name (a dotted name reaches into nested objects: metadata.url)")
    assert [line for line in proc.stderr.splitlines() if line.startswith("warning:")] == [f"warning: {warning}"]
    report = read_report(out)
    assert (report["warnings"], report["read_fields"]) == (
        [warning], {"records": 2, "found": {"published_field": 2, "title_field": 0, "url_field": 2}})
    assert "warning: read.title_field" in (out / "report.html").read_text()


def test_file_uris_are_local_paths(tmp_path):
    # `Path.as_uri()` and file managers give file:///...; Beam has no file system for it and the run
    # stopped with "Unable to get filesystem ... pip install apache-beam[gcp]"
    src = tmp_path / "my inputs"
    src.mkdir()
    shutil.copy(SAMPLE, src / "article one.txt")
    out = tmp_path / "out"
    proc = run_cli("--input", src.as_uri() + "/", "--output", "file://localhost" + str(out), "--progress", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = read_rows(out, "clean") + read_rows(out, "rejected")
    assert [(r["id"], r["source"]) for r in rows] == [("article one.txt", str(src / "article one.txt"))]
    # --dedup-against too: it stopped with Beam's "Unable to get filesystem" message
    proc = run_cli("--input", str(src), "--output", str(tmp_path / "out2"), "--dedup-against", out.as_uri(), "--progress", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert [(r["id"], r["reason"]) for r in read_rows(tmp_path / "out2", "rejected")] == [("article one.txt", "duplicate_exact")]


def test_config_is_data_never_code(tmp_path):
    marker = tmp_path / "ran"
    evil = tmp_path / "evil.yaml"
    evil.write_text(f'language:\n  seed: !!python/object/apply:os.system ["touch {marker}"]\n', encoding="utf-8")
    proc = run_cli("--config", str(evil), "--output", str(tmp_path / "o"))
    assert proc.returncode == 2
    assert "not valid YAML: could not determine a constructor" in proc.stderr
    assert not marker.exists()


def test_a_run_that_crashes_leaves_no_report_and_no_success_marker(tmp_path, monkeypatch):
    # Every record-level error is routed to failed/, so a crash needs a broken pipeline: a sink
    # that raises. The folder it leaves must not look like a finished run.
    import apache_beam as beam

    from pipeline import run

    def broken_build(p, cfg, inputs, out_dir, run_metadata, **kwargs):
        real_build(p, cfg, inputs, out_dir, run_metadata, **kwargs)
        p | "Boom" >> beam.Create([1]) | "Raise" >> beam.Map(lambda _: 1 / 0)

    real_build = run.build
    monkeypatch.setattr(run, "build", broken_build)
    out = tmp_path / "o"
    with pytest.raises(ZeroDivisionError):
        run.main(["--input", str(REPO / "samples" / "000_88ead7a6887f5737.txt"), "--output", str(out)])
    assert not (out / "_SUCCESS").exists()
    assert not (out / "report.json").exists()


def test_a_run_whose_graph_fails_to_build_leaves_no_temporary_folder(tmp_path, monkeypatch):
    # Beam makes a folder in the system's temporary folder for every pipeline and removes it only
    # in run(): a build that raised left it behind, one empty folder a failed run
    from pipeline import run

    made = []

    def failing_build(p, *args, **kwargs):
        made.append(p.local_tempdir)
        raise ValueError("no graph")

    monkeypatch.setattr(run, "build", failing_build)
    with pytest.raises(ValueError, match="no graph"):
        run.main(["--input", str(REPO / "samples" / "000_88ead7a6887f5737.txt"), "--output", str(tmp_path / "o")])
    assert len(made) == 1 and not os.path.exists(made[0])


# --- --overwrite: a run is swapped in only once it finished (issue 16.2) -------------------------


def test_an_input_inside_the_output_is_refused_and_nothing_is_deleted(tmp_path):
    out = previous_run(tmp_path)
    before = tree(out)
    proc = run_cli("--input", str(out / "clean" / "*.parquet"), "--output", str(out), "--overwrite")
    assert (proc.returncode, proc.stderr.strip()) == (
        2, f"error: input '{out}/clean/part-old.parquet' is inside the output folder '{out}': write the run somewhere else")
    assert tree(out) == before
    assert siblings(out) == ["out"]


@pytest.mark.parametrize("name", ["day*", "day?", "day[1]"])
def test_an_output_named_like_a_glob_is_refused_and_no_other_run_is_touched(tmp_path, name):
    # Beam's file systems read the paths they delete as patterns: `--output 'runs/day*' --overwrite`
    # deleted the _SUCCESS of every sibling run (runs/day1, runs/day2), then crashed with a traceback
    day1 = previous_run(tmp_path)
    day1.rename(tmp_path / "day1")
    glob_run = previous_run(tmp_path)
    glob_run.rename(tmp_path / name)
    before = tree(tmp_path)
    proc = run_cli("--input", SAMPLE, "--output", str(tmp_path / name), "--overwrite", "--progress", "0")
    assert (proc.returncode, proc.stderr.strip()) == (
        2, f"error: output '{tmp_path / name}' holds a glob character (*, ? or [): Beam's file systems would read it as a pattern "
           "(and --overwrite could delete other folders' files); choose a name without them")
    assert tree(tmp_path) == before


def test_file_names_that_are_not_utf8_are_read_not_a_crash(tmp_path):
    # One Latin-1 file name in the input folder crashed the whole run with a traceback ("surrogates
    # not allowed"); typed as --input it crashed while the job was built. An --output that is not
    # UTF-8 is one line.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "caf\udce9.txt").write_bytes(Path(SAMPLE).read_bytes())
    (folder / "ok.jsonl").write_text('{"id": "ok", "text": "Short."}\n', encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("--input", str(folder), "--input", str(folder / "caf\udce9.txt"), "--output", str(out), "--progress", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = read_report(out)
    # the file named twice (in the folder, and typed) is read once (hostile round 9)
    assert report["counts"]["input"] == 2 and report["counts"]["balanced"]
    assert report["inputs"] == [str(folder), str(folder / "caf%E9.txt")]
    assert sorted(r["id"] for r in read_rows(out, "clean") + read_rows(out, "rejected")) == ["caf%E9.txt", "ok"]
    proc = run_cli("--input", str(folder), "--output", str(tmp_path / "out\udce9"), "--progress", "0")
    assert (proc.returncode, proc.stderr.strip()) == (2, f"error: output '{tmp_path}/out%E9' is not valid UTF-8: choose a name that is")


def test_a_crash_mid_run_leaves_the_previous_run_intact_byte_for_byte(tmp_path, monkeypatch):
    # Every record-level error is routed to failed/, so a crash needs a broken pipeline: a step
    # that raises once the sinks have written their files.
    import apache_beam as beam

    from pipeline import run

    def broken_build(p, cfg, inputs, out_dir, run_metadata, **kwargs):
        real_build(p, cfg, inputs, out_dir, run_metadata, **kwargs)
        p | "Boom" >> beam.Create([1]) | "Raise" >> beam.Map(lambda _: 1 / 0)

    real_build = run.build
    monkeypatch.setattr(run, "build", broken_build)
    out = previous_run(tmp_path)
    before = tree(out)
    with pytest.raises(ZeroDivisionError):
        run.main(["--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0"])
    assert tree(out) == before
    assert siblings(out) == ["out"]  # the staging folder is gone too


def test_a_full_disk_is_one_line_and_keeps_the_previous_run(tmp_path, monkeypatch, capsys, caplog):
    # a sink on a full disk stopped the run with Beam's logged traceback and its own (tried on a
    # 300 KB tmpfs); here a step raises what the sink's write raised there
    import apache_beam as beam

    from pipeline import run

    def full(_):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def full_disk_build(p, cfg, inputs, out_dir, run_metadata, **kwargs):
        real_build(p, cfg, inputs, out_dir, run_metadata, **kwargs)
        p | "Fill" >> beam.Create([1]) | "Write" >> beam.Map(full)

    real_build = run.build
    monkeypatch.setattr(run, "build", full_disk_build)
    out = previous_run(tmp_path)
    before = tree(out)
    assert run.main(["--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (f"error: cannot write the output '{out}': No space left on device: "
                                                        "free some space, or pass another --output")
    assert [r for r in caplog.records if r.name.startswith("apache_beam")] == []
    assert tree(out) == before
    assert siblings(out) == ["out"]


def test_a_full_disk_relayed_from_a_worker_process_is_not_logged(caplog):
    # with worker processes, the driver relays each worker's error as text, its traceback included
    import logging

    import pipeline.run  # noqa: F401 - installs the filters

    relay = logging.getLogger("apache_beam.runners.portability.local_job_service")
    relay.error("Worker: severity: ERROR message: \"...OSError: [Errno 28] No space left on device [while running 'WriteClean']\"")
    relay.error("Worker: severity: ERROR message: \"...ZeroDivisionError: division by zero\"")
    assert [r.getMessage()[-30:] for r in caplog.records] == ['ZeroDivisionError: division by zero"'[-30:]]


def default_signals() -> None:
    """preexec_fn: the child starts with SIGINT and SIGTERM at their defaults, as a shell starts a
    command. A test worker may hold SIGINT ignored (a library an earlier test used leaves it so),
    and a child inherits an ignored signal: the run then rightly ignored the test's Ctrl-C."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


def start_cli(*args: str, ignored: tuple[signal.Signals, ...] = (), **popen: object) -> subprocess.Popen:
    """`python -m pipeline.run ARGS` started as a shell starts it, for a test that signals it: SIGINT
    and SIGTERM at their defaults, but for the `ignored` ones, as a shell's background job holds them."""

    def signals() -> None:
        default_signals()
        for sig in ignored:
            signal.signal(sig, signal.SIG_IGN)

    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen([sys.executable, "-m", "pipeline.run", *args], cwd=REPO, env=env, text=True,
                            preexec_fn=signals, **popen)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stopped_by_a_signal_is_one_line_and_keeps_the_previous_run(tmp_path, sig):
    # Ctrl-C printed Beam's KeyboardInterrupt traceback; SIGTERM (a scheduler's time limit) left
    # the staging folder beside the output
    texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "samples").glob("*.txt"))]
    crawl = tmp_path / "in" / "crawl.jsonl"
    crawl.parent.mkdir()
    crawl.write_text("".join(json.dumps({"id": f"d{i}", "text": f"{i} {texts[i % len(texts)]}"}) + "\n" for i in range(2000)),
                     encoding="utf-8")
    out = previous_run(tmp_path)
    before = tree(out)
    proc = start_cli("--input", str(crawl), "--output", str(out), "--overwrite", "--progress", "0",
                     "--direct_running_mode=in_memory", "--direct_num_workers=1", stderr=subprocess.PIPE)
    first = proc.stderr.readline()
    assert first.startswith("Running on "), first
    time.sleep(2)  # building the job graph, or running it: a stop either way
    proc.send_signal(sig)
    _, rest = proc.communicate(timeout=120)
    assert (proc.returncode, rest) == (128 + sig, (f"error: stopped by {sig.name} before the run finished: "
                                                   "no output was written or replaced\n"))
    assert tree(out) == before
    assert siblings(out) == ["out"]


def test_a_typo_in_the_rule_pack_with_overwrite_keeps_the_previous_run(tmp_path):
    out = previous_run(tmp_path)
    before = tree(out)
    proc = run_cli("--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0",
                   "--set", "clean.rule_pack=configs/rules/cruft-v9.yaml")
    # one line and exit 2 once rule packs are checked at start-up; a crash (exit 1) before that
    assert proc.returncode in (1, 2)
    assert tree(out) == before
    assert siblings(out) == ["out"]


def test_overwrite_swaps_in_the_finished_run_and_leaves_the_users_files(tmp_path):
    out = previous_run(tmp_path)
    code = main_quietly(["--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0"])
    assert code == 0
    files = tree(out)
    assert "clean/part-old.parquet" not in files and "rejected/" not in files
    assert files["notes.txt"] == b"the user's own file"
    assert files["_SUCCESS"] == b""
    assert read_report(out)["counts"] == {"input": 1, "clean": 1, "rejected": 0, "failed": 0, "balanced": True}
    assert [r["id"] for r in read_rows(out, "clean")] == ["000_88ead7a6887f5737.txt"]
    assert read_report(out)["outputs"] == {name: str(out / name) for name in ("clean", "failed", "index", "rejected")}
    assert sorted(f for f in files if f.startswith("index/")) != []  # what a later run dedups against
    assert siblings(out) == ["out"]
    # issue 16.13: the command as typed, and the package versions as JSON in every Parquet file
    assert read_report(out)["command"] == f"python -m pipeline.run --input {SAMPLE} --output {out} --overwrite --progress 0"
    meta = pq.read_schema(next((out / "clean").glob("*.parquet"))).metadata
    assert json.loads(meta[b"versions"])["pyarrow"] == pa.__version__


def test_staging_folders_left_by_killed_runs_are_removed_and_a_finished_one_is_kept(tmp_path, capsys):
    # a driver killed with SIGKILL (or a lost machine) left its staging folder, and every later
    # run left it there: a crawl scheduler killing timed-out runs filled the disk with them
    from pipeline.run import main

    out = previous_run(tmp_path)
    partial = tmp_path / "out.staging-0123456789ab"
    (partial / "clean").mkdir(parents=True)
    (partial / "clean" / "part-0.parquet").write_bytes(b"half written")
    finished = tmp_path / "out.staging-ba9876543210"  # killed during its swap: maybe the only copy of its run
    (finished / "clean").mkdir(parents=True)
    (finished / "_SUCCESS").write_bytes(b"")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "keep.txt").write_text("not a run's", encoding="utf-8")
    (tmp_path / "out.staging-aaaaaaaaaaaa").symlink_to(tmp_path / "elsewhere")  # not a folder a run made
    for name in ("out.staging-notes", "out.staging-0123456789abc", "other.staging-0123456789ab"):
        (tmp_path / name).mkdir()  # not this output's staging folders
    capsys.readouterr()
    assert main(["--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0"]) == 0
    assert sorted(siblings(out)) == ["elsewhere", "other.staging-0123456789ab", "out", "out.staging-0123456789abc",
                                     "out.staging-aaaaaaaaaaaa", "out.staging-ba9876543210", "out.staging-notes"]
    assert (tmp_path / "elsewhere" / "keep.txt").exists() and (finished / "_SUCCESS").exists()
    # each is named (hostile round 29: the removed one went without a word); the output held a
    # finished run itself, so the finished one is not swapped in (test_a_swap_a_killed_run_began_...)
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"removed '{partial}': the staging folder of a run stopped before it finished",
        f"warning: '{finished}' holds a finished run (or what is left of one) of a run stopped as it was about to replace "
        "the output, which holds a finished run itself: delete it, or move it into place by hand"]


def test_a_swap_a_killed_run_began_is_finished_by_the_next_run_on_its_output(tmp_path, capsys):
    # hostile round 29: a driver killed (SIGKILL) during its swap left the output without _SUCCESS,
    # the new run's clean/ and rejected/ under the old run's failed/, index/ and report, and the
    # rest in its staging folder, kept and named on every later run: "move it into place by hand"
    # (which lost the clean/ moved already). The next run on the output finishes that swap.
    from pipeline.run import main

    out = previous_run(tmp_path)
    staging = tmp_path / "out.staging-0123456789ab"
    for folder in ("clean", "rejected", "failed", "index"):
        (staging / folder).mkdir(parents=True)
        (staging / folder / "part-new.parquet").write_bytes(b"new")
    (staging / "report.json").write_text('{"counts": {"input": 2}}', encoding="utf-8")
    (staging / "report.html").write_text("<html>new</html>", encoding="utf-8")
    (staging / "_SUCCESS").write_bytes(b"")
    (out / "_SUCCESS").unlink()  # what swap_in does first; then clean/ and rejected/ were moved in
    for folder in ("clean", "rejected"):
        shutil.rmtree(out / folder)
        (staging / folder).rename(out / folder)
    capsys.readouterr()
    assert main(["--input", SAMPLE, "--output", str(out), "--progress", "0"]) == 2  # without --overwrite: the run there is refused
    assert capsys.readouterr().err.splitlines() == [
        f"finished replacing the output '{out}' with the finished run in '{staging}', whose run was stopped while it was "
        "swapping it in", f"error: output '{out}' already holds a run; pass --overwrite to replace it"]
    assert sorted(tree(out)) == ["_SUCCESS", "clean/part-new.parquet", "failed/part-new.parquet", "index/part-new.parquet",
                                 "notes.txt", "rejected/part-new.parquet", "report.html", "report.json"]
    assert (out / "report.json").read_text(encoding="utf-8") == '{"counts": {"input": 2}}'
    assert siblings(out) == ["out"]


def test_a_signal_during_the_swap_lets_it_complete_and_says_so(tmp_path, capsys, monkeypatch):
    # hostile round 29: Ctrl-C during the swap was ignored without a word, and the run said Done
    from pipeline import run

    out = previous_run(tmp_path)
    swap_in = run.swap_in

    def interrupted_swap(staging, out_dir):
        os.kill(os.getpid(), signal.SIGINT)  # handled at once, in this (the main) thread
        swap_in(staging, out_dir)

    monkeypatch.setattr(run, "swap_in", interrupted_swap)
    capsys.readouterr()
    assert run.main(["--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == (
        "note: SIGINT came while the finished run was being swapped in: the swap was completed first (stopping it would "
        "have left half of each run in the output)")
    assert read_report(out)["counts"]["input"] == 1 and (out / "_SUCCESS").exists() and siblings(out) == ["out"]


def test_a_run_refused_by_a_held_lock_is_told_which_run_holds_it(tmp_path):
    # hostile round 29: the line named only the lock file: which run (a run suspended with Ctrl-Z,
    # a hung one, one on another host sharing the folder) could not be told
    import socket

    from pipeline.output_folder import lock_path, output_lock
    from pipeline.usage import UsageError

    out = str(tmp_path / "out")
    with output_lock(out):
        with pytest.raises(UsageError, match=rf"^another run \(pid {os.getpid()} on host {re.escape(socket.gethostname())}, "
                                             rf"since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d{{4}}: .*\) is writing the output "
                                             rf"'{re.escape(out)}' \(it holds '{re.escape(out)}.lock'\): wait for it to finish"):
            with output_lock(out):
                pass
        # its process gone, a process it started holds the lock on
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True).stdout.strip()
        holder = {"pid": int(gone), "host": socket.gethostname(), "started": "then", "command": "newsclean"}
        Path(lock_path(out)).write_text(json.dumps(holder), encoding="utf-8")
        with pytest.raises(UsageError, match=rf"\(pid {gone} on host .*, since then: newsclean\), whose process is gone but a "
                                             rf"process it started holds the lock still \(`fuser -v '{re.escape(out)}.lock'` names it\)"):
            with output_lock(out):
                pass
    with output_lock(out):  # let go: taken
        pass


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_run_stopped_while_it_starts_is_one_line(tmp_path, sig):
    # hostile round 29: Ctrl-C in the first second or two (Beam importing) printed a KeyboardInterrupt
    # traceback of Beam's modules and exit -2; SIGTERM ended the command without a word
    proc = start_cli("--input", SAMPLE, "--output", str(tmp_path / "out"), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(0.5)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + sig, err
    assert re.fullmatch(rf"error: stopped by {sig.name} (while starting: nothing was written|before the run finished: no output "
                        r"was written or replaced)\n", err), err
    assert not (tmp_path / "out").exists()


def test_a_run_started_with_sigint_ignored_keeps_it_ignored(tmp_path):
    # a shell without job control starts `newsclean ... &` with SIGINT ignored; main() took it over
    # all the same, so Ctrl-C at the terminal stopped the run behind the script once it had started
    proc = start_cli("--input", SAMPLE, "--output", str(tmp_path / "out"), "--progress", "0", ignored=(signal.SIGINT,),
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    first = proc.stderr.readline()  # main() has taken the signals it takes
    assert first.startswith("Running on "), first
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert (tmp_path / "out" / "_SUCCESS").exists()


@pytest.mark.parametrize("inputs", [["--input", "{data}/*"], ["--input", "{data}", "--format", "text"]])
def test_the_runs_own_lock_and_staging_folder_are_not_read_as_inputs(tmp_path, inputs):
    # hostile round 16: the run makes OUT.lock and OUT.staging-<id> before its files are matched;
    # with the output beside the inputs, a glob read the lock as an input (a failure "cannot tell
    # the format" in every run) and a folder read with --format read it as a record (rejected
    # `empty_input`): 2 records in for 1
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(SAMPLE, data / "a.txt")
    out = data / "out"
    argv = [arg.format(data=data) for arg in inputs]
    assert main_quietly([*argv, "--output", str(out), "--progress", "0"]) == 0
    assert read_report(out)["counts"] == {"balanced": True, "clean": 1, "failed": 0, "input": 1, "rejected": 0}
    assert [row["id"] for row in read_rows(out, "clean")] == ["a.txt"]


def main_quietly(argv: list[str]) -> int:
    import contextlib
    import io

    from pipeline.run import main

    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(argv)


@pytest.mark.parametrize("rename_folders", [True, False])
def test_the_swap_replaces_only_a_runs_outputs(tmp_path, rename_folders):
    # False: the object-store path (each object moved on its own), tried on a local disk
    from pipeline.run import swap_in

    out = previous_run(tmp_path)
    staging = tmp_path / "out.staging-1"
    (staging / "clean" / "sub").mkdir(parents=True)
    (staging / "clean" / "part-0.parquet").write_bytes(b"new 0")
    (staging / "clean" / "sub" / "x").write_bytes(b"new x")
    (staging / "failed").mkdir()
    (staging / "failed" / "part-0.parquet").write_bytes(b"new f")
    (staging / "report.json").write_bytes(b"{}")
    (staging / "_SUCCESS").write_bytes(b"")
    swap_in(str(staging), str(out), rename_folders=rename_folders)
    assert tree(out) == {
        "_SUCCESS": b"", "clean/part-0.parquet": b"new 0", "clean/sub/x": b"new x", "failed/part-0.parquet": b"new f",
        "notes.txt": b"the user's own file", "report.json": b"{}",
    }
    assert not staging.exists()


# --- outputs the run cannot use: one line, exit 2, nothing written (issue 16.9) ----------------


def test_an_output_that_is_a_file_or_cannot_be_written(tmp_path):
    a_file = tmp_path / "taken"
    a_file.write_text("not a folder", encoding="utf-8")
    proc = run_cli("--input", SAMPLE, "--output", str(a_file))
    assert (proc.returncode, proc.stderr.strip()) == (2, f"error: output '{a_file}' is a file, not a folder")
    proc = run_cli("--input", SAMPLE, "--output", str(a_file / "out"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: cannot create the output folder '{a_file}/out': '{a_file}' is not a folder"
    assert a_file.read_text(encoding="utf-8") == "not a folder"
    # a link to a folder not there: the run did all its work, then the swap stopped with a traceback
    (tmp_path / "link").symlink_to(tmp_path / "gone")
    proc = run_cli("--input", SAMPLE, "--output", str(tmp_path / "link"))
    assert (proc.returncode, proc.stderr) == (2, (f"error: output '{tmp_path}/link' is a link to '{tmp_path}/gone', which does not "
                                                  "exist: create that folder, or pass another --output\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "taken"]


@pytest.mark.skipif(not os.path.ismount("/proc"), reason="needs Linux's /proc")
def test_an_output_folder_in_a_folder_that_takes_no_new_entries_says_so():
    # hostile round 21: /proc refused the lock file beside /proc/out, and making its folder found
    # /proc there: "cannot write the output '/proc/out': File exists"
    proc = run_cli("--input", SAMPLE, "--output", "/proc/out/day1")
    assert (proc.returncode, proc.stderr) == (2, ("error: cannot create the output folder '/proc/out/day1': '/proc' takes no new "
                                                  "files or folders (it answers 'No such file or directory': a virtual file system "
                                                  "such as /proc); choose another --output\n"))


def _another_file_system(tmp_path: Path) -> Path | None:
    """A folder made for the test on a file system other than tmp_path's (/dev/shm's tmpfs), or None."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK) and os.stat(shm).st_dev != os.stat(tmp_path).st_dev):
        return None
    folder = shm / f"newsclean-test-{os.getpid()}-{tmp_path.name}"
    folder.mkdir()
    return folder


def test_an_output_on_another_file_system_than_its_parent_is_refused_before_the_run(tmp_path):
    # hostile round 21: an output that is a mount point, or a link to a folder on another disk, is
    # on another file system than the staging folder beside it: the run did all its work, then the
    # swap's rename failed (EXDEV) with a traceback, exit 1, after deleting, with --overwrite, the
    # previous run's _SUCCESS and clean/
    other = _another_file_system(tmp_path)
    if other is None:
        pytest.skip("no writable /dev/shm on another file system")
    try:
        shutil.copytree(previous_run(tmp_path / "made"), other, dirs_exist_ok=True)
        before = tree(other)
        (tmp_path / "out").symlink_to(other)
        proc = run_cli("--input", SAMPLE, "--output", str(tmp_path / "out"), "--overwrite", "--progress", "0")
        assert (proc.returncode, proc.stderr) == (2, (
            f"error: cannot write the output '{tmp_path}/out': it is a mount point or a link to another file system, and the "
            f"run is written beside it first and moved in: pass a folder inside it, e.g. '{tmp_path}/out/run1'\n"))
        assert tree(other) == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["made", "out"]
        # as it says: a folder inside it is on its file system
        proc = run_cli("--input", SAMPLE, "--output", str(tmp_path / "out" / "run1"), "--progress", "0")
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert [row["id"] for row in read_rows(tmp_path / "out" / "run1", "clean")] == ["000_88ead7a6887f5737.txt"]
    finally:
        shutil.rmtree(other)


def test_a_second_run_on_an_output_being_written_is_refused(tmp_path):
    # two runs on one --output both found it empty and both said Done: the second silently
    # replaced the first without --overwrite (with it, their swaps could interleave)
    out = previous_run(tmp_path)
    before = tree(out)
    with open(f"{out}.lock", "w") as held:  # what the running one holds
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = run_cli("--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0")
    assert (proc.returncode, proc.stderr) == (2, (f"error: another run is writing the output '{out}' (it holds '{out}.lock'): "
                                                  "wait for it to finish, or choose another --output\n"))
    assert tree(out) == before
    assert siblings(out) == ["out", "out.lock"]  # the other run's lock file is left to it
    # once the other run let go of it (or was killed), the lock file left behind is no obstacle, and goes
    proc = run_cli("--input", SAMPLE, "--output", str(out), "--overwrite", "--progress", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert siblings(out) == ["out"]


def test_configs_that_are_not_utf8_or_expand_are_one_line(tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(BOMB, encoding="utf-8")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("language:\n  allowed: [fr]  # français\n".encode("latin-1"))
    for config, message in [
        (bomb, f"error: {bomb}: not valid YAML: anchors and aliases (&name, *name) are not allowed in a config (line 1, column 4)"),
        (latin, f"error: {latin}: not UTF-8 text (byte 33: invalid continuation byte); save the config as UTF-8"),
    ]:
        proc = run_cli("--config", str(config), "--output", str(tmp_path / "o"))
        assert (proc.returncode, proc.stderr.strip()) == (2, message)
    assert not (tmp_path / "o").exists()


def test_flink_offline_says_how_to_pass_the_job_server(tmp_path):
    # An unreachable repository stands for a machine without network; HOME elsewhere so that no
    # jar cached by an earlier run is found.
    proc = run_cli("--config", "configs/flink.yaml", "--input", SAMPLE, "--output", str(tmp_path / "o"), "--progress", "0",
                   "--maven_repository_url=http://127.0.0.1:9/maven2", env={"HOME": str(tmp_path)})
    assert proc.returncode == 2
    # Beam names the jar by the config's --flink_version and its own version; the message quotes it
    jar = f"beam-runners-flink-1.20-job-server-{beam_version}.jar"
    assert proc.stderr.strip().splitlines()[-1] == (
        f"error: could not fetch the Flink job-server jar {jar} (offline?): "
        f"download it and pass --flink_job_server_jar=/path/to/{jar}, "
        "or pass --job_endpoint=HOST:PORT of a running job server")
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [".apache_beam"]  # Beam's jar cache; no output, no staging


# --- the installed command (issue 16.14) --------------------------------------------------------


def test_the_installed_newsclean_command_runs_from_any_folder(tmp_path):
    import subprocess
    import sys

    src = tmp_path / "src"
    src.mkdir()
    for name in ("pipeline", "transforms", "configs"):
        shutil.copytree(REPO / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "setup.py", src)
    site = tmp_path / "site"
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--no-index",
                          "--target", str(site), str(src)], capture_output=True, text=True, timeout=300)
    assert pip.returncode == 0, pip.stderr[-2000:]
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def newsclean(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(site / "bin" / "newsclean"), *args], cwd=work, env=env, capture_output=True, text=True, timeout=300)

    where = subprocess.run([sys.executable, "-c", "import pipeline.run; print(pipeline.run.__file__)"], cwd=work, env=env,
                           capture_output=True, text=True, timeout=60)
    assert where.stdout.strip() == str(site / "pipeline" / "run.py")  # the installed copy, not the source tree
    # A shipped config by name; its runner flags swapped for the local runner.
    proc = newsclean("--config", "flink", "--set", "runner.beam_args=[]", "--input", SAMPLE, "--output", "out", "--progress", "0")
    assert proc.returncode == 0, proc.stderr[-2000:]
    report = json.loads((work / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["counts"]["clean"] == 1
    assert report["config"]["write"]["num_shards"] == 0
    assert report["command"] == f"newsclean --config flink --set 'runner.beam_args=[]' --input {SAMPLE} --output out --progress 0"
    # No samples/ beside an installed package: the default input is a clear error, not a glob that matches nothing.
    proc = newsclean("--output", "out2")
    assert (proc.returncode, proc.stderr.strip()) == (2, "error: no --input given and no samples/ folder here: pass --input 'FILES'")
    proc = newsclean("--help")
    assert proc.returncode == 0 and proc.stdout.startswith("usage: newsclean ")


# --- noise (issue 16.12) ------------------------------------------------------------------------


def test_importing_the_library_and_rebuilding_a_report_print_nothing(samples_run, tmp_path):
    import subprocess
    import sys

    env = dict(os.environ, PYTHONPATH=str(REPO))
    imported = subprocess.run([sys.executable, "-c", "from transforms import clean_text; import logging; logging.warning('mine')"],
                              cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert (imported.returncode, imported.stderr) == (0, "WARNING:root:mine\n")  # Beam's notice gone, ours kept
    copy = tmp_path / "run"
    shutil.copytree(samples_run, copy)
    rebuilt = subprocess.run([sys.executable, "-m", "pipeline.report", str(copy)], cwd=tmp_path, env=env,
                             capture_output=True, text=True, timeout=120)
    assert (rebuilt.returncode, rebuilt.stderr, rebuilt.stdout) == (0, "", f"{copy / 'report.html'}\n")


def test_an_html_run_prints_only_its_own_lines(tmp_path):
    body = " ".join(["The council approved the new budget on Tuesday after a long debate about schools."] * 8)
    page = tmp_path / "in" / "a.html"
    page.parent.mkdir()
    page.write_text(f"<html><head><title>Budget passes</title></head><body><article><h1>Budget passes</h1>"
                    f"<p>{body}</p><p>{body}</p></article></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("--input", str(page), "--output", str(out), "--progress", "0", "--set", "quality.annotate_only=true", fresh=True)
    assert proc.returncode == 0
    assert proc.stderr.splitlines() == [f"Running on 1 input pattern(s), 1 KB, 1 in_memory worker(s) -> {out}"]
    assert [r["id"] for r in read_rows(out, "clean")] == ["a.html"]


@pytest.mark.parametrize(
    "flags,level",
    [
        (["--direct_running_mode=multi_processing", "--direct_num_workers=2"], "ERROR"),  # was Beam's INFO: ~50 lines
        (["--direct_running_mode", "multi_processing"], "ERROR"),
        (["--direct_running_mode=multi_processing", "--default_sdk_harness_log_level=INFO"], "INFO"),  # the user's wins
        (["--direct_running_mode=in_memory"], None),  # no worker processes: nothing to quieten
    ],
)
def test_worker_processes_log_errors_only_unless_asked(flags, level):
    from pipeline.run import beam_options

    assert beam_options(flags).get_all_options()["default_sdk_harness_log_level"] == level


def test_the_shipped_configs_setup_file_is_found_from_any_folder(tmp_path, monkeypatch):
    from pipeline.run import UsageError, resolve_setup_file

    monkeypatch.chdir(tmp_path)
    assert resolve_setup_file(["--runner=FlinkRunner", "--setup_file=./setup.py"]) == ["--runner=FlinkRunner", f"--setup_file={REPO / 'setup.py'}"]
    (tmp_path / "setup.py").write_text("", encoding="utf-8")
    assert resolve_setup_file(["--setup_file=./setup.py"]) == ["--setup_file=./setup.py"]  # one here wins
    with pytest.raises(UsageError, match=r"^--setup_file '/nowhere/setup.py' not found: run from the newsclean source tree"):
        resolve_setup_file(["--setup_file=/nowhere/setup.py"])


def test_a_rule_pack_in_a_pipe_is_read_once_and_used_by_the_stage_and_the_report(tmp_path):
    # hostile round 32: `--set clean.rule_pack=<(...)` (a fair use, round 16) was read by the
    # driver four times (the check, the config hash, the clean stage, the report's look-alikes): the
    # pipe was empty from the second, and the run stopped with a RulePackError traceback
    from pipeline import run

    src = tmp_path / "in.jsonl"
    body = "The city council met on Tuesday to discuss a new budget for schools and roads. " * 8
    src.write_text(json.dumps({"id": "p", "text": f"Buy our mug today\n{body}"}) + "\n", encoding="utf-8")
    read_end, write_end = os.pipe()
    os.write(write_end, b'rules:\n  - code: promo\n    scope: line\n    patterns:\n      - "^buy our mug today$"\n')
    os.close(write_end)
    out = tmp_path / "o"
    try:
        code = run.main(["--input", str(src), "--output", str(out), "--progress", "0", "--set", f"clean.rule_pack=/dev/fd/{read_end}",
                         "--set", "quality.annotate_only=true"])
    finally:
        os.close(read_end)
    assert code == 0
    [row] = read_rows(out, "clean")
    assert row["rule_counts"] == [{"rule": "promo", "count": 1}] and row["text"] == body.strip()
    report = read_report(out)
    assert report["rules"] == {"promo": 1}
    assert report["samples"]["lookalikes"] == {}  # the pack was loaded for them (None: it could not be)
