"""Language decisions on made-up probabilities, the real seeded detector, and its script fallback."""

from __future__ import annotations

import pytest
from script_texts import KNOWN_SCRIPTS, UDHR1, UNMAPPED

from transforms import detect_language
from transforms.language import (
    DetectLanguageFn,
    LanguageConfig,
    LanguageDetector,
    decide_language,
)
from transforms.language_scripts import MIN_SHARE, fold_fullwidth, script_language
from transforms.records import Document, Reason, Rejection

DOC = Document(id="d", text="x", source="s", source_format="text")


@pytest.mark.parametrize(
    "probs,cfg,expected",
    [
        ([("en", 0.99)], LanguageConfig(), ("en", 0.99, None)),
        ([("de", 0.6), ("en", 0.4)], LanguageConfig(min_score=0.8), ("und", 0.6, None)),
        ([("de", 0.6)], LanguageConfig(min_score=0.8, reject_uncertain=True), ("und", 0.6, Reason.LANGUAGE_UNCERTAIN)),
        ([], LanguageConfig(), ("und", 0.0, None)),
        ([("fr", 0.95)], LanguageConfig(allowed=("en", "de")), ("fr", 0.95, Reason.LANGUAGE_NOT_ALLOWED)),
        ([("de", 0.95)], LanguageConfig(allowed=("en", "de")), ("de", 0.95, None)),
    ],
)
def test_decide_language(probs, cfg, expected):
    out = decide_language(DOC, probs, cfg)
    lang, score, reason = expected
    doc = out.doc if isinstance(out, Rejection) else out
    assert (doc.language, doc.language_score) == (lang, score)
    assert (out.reason if isinstance(out, Rejection) else None) == reason


@pytest.mark.parametrize(
    "text,lang",
    [
        ("The committee will meet again next week to discuss the budget for the coming year.", "en"),
        ("Der Ausschuss wird sich nächste Woche erneut treffen, um den Haushalt zu beraten.", "de"),
        ("Le comité se réunira de nouveau la semaine prochaine pour discuter du budget.", "fr"),
        ("El comité se reunirá de nuevo la próxima semana para discutir el presupuesto.", "es"),
        ("Комитет снова соберется на следующей неделе, чтобы обсудить бюджет.", "ru"),
    ],
)
def test_detect_language_library_api(text, lang):
    code, score = detect_language(text)
    assert code == lang
    assert score > 0.9


def test_no_letters_is_undetermined():
    assert detect_language("12345 !!! ---") == ("und", 0.0)


def test_seeded_detectors_agree_on_ambiguous_text():
    # Short mixed text is where an unseeded langdetect changes its mind between calls.
    text = "ok sí yes ja oui"
    a, b = LanguageDetector(seed=0), LanguageDetector(seed=0)
    assert [a.probabilities(text) for _ in range(5)] == [b.probabilities(text)] * 5


# --- the script fallback and the full-width fold (transforms/language_scripts.py) --------------

@pytest.fixture(scope="module")
def langdetect_alone() -> LanguageDetector:
    return LanguageDetector(script_fallback=False)


@pytest.mark.parametrize("code", sorted(UDHR1))
def test_a_script_langdetect_cannot_read_names_its_language(code):
    # UDHR article 1, written from memory (tests/script_texts.py): every letter in the script
    assert detect_language(UDHR1[code]) == (code, 1.0)


@pytest.mark.parametrize("code,langdetect", [("ka", "et"), ("hy", "et"), ("or", "ne"), ("dv", "ar"), ("bo", "und"),
                                             ("km", "und"), ("my", "und"), ("si", "und"), ("lo", "und")])
def test_langdetect_alone_gets_these_scripts_wrong(code, langdetect, langdetect_alone):
    # what the stage answered before the fallback, and still does with script_fallback: false
    assert langdetect_alone.detect(UDHR1[code])[0] == langdetect


@pytest.mark.parametrize("name", sorted(UNMAPPED))
def test_a_script_several_languages_share_is_undetermined(name):
    # Ethiopic (Amharic or Tigrinya), Myanmar with Shan letters, Cherokee (no ISO 639-1 code)
    assert script_language(UNMAPPED[name]) == (None, 1.0)
    assert detect_language(UNMAPPED[name]) == ("und", 0.0)


@pytest.mark.parametrize("code", sorted(KNOWN_SCRIPTS))
def test_the_fallback_never_fires_on_scripts_langdetect_knows(code, langdetect_alone):
    text = KNOWN_SCRIPTS[code]
    assert script_language(text) is None
    assert detect_language(text) == langdetect_alone.detect(text)
    assert detect_language(text)[0] == code


EN = "The committee will meet again next week to discuss the budget for the coming year."
RU = "Комитет снова соберется на следующей неделе, чтобы обсудить бюджет."
KA_NEWS = "პარლამენტმა ბიუჯეტი დღეს მიიღო, განაცხადა ფინანსთა სამინისტრომ."  # "Parliament passed the budget today, the finance ministry said."


@pytest.mark.parametrize(
    "text,expected",
    [
        (EN.replace("budget", "budget (ბიუჯეტი)"), "en"),  # an English text quoting a Georgian word
        (EN + " The Armenian word is Բարև.", "en"),
        (RU.replace("бюджет", "бюджет («ბიუჯეტი»)"), "ru"),  # Cyrillic with a Georgian word
        (EN + " Tibetan: བོད་", "en"),
        (KA_NEWS + " The Budget Committee said: the vote was close.", "ka"),  # Georgian with some English
        (KA_NEWS + " " + EN, "en"),  # more English letters than Georgian ones: langdetect decides
    ],
)
def test_mixed_texts_go_to_the_script_of_most_letters(text, expected):
    assert detect_language(text)[0] == expected


def test_the_score_is_the_scripts_share_of_the_letters():
    text = "ფინანსთა სამინისტრო Budget"  # 18 Georgian letters, 6 Latin
    assert detect_language(text) == ("ka", 0.75)
    assert script_language("აბგ abc") == ("ka", 0.5)  # half is enough (MIN_SHARE)
    assert script_language("აბგ abcd") is None
    assert MIN_SHARE == 0.5
    assert script_language("ქ. 2024 - 10 !!") == ("ka", 1.0)  # digits and punctuation are not letters


@pytest.mark.parametrize(
    "text,expected",
    [
        ("ＨＥＬＬＯ ｗｏｒｌｄ（２０２６）！", "HELLO world（2026）！"),  # full-width punctuation stays: CJK profiles hold it
        ("市议会，ＧＤＰ增长", "市议会，GDP增长"),
        ("plain text", "plain text"),
    ],
)
def test_fold_fullwidth_letters_and_digits_only(text, expected):
    assert fold_fullwidth(text) == expected


def test_full_width_latin_reads_as_latin(langdetect_alone):
    text = "Ｔｈｅ ｃｏｍｍｉｔｔｅｅ ｗｉｌｌ ｍｅｅｔ ａｇａｉｎ ｎｅｘｔ ｗｅｅｋ ｔｏ ｄｉｓｃｕｓｓ ｔｈｅ ｂｕｄｇｅｔ."
    assert langdetect_alone.detect(text) == ("und", 0.0)
    assert detect_language(text) == detect_language(EN.replace(" for the coming year", ""))
    assert detect_language(text)[0] == "en"


def test_the_pipeline_decides_as_the_library_answers():
    def decide(cfg: LanguageConfig, text: str):
        fn = DetectLanguageFn(cfg)
        fn.setup()
        return fn.decide(Document(id="d", text=text, source="s", source_format="text"))

    out = decide(LanguageConfig(allowed=("ka", "en")), UDHR1["ka"])
    assert (out.language, out.language_score) == detect_language(UDHR1["ka"]) == ("ka", 1.0)
    rejected = decide(LanguageConfig(allowed=("en",)), UDHR1["hy"])
    assert (rejected.reason, rejected.detail, rejected.doc.language) == (Reason.LANGUAGE_NOT_ALLOWED, "hy", "hy")
    mixed = "ფინანსთა სამინისტრო Budget"  # score 18/24 = 0.75, below min_score
    uncertain = decide(LanguageConfig(min_score=0.8, reject_uncertain=True), mixed)
    assert (uncertain.reason, uncertain.detail) == (Reason.LANGUAGE_UNCERTAIN, "best=ka:0.75")
    assert decide(LanguageConfig(script_fallback=False), UDHR1["ka"]).language == "et"  # switched off: as before
    unmapped = decide(LanguageConfig(reject_uncertain=True), UNMAPPED["am"])
    assert (unmapped.reason, unmapped.doc.language) == (Reason.LANGUAGE_UNCERTAIN, "und")
    # the detail says why: the script has letters, but no one language (it said "no letters")
    assert unmapped.detail == "script=Ethiopic:1.00 (no one language)"
    assert decide(LanguageConfig(reject_uncertain=True), "12345 ... 678").detail == "no letters"
