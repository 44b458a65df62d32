"""Digests of a run's records, to show a speed change left every output as it was.

`python -m benchmarks.output_digest OUT_DIR [OUT_DIR ...]`

For each output directory of `python -m pipeline.run`, one line per output: clean, rejected,
failed and index rows (every column, rows sorted, so the worker count and the order of the files
do not matter; a failure's traceback frames are left out, they name the step that caught it) and
report.json without what changes from run to run (timings, command, paths, versions, Beam flags).
Two runs wrote the same records when their lines are equal.

`python -m benchmarks.output_digest --clean [--per-doc FILE]`

The same for the clean stage alone, for a speed change inside it: `strip_cruft` (the bundled rule
pack and line classifier, the default config) over the 2,000 corpus documents and the text-mode
benchmark's pages, one digest a set of every result (text, title, removals, vetoed) and of every
row the classifier is handed and every probability it answers, bit for bit; and again with every
line's row asked for (the training script's `scores_every_line`), so rows that are not scored are
compared too. To compare two trees, run this file with PYTHONPATH on each (`python
benchmarks/output_digest.py --clean --pages PICKLE`, one pickle for both: the default cache path is
worked out from the tree); `--per-doc` writes one digest a document, to find the first that differs.
"""

from __future__ import annotations

import argparse
import glob
import hashlib
import json
import os

import pyarrow.parquet as pq

VARIABLE = ("timings", "command", "inputs", "outputs", "versions", "beam_options")


def rows_digest(folder: str) -> tuple[int, str]:
    """(row count, sha256 of the sorted rows) of every Parquet file under `folder`."""
    rows = []
    for path in sorted(glob.glob(os.path.join(folder, "**", "*.parquet"), recursive=True)):
        for row in pq.read_table(path).to_pylist():
            if "traceback" in row:
                row["traceback"] = (row["traceback"] or "").strip().splitlines()[-1:]  # the error line only
            rows.append(json.dumps(row, sort_keys=True, default=repr))
    rows.sort()
    return len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]


def report_digest(out_dir: str) -> str:
    with open(os.path.join(out_dir, "report.json")) as f:
        report = json.load(f)
    for key in VARIABLE:
        report.pop(key, None)
    return hashlib.sha256(json.dumps(report, sort_keys=True).encode()).hexdigest()[:16]


def digests(out_dir: str) -> dict[str, str]:
    out = {}
    for name in ("clean", "rejected", "failed", "index"):
        rows, digest = rows_digest(os.path.join(out_dir, name))
        out[name] = f"{rows} rows {digest}"
    out["report.json"] = report_digest(out_dir)
    return out


class _Recording:
    """The line model, hashing the rows it is handed and the probabilities it answers into `h`."""

    def __init__(self, model, every_line: bool = False) -> None:
        self.model, self.h = model, hashlib.sha256()
        if every_line:
            self.scores_every_line = True

    def __getattr__(self, name: str):
        return getattr(self.model, name)

    def rows(self, lines, structure):
        x = self.model.rows(lines, structure)
        self.h.update(b"rows %d %d" % x.shape + x.tobytes())
        return x

    def probabilities(self, x):
        p = self.model.probabilities(x)
        self.h.update(b"scored %d %d" % x.shape + x.tobytes() + p.tobytes())
        return p


def clean_digests(per_doc: str = "", pages: str = "") -> dict[str, str]:
    """{set: digest} of strip_cruft's results and classifier rows over the corpus and the pages."""
    import dataclasses

    from benchmarks.corpus import WORK, corpus_in
    from benchmarks.text_mode import DEFAULT_CACHE, load_cached_pages
    from transforms.clean import CleanConfig, load_rule_pack, strip_cruft
    from transforms.line_classifier import load_line_model

    pack, model = load_rule_pack(""), load_line_model()
    cfg = dataclasses.replace(CleanConfig(), classifier=True, classifier_threshold=model.cut, classifier_restore_threshold=model.restore)
    with open(corpus_in(WORK, 2000), encoding="utf-8") as f:
        docs = [(d["id"], d["text"], d.get("url") or "") for d in map(json.loads, f)]
    sets = {"corpus": docs, "pages": [(p.id, p.text, p.url) for p in load_cached_pages(pages or str(DEFAULT_CACHE))]}
    out, lines = {}, []
    for name, items in sets.items():
        whole = hashlib.sha256()
        for doc_id, text, url in items:
            h = hashlib.sha256()
            for every_line in (False, True):
                rec = _Recording(model, every_line)
                r = strip_cruft(text, pack, cfg, model=rec, url=url)  # type: ignore[arg-type]
                removed = [[(x.rule, x.text, x.whole_line) for x in found] for found in (r.removals, r.vetoed)]
                h.update(json.dumps([r.text, r.title, *removed]).encode())
                h.update(rec.h.digest())
            whole.update(h.digest())
            lines.append(f"{name} {doc_id} {h.hexdigest()[:16]}")
        out[name] = f"{len(items)} docs {whole.hexdigest()[:16]}"
    if per_doc:
        with open(per_doc, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dirs", nargs="*")
    ap.add_argument("--clean", action="store_true", help="digest strip_cruft's results on the corpus and the pages instead")
    ap.add_argument("--per-doc", default="", help="with --clean: write one digest a document to this file")
    ap.add_argument("--pages", default="", help="with --clean: the text-mode pages' pickle (benchmarks.text_mode's cache by default)")
    args = ap.parse_args()
    if args.clean:
        print("strip_cruft", json.dumps(clean_digests(args.per_doc, args.pages)))
    for out_dir in args.out_dirs:
        print(out_dir, json.dumps(digests(out_dir)))


if __name__ == "__main__":
    main()
