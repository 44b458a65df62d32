"""DecideInOrder: several per-document stages as one ParDo route every record as the stages applied
one after the other do: kept, rejected under its own stage and reason, failed under its own stage."""

from __future__ import annotations

from pathlib import Path

import apache_beam as beam
import pytest
from apache_beam.testing.test_pipeline import TestPipeline
from apache_beam.testing.util import assert_that, equal_to

from tests.conftest import make_doc
from transforms.language import DetectLanguageFn, LanguageConfig
from transforms.pii import PiiConfig, RedactFn
from transforms.quality import AssessQualityFn, QualityConfig, RejectTooShortFn
from transforms.records import Document, Reason, Rejection
from transforms.routing import DecideFn, DecideInOrder, apply_decisions

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FRENCH = ("Le comité se réunira la semaine prochaine pour discuter du budget de la ville. Les élus de l'opposition ont "
          "demandé un débat public sur les dépenses prévues pour les écoles et les transports. Le maire a répondu qu'il "
          "présenterait un nouveau plan avant la fin du mois, après avoir consulté les habitants des quartiers concernés. "
          "Plusieurs associations ont déjà annoncé qu'elles participeraient à la réunion afin de défendre leurs projets.")


class _RejectIf(DecideFn):
    """Rejects a document whose text holds `word`; raises on one that holds `boom`; else tags it."""

    def __init__(self, stage: str, word: str, boom: str):
        self.stage, self.word, self.boom = stage, word, boom
        self.ready = False

    def setup(self) -> None:
        self.ready = True  # decide() below fails unless the fused DoFn set each part up

    def decide(self, doc: Document) -> Document | Rejection:
        if not self.ready:
            raise RuntimeError("not set up")
        if self.boom in doc.text:
            raise ValueError(f"{self.stage} cannot read {doc.id}")
        if self.word in doc.text:
            return Rejection.of(doc, Reason.LOW_QUALITY, self.word, self.stage)
        return doc.with_(title=doc.title + self.stage)


def _parts() -> tuple[tuple[str, DecideFn], ...]:
    return (("a", _RejectIf("a", "no-a", "boom-a")), ("b", _RejectIf("b", "no-b", "boom-b")), ("c", _RejectIf("c", "no-c", "boom-c")))


DOCS = [
    make_doc("keep", "plain text"),
    make_doc("rej-a", "no-a and boom-b"),  # part a rejects it: part b never sees it
    make_doc("rej-b", "no-b"),
    make_doc("fail-b", "boom-b and no-c"),  # part b raises: part c never sees it
    make_doc("rej-c", "no-c"),
    make_doc("fail-c", "boom-c"),
]


def _summary(outs) -> dict:
    return {stage: out for stage, out in outs}


@pytest.mark.parametrize("mark_passed", [False, True])
def test_each_record_ends_in_one_place_under_its_own_stage(mark_passed: bool):
    with TestPipeline() as p:
        outs = p | beam.Create(DOCS) | DecideInOrder(_parts(), mark_passed)
        assert [stage for stage, _ in outs] == ["a", "b", "c"]
        by = _summary(outs)
        assert_that(by["c"].kept | "Kept" >> beam.Map(lambda d: (d.id, d.title)), equal_to([("keep", "abc")]), label="Kept")
        for stage, rejected, failed in (("a", ["rej-a"], []), ("b", ["rej-b"], ["fail-b"]), ("c", ["rej-c"], ["fail-c"])):
            assert_that(by[stage].rejected | f"Rej{stage}" >> beam.Map(lambda r: (r.doc.id, r.stage, r.detail)),
                        equal_to([(i, stage, f"no-{stage}") for i in rejected]), label=f"Rejected{stage}")
            assert_that(by[stage].failed | f"Fail{stage}" >> beam.Map(lambda f: (f.id, f.stage, f.error_type, f.message)),
                        equal_to([(i, stage, "ValueError", f"ValueError('{stage} cannot read {i}')") for i in failed]),
                        label=f"Failed{stage}")  # the message as Beam's dead letter gives it, as for a stage alone
        if mark_passed:  # what passed each earlier part, for the progress tallies
            assert_that(by["a"].kept | "PassedA" >> beam.Map(lambda d: d.id), equal_to(["keep", "rej-b", "fail-b", "rej-c", "fail-c"]),
                        label="PassedA")
            assert_that(by["b"].kept | "PassedB" >> beam.Map(lambda d: d.id), equal_to(["keep", "rej-c", "fail-c"]), label="PassedB")
        else:
            assert by["a"].kept is None and by["b"].kept is None


def test_an_empty_list_of_parts_is_an_error():
    with pytest.raises(ValueError, match="at least one part"):
        DecideInOrder(())


def _stages(quality: QualityConfig, language: LanguageConfig) -> tuple[tuple[str, DecideFn], ...]:
    return (("pii", RedactFn(PiiConfig())), ("quality", RejectTooShortFn(quality)), ("language", DetectLanguageFn(language)),
            ("quality", AssessQualityFn(quality)))


def _records(outs, name: str) -> beam.PCollection:
    kept = outs[-1][1].kept | f"{name}KeptRows" >> beam.Map(lambda d: ("kept", d.id, d.text, d.language, d.language_score, repr(d.signals),
                                                               repr(d.pii_counts)))
    rejected = (tuple(o.rejected for _, o in outs) | f"{name}AllRej" >> beam.Flatten()
                | f"{name}RejRows" >> beam.Map(lambda r: ("rejected", r.doc.id, r.stage, str(r.reason), r.detail)))
    failed = (tuple(o.failed for _, o in outs) | f"{name}AllFail" >> beam.Flatten()
              | f"{name}FailRows" >> beam.Map(lambda f: ("failed", f.id, f.stage, f.error_type, f.message)))
    return (kept, rejected, failed) | f"{name}All" >> beam.Flatten()


def test_the_real_stages_fused_give_the_records_of_the_stages_one_by_one():
    texts = sorted(SAMPLES.glob("*.txt"))
    assert len(texts) >= 5
    docs = [make_doc(path.stem, path.read_text(encoding="utf-8")) for path in texts]
    docs += [make_doc("short", "Too short."), make_doc("fr", FRENCH),
             make_doc("mail", docs[0].text + "\nWrite to jane.doe@example.com about it."), make_doc("poison", None)]
    quality, language = QualityConfig(), LanguageConfig(allowed=("en",))
    with TestPipeline() as p:
        created = p | beam.Create(docs)
        fused = _records(created | "Fused" >> DecideInOrder(_stages(quality, language)), "Fused")
        one_by_one, pcoll = [], created
        for i, (stage, fn) in enumerate(_stages(quality, language)):
            out = apply_decisions(pcoll, f"Stage{i}", fn)
            one_by_one.append((stage, out))
            pcoll = out.kept
        expected = _records(one_by_one, "OneByOne")
        # the same multiset of records, every field that the Parquet outputs hold
        keyed_f = fused | "KeyF" >> beam.Map(lambda r: (repr(r), 1)) | "CountF" >> beam.combiners.Count.PerKey()
        keyed_e = expected | "KeyE" >> beam.Map(lambda r: (repr(r), 1)) | "CountE" >> beam.combiners.Count.PerKey()
        joined = ({"f": keyed_f, "e": keyed_e} | beam.CoGroupByKey()
                  | "Mismatch" >> beam.FlatMap(lambda kv: [] if list(kv[1]["f"]) == list(kv[1]["e"]) else [kv[0]]))
        assert_that(joined, equal_to([]), label="SameRecords")
        # the poison record fails in the first part; 'short' is rejected by the length rule, 'fr' by the language
        special = fused | "Special" >> beam.Filter(lambda r: r[1] in ("poison", "short", "fr")) | "Where" >> beam.Map(lambda r: r[:3])
        assert_that(special, equal_to([("failed", "poison", "pii"), ("rejected", "short", "quality"), ("rejected", "fr", "language")]),
                    label="Special")
        assert_that(fused | "Mail" >> beam.Filter(lambda r: r[1] == "mail") | "MailPii" >> beam.Map(lambda r: (r[0], r[-1])),
                    equal_to([("kept", repr((("email", 1),)))]), label="MailRedacted")
