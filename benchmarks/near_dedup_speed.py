"""Near-dedup speed: signatures per second per core against datasketch, and the whole Beam
stage on the DirectRunner at several corpus sizes (wall time, peak memory).

    python -m benchmarks.near_dedup_speed                       # signatures + stage at 10k
    python -m benchmarks.near_dedup_speed --sizes 10000 30000   # stage sizes
    python -m benchmarks.near_dedup_speed --skip-stage          # signatures only

Signatures: the 531 real article bodies of ../shared/data, each method over all of them in one
process (one core), repeated, median reported. All three produce the same hash values (checked).
Stage: documents made from the real bodies (paragraphs of two articles mixed, with every tenth
document a near-duplicate of the one before it, 1% of words changed), generated inside the
pipeline; each size runs in its own process, whose peak RSS is reported. DirectRunner in_memory,
one worker, 128 permutations, default config. A pipeline that only generates and counts the
documents is timed too, so the stage's own time is the difference.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time

import numpy as np

from benchmarks.dedup_data import load_articles
from transforms import minhash


def bench_signatures(repeats: int) -> None:
    from datasketch import MinHash

    texts = load_articles()
    perms = minhash.make_permutations(128, 1)
    n_sh = sum(len(minhash.shingles(t)) for t in texts)

    def ours():
        return [minhash.signature_from_hashes(minhash.shingle_hashes(t), perms) for t in texts]

    def ds_update():
        out = []
        for t in texts:
            m = MinHash(num_perm=128, seed=1, permutations=perms, scheme="affine32")
            for g in minhash.shingles(t):
                m.update(g.encode("utf-8"))
            out.append(m.hashvalues)
        return out

    def ds_batch():
        out = []
        for t in texts:
            m = MinHash(num_perm=128, seed=1, permutations=perms, scheme="affine32")
            m.update_batch([g.encode("utf-8") for g in minhash.shingles(t)])
            out.append(m.hashvalues)
        return out

    ref = ours()
    for fn in (ds_update, ds_batch):
        assert all(np.array_equal(a, b.astype(np.uint32)) for a, b in zip(ref, fn())), fn.__name__
    times: dict[str, list[float]] = {"ours": [], "ds_update": [], "ds_batch": []}
    for _ in range(repeats):  # interleaved, so load from other processes hits all three alike
        for name, fn in (("ours", ours), ("ds_update", ds_update), ("ds_batch", ds_batch)):
            t0 = time.process_time()
            fn()
            times[name].append(time.process_time() - t0)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"signatures: {len(texts)} real articles, {n_sh} shingles, 128 perms, median CPU time of {repeats} runs")
    print(f"{'method':44} {'sig/s/core':>10} {'shingles/s':>11} {'ours x':>7}")
    for name, label in (("ours", "newsclean numpy (shingle + sha1 + permute)"),
                        ("ds_update", "datasketch MinHash.update per shingle"),
                        ("ds_batch", "datasketch MinHash.update_batch")):
        print(f"{label:44} {len(texts) / med[name]:10.0f} {n_sh / med[name]:11.0f} {med[name] / med['ours']:7.2f}")


_COUNTS: dict = {}  # filled by the counting steps; DirectRunner in_memory runs them in this process


def _record(count: int, name: str) -> None:
    _COUNTS[name] = count


class _Generate:
    """Document k of the synthetic corpus, a pure function of k."""

    def __init__(self, articles: list[list[str]]):
        self.articles = articles

    def text(self, k: int) -> str:
        rng = random.Random(k)
        a, b = rng.sample(self.articles, 2)
        paras = rng.sample(a, min(len(a), rng.randint(3, 8))) + rng.sample(b, min(len(b), rng.randint(1, 4)))
        return "\n".join(paras)

    def __call__(self, chunk: tuple[int, int]):
        from transforms.records import Document

        for k in range(*chunk):
            if k % 10 == 9:  # near-duplicate of the previous document
                words = self.text(k - 1).split(" ")
                rng = random.Random(-k)
                for i in rng.sample(range(len(words)), max(1, len(words) // 100)):
                    words[i] = "changed"
                text = " ".join(words)
            else:
                text = self.text(k)
            yield Document(id=f"doc-{k:07d}", text=text, source="bench", source_format="text", position=k)


def run_stage(n: int, only_generate: bool) -> dict:
    import apache_beam as beam
    from apache_beam.options.pipeline_options import PipelineOptions

    from transforms.near_dedup import NearDedupConfig, RemoveNearDuplicates

    articles = [a.split("\n") for a in load_articles()]
    step = 1000
    chunks = [(s, min(n, s + step)) for s in range(0, n, step)]
    t0 = time.perf_counter()
    with beam.Pipeline(options=PipelineOptions(direct_num_workers=1, direct_running_mode="in_memory")) as p:
        docs = p | beam.Create(chunks) | "Generate" >> beam.FlatMap(_Generate(articles)) | beam.Reshuffle()
        if only_generate:
            _ = docs | beam.combiners.Count.Globally() | beam.Map(_record, "kept")
        else:
            out = docs | RemoveNearDuplicates(NearDedupConfig())
            _ = out.kept | "CountKept" >> beam.combiners.Count.Globally() | "K" >> beam.Map(_record, "kept")
            _ = out.rejected | "CountRej" >> beam.combiners.Count.Globally() | "R" >> beam.Map(_record, "rejected")
    wall = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "wall_s": wall, "peak_mb": peak_mb, **_COUNTS}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10000])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--skip-signatures", action="store_true")
    ap.add_argument("--skip-stage", action="store_true")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        # Through the importable module, not __main__: cloudpickle copies __main__ functions by
        # value (with their globals), so their counts would not land in this process's _COUNTS.
        from benchmarks import near_dedup_speed

        print(json.dumps(near_dedup_speed.run_stage(int(args.child[0]), args.child[1] == "gen")))
        return
    if not args.skip_signatures:
        bench_signatures(args.repeats)
    if args.skip_stage:
        return
    print("\nwhole stage, DirectRunner in_memory, 1 worker, one process per run")
    print(f"{'docs':>7} {'kept':>7} {'rejected':>8} {'wall s':>7} {'gen-only s':>10} {'stage s':>7} {'docs/s':>7} {'peak MB':>8} {'gen-only MB':>11}")
    for n in args.sizes:
        res = {}
        for mode in ("gen", "stage"):
            out = subprocess.run([sys.executable, "-m", "benchmarks.near_dedup_speed", "--child", str(n), mode],
                                 capture_output=True, text=True, check=True)
            res[mode] = json.loads(out.stdout.strip().splitlines()[-1])
        s, g = res["stage"], res["gen"]
        stage_s = s["wall_s"] - g["wall_s"]
        print(f"{n:7d} {s.get('kept', 0):7d} {s.get('rejected', 0):8d} {s['wall_s']:7.1f} {g['wall_s']:10.1f} "
              f"{stage_s:7.1f} {n / stage_s:7.0f} {s['peak_mb']:8.0f} {g['peak_mb']:11.0f}", flush=True)


if __name__ == "__main__":
    main()
