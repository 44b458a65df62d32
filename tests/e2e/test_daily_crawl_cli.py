"""Daily-crawl options end to end: URL block lists, personal-data redaction and --sample."""

import json

from tests.e2e.conftest import read_report, read_rows, run_cli

BODY = (
    "The council approved the new budget on Tuesday after a long debate about school funding. "
    "Members argued for hours over the cost of repairs, and the mayor promised a review next spring. "
    "Residents who want to comment can write to the clerk at clerk.office@gmail.com or call (202) 555-0143 "
    "before the end of the month, the council said in a statement published on its website."
)


def _write_day(folder, n=40):
    folder.mkdir()
    lines = []
    for i in range(n):
        host = ("news.blocked.example" if i % 4 == 0 else f"paper{i}.org")
        text = f"Story number {i} of the day. " + BODY.replace("Tuesday", f"day {i} of the session")
        lines.append(json.dumps({"id": f"d{i:03}", "url": f"https://{host}/story/{i}", "text": text}))
    (folder / "day.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder / "day.jsonl"


def test_block_list_redaction_and_sample(tmp_path):
    day = _write_day(tmp_path / "in")
    block = tmp_path / "block.txt"
    block.write_text("# test list\nblocked.example\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("--input", str(day), "--output", str(out), "--set", f"url_filter.block_domains={block}",
                   "--set", "near_dedup.enabled=false", "--set", "exact_dedup.enabled=false")
    assert proc.returncode == 0, proc.stderr[-3000:]
    rejected = read_rows(out, "rejected")
    blocked = sorted(r["id"] for r in rejected if r["reason"] == "url_blocked")
    assert blocked == [f"d{i:03}" for i in range(0, 40, 4)]
    assert {r["detail"] for r in rejected if r["reason"] == "url_blocked"} == {"block_domains:blocked.example"}
    clean = read_rows(out, "clean")
    assert len(clean) == 30
    for row in clean:
        assert "clerk.office@gmail.com" not in row["text"] and "555-0143" not in row["text"]
        assert "email@example.com" in row["text"] and "call 555-0100 before" in row["text"]
        assert row["pii_counts"] == [{"kind": "email", "count": 1}, {"kind": "phone", "count": 1}]
    report = read_report(out)
    assert report["pii"] == {"email": 30, "phone": 30}
    assert report["counts"]["balanced"] is True

    # a quarter of the input, the same quarter every time, and the counts still add up
    runs = []
    for name in ("s1", "s2"):
        proc = run_cli("--input", str(day), "--output", str(tmp_path / name), "--sample", "0.25",
                       "--set", "near_dedup.enabled=false", "--set", "exact_dedup.enabled=false")
        assert proc.returncode == 0, proc.stderr[-3000:]
        runs.append(sorted(r["id"] for r in read_rows(tmp_path / name, "clean")))
        counts = read_report(tmp_path / name)["counts"]
        assert counts["input"] + counts["sampled_out"] == 40 and counts["balanced"] is True
        assert counts["input"] == len(runs[-1])
    assert runs[0] == runs[1] and 4 <= len(runs[0]) <= 16


def test_a_missing_block_list_is_one_line_and_exit_2(tmp_path):
    day = _write_day(tmp_path / "in", n=2)
    proc = run_cli("--input", str(day), "--output", str(tmp_path / "out"), "--set", f"url_filter.block_domains={tmp_path / 'nope.txt'}")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1].startswith("error: url_filter: cannot read")
    assert not (tmp_path / "out").exists()
