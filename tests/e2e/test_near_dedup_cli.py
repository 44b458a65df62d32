"""The CLI removes a syndicated copy (other headline and footer) and reports the cluster."""

from __future__ import annotations

import json

from tests.e2e.conftest import read_report, read_rows, run_cli
from tests.news_texts import ELECTION, MARKET


def test_syndicated_copy_is_rejected_and_reported(tmp_path):
    lines = [
        {"id": "wire", "text": ELECTION, "published": "2024-05-02"},
        # Same story on a partner site: new headline line and footer (J 0.92 to the wire copy).
        {"id": "partner", "text": "Repeat vote ordered in northern district\n" + ELECTION
         + "\nCopyright 2024 The Daily Courier. All rights reserved.", "published": "2024-05-03"},
        {"id": "market", "text": MARKET, "published": "2024-05-02"},
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("--input", str(src), "--output", str(out))
    assert proc.returncode == 0, proc.stderr[-2000:]
    clean = {r["id"]: (r["dup_cluster"], r["dup_cluster_size"]) for r in read_rows(out, "clean")}
    assert clean == {"partner": ("partner", 2), "market": ("", 1)}  # most text survives
    rejected = [(r["id"], r["reason"], r["duplicate_of"]) for r in read_rows(out, "rejected")]
    assert rejected == [("wire", "duplicate_near", "partner")]
    near = read_report(out)["near_dedup"]
    assert (near["clusters"], near["docs_in_clusters"], near["cluster_sizes"], near["unconverged_nodes"]) == (1, 2, {"2": 1}, 0)
    assert near["pairs_verified"] - near["pairs_rejected_by_verification"] == 1
