"""The report's data gathered inside Beam (`CountOutcomes`): the same JSON on one worker and on two,
whatever the input order, and equal to the one-process fold the unit tests check."""

from __future__ import annotations

import json
import random
from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipeline.report_data import CountOutcomes, load_lookalike_pack, summarise
from transforms.clean import CleanConfig
from transforms.records import Document, Failure, Reason, Rejection

PROSE = "The council met on Tuesday to discuss the harbour, and residents who spoke welcomed the plan. "


def outcomes(n: int = 120) -> tuple[list, list, list, list, list]:
    """Clean documents with signals, clusters and boilerplate; rejections of several reasons and
    stages; failures; near dedup's own counts."""
    clean, rejected = [], []
    for i in range(n):
        domain = f"site{i % 4}.example"
        d = Document(id=f"doc-{i:03d}", text=(PROSE * (1 + i % 5)) + f"\nStory {i}. Share your thoughts in the comments below! " + PROSE * 3,
                     source="crawl.jsonl", source_format="jsonl", position=i, url=f"https://{domain}/{i}", domain=domain,
                     chars_in=600 + 37 * i, rule_counts=(("boilerplate_domain", 1 + i % 3), ("share_prompt", 1)),
                     removed_examples=(("boilerplate_domain", f"Footer of {domain}"), ("share_prompt", f"Share story {i % 7}")),
                     signals={"word_count": 40.0 + 3 * i, "alpha_word_frac": 0.7 + (i % 30) / 100}, language="en" if i % 6 else "de")
        if i % 5 == 0:
            rejected.append(Rejection(doc=d, reason=Reason.GOPHER_QUALITY, detail=f"word_count={i}", stage="quality"))
        elif i % 7 == 0 and i >= 14:
            survivor = f"doc-{i - 7:03d}"
            rejected.append(Rejection(doc=d, reason=Reason.DUPLICATE_NEAR, detail=f"near-duplicate of {survivor}",
                                      stage="near_dedup", duplicate_of=survivor))
        else:
            size = 1 + sum(1 for j in range(i + 7, n, 7) if j % 5 and j % 7 == 0) if i % 7 == 0 else 1
            clean.append(d.with_(dup_cluster=d.id if size > 1 else "", dup_cluster_size=size))
    failed = [Failure(stage="read", source=f"part-{k}.jsonl", position=k, id="", error_type="JSONDecodeError", message=f"line {k}")
              for k in range(25)]
    stats = [{"near_dedup": {"clusters": 3, "cluster_sizes": {"2": 2}}}, {"near_dedup": {"clusters": 1, "cluster_sizes": {"3-4": 1}}}]
    read = list(range(n + len(failed)))
    return read, clean, rejected, failed, stats


def run(parts: tuple, options: PipelineOptions, path: Path) -> dict:
    read, clean, rejected, failed, stats = parts
    with beam.Pipeline(options=options) as p:
        pcolls = tuple(p | f"Create{i}" >> beam.Create(items, reshuffle=False) for i, items in enumerate((read, clean, rejected, failed, stats)))
        _ = pcolls | CountOutcomes(str(path), CleanConfig())
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "seed, options",
    [
        (0, PipelineOptions(direct_num_workers=1, direct_running_mode="in_memory")),
        (1, PipelineOptions(direct_num_workers=2, direct_running_mode="multi_threading")),
    ],
)
def test_same_report_data_on_one_and_two_workers(seed: int, options: PipelineOptions, tmp_path: Path) -> None:
    parts = outcomes()
    expected = json.loads(json.dumps(summarise(*parts, pack=load_lookalike_pack(CleanConfig()))))
    shuffled = tuple(random.Random(seed).sample(items, len(items)) for items in parts)
    data = run(shuffled, options, tmp_path / "stats.json")
    assert data == expected
    # and it is the data the page needs, counted right
    assert (data["input"], data["clean"], data["rejected"], data["failed"]) == (145, len(parts[1]), len(parts[2]), 25)
    assert data["input"] == data["clean"] + data["rejected"] + data["failed"]
    assert len(data["samples"]["failed"]) == 20 and data["boilerplate"]["domains"] == 4
    assert data["samples"]["largest_cluster"]["size"] == max(d.dup_cluster_size for d in parts[1])
    assert {r: len(v) for r, v in data["samples"]["rejected"].items()} == {"duplicate_near": 5, "gopher_quality": 5}
    assert data["samples"]["lookalikes"]["comment_prompt"][0]["match"] == "Share your thoughts"
    assert data["near_dedup"] == {"clusters": 4, "cluster_sizes": {"2": 2, "3-4": 1}}
