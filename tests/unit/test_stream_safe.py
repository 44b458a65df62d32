"""Unicode normalisation in linear time (transforms/stream_safe.py, hostile round 15).

CPython's normaliser sorts each run of combining marks by insertion: a run alternating two classes
costs the square of its length (100,000 marks on one letter: about 10 s a call). Every stage that
normalised a record's text, title or URL handed such runs to it whole; now no run it is handed is
longer than UAX #15's stream-safe 30 non-starters."""

import random
import unicodedata
from urllib.parse import urlsplit

import pytest

from tests.hostile import mixed
from transforms import clean_text, minhash_signature
from transforms.boilerplate import BoilerplateConfig, line_hashes
from transforms.clean.body import slug_words
from transforms.exact_dedup import text_hash
from transforms.records import domain_of
from transforms.stream_safe import CGJ, MAX_NON_STARTERS, nfkc, split_url, stream_safe
from transforms.url_filter import UrlLists, url_verdict

# "zalgo": an acute above (class 230) and a grave below (220) in turn, which the normaliser reorders
RUN = "\u0301\u0316" * 1_500


def _longest_mark_run(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if unicodedata.combining(ch) or ch in "\uff9e\uff9f" else 0
        longest = max(longest, run)
    return longest


@pytest.fixture
def handed(monkeypatch):
    """The longest run of combining marks in any text handed to unicodedata.normalize (urllib's
    host check included), from every module."""
    runs: list[int] = []
    real = unicodedata.normalize

    def spy(form, text):
        runs.append(_longest_mark_run(text))
        return real(form, text)

    monkeypatch.setattr(unicodedata, "normalize", spy)
    return runs


def test_no_stage_hands_the_normaliser_a_run_of_marks_longer_than_stream_safe_text_allows(handed):
    article = mixed(1) + "\na" + RUN + "\n" + mixed(2)
    url = "https://news.a" + RUN + ".spam.example/2024/05/son-a" + RUN + "-of-former-german-president"
    text_hash(article)
    minhash_signature(article)
    line_hashes(article.replace("\n", "\nb" + RUN[:150] + "\n"), BoilerplateConfig())  # lines under its 200 characters
    clean_text(mixed(3), title="Title a" + RUN, url=url)
    domain_of(url)
    slug_words(url)
    assert url_verdict(url, UrlLists.build(block_domains=["spam.example"])) == "block_domains:spam.example"
    assert handed and max(handed) <= MAX_NON_STARTERS + 3  # before: 3,000 (a letter's own marks may precede a run)


def test_a_long_run_gets_a_joiner_after_every_30th_mark_and_nothing_else_changes():
    text = "x a" + RUN[:100] + " y"
    safe = stream_safe(text)
    assert safe.replace(CGJ, "") == text
    assert [len(piece) for piece in safe[3:-2].split(CGJ)] == [30, 30, 30, 10]
    assert nfkc(text) == unicodedata.normalize("NFKC", safe)
    # halfwidth voicing marks become class-8 marks under NFKC; three Tibetan vowel signs decompose
    # to two marks each (no character decomposes to more): a run is at most 60 marks decomposed
    for run in ("\uff9e\u0301" * 50, "\u0f73\u0f80\u0f74" * 30):
        assert _longest_mark_run(unicodedata.normalize("NFKD", stream_safe("a" + run))) <= 2 * MAX_NON_STARTERS


def test_text_without_a_long_run_is_normalised_exactly_as_before():
    rng = random.Random(15)
    alphabet = ("abcdefghij ,.\u00a0\u2026\ufb01\uff21\u00e9e\u0301\u0316\u0323\u05b8\u0939\u093f\u094d"
                "\u4e2d\u6587\u0e01\u0e34\u0e48\uff76\uff9e\u0f73\U0001f600\U0001d165\U0001d16d\u034f")
    for _ in range(3_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        if _longest_mark_run(text) <= MAX_NON_STARTERS:
            assert stream_safe(text) is text
            assert nfkc(text) == unicodedata.normalize("NFKC", text)
    for url in ("https://例子.example/a?b#c", "http://[::1]:80/x", "https://user@host.example/é", "not a url"):
        assert split_url(url) == urlsplit(url)
