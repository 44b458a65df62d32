"""Where a document's time goes, stage by stage: each stage's own functions timed directly on the
throughput corpus, in CPU milliseconds per document, without Beam around them.

`python -m benchmarks.stage_costs [--docs 2000] [--repeats 3]`

Each row runs the same pure functions the stage's DoFn calls, on the documents as they reach that
stage (read from the JSONL, then cleaned, ...), and reports the median of --repeats passes in CPU
time of this process (the figure a loaded machine disturbs least). What Beam adds around them
(coders, shuffles, bundles, the graph, start-up) is the end-to-end CPU time of a run minus the sum
of these rows: `benchmarks/throughput.py` prints it beside the end-to-end figures.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import time
from typing import Any, Callable

from benchmarks.corpus import WORK, corpus_in
from benchmarks.timing import median_seconds
from pipeline.config import Config, load_config
from pipeline.documents import iter_jsonl_lines, jsonl_document
from pipeline.formats import ReadConfig
from pipeline.write import doc_row
from transforms import boilerplate, clean, exact_dedup, minhash, near_dedup, quality
from transforms.clean.strip import load_furniture
from transforms.language import LanguageDetector
from transforms.line_classifier import load_line_model
from transforms.records import Document


def _median_cpu_ms(fn: Callable[[Any], Any], items: list, repeats: int) -> tuple[list, float]:
    """(results of the last pass, median CPU ms per item over `repeats` passes)."""
    out, seconds = median_seconds(lambda: [fn(x) for x in items], repeats, time.process_time)
    return out, seconds / max(1, len(items)) * 1000


def stage_costs(corpus: str, cfg: Config, repeats: int = 3) -> list[tuple[str, float]]:
    """[(stage, CPU ms per document)] in pipeline order, on the documents of `corpus` (JSONL)."""
    read_cfg: ReadConfig = cfg.read
    with open(corpus, "rb") as f:
        lines = list(iter_jsonl_lines(f.readline, read_cfg.max_document_bytes))
    rows: list[tuple[str, float]] = []

    docs, ms = _median_cpu_ms(lambda pl: jsonl_document(corpus, pl[0], pl[1], read_cfg), lines, repeats)
    rows.append(("read: JSON line -> Document", ms))
    docs = [d for d in docs if isinstance(d, Document)]

    shipped = pickle.dumps(clean.load_rule_pack(cfg.clean.rule_pack, cfg.clean.disabled_rules))
    model = load_line_model(cfg.clean.classifier_weights) if cfg.clean.classifier else None  # as StripCruftFn.setup
    furniture = load_furniture(cfg.clean)
    cleaned, ms = [], []
    for _ in range(repeats):
        # each pass with the pack as a worker receives it: nothing the pack remembers of the
        # lines it met (RulePack.line_rule, .verdict) carries over from the pass before; its
        # indexes are built before the clock starts, once a process in a real run
        pack = pickle.loads(shipped)
        pack.line_candidates("x"), pack.sentence_rules_for("x", "x")
        cleaned, one = _median_cpu_ms(lambda d, pack=pack: clean.clean_document(d, pack, cfg.clean, model, furniture), docs, 1)
        ms.append(one)
    rows.append(("clean: every layer of StripCruft", statistics.median(ms)))
    docs = [d for d in cleaned if isinstance(d, Document)]

    _, ms = _median_cpu_ms(lambda d: boilerplate.line_hashes(d.text, cfg.boilerplate), docs, repeats)
    rows.append(("boilerplate: line keys (RemoveBoilerplate)", ms))

    detector = LanguageDetector(cfg.language.seed, cfg.language.max_chars)
    _, ms = _median_cpu_ms(lambda d: detector.probabilities(d.text), docs, repeats)
    rows.append(("language: langdetect, FastDetector (DetectLanguage)", ms))

    _, ms = _median_cpu_ms(lambda d: quality.assess_quality(d.with_(language="en"), cfg.quality), docs, repeats)
    rows.append(("quality: signals + filters (FilterLowQuality)", ms))

    _, ms = _median_cpu_ms(lambda d: exact_dedup.text_hash(d.text), docs, repeats)
    rows.append(("exact dedup: text hash", ms))

    nd = cfg.near_dedup
    perms = minhash.make_permutations(nd.num_perm, nd.seed)
    bands, band_rows = near_dedup.banding(nd)

    def sign(d: Document) -> list[bytes]:
        hashes = minhash.shingle_hashes(d.text, nd.ngram)
        return minhash.band_keys(minhash.signature_from_hashes(hashes, perms), bands, band_rows)

    _, ms = _median_cpu_ms(sign, docs, repeats)
    rows.append(("near dedup: shingles, MinHash, band keys", ms))

    from datasketch import MinHash  # imported here only: it pulls in scipy (0.4 CPU s a process)

    prototype = MinHash(num_perm=nd.num_perm, seed=nd.seed)

    def sign_datasketch(d: Document) -> list[bytes]:  # the same values (tests), by datasketch's API
        m = MinHash(num_perm=nd.num_perm, seed=nd.seed, permutations=prototype.permutations, scheme=prototype.scheme)
        grams = minhash.shingle_bytes(d.text, nd.ngram)
        if grams:
            m.update_batch(grams)
        return minhash.band_keys(m.hashvalues.astype("uint32"), bands, band_rows)

    _, ms = _median_cpu_ms(sign_datasketch, docs, repeats)
    rows.append(("  (not run) the same with datasketch's update_batch", ms))

    _, ms = _median_cpu_ms(doc_row, docs, repeats)
    rows.append(("write: Document -> Parquet row", ms))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--work", default=WORK)
    args = ap.parse_args()
    corpus = corpus_in(args.work, args.docs)
    rows = stage_costs(corpus, load_config(), args.repeats)
    print(f"{'stage':<52} | {'CPU ms/doc':>10}")
    print("-" * 66)
    for name, ms in rows:
        print(f"{name:<52} | {ms:>10.2f}")
    print(f"{'sum of the stages':<52} | {sum(ms for name, ms in rows if not name.startswith(' ')):>10.2f}")


if __name__ == "__main__":
    main()
