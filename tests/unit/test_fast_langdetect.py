"""FastDetector must give langdetect's own Detector's probabilities exactly, whatever the text."""

from __future__ import annotations

from pathlib import Path

import pytest
from langdetect.detector import Detector
from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

import numpy as np

from transforms.fast_langdetect import (
    FastDetector,
    Profiles,
    _Draws,
    _OutOfDraws,
    _RandomDraws,
    gram_key,
    gram_keys,
    load_factory,
    mersenne_words,
)

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "samples").glob("*.txt"))

TEXTS = {
    "english": "The council approved the budget on Tuesday after a long debate about schools and roads.",
    "capital runs": "NASA and the ESA said the USA-led mission to the ISS was DELAYED. Officials at NOAA agreed.",
    "all capitals": "BREAKING NEWS: PARLIAMENT VOTES TO LEAVE",
    "spaces and lines": "  Le  gouvernement   a annoncé\n\nmardi   une   réforme  des retraites.  ",
    "single letters": "a b c d e f g à é",
    "urls and mail": "Read https://example.com/a?b=1 or write to desk@example.org — die Redaktion antwortet schnell.",
    "russian": "Правительство объявило о новых мерах поддержки для малого бизнеса в регионах страны.",
    "arabic with farsi yeh": "اعلنت الحكومة عن خطة جديدة ی لدعم الشركات الصغيرة في المدن",
    "chinese": "政府周二宣布了一项支持小企业的新计划，涵盖全国各个地区的城市。",
    "japanese": "政府は火曜日に、中小企業を支援する新しい計画を発表しました。カタカナ",
    "korean": "정부는 화요일에 중소기업을 지원하는 새로운 계획을 발표했다.",
    "bengali": "সরকার মঙ্গলবার ছোট ব্যবসার জন্য একটি নতুন পরিকল্পনা ঘোষণা করেছে।",
    "hindi": "सरकार ने मंगलवार को छोटे व्यवसायों के लिए एक नई योजना की घोषणा की।",
    "thai": "รัฐบาลประกาศแผนใหม่เพื่อสนับสนุนธุรกิจขนาดเล็กเมื่อวันอังคาร",
    "vietnamese combining marks": "Chi\u0301nh phu\u0309 đa\u0303 công bố kê\u0301 hoạch mới hôm thứ Ba.",
    "romanian comma letters": "Guvernul a anunțat marți un plan nou pentru școli și spitale.",
    "mostly non-latin with latin words": "Правительство Apple объявило iPhone о новых мерах поддержки",
    "mixed scripts": "Das Treffen in Αθήνα und in Москва endete ohne Einigung, sagte Ελλάδα.",
    "digits and symbols": "2024 — 15% (3/4) #1 @@ ** 100,000 ... 12:30",
    "upper then lower": "McDONALD's McKinsey iPhone eBay O'NEILL DeVRIES",
}


def _probabilities(detector: Detector, text: str, max_chars: int) -> list[tuple[str, float]] | str:
    detector.set_max_text_length(max_chars)
    detector.append(text)
    try:
        return [(p.lang, p.prob) for p in detector.get_probabilities()]
    except LangDetectException as exc:
        return f"error: {exc}"


@pytest.fixture(scope="module")
def factories() -> tuple[DetectorFactory, Profiles]:
    return load_factory(0), Profiles.load()


def _cases() -> list[tuple[str, str]]:
    return list(TEXTS.items()) + [(path.name, path.read_text(encoding="utf-8")) for path in SAMPLES]


@pytest.mark.parametrize("max_chars", [1000, 40])
@pytest.mark.parametrize(("name", "text"), _cases(), ids=[name for name, _ in _cases()])
def test_same_probabilities_as_langdetect(factories, name, text, max_chars):
    stock, profiles = factories
    expected = _probabilities(Detector(stock), text, max_chars)
    got = _probabilities(FastDetector(profiles, 0), text, max_chars)
    assert got == expected
    if name in ("english", "russian", "chinese", "bengali", "hindi"):  # a real answer, not two equal errors
        assert isinstance(got, list) and got[0][1] > 0.9


@pytest.mark.parametrize("text", ["", "   ", "12345 !!! ...", "— – • ‘’ “”"])
def test_no_features_is_the_same_error(factories, text):
    stock, profiles = factories
    expected = _probabilities(Detector(stock), text, 1000)
    assert expected.startswith("error:")
    assert _probabilities(FastDetector(profiles, 0), text, 1000) == expected


def test_profiles_hold_the_factory_numbers():
    factory = load_factory(0)
    table = factory.word_lang_prob_map
    profiles = Profiles.load()
    assert profiles.langlist == factory.langlist
    assert profiles.matrix.shape == (len(table), len(factory.langlist))
    grams = list(table)
    rows = profiles.rows_of(np.array([gram_key(g) for g in grams], dtype=np.uint64))
    assert len(rows) == len(grams)  # every n-gram found, keys of every script exact (no float64 on the way)
    for gram, row in zip(grams, rows.tolist()):  # every n-gram, every language: the same floats
        assert profiles.matrix[row].tolist() == table[gram]


def test_load_factory_is_langdetects_profiles_in_sorted_order():
    """The same numbers as langdetect's own loader, whatever order the filesystem lists files in."""
    ours, theirs = load_factory(7), DetectorFactory()
    theirs.load_profile(PROFILES_DIRECTORY)
    assert ours.langlist == sorted(theirs.langlist) and ours.seed == 7
    column = {lang: i for i, lang in enumerate(theirs.langlist)}
    for gram in ("the", " d", "é", "ия", "的", "ng "):
        assert ours.word_lang_prob_map[gram] == [theirs.word_lang_prob_map[gram][column[lang]] for lang in ours.langlist]


@pytest.mark.parametrize("seed", [0, 7, 2**40 + 3])
def test_precomputed_words_are_pythons_mersenne_twister(seed):
    import random

    rng = random.Random(seed)
    assert mersenne_words(seed, 3000).tolist() == [rng.getrandbits(32) for _ in range(3000)]


@pytest.mark.parametrize("seed", [7, 123456789])
def test_other_seeds_give_langdetects_probabilities(seed):
    stock, profiles = load_factory(seed), Profiles.load()
    for name in ("english", "mixed scripts", "upper then lower", "single letters"):
        assert _probabilities(FastDetector(profiles, seed), TEXTS[name], 1000) == _probabilities(Detector(stock), TEXTS[name], 1000)


def test_running_out_of_precomputed_words_redoes_the_document_with_random(factories):
    """A document that would need more words than were computed gets the same answer from the
    step-by-step trials drawing from random.Random."""
    stock, profiles = factories
    short = Profiles(profiles.langlist, profiles.keys, profiles.matrix)
    short._draws[0] = mersenne_words(0, 3000)[:40]  # a few trials' worth at most
    with pytest.raises(_OutOfDraws):  # the premise: 40 words do not make a document's draws
        _Draws(short._draws[0], 500).choices(60)
    text = TEXTS["mixed scripts"]
    assert _probabilities(FastDetector(short, 0), text, 1000) == _probabilities(Detector(stock), text, 1000)


def test_without_a_seed_the_trials_draw_from_random(factories):
    _, profiles = factories
    got = _probabilities(FastDetector(profiles, None), TEXTS["russian"], 1000)
    assert got[0][0] == "ru" and got[0][1] > 0.99


@pytest.mark.parametrize("length, grams", [(1, ["a", "é", "的", "\U0001f600"]), (2, [" d", "ия", "z "]), (3, ["the", "ng ", "日本語"])])
def test_gram_keys_are_gram_key_of_each(length, grams):
    assert gram_keys(grams, length).tolist() == [gram_key(g) for g in grams]


def test_draws_skip_any_run_of_rejected_words():
    """Rejection sampling as random.choice does it, also through a run of rejected words longer
    than a scan window (each scan moves on, whatever it found)."""
    words = np.array([0xFFFFFFFF] * 300 + [i << 24 for i in range(200)], dtype=np.uint32)
    draws = _Draws(words, 5)  # 3 bits per draw: values 5-7 are rejected
    expected = [w >> 29 for w in words.tolist() if (w >> 29) < 5]
    assert draws.choices(1).tolist() + draws.choices(5).tolist() == expected[:6]
    draws.end_trial()  # the next trial starts right after the sixth accepted word
    accepted_at = [i for i, w in enumerate(words.tolist()) if (w >> 29) < 5]
    assert draws.pos == accepted_at[5] + 1


@pytest.mark.parametrize("source", ["precomputed", "random"])
@pytest.mark.parametrize("handed, used", [(46, 46), (46, 41), (46, 1), (46 + 50, 51)])
def test_a_trial_gives_back_the_choices_it_drew_ahead(source, handed, used):
    """Trials draw their n-grams 10 blocks ahead (46, then 50 at a time) and give back what they
    do not use: the next trial's gauss and choices are those of a random.Random that made exactly
    `used` choices."""
    import random

    n = 1234
    rng = random.Random(0)
    expected = [rng.gauss(0.0, 1.0), *(rng.choice(range(n)) for _ in range(used))]
    expected += [rng.gauss(0.0, 1.0), *(rng.choice(range(n)) for _ in range(5))]
    draws = _Draws(mersenne_words(0, 4000), n) if source == "precomputed" else _RandomDraws(random.Random(), 0, n)
    first = [draws.gauss()]
    for k in (46, handed - 46) if handed > 46 else (46,):
        first += draws.choices(k).tolist()
    draws.end_trial(used)
    second = [draws.gauss(), *draws.choices(5).tolist()]
    assert first[: used + 1] + second == expected
