"""CPU seconds of datatrove's three filters (Gopher repetition, Gopher quality, C4) over corpus
documents, in datatrove's own venv: to compare versions of its dependencies (spaCy) one at a time.

`PYTHONPATH=<folder with another spaCy> /tmp/dtvenv/bin/python benchmarks/datatrove_filters_cpu.py --input corpus.jsonl [--docs 400]`

This file imports only datatrove and spaCy (it runs in another interpreter than the project).
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", required=True)
    ap.add_argument("--docs", type=int, default=400)
    args = ap.parse_args()

    import spacy
    from datatrove.data import Document
    from datatrove.pipeline.filters import C4QualityFilter, GopherQualityFilter, GopherRepetitionFilter

    with open(args.input, encoding="utf-8") as f:
        docs = [json.loads(line) for _, line in zip(range(args.docs), f)]
    filters = [GopherRepetitionFilter(), GopherQualityFilter(), C4QualityFilter(filter_no_terminal_punct=False)]
    started = time.process_time()
    for d in docs:
        for flt in filters:
            verdict = flt.filter(Document(text=d["text"], id=d["id"]))
            if verdict is False or (isinstance(verdict, tuple) and not verdict[0]):
                break  # dropped: the later filters would not see it, as in the pipeline
    print(f"spacy {spacy.__version__}: {time.process_time() - started:.2f} CPU s for {len(docs)} documents")


if __name__ == "__main__":
    main()
