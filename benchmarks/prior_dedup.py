"""Dedup against an earlier run: N new documents against an index of M earlier ones.

Builds an earlier run's index of M articles (the news bodies of ../shared/data: even-numbered
articles, paragraphs of two or three spliced together) the way a finished run writes it (`OUT/index/*.parquet`, via
`transforms.prior_dedup.index_row`), and N new documents: `--exact` of them word-for-word copies of
earlier articles, `--near` of them syndicated copies (a few words changed), the rest new (spliced
from the odd-numbered articles, so none is a copy of an earlier one). Then runs
the CLI on the new documents twice, without and with `--dedup-against`, and prints for each run the
wall time and the peak memory of the run's process tree, and for the deduped run the precision and
recall of the removed documents against the overlap the benchmark built (a removal is correct when
its exact Jaccard with the earlier document it names is >= 0.8: the earlier articles share
paragraphs among themselves, so a planted copy may name another earlier copy of its text).

Run from the repo root:  python -m benchmarks.prior_dedup [--index-docs 100000] [--new-docs 20000]
Memory against index size:  ... --index-docs 25000 50000 100000
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.corpus import _near_copy, load_articles
from transforms.prior_dedup import INDEX_SCHEMA
from transforms import clean_text, minhash
from transforms.near_dedup import BandSigner, NearDedupConfig
from transforms.prior_dedup import INDEX_DIR, REPORT_FILE, SUCCESS_FILE, index_row, index_settings
from transforms.records import Document

REPO = Path(__file__).resolve().parent.parent
NEAR = NearDedupConfig()


def build_index(run: Path, texts: list[tuple[str, str]]) -> None:
    """An earlier run's index of `texts` ((id, text) pairs), as the pipeline writes it."""
    signer = BandSigner(NEAR)
    schema = INDEX_SCHEMA.with_metadata(index_settings(NEAR))
    (run / INDEX_DIR).mkdir(parents=True, exist_ok=True)
    rows = [index_row(Document(id=i, text=t, source="day1", source_format="jsonl"), signer) for i, t in texts]
    for part in range(0, len(rows), 20_000):
        table = pa.Table.from_pylist(rows[part : part + 20_000], schema=schema)
        pq.write_table(table, run / INDEX_DIR / f"part-{part // 20_000:05d}.parquet", compression="zstd")
    # what a finished run holds beside its index, which --dedup-against checks (hostile rounds 9, 28)
    (run / REPORT_FILE).write_text(json.dumps({"counts": {"clean": len(rows)}}))
    (run / SUCCESS_FILE).touch()


def spliced(pool: list, n: int, rng: random.Random, tag: str) -> list[str]:
    """`n` texts, each paragraphs of two or three articles of `pool` from a random start, 1,500-6,000
    characters."""
    out = []
    for k in range(n):
        paragraphs: list[str] = []
        for art in rng.sample(pool, rng.choice((2, 3))):
            start = rng.randrange(max(1, len(art.paragraphs) - 1))
            paragraphs.extend(art.paragraphs[start : start + rng.randint(2, 6)])
        budget, text = rng.randint(1500, 6000), []
        for par in paragraphs:
            text.append(par)
            budget -= len(par)
            if budget <= 0:
                break
        out.append("\n".join(text))
    return out


def earlier_documents(m: int) -> list[tuple[str, str]]:
    """What an earlier run published: spliced articles, cleaned as the pipeline cleans them."""
    pool = load_articles()[0::2]
    return [(f"old-{k:07d}", clean_text(text)) for k, text in enumerate(spliced(pool, m, random.Random(1), "earlier"))]


def new_documents(earlier: list[tuple[str, str]], n: int, exact: float, near: float, seed: int) -> tuple[list[dict], dict[str, str]]:
    rng = random.Random(seed)
    fresh = iter(spliced(load_articles()[1::2], n, random.Random(seed + 1), "new"))
    docs, truth = [], {}
    for k in range(n):
        roll = rng.random()
        if roll < exact + near:
            old_id, text = earlier[rng.randrange(len(earlier))]
            text = text if roll < exact else _near_copy(text, rng)
            truth[f"new-{k:07d}"] = old_id
        else:
            text = next(fresh)
        docs.append({"id": f"new-{k:07d}", "text": text, "url": f"https://example{k % 50}.org/{k}"})
    return docs, truth


def run_cli(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the largest process of one CLI run (a fresh Python, so
    RUSAGE_CHILDREN covers only it and its workers)."""
    code = (
        "import resource, subprocess, sys, time; t = time.perf_counter();"
        f" rc = subprocess.call([sys.executable, '-m', 'pipeline.run', *{args!r}], stdout=subprocess.DEVNULL);"
        " w = time.perf_counter() - t; print(rc, w, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    rc, wall, rss_kb = int(out[0]), float(out[1]), int(out[2])
    if rc != 0:
        raise SystemExit(f"pipeline.run exited {rc}: {args}")
    return wall, rss_kb / 1024


def score(out: Path, truth: dict[str, str], earlier: dict[str, str], new: dict[str, str]) -> tuple[int, float, float, int]:
    """(removed, precision, recall, planted copies left out of the truth): a planted copy counts when
    its Jaccard with its source is >= the threshold (a syndicated copy of a short text can fall
    below it: then it is no near duplicate) and no stage before rejected it."""
    rows = pq.read_table(out / "rejected", columns=["id", "stage", "duplicate_of"]).to_pylist()
    removed = {r["id"]: r["duplicate_of"] for r in rows if r["stage"] == "prior_dedup"}
    earlier_stage = {r["id"] for r in rows if r["stage"] not in ("prior_dedup", "exact_dedup", "near_dedup")}

    def similar(i: str, old_id: str) -> bool:
        return minhash.jaccard(minhash.shingle_hashes(new[i]), minhash.shingle_hashes(earlier[old_id])) >= NEAR.threshold

    correct = sum(1 for i, old_id in removed.items() if similar(i, old_id))
    planted = {i for i, old_id in truth.items() if i not in earlier_stage and similar(i, old_id)}
    found = sum(1 for i in planted if i in removed)
    return len(removed), correct / max(len(removed), 1), found / max(len(planted), 1), len(truth) - len(planted)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index-docs", type=int, nargs="+", default=[100_000])
    ap.add_argument("--new-docs", type=int, default=20_000)
    ap.add_argument("--exact", type=float, default=0.05)
    ap.add_argument("--near", type=float, default=0.10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default="", help="folder for the generated data (default: a temporary folder)")
    args = ap.parse_args(argv)
    work = Path(args.work or tempfile.mkdtemp(prefix="prior_dedup_"))
    beam = [f"--direct_num_workers={args.workers}", "--direct_running_mode=multi_processing" if args.workers > 1 else "--direct_running_mode=in_memory"]
    common = ["--set", "quality.annotate_only=true", "--set", "pii.enabled=false", "--set", "prior_dedup.write_index=false", "--progress", "0", "--overwrite"]
    print(f"new documents: {args.new_docs:,} ({args.exact:.0%} exact and {args.near:.0%} near copies of earlier ones); {args.workers} worker(s); data in {work}")
    for m in args.index_docs:
        t0 = time.perf_counter()
        earlier = earlier_documents(m)
        run = work / f"day1-{m}"
        if not (run / INDEX_DIR).exists():
            build_index(run, earlier)
        docs, truth = new_documents(earlier, args.new_docs, args.exact, args.near, seed=m)
        new_path = work / f"day2-{m}.jsonl"
        new_path.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
        prep = time.perf_counter() - t0
        base_wall, base_rss = run_cli(["--input", str(new_path), "--output", str(work / f"out-plain-{m}"), *common, *beam])
        wall, rss = run_cli(["--input", str(new_path), "--output", str(work / f"out-{m}"), "--dedup-against", str(run), *common, *beam])
        removed, precision, recall, left_out = score(work / f"out-{m}", truth, dict(earlier), {d["id"]: d["text"] for d in docs})
        print(f"index {m:>9,} docs (built in {prep:.0f} s): without --dedup-against {base_wall:6.1f} s, peak {base_rss:6.0f} MB | "
              f"with it {wall:6.1f} s, peak {rss:6.0f} MB (+{wall - base_wall:.1f} s) | removed {removed:,} (planted {len(truth):,}, "
              f"{left_out} of them below the threshold or rejected before the stage), "
              f"precision {precision:.4f}, recall {recall:.4f}")


if __name__ == "__main__":
    main()
