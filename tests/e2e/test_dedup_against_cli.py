"""Dedup against earlier runs: day 2 against day 1 removes exactly the stories day 1 published."""

import fcntl
import json
import random
import shutil

import pyarrow.parquet as pq
import pytest

from tests.e2e.conftest import read_report, read_rows, run_cli

NOUNS = "council budget school river bridge hospital market station harbour museum library stadium factory court airport".split()
ADJS = "new old local regional northern southern central busy quiet small large historic public private".split()
VERBS = "approved rejected delayed opened closed inspected repaired expanded reviewed funded announced questioned".split()
CITIES = "Lyon Porto Gdansk Turin Leeds Ghent Malmo Bergen Cork Graz Brno Split Tartu Aarhus".split()
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def story(rng: random.Random, n: int = 9) -> str:
    out = []
    for _ in range(n):
        a, b = rng.sample(NOUNS, 2)
        out.append(f"The {rng.choice(ADJS)} {a} in {rng.choice(CITIES)} {rng.choice(VERBS)} the {rng.choice(ADJS)} {b} "
                   f"on {rng.choice(DAYS)} after {rng.randint(2, 99)} residents asked about the {rng.choice(NOUNS)}, officials said.")
    return "\n".join(out)


def near_copy(text: str) -> str:
    lines = text.split("\n")
    lines[-1] = "The editors added one closing line to this version of the story on its second day."
    return "\n".join(lines)


def write(path, docs):
    path.write_text("".join(json.dumps({"id": i, "url": f"https://site{n % 3}.example/{i}", "text": t}) + "\n"
                            for n, (i, t) in enumerate(docs)), encoding="utf-8")


def test_day_two_against_day_one_removes_exactly_the_overlap(tmp_path):
    rng = random.Random(7)
    day1 = [(f"a{i:02}", story(rng)) for i in range(12)]
    fresh = [(f"b{i:02}", story(rng)) for i in range(6)]
    exact = [(f"c{i:02}", day1[i][1]) for i in range(3)]  # copied word for word, other ids
    near = [(f"d{i:02}", near_copy(day1[3 + i][1])) for i in range(3)]  # one line edited
    (tmp_path / "in1").mkdir()
    (tmp_path / "in2").mkdir()
    write(tmp_path / "in1" / "day1.jsonl", day1)
    write(tmp_path / "in2" / "day2.jsonl", fresh + exact + near)
    common = ["--set", "quality.annotate_only=true", "--set", "pii.enabled=false"]
    run1 = tmp_path / "day1"
    proc = run_cli("--input", str(tmp_path / "in1" / "day1.jsonl"), "--output", str(run1), *common)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert len(read_rows(run1, "clean")) == 12
    assert sorted(p.name for p in (run1 / "index").glob("*.parquet"))  # the index a later run needs

    outs = []
    for name, workers in (("day2", ["--direct_num_workers=1"]), ("day2mp", ["--direct_running_mode=multi_processing", "--direct_num_workers=2"])):
        out = tmp_path / name
        proc = run_cli("--input", str(tmp_path / "in2" / "day2.jsonl"), "--output", str(out), "--dedup-against", str(run1), *common, *workers)
        assert proc.returncode == 0, proc.stderr[-3000:]
        outs.append(out)
        rejected = {r["id"]: r for r in read_rows(out, "rejected") if r["stage"] == "prior_dedup"}
        truth = {i for i, _ in exact} | {i for i, _ in near}
        removed = set(rejected)
        precision = len(removed & truth) / len(removed)
        recall = len(removed & truth) / len(truth)
        assert (precision, recall) == (1.0, 1.0), sorted(removed ^ truth)
        assert {i: (r["reason"], r["duplicate_of"]) for i, r in rejected.items()} == {
            **{f"c{i:02}": ("duplicate_exact", f"a{i:02}") for i in range(3)},
            **{f"d{i:02}": ("duplicate_near", f"a{3 + i:02}") for i in range(3)},
        }
        assert all(f"in earlier run {run1}" in r["detail"] for r in rejected.values())
        assert sorted(r["id"] for r in read_rows(out, "clean")) == [i for i, _ in fresh]
        assert read_report(out)["counts"]["balanced"] is True
    key = lambda r: (r["id"], r["text"], r["text_hash"])  # noqa: E731
    assert sorted(map(key, read_rows(outs[0], "clean"))) == sorted(map(key, read_rows(outs[1], "clean")))
    rkey = lambda r: (r["id"], r["reason"], r["detail"], r["duplicate_of"])  # noqa: E731
    assert sorted(map(rkey, read_rows(outs[0], "rejected"))) == sorted(map(rkey, read_rows(outs[1], "rejected")))


def test_an_earlier_run_without_an_index_or_with_other_settings_is_refused(tmp_path):
    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "d.jsonl", [("x", story(random.Random(1)))])
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o1"), "--dedup-against", str(tmp_path / "nothing"))
    assert proc.returncode == 2
    assert "no index found" in proc.stderr.strip().splitlines()[-1]
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "run"), "--set", "quality.annotate_only=true")
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o2"), "--dedup-against", str(tmp_path / "run"),
                   "--set", "near_dedup.ngram=3")
    assert proc.returncode == 2
    assert "its index has ngram='5', this run ngram='3'" in proc.stderr.strip().splitlines()[-1]
    # the run to dedup against is the output it would replace: every document would be rejected
    # as a copy of the run it then deleted
    before = sorted(str(f.relative_to(tmp_path)) for f in (tmp_path / "run").rglob("*"))
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "run"), "--overwrite",
                   "--dedup-against", str(tmp_path / "run") + "/")
    assert proc.returncode == 2
    assert "is the output folder" in proc.stderr.strip().splitlines()[-1]
    assert sorted(str(f.relative_to(tmp_path)) for f in (tmp_path / "run").rglob("*")) == before
    # a run without _SUCCESS (stopped during its swap, or a staging folder still being written) may
    # index another run's documents or part of them: it was used without a word
    shutil.copytree(tmp_path / "run", tmp_path / "stopped")
    (tmp_path / "stopped" / "_SUCCESS").unlink()
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o3"), "--dedup-against", str(tmp_path / "stopped"))
    assert (proc.returncode, proc.stderr) == (2, (f"error: --dedup-against {str(tmp_path / 'stopped')!r} holds no finished run "
                                                  "(no _SUCCESS): it was stopped or is still being written; if you know it "
                                                  "finished, create _SUCCESS in it\n"))
    assert not (tmp_path / "o3").exists()
    # hostile round 27: a run another run is replacing now (--overwrite: it holds RUN.lock) was
    # read: the index checked, then the one the job found, before or after the swap by timing
    with open(f"{tmp_path / 'run'}.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o4"), "--dedup-against", str(tmp_path / "run"))
    assert (proc.returncode, proc.stderr) == (2, (f"error: --dedup-against '{tmp_path / 'run'}' is being written by another run now "
                                                  f"(it holds '{tmp_path / 'run'}.lock'): wait for it to finish, then run again\n"))
    assert not (tmp_path / "o4").exists()
    # hostile round 27: an index whose file of rows was deleted (a clean-up, a partial copy) and
    # only an empty shard left was read as it was: copies of the run's documents passed as new
    shutil.copytree(tmp_path / "run", tmp_path / "cut")
    (index,) = (tmp_path / "cut" / "index").glob("*.parquet")
    empty = pq.read_table(index).slice(0, 0)
    index.unlink()
    pq.write_table(empty, tmp_path / "cut" / "index" / "part-00001-of-00002.parquet")
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o5"), "--dedup-against", str(tmp_path / "cut"))
    assert (proc.returncode, proc.stderr) == (2, (f"error: --dedup-against {tmp_path / 'cut'}: its index holds 0 row(s) in 1 file(s), "
                                                  "but the run published 1 clean document(s) (its report.json): files are missing "
                                                  "from it; restore its index folder as the run wrote it, or rerun that day\n"))
    assert not (tmp_path / "o5").exists()
    # hostile round 28: the same index copied without its run's report.json was read unchecked
    (tmp_path / "cut" / "report.json").unlink()
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o6"), "--dedup-against", str(tmp_path / "cut"))
    assert (proc.returncode, proc.stderr) == (2, (f"error: --dedup-against {tmp_path / 'cut'}: no report.json beside its index: "
                                                  "whether its index holds a row for each clean document the run published cannot be "
                                                  "checked (copies of a file lost from it would pass as new); copy the run's "
                                                  "report.json with its index, or, for an index another tool wrote, pass --set "
                                                  "prior_dedup.accept_index_without_report=true\n"))
    assert not (tmp_path / "o6").exists()


def test_a_runs_index_folder_given_for_the_run_is_read_as_that_run(tmp_path):
    # hostile round 22: `--dedup-against RUN/index` (the folder a user looking for "the index"
    # finds) said "no index found (RUN/index/index/*.parquet)" and stopped
    (tmp_path / "in").mkdir()
    text = story(random.Random(3))
    write(tmp_path / "in" / "d1.jsonl", [("x", text)])
    write(tmp_path / "in" / "d2.jsonl", [("y", text), ("z", story(random.Random(4)))])
    keep = ("--set", "quality.annotate_only=true", "--progress", "0")  # the stories are made up: only dedup decides here
    proc = run_cli("--input", str(tmp_path / "in" / "d1.jsonl"), "--output", str(tmp_path / "run"), *keep)
    assert proc.returncode == 0, proc.stderr[-3000:]
    proc = run_cli("--input", str(tmp_path / "in" / "d2.jsonl"), "--output", str(tmp_path / "day2"), *keep,
                   "--dedup-against", str(tmp_path / "run" / "index") + "/")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert [(r["id"], r["reason"], r["duplicate_of"], r["detail"]) for r in read_rows(tmp_path / "day2", "rejected")] == [
        ("y", "duplicate_exact", "x", f"same text as x in earlier run {tmp_path / 'run'}")]
    assert [r["id"] for r in read_rows(tmp_path / "day2", "clean")] == ["z"]
    assert read_report(tmp_path / "day2")["config"]["prior_dedup"]["against"] == [str(tmp_path / "run")]


def test_an_index_damaged_inside_its_pages_stops_the_run_with_one_line(tmp_path):
    # hostile round 10: an index file whose footer reads but whose pages do not passed the check
    # made when the job is built, then stopped the job with pyarrow's traceback (exit 1), or was
    # read as other bytes without a word; the index is written with page checksums now
    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "d.jsonl", [(f"x{i}", story(random.Random(i))) for i in range(3)])
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "run"),
                   "--set", "quality.annotate_only=true", "--set", "pii.enabled=false")
    assert proc.returncode == 0, proc.stderr[-3000:]
    (index,) = (tmp_path / "run" / "index").glob("*.parquet")
    chunk = pq.ParquetFile(index).metadata.row_group(0).column(3)  # the shingles
    data = bytearray(index.read_bytes())
    data[(chunk.dictionary_page_offset or chunk.data_page_offset) + chunk.total_compressed_size // 2] ^= 0xFF  # the footer still reads
    index.write_bytes(bytes(data))
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "o"), "--dedup-against", str(tmp_path / "run"),
                   "--direct_running_mode=multi_processing", "--direct_num_workers=2")
    assert proc.returncode == 2, proc.stderr[-3000:]
    assert proc.stderr.strip().splitlines()[-1].startswith(f"error: --dedup-against {tmp_path / 'run'}: its index file {index} is damaged (")
    assert not (tmp_path / "o").exists()


def test_the_reports_stage_list_is_the_pipelines_order(tmp_path, unrun_pipeline):
    """pipeline/report.py's STAGES (the funnel's order) is the order build.py applies the stages in,
    the prior-dedup stage included (it is built only with --dedup-against)."""
    from pipeline.build import process
    from pipeline.config import load_config
    from pipeline.progress import TallyProgress
    from pipeline.report import STAGES
    from tests.e2e.conftest import REPO

    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "d.jsonl", [("x", story(random.Random(1)))])
    proc = run_cli("--input", str(tmp_path / "in" / "d.jsonl"), "--output", str(tmp_path / "run"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    cfg = load_config(REPO / "configs" / "default.yaml", [f"prior_dedup.against=[{tmp_path / 'run'}]"])
    tally = TallyProgress(None)
    process(unrun_pipeline(), cfg, [str(tmp_path / "in" / "d.jsonl")], tally)
    assert tally.stages == list(STAGES)


@pytest.mark.parametrize("change", ["replaced", "deleted"])
def test_an_earlier_run_replaced_after_the_check_stops_the_run_with_one_line(tmp_path, change, monkeypatch, capsys):
    # hostile round 29 (round 27's leftover): RUN checked when the job was built, then replaced by
    # another run (`--output RUN --overwrite`: its index files of the same names) or its index
    # deleted, before the job read it: the job read the other run's index (2 of 5 copies rejected
    # instead of 5) or none (0), exit 0, without a word. Now the files checked are the files read.
    from pipeline import run
    from pipeline.output_folder import swap_in

    rng = random.Random(29)
    docs = [(f"a{i}", story(rng)) for i in range(5)]
    (tmp_path / "in").mkdir()
    write(tmp_path / "in" / "all.jsonl", docs)
    write(tmp_path / "in" / "two.jsonl", docs[:2])
    common = ["--set", "quality.annotate_only=true", "--set", "pii.enabled=false", "--progress", "0"]
    for name, data in (("day1", "all"), ("other", "two")):
        proc = run_cli("--input", str(tmp_path / "in" / f"{data}.jsonl"), "--output", str(tmp_path / name), *common)
        assert proc.returncode == 0, proc.stderr[-3000:]
    checked = run.check_indexes

    def replaced_after_the_check(cfg, near):
        indexes = checked(cfg, near)
        if change == "replaced":  # as another run's swap does it
            shutil.copytree(tmp_path / "other", tmp_path / "day1.staging-0123456789ab")
            swap_in(str(tmp_path / "day1.staging-0123456789ab"), str(tmp_path / "day1"))
        else:
            shutil.rmtree(tmp_path / "day1" / "index")
        return indexes

    monkeypatch.setattr(run, "check_indexes", replaced_after_the_check)
    capsys.readouterr()
    code = run.main(["--input", str(tmp_path / "in" / "all.jsonl"), "--output", str(tmp_path / "day2"),
                     "--dedup-against", str(tmp_path / "day1"), *common])
    err = capsys.readouterr().err
    assert code == 2, err[-3000:]
    how = "replaced or rewritten" if change == "replaced" else "deleted"
    assert err.splitlines()[-1].startswith(
        f"error: --dedup-against {tmp_path / 'day1'} changed while this run read it (its index file "
        f"{tmp_path / 'day1' / 'index' / 'part-00000-of-00001.parquet'} was {how} after this run checked it: another run "
        "replaced it?): nothing was written; wait for whatever writes it to finish, then run again"), err[-3000:]
    assert "Traceback" not in err and len(err.splitlines()) == 2  # "Running on ..." and the line
    assert not (tmp_path / "day2").exists()
