"""The Bloom filter that spares the repeated-id lookup: never a wrong no, rarely a wrong yes."""

from __future__ import annotations

import collections
import os
import subprocess
import sys

from pipeline.id_bloom import BuildIdBloom, may_hold
from pipeline.read import flag_duplicate_id
from tests.conftest import REPO
from transforms.records import Document


def _bloom(ids, parts: int = 1) -> bytes:
    fn = BuildIdBloom()
    accs = []
    for k in range(parts):
        acc = fn.create_accumulator()
        for record_id in ids[k::parts]:
            acc = fn.add_input(acc, record_id)
        accs.append(acc)
    return fn.extract_output(fn.merge_accumulators(accs))


def test_every_id_added_is_held_whatever_worker_added_it():
    ids = [f"https://example.com/{i}" for i in range(5_000)] + ["", "é", "\udc80", "a" * 10_000]
    whole, parted = _bloom(ids), _bloom(ids, parts=7)
    assert whole == parted  # OR of the parts: the same bytes however the ids were spread
    assert all(may_hold(whole, record_id) for record_id in ids)


def test_an_empty_filter_holds_nothing_and_a_small_one_rarely_says_yes_wrongly():
    assert _bloom([]) == b""
    assert not may_hold(b"", "anything")
    bloom = _bloom([f"repeated-{i}" for i in range(100_000)])
    wrong = sum(may_hold(bloom, f"other-{i}") for i in range(100_000))
    assert wrong <= 5  # about 5 in a million at 100,000 ids


def test_a_record_the_filter_rules_out_is_not_looked_up():
    class NoLookup(collections.defaultdict):
        def __missing__(self, key):
            raise AssertionError(f"looked up {key!r}")

    doc = Document(id="single", text="x", source="f.jsonl", source_format="jsonl")
    twice = Document(id="twice", text="x", source="f.jsonl", source_format="jsonl")
    bloom = _bloom(["twice"])
    assert flag_duplicate_id(doc, NoLookup(list), bloom) is doc
    assert flag_duplicate_id(twice, collections.defaultdict(list, {"twice": [2]}), bloom).flags == ("duplicate_id",)
    # the filter only skips lookups: a yes from it still needs the lookup's yes
    assert flag_duplicate_id(twice, collections.defaultdict(list), bloom) is twice


def test_the_bits_are_the_same_in_every_process():
    # BLAKE2b of the UTF-8 bytes, not Python's salted hash(): workers must agree on the bits
    code = "import hashlib; from pipeline.id_bloom import _positions; print(_positions('https://example.com/x'), _positions('\\u00e9'))"
    outs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outs) == 1 and "[" in outs.pop()
