"""How a stage routes its decisions: kept documents, rejections, and failures (the dead letters).

Every per-document stage is a `DecideFn` whose `decide()` is a pure `Document -> Document |
Rejection` call; `apply_decisions` turns it into three PCollections. Exceptions never reach the
runner (which would retry and then kill the job) and never vanish: Beam's
`with_exception_handling` catches them per element and we turn each into a `Failure`.
"""

from __future__ import annotations

import pickle
import sys
import traceback
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

import apache_beam as beam
import numpy as np
from apache_beam import pvalue
from apache_beam.metrics import Metrics

from transforms.records import Document, DocumentCoder, Failure, Rejection

KEPT = "kept"
REJECTED = "rejected"
FAILED = "failed"
DEAD_LETTER = "dead_letter"  # what with_exception_handling catches, before it becomes Failures


class StageOutputs(NamedTuple):
    kept: beam.PCollection  # Document
    rejected: beam.PCollection  # Rejection
    failed: beam.PCollection  # Failure


class Counters:
    """One stage's Beam counters, each made once per DoFn instance: `Metrics.counter` builds a
    metric name on every call, and the counter it returns reports to whichever bundle is running."""

    def __init__(self, stage: str):
        self.stage = stage
        self._made: dict[str, Any] = {}

    def inc(self, name: str, n: int = 1) -> None:
        counter = self._made.get(name)
        if counter is None:
            counter = self._made[name] = Metrics.counter(self.stage, name)
        counter.inc(n)


class DecideFn(beam.DoFn):
    """Base DoFn: subclasses set `stage` and implement `decide`; resources go in `setup()`."""

    stage = "stage"
    _counters: Counters | None = None  # made on the first element (subclasses own __init__ and setup)

    def decide(self, doc: Document) -> Document | Rejection:  # pragma: no cover - abstract
        raise NotImplementedError

    def tally(self, out: Document | Rejection) -> None:
        """Count one decision on the stage's counters (kept, rejected_<reason>)."""
        if self._counters is None:
            self._counters = Counters(self.stage)
        self._counters.inc(f"rejected_{out.reason}" if isinstance(out, Rejection) else "kept")

    def process(self, doc: Document) -> Iterable:
        out = self.decide(doc)
        self.tally(out)
        yield pvalue.TaggedOutput(REJECTED, out) if isinstance(out, Rejection) else out


def _walk(element: Any, docs: list[Document]) -> bool:
    """Collect the Documents inside `element` into `docs`; True if it holds a join's Note."""
    if isinstance(element, Document):
        docs.append(element)
    elif isinstance(element, Rejection):
        docs.append(element.doc)
    elif isinstance(element, (Note, _EncodedNote)):
        _walk(element.value, docs)
        return True
    elif isinstance(element, (str, bytes, bytearray, memoryview, np.ndarray)):
        return False
    elif isinstance(element, Iterable):
        joined = False
        for value in element.values() if isinstance(element, dict) else element:
            joined |= _walk(value, docs)  # every value: the documents after a Note count too
        return joined
    return False


def documents_in(element: Any) -> list[Document]:
    """Every Document inside an element (a Document, a Rejection, a Note, or tuples, lists, dicts
    and grouped iterables of them), in order: whose failure a grouped step's dead letter stands for."""
    docs: list[Document] = []
    _walk(element, docs)
    return docs


def failures_from_dead_letter(bad: tuple, stage: str) -> list[Failure]:
    """Beam's dead letter `(element, (type, value, tb))` as one Failure per Document the element
    holds, each under the document's own id, source and position (a grouped step's element is a
    whole group). An element that holds none gives one Failure without an id, unless it is a
    group of a join (its Notes carried no document, so no record is lost)."""
    failure = Failure.from_dead_letter(bad, stage)
    docs: list[Document] = []
    joined = _walk(bad[0], docs)
    if not docs:
        return [] if joined else [failure]
    return [replace(failure, source=d.source, position=d.position, id=d.id) for d in docs]


def route(pcoll: beam.PCollection, label: str, fn: beam.DoFn, stage: str, kept_type: Any = Document,
          partial: bool = False) -> StageOutputs:
    """Apply a DoFn that yields kept documents on the main output, `REJECTED` tagged Rejections
    and, for errors it catches itself, `FAILED` tagged Failures; what it raises becomes Failures.

    `kept_type` types the main output, so a shuffle after it encodes Documents with their own
    coder (an untyped PCollection pickles them). `partial`: the outputs of an element are emitted
    as they come instead of held until it succeeds; for DoFns over a group, which must then
    raise only before their first output (they catch each document's error themselves)."""
    results = pcoll | label >> beam.ParDo(fn).with_output_types(kept_type).with_outputs(
        REJECTED, FAILED, main=KEPT).with_exception_handling(main_tag=KEPT, dead_letter_tag=DEAD_LETTER, partial=partial)
    dead = results[DEAD_LETTER] | f"{label}Failures" >> beam.FlatMap(failures_from_dead_letter, stage=stage)
    failed = (results[FAILED], dead) | f"{label}AllFailures" >> beam.Flatten()
    return StageOutputs(results[KEPT], results[REJECTED], failed)


# --- several per-document stages as one step ------------------------------------------------------


class _DecideInOrderFn(beam.DoFn):
    """Several stages' DecideFns applied to a document in order, in one DoFn: the first that rejects
    it or raises ends its way (tagged `rejected<i>` / `failed<i>` for part i); what passes them all
    is the main output. With `mark_passed`, a document that passes part i (but the last) is also
    tagged `kept<i>`, for whatever counts each part's kept documents (the progress lines)."""

    def __init__(self, fns: Sequence[DecideFn], mark_passed: bool):
        self.fns = tuple(fns)
        self.mark_passed = mark_passed

    def setup(self) -> None:
        for fn in self.fns:
            fn.setup()

    def teardown(self) -> None:
        for fn in self.fns:
            fn.teardown()

    def process(self, doc: Document) -> Iterator:
        last = len(self.fns) - 1
        for i, fn in enumerate(self.fns):
            try:
                out = fn.decide(doc)
            except Exception as exc:  # noqa: BLE001 - routed to failed/ under this part's stage, never dropped
                # the dead letter Beam's exception handling would make of it, so the Failure is the same record
                bad = (doc, (type(exc), repr(exc), traceback.format_exception(*sys.exc_info())))
                for failure in failures_from_dead_letter(bad, fn.stage):
                    yield pvalue.TaggedOutput(f"{FAILED}{i}", failure)
                return
            fn.tally(out)
            if isinstance(out, Rejection):
                yield pvalue.TaggedOutput(f"{REJECTED}{i}", out)
                return
            doc = out
            if self.mark_passed and i < last:
                yield pvalue.TaggedOutput(f"{KEPT}{i}", doc)
        yield doc


class DecideInOrder(beam.PTransform):
    """Document -> one StageOutputs per part, in order: several per-document stages (`parts`:
    (stage, DecideFn) pairs) as one ParDo instead of one each.

    Each record still ends in one place, with its own stage's reason or error, exactly as the
    stages applied one after the other would route it (their PTransforms stay for callers who
    compose them). What the saving is: Beam's per-element cost of every further ParDo, its
    exception wrapper and the stage's failure and tally steps, and the graph's size. The last
    part's `kept` holds the documents that passed every part; the others' `kept` are only filled
    with `mark_passed` (else None): a progress tally then counts them."""

    def __init__(self, parts: Sequence[tuple[str, DecideFn]], mark_passed: bool = False):
        super().__init__()
        if not parts:
            raise ValueError("DecideInOrder needs at least one part")
        self.parts = tuple(parts)
        self.mark_passed = mark_passed

    def expand(self, docs: beam.PCollection) -> list[tuple[str, StageOutputs]]:
        n = len(self.parts)
        tags = [f"{REJECTED}{i}" for i in range(n)] + [f"{FAILED}{i}" for i in range(n)]
        if self.mark_passed:
            tags += [f"{KEPT}{i}" for i in range(n - 1)]
        fn = _DecideInOrderFn([fn for _, fn in self.parts], self.mark_passed)
        results = docs | "Decide" >> beam.ParDo(fn).with_output_types(Document).with_outputs(*tags, main=KEPT).with_exception_handling(
            main_tag=KEPT, dead_letter_tag=DEAD_LETTER)
        # anything raised outside a part's decision (a counter, say) is charged to the first part
        dead = results[DEAD_LETTER] | "Failures" >> beam.FlatMap(failures_from_dead_letter, stage=self.parts[0][0])
        out = []
        for i, (stage, _) in enumerate(self.parts):
            failed = results[f"{FAILED}{i}"]
            if i == 0:
                failed = (failed, dead) | "AllFailures0" >> beam.Flatten()
            kept = results[KEPT] if i == n - 1 else (results[f"{KEPT}{i}"] if self.mark_passed else None)
            out.append((stage, StageOutputs(kept, results[f"{REJECTED}{i}"], failed)))
        return out


# --- grouped steps: joins, their failures, fault injection ----------------------------------------

# A test's hook into a grouped step: called with the step's name and the group's key before the
# group is processed; it raises to make that group fail. None in production.
Probe = Callable[[str, Any], None] | None


def probe(hook: Probe, step: str, key: Any) -> None:
    if hook is not None:
        hook(step, key)


class Note(NamedTuple):
    """One value of a join: which side it came from (`tag`) and the value, a Document or a small one."""

    tag: str
    value: Any


_DOCUMENT_CODER = DocumentCoder()


class NoteCoder(beam.coders.Coder):
    """A Note: its tag, then a Document with DocumentCoder or any other value pickled."""

    def encode(self, note: Note) -> bytes:
        tag = note.tag.encode("utf-8")
        if isinstance(note.value, Document):
            return b"D" + bytes([len(tag)]) + tag + _DOCUMENT_CODER.encode(note.value)
        return b"P" + bytes([len(tag)]) + tag + pickle.dumps(note.value, protocol=pickle.HIGHEST_PROTOCOL)

    def decode(self, encoded: bytes) -> Note:
        tag, body, is_doc = self.split(encoded)
        return Note(tag, self.value_of(body, is_doc))

    @staticmethod
    def split(encoded: bytes) -> tuple[str, bytes, bool]:
        """An encoded Note's tag, its value's bytes and whether they hold a Document."""
        n = encoded[1]
        return encoded[2 : 2 + n].decode("utf-8"), encoded[2 + n :], encoded[:1] == b"D"

    @staticmethod
    def value_of(body: bytes, is_doc: bool) -> Any:
        """The value `split` gave the bytes of."""
        return _DOCUMENT_CODER.decode(body) if is_doc else pickle.loads(body)

    def is_deterministic(self) -> bool:
        return False

    def to_type_hint(self):
        return Note


beam.coders.registry.register_coder(Note, NoteCoder)
_NOTE_CODER = NoteCoder()


class _EncodedNote:
    """A Note read back from its NoteCoder bytes: the tag at once, the value decoded when first
    read. A join's consumer looks at every note's tag and at its own side's values only."""

    __slots__ = ("_body", "_doc", "_value", "tag")  # _value is set once read

    def __init__(self, tag: str, body: bytes, doc: bool):
        self.tag, self._body, self._doc = tag, body, doc

    @property
    def value(self) -> Any:
        try:
            return self._value
        except AttributeError:
            self._value = NoteCoder.value_of(self._body, self._doc)
            return self._value


class _EncodedNotes:
    """A key's grouped NoteCoder bytes as notes, re-iterable as Beam's grouped values are."""

    __slots__ = ("_encoded",)

    def __init__(self, encoded: Iterable[bytes]):
        self._encoded = encoded

    def __iter__(self) -> Iterator[_EncodedNote]:
        for encoded in self._encoded:
            yield _EncodedNote(*NoteCoder.split(encoded))


def _encode_note(key: Any, value: Any, tag: str = "") -> tuple[Any, bytes]:
    return key, _NOTE_CODER.encode(Note(tag, value))


def _read_notes(key: Any, encoded: Iterable[bytes]) -> tuple[Any, _EncodedNotes]:
    return key, _EncodedNotes(encoded)


class JoinByKey(beam.PTransform):
    """{tag: PCollection of (key, value)} -> PCollection of (key, Iterable[note]): every side's
    values of a key in one group, each note with its side's `tag` and its `value`. Unlike
    CoGroupByKey it builds no list per side (a grouped iterable can be read as it streams in).

    Values cross the join as NoteCoder bytes (Documents with their own coder) and are decoded
    only where a consumer reads them: the Flatten before the GroupByKey is a stage of its own in
    Beam's Python runners, and their GroupByKey decodes and re-encodes every value in the
    runner process, so a typed Document was decoded twice on its way through a join, never read."""

    def expand(self, sides: dict[str, beam.PCollection]) -> beam.PCollection:
        tagged = [
            pcoll | f"Tag{tag.title()}" >> beam.MapTuple(_encode_note, tag).with_output_types(tuple[Any, bytes])
            for tag, pcoll in sides.items()
        ]
        return (
            tagged
            | "Sides" >> beam.Flatten().with_output_types(tuple[Any, bytes])
            | "Group" >> beam.GroupByKey()
            # typed as the consumers take it, notes read as Notes (their tag, their value): Beam
            # (2.78 on) would take `_read_notes`' annotation, `_EncodedNotes`, which they refuse
            | "Notes" >> beam.MapTuple(_read_notes).with_output_types(tuple[Any, Iterable[Note]])
        )


def encode_document(doc: Document) -> bytes:
    """A Document as DocumentCoder bytes, for a collection that only waits or crosses a shuffle."""
    return _DOCUMENT_CODER.encode(doc)


def decode_document(encoded: bytes) -> Document:
    """`encode_document`'s bytes as the Document again."""
    return _DOCUMENT_CODER.decode(encoded)


class SpreadDocuments(beam.PTransform):
    """Documents spread over the workers (a Reshuffle), crossing it as their DocumentCoder bytes:
    Beam's Python runners decode and re-encode every value of a GroupByKey in the runner process,
    and bytes cost nothing to decode there."""

    def expand(self, docs: beam.PCollection) -> beam.PCollection:
        return (
            docs
            | "Encode" >> beam.Map(encode_document).with_output_types(bytes)
            | "Reshuffle" >> beam.Reshuffle()
            | "Decode" >> beam.Map(decode_document).with_output_types(Document)
        )


def failed_keys(dead_letters: beam.PCollection, label: str, stage: str,
                keys_of: Callable[[Any], Iterable[Hashable]]) -> beam.PCollection:
    """Dead letters of a grouped step over small keys -> (document key, Failure) for every document
    key the failed element names, for a later join to turn into each document's own Failure."""

    def each(bad: tuple) -> Iterator[tuple[Hashable, Failure]]:
        failure = Failure.from_dead_letter(bad, stage)
        for key in keys_of(bad[0]):
            yield key, failure

    return dead_letters | label >> beam.FlatMap(each)


def failure_of(doc: Document, failure: Failure) -> Failure:
    """A failure noted for a document's key, under the document's own id, source and position."""
    return replace(failure, source=doc.source, position=doc.position, id=doc.id)


def route_decision(stage: str, doc: Document, decide: Callable[[], Document | Rejection], counters: Counters) -> Iterator:
    """One document's decision inside a grouped step, routed as `DecideFn` routes it: kept on the
    main output, a rejection tagged REJECTED, and an exception as this document's own Failure, so
    the group's other documents go on and none is lost."""
    try:
        out = decide()
    except Exception as exc:  # noqa: BLE001 - routed to failed/, never dropped
        yield pvalue.TaggedOutput(FAILED, Failure.from_exception(stage, doc.source, doc.position, doc.id, exc))
        return
    if isinstance(out, Rejection):
        counters.inc(f"rejected_{out.reason}")
        yield pvalue.TaggedOutput(REJECTED, out)
    else:
        counters.inc("kept")
        yield out


def apply_decisions(pcoll: beam.PCollection, label: str, fn: DecideFn) -> StageOutputs:
    return route(pcoll, label, fn, fn.stage)
