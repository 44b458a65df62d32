"""The report page's pure parts: samples, bins, thresholds, and sections that appear only when the
run's outputs carry their columns (quality signals, near-duplicate clusters)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.io import CLEAN_SCHEMA, REJECTED_SCHEMA
from pipeline.report_html import BottomK, bins_for, gather, histogram, render, stable_key, thresholds_for


def test_bottom_k_is_the_same_sample_whatever_the_order() -> None:
    ids = [f"doc-{i}" for i in range(500)]
    samples = []
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(ids)
        sample = BottomK(7)
        for doc_id in ids:
            sample.add(stable_key(doc_id), doc_id)
        samples.append(sample.items())
    assert samples[0] == samples[1] == samples[2]
    assert samples[0] == sorted(ids, key=stable_key)[:7]


@pytest.mark.parametrize(
    "cfg, expected",
    [
        ({"min_words": 50, "max_words": 100_000}, [("max", 100_000.0), ("min", 50.0)]),
        ({"words_min": 50}, [("min", 50.0)]),
        ({"words": {"min": 3, "max": 9}}, [("max", 9.0), ("min", 3.0)]),
        ({"gopher": {"min_words": 50}}, [("min", 50.0)]),
        ({"min_words_per_line": 3, "enabled": True, "min_words": True}, []),  # another signal; a bool is no threshold
        ({}, []),
    ],
)
def test_thresholds_for(cfg: dict, expected: list) -> None:
    assert thresholds_for("words", cfg) == expected


def test_histogram_counts_every_value_once() -> None:
    edges = bins_for([0.0, 1.0], log=False, count=4)
    assert edges == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert histogram([0.0, 0.1, 0.25, 0.6, 0.99, 1.0, -3.0, 7.0], edges) == [3, 1, 1, 3]  # out-of-range values land in the end bins


def _table(schema: pa.Schema, rows: list[dict], extra: dict[str, pa.DataType]) -> pa.Table:
    full = pa.schema(list(schema) + [pa.field(name, t) for name, t in extra.items()])
    return pa.Table.from_pylist([{**{f.name: None for f in full}, **r} for r in rows], schema=full)


def _doc(doc_id: str, text: str, **kw) -> dict:
    return {"id": doc_id, "text": text, "url": f"https://example.com/{doc_id}", "chars_in": len(text) + 10, "dup_cluster_size": 1, **kw}


def test_quality_and_cluster_sections_appear_with_their_columns(tmp_path: Path) -> None:
    signals = {"q_words": pa.float64(), "q_alpha_ratio": pa.float64()}
    clean = [
        _doc("a", "Survivor of the big cluster. " * 5, q_words=120.0, q_alpha_ratio=0.9, dup_cluster="c-big", dup_cluster_size=3),
        _doc("b", "Survivor of a pair. " * 5, q_words=80.0, q_alpha_ratio=0.8, dup_cluster="c-pair", dup_cluster_size=2),
        _doc("c", "A unique story. " * 5, q_words=60.0, q_alpha_ratio=0.85),
    ]
    rejected = [
        _doc("d", "Survivor of the big cluster, copied. " * 5, q_words=118.0, q_alpha_ratio=0.9, dup_cluster="c-big", dup_cluster_size=3,
             reason="duplicate_near", detail="jaccard=0.91", stage="near_dedup", duplicate_of="a"),
        _doc("e", "Survivor of the big cluster, copied again. " * 5, q_words=119.0, q_alpha_ratio=0.9, dup_cluster="c-big", dup_cluster_size=3,
             reason="duplicate_near", detail="jaccard=0.88", stage="near_dedup", duplicate_of="a"),
        _doc("f", "$$$ ### !!!", q_words=3.0, q_alpha_ratio=0.1, reason="low_quality", detail="words=3 < 50", stage="quality"),
    ]
    for name, schema, rows in (("clean", CLEAN_SCHEMA, clean), ("rejected", REJECTED_SCHEMA, rejected)):
        (tmp_path / name).mkdir()
        pq.write_table(_table(schema, rows, signals), tmp_path / name / "part-00000-of-00001.parquet")
    report = {
        "counts": {"input": 6, "clean": 3, "rejected": 3, "failed": 0, "balanced": True},
        "funnel": [{"stage": "read", "in": 6, "rejected": 0, "failed": 0, "out": 6}],
        "rejected_by_reason": {"duplicate_near": 2, "low_quality": 1},
        "config": {"quality": {"min_words": 50, "max_words": 100000, "min_alpha_ratio": 0.6}},
    }
    (tmp_path / "report.json").write_text(json.dumps(report))
    samples = gather(str(tmp_path), report)
    assert sorted(samples.signals) == ["alpha_ratio", "words"]
    assert sorted(samples.signals["words"]["kept"]) == [60.0, 80.0, 120.0]
    assert sorted(samples.signals["words"]["rejected"]) == [3.0, 118.0, 119.0]
    assert dict(samples.cluster_sizes) == {2: 1, 3: 1}
    assert samples.cluster is not None
    assert (samples.cluster["id"], samples.cluster["size"], samples.cluster["survivor"]["id"]) == ("c-big", 3, "a")
    assert sorted(m["id"] for m in samples.cluster["members"]) == ["d", "e"]
    assert sorted(samples.rejected) == ["duplicate_near", "low_quality"]

    page = render(report, samples)
    assert '<div class="signal" data-signal="alpha_ratio"><h3>alpha_ratio <span class="muted">(min 0.6)</span>' in page
    assert '<div class="signal" data-signal="words"><h3>words <span class="muted">(max 100,000, min 50)</span>' in page
    # A dashed line per threshold near the data; max_words=100,000 is noted at the right edge instead.
    assert page.count('stroke-dasharray="5 3"') == 2
    assert '<text x="628" y="22" text-anchor="end" class="tick thr">max 100,000 →</text>' in page
    assert '<td class="num" data-cluster-size="size 3" data-value="1">' in page
    assert "Largest cluster" in page and "jaccard=0.91" in page


def test_sections_without_data_are_left_out(tmp_path: Path) -> None:
    report = {"counts": {"input": 0, "clean": 0, "rejected": 0, "failed": 0, "balanced": True}, "funnel": []}
    page = render(report, gather(str(tmp_path), report))
    for section in ("quality", "clusters", "rejected", "failed", "languages", "lengths"):
        assert f'<section id="{section}"' not in page
    assert '<section id="funnel"' in page
