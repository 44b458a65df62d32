"""Dedup against earlier runs: the pure decisions and the index row."""

import json
import random
import shutil
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from transforms import minhash
from transforms.exact_dedup import text_hash
from transforms.near_dedup import BandSigner, NearDedupConfig, banding
from transforms.prior_dedup import (
    IndexChanged,
    IndexDamaged,
    damaged_index,
    read_index_file,
    INDEX_DIR,
    INDEX_SCHEMA,
    SUCCESS_FILE,
    PriorDedupConfig,
    SmallestRefs,
    _candidates,
    _exact_matches,
    _index_files,
    _index_rows,
    _ship_old_hashes,
    best_near,
    check_indexes,
    decide,
    index_row,
    index_settings,
    pick_exact,
    run_of,
)
from transforms.records import Document, Reason, Rejection
from transforms.routing import Note
from tests.news_texts import ELECTION, FLOOD

NEAR = NearDedupConfig()


def doc(text: str, i: str = "new") -> Document:
    return Document(id=i, text=text, source="s", source_format="jsonl")


def old(text: str) -> bytes:
    return minhash.shingle_hashes(text, NEAR.ngram).tobytes()


def test_index_row_holds_the_exact_hash_band_keys_and_shingles():
    row = index_row(doc(FLOOD, "a1"), BandSigner(NEAR))
    bands, rows = banding(NEAR)
    assert row["id"] == "a1" and row["text_hash"] == text_hash(FLOOD)
    assert row["band_keys"] == minhash.band_keys(minhash.minhash_signature(FLOOD), bands, rows)
    assert row["shingles"] == old(FLOOD)
    assert index_row(doc("", "e"), BandSigner(NEAR))["band_keys"] == []


def test_an_exact_match_wins_and_names_the_smallest_earlier_run_and_id():
    out = decide(doc(FLOOD), [("z9", "runs/day1"), ("a1", "runs/day2"), ("b2", "runs/day1")], [(("x", "runs/day0"), old(FLOOD))], NEAR)
    assert isinstance(out, Rejection)
    assert (out.reason, out.duplicate_of, out.detail, out.stage) == (
        Reason.DUPLICATE_EXACT, "b2", "same text as b2 in earlier run runs/day1", "prior_dedup")
    assert pick_exact([("b", "r2"), ("a", "r2"), ("c", "r1")]) == ("c", "r1")


def test_near_candidates_are_verified_exactly():
    edited = FLOOD.replace("early on Tuesday", "late on Monday")
    out = decide(doc(edited), [], [(("e1", "d1"), old(ELECTION)), (("f1", "d1"), old(FLOOD))], NEAR)
    assert isinstance(out, Rejection) and out.reason == Reason.DUPLICATE_NEAR and out.duplicate_of == "f1"
    assert out.detail.startswith("Jaccard 0.9") and out.detail.endswith("with f1 in earlier run d1")
    # a band collision with an unrelated story never removes it
    kept = doc(ELECTION, "n2")
    assert decide(kept, [], [(("f1", "d1"), old(FLOOD))], NEAR) is kept


def test_best_near_takes_the_highest_jaccard_then_the_smallest_ref():
    own = minhash.shingle_hashes(FLOOD)
    same = old(FLOOD)
    assert best_near(own, [(("b", "r"), same), (("a", "r"), same)], 0.8) == (("a", "r"), 1.0)
    assert best_near(own, [(("a", "r"), old(ELECTION))], 0.8) is None


def combine(fn, parts):
    """What a runner does: an accumulator per worker's share, merged, then the output."""
    accs = []
    for part in parts:
        acc = fn.create_accumulator()
        for ref in part:
            acc = fn.add_input(acc, ref)
        accs.append(acc)
    return fn.extract_output(fn.merge_accumulators(accs))


def test_a_hot_bucket_is_cut_to_its_k_smallest_refs_whatever_the_order_and_split():
    refs = [(f"id{i:05d}", f"run{i % 3}") for i in range(1_000)] * 2  # the same run given twice
    want = sorted(set(refs), key=lambda r: (r[1], r[0]))[:7]
    assert want[0] == ("id00000", "run0") and want[1] == ("id00003", "run0")
    rng = random.Random(0)
    for _ in range(5):
        rng.shuffle(refs)
        cut = sorted(rng.sample(range(1, len(refs)), 3))
        parts = [refs[a:b] for a, b in zip([0, *cut], [*cut, len(refs)])]
        assert combine(SmallestRefs(7), parts) == want
    # an accumulator never grows past a bound set by k, not by the bucket
    acc = SmallestRefs(7).create_accumulator()
    for ref in refs:
        acc = SmallestRefs(7).add_input(acc, ref)
        assert len(acc) < 4 * 7
    assert combine(SmallestRefs(1), [[("b", "r2"), ("a", "r2")], [("c", "r1")]]) == [pick_exact([("b", "r2"), ("a", "r2"), ("c", "r1")])]


def test_joins_pair_every_new_node_with_the_kept_refs_and_skip_keys_without_earlier_documents():
    def group(one_tag, one, many_tag):  # the one-value side arrives anywhere in the group
        return [Note(many_tag, b"n1"), Note(one_tag, one), Note(many_tag, b"n2")]

    a, b = ("a", "r"), ("b", "r")
    assert list(_exact_matches(("h", group("old", [a], "new")))) == [(b"n1", ("e", a, b"")), (b"n2", ("e", a, b""))]
    assert list(_exact_matches(("h", [Note("new", b"n1")]))) == []
    assert list(_candidates(("k", group("old", [a, b], "new")))) == [(a, b"n1"), (b, b"n1"), (a, b"n2"), (b, b"n2")]
    assert list(_candidates(("k", [Note("new", b"n1")]))) == []
    assert list(_ship_old_hashes((a, group("shingles", b"S", "nodes")))) == [(b"n1", ("n", a, b"S")), (b"n2", ("n", a, b"S"))]
    assert list(_ship_old_hashes((a, [Note("nodes", b"n1")]))) == []


def _index_file(run, table) -> None:
    """A finished run's index: the file, its report.json counting its rows, and the _SUCCESS a run writes last."""
    (run / INDEX_DIR).mkdir(parents=True)
    pq.write_table(table, run / INDEX_DIR / "part-0.parquet")
    (run / "report.json").write_text(json.dumps({"counts": {"clean": table.num_rows}}))
    (run / SUCCESS_FILE).touch()


def cfg(run) -> PriorDedupConfig:
    return PriorDedupConfig(against=(str(run),))


def test_a_runs_index_folder_given_for_the_run_is_read_as_that_run(tmp_path):
    # hostile round 22: `--dedup-against RUN/index` said "no index found (RUN/index/index/*.parquet)".
    # A folder named index that holds index files and no index/ of its own can only be a run's
    rows = {"id": ["a"], "text_hash": ["h"], "band_keys": [[b"k"]], "shingles": [b"s"]}
    _index_file(tmp_path / "day1", pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR))))
    day1 = str(tmp_path / "day1")
    for given in (f"{day1}/index", f"{day1}/index/", f"{day1}/index//"):
        assert run_of(given) == day1
        assert [run for run, _ in check_indexes(cfg(run_of(given)), NEAR)] == [day1]
    assert run_of(day1) == day1  # a run, as given
    # anything else is left as given, for check_indexes to name: an empty index folder, a run
    # whose own folder is called index, a folder of other files, a place that is not there
    (tmp_path / "empty" / INDEX_DIR).mkdir(parents=True)
    _index_file(tmp_path / INDEX_DIR, pa.Table.from_pydict(rows, schema=INDEX_SCHEMA))
    (tmp_path / "notes" / INDEX_DIR).mkdir(parents=True)
    (tmp_path / "notes" / INDEX_DIR / "a.txt").write_text("x")
    for given in (str(tmp_path / "empty" / INDEX_DIR), str(tmp_path / INDEX_DIR), str(tmp_path / "notes" / INDEX_DIR),
                  str(tmp_path / "gone" / INDEX_DIR), "gs://no-such-bucket-newsclean/run/index"):
        assert run_of(given) == given
    with pytest.raises(ValueError, match=r"empty/index: no index found \(.*/empty/index/index/\*\.parquet\)"):
        check_indexes(cfg(run_of(str(tmp_path / "empty" / INDEX_DIR))), NEAR)


def test_an_index_file_that_cannot_be_read_or_lacks_a_column_is_refused_before_the_run(tmp_path):
    # both once passed the check: the job then failed part-way (a KeyError on the missing column)
    rows = {"id": ["a"], "text_hash": ["h"], "band_keys": [[b"k"]], "shingles": [b"s"]}
    good = pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR)))
    _index_file(tmp_path / "good", good)
    assert [run for run, _ in check_indexes(cfg(tmp_path / "good"), NEAR)] == [str(tmp_path / "good")]
    _index_file(tmp_path / "no_id", good.drop(["id"]))
    with pytest.raises(ValueError, match=r"no_id: its index file .* lacks the column\(s\) id"):
        check_indexes(cfg(tmp_path / "no_id"), NEAR)
    (tmp_path / "broken" / INDEX_DIR).mkdir(parents=True)
    (tmp_path / "broken" / INDEX_DIR / "part-0.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(ValueError, match=r"broken: cannot read its index file .*part-0.parquet"):
        check_indexes(cfg(tmp_path / "broken"), NEAR)


def test_every_index_file_is_checked_not_only_the_first(tmp_path):
    # hostile round 9: only the first file's footer was read; a second one cut short, or one from a
    # run with other settings, stopped the job part-way with a traceback
    rows = {"id": ["a"], "text_hash": ["h"], "band_keys": [[b"k"]], "shingles": [b"s"]}
    good = pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR)))
    _index_file(tmp_path / "cut", good)
    data = (tmp_path / "cut" / INDEX_DIR / "part-0.parquet").read_bytes()
    (tmp_path / "cut" / INDEX_DIR / "part-1.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match=r"cut: cannot read its index file .*part-1.parquet"):
        check_indexes(cfg(tmp_path / "cut"), NEAR)
    _index_file(tmp_path / "mixed", good)
    other = good.replace_schema_metadata({**index_settings(NEAR), "seed": "7"})
    pq.write_table(other, tmp_path / "mixed" / INDEX_DIR / "part-1.parquet")
    with pytest.raises(ValueError, match=r"mixed: its index has seed='7', this run seed="):
        check_indexes(cfg(tmp_path / "mixed"), NEAR)


def test_an_index_file_damaged_inside_its_pages_is_one_error_naming_it(tmp_path):
    # hostile round 10: a damaged page behind a sound footer stopped the job with pyarrow's
    # traceback, or (zstd data that still decompressed) was read as other bytes without a word
    rows = {"id": ["a", "b"], "text_hash": ["h", "i"], "band_keys": [[b"k"], [b"l"]], "shingles": [b"s" * 4000, b"t" * 4000]}
    path = tmp_path / "part-0.parquet"
    pq.write_table(pa.Table.from_pydict(rows, schema=INDEX_SCHEMA), path, write_page_checksum=True, compression="zstd")
    assert list(read_index_file(str(path), "day1")) == [dict(zip(rows, values)) for values in zip(*rows.values())]
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(3)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    for at in (start + 2, start + chunk.total_compressed_size - 3):  # the page's header, then its data
        data = bytearray((tmp_path / "part-0.parquet").read_bytes())
        data[at] ^= 0xFF
        (tmp_path / "bad.parquet").write_bytes(bytes(data))
        with pytest.raises(IndexDamaged, match=r"^--dedup-against day1: its index file .*bad.parquet is damaged \(OSError: .*\): "
                                               r"rerun it or drop it from --dedup-against$") as caught:
            list(read_index_file(str(tmp_path / "bad.parquet"), "day1"))
        # as the CLI finds it: raised as it is, or in the text Beam re-raises a worker's error as
        assert damaged_index(caught.value) == str(caught.value)
        assert damaged_index(RuntimeError(f"Traceback ...\n{caught.value} [while running 'ReadIndex0/Rows']")) == str(caught.value)
    assert damaged_index(RuntimeError("ValueError: something else")) is None


def test_an_index_of_version_1_is_refused_with_why_unless_accepted(tmp_path):
    # version 1 indexes were written before letters of spaceless scripts were shingled one by
    # one and words kept their combining marks: their other documents compare as before, their
    # Chinese, Japanese, Thai, Hindi, Tamil... ones do not
    from transforms.prior_dedup import INDEX_VERSION, OLD_INDEX_VERSION

    assert index_settings(NEAR)["index_version"] == INDEX_VERSION != OLD_INDEX_VERSION
    rows = {"id": ["a"], "text_hash": ["h"], "band_keys": [[b"k"]], "shingles": [b"s"]}
    old = pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata({**index_settings(NEAR), "index_version": OLD_INDEX_VERSION}))
    _index_file(tmp_path / "day1", old)
    with pytest.raises(ValueError, match=r"day1: its index is version 1, written before letters of Chinese, Japanese, "
                                         r"Thai.*combining marks \(Devanagari, Bengali, Tamil.*pointed Hebrew and Arabic\)"
                                         r".*accept_index_version_1=true"):
        check_indexes(cfg(tmp_path / "day1"), NEAR)
    accepting = PriorDedupConfig(against=(str(tmp_path / "day1"),), accept_index_version_1=True)
    assert [run for run, _ in check_indexes(accepting, NEAR)] == [str(tmp_path / "day1")]
    # accepting version 1 accepts nothing else: other settings are still refused
    other = old.replace_schema_metadata({**index_settings(NEAR), "index_version": OLD_INDEX_VERSION, "ngram": "3"})
    _index_file(tmp_path / "day2", other)
    with pytest.raises(ValueError, match=r"day2: its index has ngram='3'"):
        check_indexes(PriorDedupConfig(against=(str(tmp_path / "day2"),), accept_index_version_1=True), NEAR)


def test_an_index_holding_rows_with_no_id_hash_or_shingles_is_refused(tmp_path):
    # hostile round 19: an index written by another tool with a null id passed the schema check; a
    # copy was rejected as "same text as None", and a null id beside a text id under one hash
    # stopped the run in SmallestRefs with a TypeError. Refused at the start (footer statistics),
    # or, from a writer that stored no statistics, when the row is read: one line either way.
    loose = pa.schema([field.with_nullable(True) for field in INDEX_SCHEMA], metadata=index_settings(NEAR))
    rows = {"id": ["a", None], "text_hash": ["h", "h"], "band_keys": [[b"k"], [b"k"]], "shingles": [b"s", b"s"]}
    table = pa.Table.from_pydict(rows, schema=loose)
    _index_file(tmp_path / "null_id", table)
    with pytest.raises(ValueError, match=r"^--dedup-against .*null_id: its index file .*part-0.parquet holds 1 row\(s\) "
                                         r"with no id \(this pipeline writes none\)"):
        check_indexes(cfg(tmp_path / "null_id"), NEAR)
    _index_file(tmp_path / "null_hash", table.set_column(0, "id", pa.array(["a", "b"])).set_column(
        1, "text_hash", pa.array([None, None], pa.string())))
    with pytest.raises(ValueError, match=r"holds 2 row\(s\) with no text_hash"):
        check_indexes(cfg(tmp_path / "null_hash"), NEAR)
    (tmp_path / "no_stats" / INDEX_DIR).mkdir(parents=True)
    path = tmp_path / "no_stats" / INDEX_DIR / "part-0.parquet"
    pq.write_table(table, path, write_statistics=False)
    (tmp_path / "no_stats" / SUCCESS_FILE).touch()
    # nothing to tell from the footer (another tool's index, without a run's report: accepted as such)
    assert check_indexes(PriorDedupConfig(against=(str(tmp_path / "no_stats"),), accept_index_without_report=True), NEAR)
    with pytest.raises(IndexDamaged, match=r"^--dedup-against day1: its index file .*part-0.parquet is damaged \(a row "
                                           r"with no id, .*\): rerun it or drop it from --dedup-against$") as caught:
        list(read_index_file(str(path), "day1"))
    assert damaged_index(RuntimeError(f"...\n{caught.value} [while running 'ReadIndex0/Rows']")) == str(caught.value)
    # an index of this pipeline's own (id required, no nulls) is read as before
    _index_file(tmp_path / "good", pa.Table.from_pydict({**rows, "id": ["a", "b"]}, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR))))
    assert check_indexes(cfg(tmp_path / "good"), NEAR)


@pytest.mark.parametrize("types", [
    {"id": pa.large_string()},
    {"id": pa.large_string(), "text_hash": pa.large_string(), "band_keys": pa.large_list(pa.large_binary()), "shingles": pa.large_binary()},
    {"id": pa.string_view(), "text_hash": pa.string_view(), "band_keys": pa.list_(pa.binary_view()), "shingles": pa.binary_view()},
    {"id": pa.dictionary(pa.int32(), pa.string()), "shingles": pa.binary(), "band_keys": pa.list_(pa.field("element", pa.binary(), False))},
], ids=["large_string id", "polars", "views", "dictionary id, binary shingles"])
def test_an_index_copied_with_other_arrow_types_of_the_same_values_is_read(tmp_path, types):
    # hostile round 21: an index rewritten with large_string ids (polars, a pyarrow cast) was refused
    # as "lacks the column(s) id (or holds another type)", though it reads as the same rows
    rows = {"id": ["a", "b"], "text_hash": ["h", "i"], "band_keys": [[b"k"], []], "shingles": [b"s" * 8, b"t" * 8]}
    schema = pa.schema([pa.field(f.name, types.get(f.name, f.type)) for f in INDEX_SCHEMA], metadata=index_settings(NEAR))
    _index_file(tmp_path / "day1", pa.Table.from_pydict(rows, schema=schema))
    assert [run for run, _ in check_indexes(cfg(tmp_path / "day1"), NEAR)] == [str(tmp_path / "day1")]
    read = list(read_index_file(str(tmp_path / "day1" / INDEX_DIR / "part-0.parquet"), "day1"))
    assert read == [dict(zip(rows, values)) for values in zip(*rows.values())]


def test_an_index_of_other_values_or_without_its_settings_is_refused_saying_what_to_do(tmp_path):
    # an id of another type was "lacks the column(s) id (or holds another type)"; an index whose
    # writer dropped the file's metadata (DuckDB, Spark) was "its index has bands=None"
    rows = {"id": ["a"], "text_hash": ["h"], "band_keys": [[b"k"]], "shingles": [b"s"]}
    good = pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR)))
    _index_file(tmp_path / "int_id", good.set_column(0, "id", pa.array([1], pa.int64())))
    with pytest.raises(ValueError, match=r"^--dedup-against .*int_id: its index file .*part-0.parquet holds id as int64, not "
                                         r"string: it was written by another tool; write id as string, or rerun that day$"):
        check_indexes(cfg(tmp_path / "int_id"), NEAR)
    _index_file(tmp_path / "bare", good.replace_schema_metadata(None))
    with pytest.raises(ValueError, match=r"^--dedup-against .*bare: its index file .*part-0.parquet holds none of the settings "
                                         r"its band keys were made with \(index_version, num_perm, ngram, seed, bands, rows\): "
                                         r"the tool that wrote or copied it dropped the file's metadata; copy an index's files "
                                         r"as they are, or rerun that day$"):
        check_indexes(cfg(tmp_path / "bare"), NEAR)
    _index_file(tmp_path / "twice", pa.Table.from_arrays([*good.columns, good.column(0)], names=[*good.column_names, "id"]))
    with pytest.raises(ValueError, match=r"holds the column id more than once: which one is the index's cannot be told"):
        check_indexes(cfg(tmp_path / "twice"), NEAR)


def test_an_index_with_files_deleted_or_added_is_refused_by_its_runs_clean_count(tmp_path):
    # hostile round 27: a run's index with a file deleted (a clean-up, a partial copy) was read as it
    # was: copies of the missing file's documents passed as new without a word. A run writes one
    # index row per clean document, and its report.json counts them
    rows = {"id": ["a", "b"], "text_hash": ["h", "i"], "band_keys": [[b"k"], [b"l"]], "shingles": [b"s", b"t"]}
    good = pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR)))
    day1 = tmp_path / "day1"
    _index_file(day1, good.slice(0, 1))
    pq.write_table(good.slice(1, 1), day1 / INDEX_DIR / "part-1.parquet")
    (day1 / "report.json").write_text(json.dumps({"counts": {"input": 3, "clean": 2, "rejected": 1, "failed": 0}}))
    assert [run for run, _ in check_indexes(cfg(day1), NEAR)] == [str(day1)]
    (day1 / INDEX_DIR / "part-1.parquet").unlink()
    with pytest.raises(ValueError, match=r"^--dedup-against .*day1: its index holds 1 row\(s\) in 1 file\(s\), but the run "
                                         r"published 2 clean document\(s\) \(its report.json\): files are missing from it; "
                                         r"restore its index folder as the run wrote it, or rerun that day$"):
        check_indexes(cfg(day1), NEAR)
    pq.write_table(good, day1 / INDEX_DIR / "part-1.parquet")  # a file copied in beside the one it holds
    with pytest.raises(ValueError, match=r"holds 3 row\(s\) in 2 file\(s\), .*: files were added to it or copied into it twice"):
        check_indexes(cfg(day1), NEAR)



def test_an_index_without_its_runs_report_is_refused_unless_accepted(tmp_path):
    # hostile round 28: an index copied without its run's report.json (or beside one that is not a
    # run's report) was read unchecked: a file lost in the copy let copies of its documents pass as new
    rows = {"id": ["a", "b"], "text_hash": ["h", "i"], "band_keys": [[b"k"], [b"l"]], "shingles": [b"s", b"t"]}
    day1 = tmp_path / "day1"
    _index_file(day1, pa.Table.from_pydict(rows, schema=INDEX_SCHEMA.with_metadata(index_settings(NEAR))))
    accepting = PriorDedupConfig(against=(str(day1),), accept_index_without_report=True)
    for report, why in [(None, "no report.json beside its index"),
                        ("not json", r"its report.json cannot be read as a run's report \(JSONDecodeError\)"),
                        (json.dumps([1]), r"its report.json cannot be read as a run's report \(TypeError\)"),
                        (json.dumps({"counts": {"clean": "2"}}), r"its report.json counts no clean documents \(counts.clean is '2'\)")]:
        if report is None:
            (day1 / "report.json").unlink()
        else:
            (day1 / "report.json").write_text(report)
        with pytest.raises(ValueError, match=rf"^--dedup-against .*day1: {why}: whether its index holds a row for each clean "
                                             r"document the run published cannot be checked \(copies of a file lost from it would "
                                             r"pass as new\); copy the run's report.json with its index, or, for an index another "
                                             r"tool wrote, pass --set prior_dedup.accept_index_without_report=true$"):
            check_indexes(cfg(day1), NEAR)
        assert [run for run, _ in check_indexes(accepting, NEAR)] == [str(day1)]
    # the excuse is for a report that is not there, not for one that counts other rows
    (day1 / "report.json").write_text(json.dumps({"counts": {"clean": 3}}))
    with pytest.raises(ValueError, match=r"holds 2 row\(s\) in 1 file\(s\), but the run published 3"):
        check_indexes(accepting, NEAR)
    # a run still being written (no _SUCCESS, no report yet) is named as that, not as a missing report
    (day1 / "report.json").unlink()
    (day1 / SUCCESS_FILE).unlink()
    with pytest.raises(ValueError, match=r"holds no finished run \(no _SUCCESS\)"):
        check_indexes(cfg(day1), NEAR)


def test_many_earlier_runs_add_no_steps_to_the_job(tmp_path):
    # hostile round 27: each --dedup-against run added its own read and entry steps to the job
    # graph, which the runner held one by one: 150 runs of 20 documents took 1.2 GB and 30 s
    import apache_beam as beam

    from pipeline.build import _prior_dedup
    from pipeline.config import load_config

    def steps(runs: int) -> int:
        against = [str(tmp_path / f"day{i}") for i in range(runs)]
        p = beam.Pipeline()
        _prior_dedup(p, load_config(None, [f"prior_dedup.against={json.dumps(against)}"]))
        return len(p.applied_labels)

    assert steps(40) == steps(2)


def test_an_index_replaced_or_deleted_after_its_check_is_refused_when_read(tmp_path):
    # hostile round 29: the job read whatever `RUN/index/*.parquet` matched when it ran. Another run
    # replacing RUN after this one checked it (`--output RUN --overwrite`, its files of the same
    # names) made this run dedup against the other run's index, and an index deleted meanwhile
    # against none: 2 of 5 copies rejected, or 0, exit 0, without a word
    rows = {"id": ["a", "b"], "text_hash": ["h", "i"], "band_keys": [[b"k"], [b"l"]], "shingles": [b"s", b"t"]}
    schema = INDEX_SCHEMA.with_metadata(index_settings(NEAR))
    _index_file(tmp_path / "day1", pa.Table.from_pydict(rows, schema=schema))
    ((run, files),) = check_indexes(cfg(tmp_path / "day1"), NEAR)
    assert [path for path, _, _ in files] == [str(tmp_path / "day1" / INDEX_DIR / "part-0.parquet")]
    read = [row for item in _index_files((run, files)) for _, row in _index_rows(item)]
    assert [row["id"] for row in read] == ["a", "b"]  # as checked: read
    # another run's index of the same name (a size or a time of change of its own)
    time.sleep(0.01)
    pq.write_table(pa.Table.from_pydict({k: v[:1] for k, v in rows.items()}, schema=schema), tmp_path / "day1" / INDEX_DIR / "part-0.parquet")
    with pytest.raises(IndexChanged, match=r"^--dedup-against .*day1 changed while this run read it \(its index file "
                                           r".*part-0.parquet was replaced or rewritten after this run checked it"):
        [row for item in _index_files((run, files)) for _, row in _index_rows(item)]
    shutil.rmtree(tmp_path / "day1" / INDEX_DIR)
    with pytest.raises(IndexChanged, match=r"part-0.parquet was deleted after this run checked it"):
        [row for item in _index_files((run, files)) for _, row in _index_rows(item)]
    # the line is found in the text a worker process's error reaches the driver as
    try:
        [row for item in _index_files((run, files)) for _, row in _index_rows(item)]
    except IndexChanged as exc:
        relayed = RuntimeError(f"Traceback ...\ntransforms.prior_dedup.IndexChanged: {exc} [while running 'ReadIndex/Rows']")
        assert damaged_index(relayed) == str(exc)
    # a file pattern, as callers that checked nothing pass, is matched when read (as before)
    assert list(_index_files((run, str(tmp_path / "none" / "*.parquet")))) == []
