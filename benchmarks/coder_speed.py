"""Encode and decode time of the Document coder on the throughput corpus, per document.

`python -m benchmarks.coder_speed [--docs 2000] [--passes 9]`; run it from two checkouts (or with an
older one first on PYTHONPATH) to compare coders. The documents carry the annotations a clean
document has at the end of the job (signals, language, text hash). Prints the medians of --passes
passes, the mean encoded size and a digest of all encodings (equal digests: byte-identical coders).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time

from benchmarks.corpus import WORK, corpus_in
from transforms.records import Document, DocumentCoder


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=2000)
    ap.add_argument("--passes", type=int, default=9)
    ap.add_argument("--work", default=WORK)
    args = ap.parse_args()
    corpus = corpus_in(args.work, args.docs)
    docs = []
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            docs.append(Document(id=d["id"], text=d["text"], source=corpus, source_format="jsonl", url=d["url"], title=d["title"],
                                 signals={"word_count": 612.0, "stop_word_share": 0.41, "mean_word_length": 4.7},
                                 language="en", language_score=0.99, text_hash="ab" * 16))
    coder = DocumentCoder()
    enc_t, dec_t = [], []
    for _ in range(args.passes):
        fresh = [d.with_() for d in docs]  # no cached encoding on them
        started = time.process_time()
        encoded = [coder.encode(d) for d in fresh]
        enc_t.append(time.process_time() - started)
        started = time.process_time()
        back = [coder.decode(e) for e in encoded]
        dec_t.append(time.process_time() - started)
    assert back == docs
    n = len(docs)
    print(f"{coder.__module__}: encode {statistics.median(enc_t) / n * 1e6:.1f} us, decode {statistics.median(dec_t) / n * 1e6:.1f} us "
          f"per document; {sum(map(len, encoded)) / n:.0f} bytes; sha256 {hashlib.sha256(b''.join(encoded)).hexdigest()[:12]}")


if __name__ == "__main__":
    main()
