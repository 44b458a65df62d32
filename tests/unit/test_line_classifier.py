"""The line classifier (cleaning layer 2b): weights, features, exact removals, determinism, idempotence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.clean import CleanConfig, classifier_features, clean_document, strip_cruft
from transforms.line_classifier import FEATURES, load_line_model, parse_line_model
from transforms.records import Document

TITLE = "Council approves school budget"
ARTICLE = [
    "The city council approved a new budget for schools on Monday after a long and heated debate in the chamber.",
    "Teachers had asked for smaller classes and more help for pupils who fall behind, and the plan gives them both.",
    "The mayor said the plan would be paid for by savings elsewhere in the city's accounts over the next three years.",
    "Vote: 7 for, 2 against",
    "Parents welcomed the decision, though some said the money would not reach every school before the autumn term.",
    "The budget will be reviewed again in March, when the council expects updated figures from the education office.",
]
# a comment thread right under the article: prose comments join the body span, so the structure
# layer keeps it; the timestamps are what the classifier can tell apart
THREAD = [
    "November 19, 2019 at 8:53 am",
    "Why did the council not have a plan for this, just in case, as it was clearly necessary in the end.",
    "November 19, 2019 at 9:12 am",
    "Every parent I know has been asking for this for years, and it is about time somebody listened to us.",
    "November 19, 2019 at 11:32 am",
    "The money will run out by spring, mark my words, and then they will come back asking for more again.",
]
PAGE = "\n".join([TITLE, *ARTICLE, *THREAD])


@pytest.fixture(scope="module")
def pack():
    # without comment_meta: that rule (and the tail cut it opens) takes this thread's timestamps
    # before the classifier sees them (tests/unit/test_structure.py); here they are its test case
    from transforms.clean import load_rule_pack

    return load_rule_pack(disabled=("comment_meta",))


@pytest.fixture(scope="module")
def model():
    return load_line_model()


def test_bundled_weights_load_and_match_the_features(model):
    assert model.features == FEATURES
    assert model.mean.shape == model.scale.shape == model.weights.shape == (len(FEATURES),)
    assert model.threshold == CleanConfig().classifier_threshold == 0.25
    assert parse_line_model(model.to_json()).threshold == model.threshold


def test_weights_for_other_features_are_refused(model):
    data = json.loads(model.to_json())
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="features"):
        parse_line_model(json.dumps(data))


# The weights retrained on the current layers score these timestamps higher than the previous ones
# did (0.54-0.70 instead of < 0.5): comment_meta and the tail cut now remove most timestamps before
# the classifier, so few are left in its training rows. They still rank below every content line
# (the shortest, "Vote: 7 for, 2 against", scores 0.91), so 0.6 separates them here.
CUT = 0.6


def test_a_comment_timestamp_goes_and_a_content_line_of_its_length_stays(pack, model):
    result = strip_cruft(PAGE, pack, CleanConfig(classifier=True, classifier_threshold=CUT), model=model)
    assert [(r.rule, r.text) for r in result.removals] == [("classifier", "November 19, 2019 at 11:32 am")]
    assert result.text == "\n".join([TITLE, *ARTICLE, *THREAD[:4], THREAD[5]])
    assert "Vote: 7 for, 2 against" in result.text.split("\n")


def test_default_threshold_keeps_the_whole_page(pack, model):
    # at the shipped threshold (recall first) the same page loses nothing
    assert strip_cruft(PAGE, pack, CleanConfig(classifier=True), model=model).text == PAGE


@pytest.mark.parametrize(
    "cfg",
    [CleanConfig(classifier=False, classifier_threshold=0.5), CleanConfig(classifier=True, disabled_rules=("classifier",), classifier_threshold=0.5)],
)
def test_switched_off(pack, model, cfg):
    assert strip_cruft(PAGE, pack, cfg, model=model).text == PAGE


def test_extracted_text_skips_the_classifier(pack, model):
    cfg = CleanConfig(classifier=True, classifier_threshold=CUT)
    doc = Document(id="d", text=PAGE, source="p.html", source_format="html", flags=("extracted",))
    assert clean_document(doc, pack, cfg, model).text == PAGE
    raw = Document(id="d", text=PAGE, source="p.txt", source_format="text")
    assert clean_document(raw, pack, cfg, model).rule_counts == (("classifier", 1),)


def test_never_the_title_nor_every_line(pack, model):
    # a threshold above every probability: nothing goes rather than everything
    assert strip_cruft(PAGE, pack, CleanConfig(classifier=True, classifier_threshold=1.01), model=model).text == PAGE


def test_features_and_probabilities_are_deterministic(pack, model):
    lines = [TITLE, *ARTICLE, *THREAD]
    first = model.probabilities(classifier_features(lines, CleanConfig()))
    again = model.probabilities(classifier_features(list(lines), CleanConfig()))
    assert first.shape == (len(lines),)
    assert np.array_equal(first, again)
    assert strip_cruft(PAGE, pack, CleanConfig(classifier=True, classifier_threshold=0.5), model=model) == strip_cruft(
        PAGE, pack, CleanConfig(classifier=True, classifier_threshold=0.5), model=model
    )


WORDS = st.sampled_from(
    ["the", "council", "said", "on", "Monday", "2019", "at", "8:53", "am", "reply", "lol", "»", "|", "I", "agree", "budget"]
)
LINES = st.lists(st.lists(WORDS, min_size=1, max_size=25).map(" ".join).map(lambda s: s + st_end(s)), max_size=14)


def st_end(s: str) -> str:
    return "." if len(s) % 3 == 0 else ""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(LINES, st.sampled_from([0.2, 0.5, 0.8]))
def test_cleaning_with_the_classifier_is_idempotent_and_removes_whole_lines(pack, model, lines, threshold):
    cfg = CleanConfig(classifier=True, classifier_threshold=threshold)
    text = "\n".join(lines)
    once = strip_cruft(text, pack, cfg, model=model)
    twice = strip_cruft(once.text, pack, cfg, title=once.title, model=model)
    assert twice.text == once.text
    for r in once.removals:
        if r.rule == "classifier":
            assert r.whole_line and r.text in lines
