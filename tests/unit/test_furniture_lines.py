"""Layer 2c: furniture told by the line alone (transforms/furniture_lines.py,
transforms/clean/furniture.py): the model's file, its scores, the layer's bars, its place in the
stage, and the shipped model on inline furniture and the sentences that look like it."""

from __future__ import annotations

import pickle
import re

import pytest

from tests.conftest import make_doc
from transforms import clean_text
from transforms.clean import (
    CleanConfig,
    StripCruft,
    StripCruftFn,
    load_rule_pack,
    strip_cruft,
)
from transforms.clean.rule_pack import RulePackError, read_clean_files
from transforms.furniture_lines import (
    FURNITURE,
    FurnitureModel,
    furniture_keys,
    load_furniture_model,
    parse_furniture_model,
)

PARAGRAPHS = (
    "The city council voted on Tuesday to raise bus fares by ten cents from April, the first increase in six years.",
    "Officials said the extra money would pay for new electric buses and longer evening service on the busiest routes.",
    "Opponents argued that the rise would hit low-income riders hardest, and several spoke at the two-hour meeting.",
    "The measure passed seven to two, and the mayor is expected to sign it later this week, her office said.",
)
# a toy model: "tap" and "notifications" are furniture words, everything else says nothing
TOY = FurnitureModel({"tap": 4.0, "notifications": 4.0}, -3.0, 15, "test")


def article_with(*inline: str) -> str:
    return "\n".join(PARAGRAPHS[:2] + inline + PARAGRAPHS[2:])


def test_the_shipped_model_reads_back_from_its_own_json():
    shipped = load_furniture_model()
    again = parse_furniture_model(shipped.to_json())
    assert again == shipped
    assert len(shipped.weights) > 1000 and shipped.max_words >= 10


def test_a_line_scores_the_same_whatever_else_is_scored():
    model = load_furniture_model()
    line = "Tap here to turn on desktop notifications"
    alone = model.score(line)
    assert model.scores(["x", line, *PARAGRAPHS]) [1] == alone
    assert 0.0 < alone < 1.0


def test_lines_longer_than_max_words_are_never_scored():
    long_line = " ".join(["tap notifications"] * 8)  # 16 words of the toy's furniture words
    assert TOY.score(long_line) == 0.0
    assert TOY.score("tap notifications") > 0.99
    assert TOY.score("") == 0.0


def test_the_keys_hold_the_words_and_the_shape():
    keys = furniture_keys("Follow us @citynews | 12 photos")
    assert {"follow", "follow us", "^follow", "photos$", "#digit", "#ch@", "#ch|", "#endw"} <= set(keys)
    assert "#n5" in keys and "#n6" not in keys  # follow, us, citynews, 12, photos: \w+ tokens
    assert furniture_keys("Read more:")[-1] == "#ch:" and "#end:" in furniture_keys("Read more:")


@pytest.mark.parametrize(
    "line, key",
    [
        ("Edit · Delete · Mark as spam", "#bar"),
        ("Home|News|Sport", "#bar"),
        ("Reply • Share", "#sep"),
        ("· Members only", "#sep"),
        # a middle dot inside a word joins, it does not divide: Catalan, Korean, Chinese
        ("La col·lecció del museu", None),
        ("한·미·일 외교장관 회담", None),
        ("“8·25专案组”频频造访", None),
    ],
)
def test_spaced_separators_make_a_bar_and_a_middle_dot_inside_a_word_does_not(line, key):
    keys = furniture_keys(line)
    assert [k for k in keys if k in ("#sep", "#bar")] == ([key] if key else [])


def test_the_layer_removes_a_furniture_line_between_paragraphs_of_clean_text():
    text = article_with("Tap here to turn on notifications")
    result = strip_cruft(text, load_rule_pack(), CleanConfig(), furniture=TOY)
    assert result.text == "\n".join(PARAGRAPHS)
    assert dict(result.rule_counts()) == {FURNITURE: 1}


def test_the_layer_never_takes_the_title():
    text = "Tap notifications\n" + article_with()
    result = strip_cruft(text, load_rule_pack(), CleanConfig(), title="Tap notifications", furniture=TOY)
    assert result.text.startswith("Tap notifications\n")


def test_a_page_that_reads_as_furniture_throughout_loses_nothing_to_the_layer():
    # the lines at the bar hold more than furniture_max_share of the words: a page the model
    # does not know; nothing goes
    lines = [f"Tap for notifications {i}" for i in range(6)]
    cfg = CleanConfig(disabled_rules=("navigation", "outside_body", "classifier", "repeated_line", "teaser_run"))
    text = "\n".join(PARAGRAPHS[:1] + tuple(lines))
    assert strip_cruft(text, load_rule_pack(), cfg, furniture=TOY).text == text
    one = article_with(lines[0])
    assert strip_cruft(one, load_rule_pack(), cfg, furniture=TOY).text == "\n".join(PARAGRAPHS)


def test_the_bar_and_the_switch_are_honoured():
    text = article_with("Tap here")  # toy score sigmoid(1.0) = 0.73
    pack = load_rule_pack()
    assert "Tap here" in strip_cruft(text, pack, CleanConfig(furniture_threshold=0.97), furniture=TOY).text
    assert "Tap here" not in strip_cruft(text, pack, CleanConfig(furniture_threshold=0.7), furniture=TOY).text
    assert "Tap here" in strip_cruft(text, pack, CleanConfig(furniture_threshold=0.7, furniture=False), furniture=TOY).text
    off = CleanConfig(furniture_threshold=0.7, disabled_rules=(FURNITURE,))
    assert "Tap here" in strip_cruft(text, pack, off, furniture=TOY).text


def test_the_stage_ships_the_model_text_and_cleans_as_the_library_does():
    cfg = CleanConfig()
    files = StripCruft(cfg).files
    assert files.furniture_weights and parse_furniture_model(files.furniture_weights) == load_furniture_model()
    worker = pickle.loads(pickle.dumps(StripCruftFn(cfg, files)))
    worker.setup()
    assert worker.furniture == load_furniture_model()
    text = article_with("Tap here to turn on desktop notifications to get the news sent straight to you.")
    assert worker.decide(make_doc("d", text)).text == clean_text(text)


def test_the_config_hash_covers_the_model_file(tmp_path):
    path = tmp_path / "f.json"
    path.write_text(TOY.to_json(), encoding="utf-8")
    one = read_clean_files(CleanConfig(furniture_weights=str(path)))
    path.write_text(FurnitureModel({"tap": 5.0}, -3.0, 15).to_json(), encoding="utf-8")
    two = read_clean_files(CleanConfig(furniture_weights=str(path)))
    assert one.digest() != two.digest()
    assert read_clean_files(CleanConfig(furniture=False)).furniture_weights == ""


@pytest.mark.parametrize(
    "text,message",
    [
        ("[1, 2]", "not a furniture-lines model"),
        ('{"format": "newsclean furniture-lines 1", "weights": {"a": "x"}, "bias": 0, "max_words": 5}', "finite numbers"),
        ('{"format": "newsclean furniture-lines 1", "weights": {}, "bias": 0, "max_words": 0}', "positive whole number"),
        ("{not json", "furniture-lines model"),
        # hostile round 16: each was a traceback (OverflowError, RecursionError), or a model every
        # line's score of overflowed (every document of the run failed)
        ('{"format": "newsclean furniture-lines 1", "weights": {"a": 1%s}, "bias": 0, "max_words": 5}' % ("0" * 400), "finite numbers"),
        ('{"format": "newsclean furniture-lines 1", "weights": {}, "bias": 1%s, "max_words": 5}' % ("0" * 400), "'bias' must be a finite"),
        ('{"format": "newsclean furniture-lines 1", "weights": {"#n1": 1e308, "#endw": 1e308}, "bias": 0, "max_words": 5}', "between -1e+06 and 1e+06"),
        ('{"format": "newsclean furniture-lines 1", "weights": {"a": true}, "bias": 0, "max_words": 5}', "finite numbers"),
        ("[" * 100_000, "nested too deeply"),
    ],
)
def test_a_bad_model_file_is_a_one_line_error(tmp_path, text, message):
    path = tmp_path / "f.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulePackError) as info:
        read_clean_files(CleanConfig(furniture_weights=str(path)))
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_missing_model_file_is_a_one_line_error():
    with pytest.raises(RulePackError, match=re.escape("furniture-lines model no/such.json: no such file")):
        read_clean_files(CleanConfig(furniture_weights="no/such.json"))


def test_a_heading_of_its_section_stays_though_its_words_are_furniture_words():
    section = "Cookies that track readers across sites now need consent under the privacy law, the regulator said."
    text = article_with("Cookies and the privacy law", section)
    result = strip_cruft(text, load_rule_pack(), CleanConfig(), furniture=FurnitureModel({"cookies": 9.0}, -3.0, 15))
    assert result.text == text
    # the same line above a paragraph on something else is furniture
    text = article_with("Cookies and the privacy law")
    assert "Cookies" not in strip_cruft(text, load_rule_pack(), CleanConfig(), furniture=FurnitureModel({"cookies": 9.0}, -3.0, 15)).text


# Inline furniture of families the rule pack does not name, which the shipped model removes between
# article paragraphs (the tenth held-out batch of benchmarks/data/inline_cruft_lines.txt, written
# before the model was trained), and sentences and headings that use the same words, which stay.
FURNITURE_LINES = (
    "Tap here to turn on desktop notifications to get the news sent straight to you.",
    "Scroll down for video",
    "We value your privacy",
    "Got a story? Send it to us on WhatsApp",
    "Jetzt kostenlos registrieren",  # (its sibling "Hier klicken, um die App herunterzuladen" is the pack's since 2026-12-07)
    "Read our community guidelines",  # ("Please enable JavaScript to view the comments ..." is the pack's browser_notice since the seventeenth batch)
    # action bars of words no batch holds together, caught by their shape since the separator keys
    "Gefällt mir · Antworten · 3 Std.",
    "Opslaan · Delen · Printen",
)
LOOK_ALIKES = (
    "Readers who log in to the library's site can borrow e-books for free.",
    "Listen to the crowd and you will hear why the mayor won the vote.",
    "Back to top form, the striker scored twice in the second half.",
    "Die Kommentare im Stadtrat fielen überwiegend kritisch aus.",
    '"Scroll down for video," she joked, and the editors groaned.',
    "La aplicación se descargó un millón de veces en su primer mes.",
    "한·미·일 외교장관 회담",  # a Korean headline: its middle dots join names, they divide no bar
    "La intel·ligència artificial arriba a les aules",
)


@pytest.mark.parametrize("line", FURNITURE_LINES)
def test_the_shipped_model_removes_furniture_no_rule_names(line):
    text = article_with(line)
    assert clean_text(text) == "\n".join(PARAGRAPHS)
    off = CleanConfig(furniture=False)
    assert line in strip_cruft(text, load_rule_pack(), off).text.split("\n")  # no rule of the pack takes it


@pytest.mark.parametrize("line", LOOK_ALIKES)
def test_the_shipped_model_keeps_sentences_with_furniture_words(line):
    text = article_with(line)
    assert clean_text(text) == text


def test_on_a_page_with_chrome_only_lines_that_stand_alone_go():
    from transforms.clean.furniture import drop_furniture_lines
    from transforms.clean.line_facts import LineFacts

    cfg = CleanConfig()
    page = [PARAGRAPHS[0], "Tap for notifications", PARAGRAPHS[1], "Tap notifications on", "Prices", "Shop", PARAGRAPHS[2]]
    for alone_only, gone in ((True, ["Tap for notifications"]), (False, ["Tap for notifications", "Tap notifications on"])):
        lines: list[str | None] = list(page)
        removals: list = []
        drop_furniture_lines(lines, TOY, cfg, "", LineFacts(cfg), removals, alone_only=alone_only)
        # a line in a run of short lines (a menu, a list) is the positional layers' to judge
        assert [r.text for r in removals] == gone
        assert [line for line in lines if line] == [line for line in page if line not in gone]


def test_the_training_script_reads_the_inline_batches_by_batch(tmp_path):
    # benchmarks/train_furniture_lines.py: each batch of inline lines is one site and one fold, its
    # furniture 1 and look-alikes 0; lines left in by choice and lines too long to judge are no rows
    from benchmarks.train_furniture_lines import FOLDS, MAX_WORDS, inline_rows

    path = tmp_path / "lines.txt"
    path.write_text(
        "# first lines, before any batch header\n"
        "cruft   Share this story\n"
        "# Fifth batch, written on 2026-12-06 as a held-out check\n"
        "keep    Readers share their stories with the paper.\n"
        "choice  Recommended: The best commuter bikes\n"
        f"keep    {' '.join(['word'] * (MAX_WORDS + 1))}\n"
        "# a comment inside the batch, no header\n"
        "# Twenty-first batch, written on 2026-12-07 by a helper\n"
        "cruft\tListen to this article · 4 min\n",
        encoding="utf-8",
    )
    assert inline_rows(path) == [
        ("inline:0", 0, "inline", "Share this story", 1),
        ("inline:1", 1 % FOLDS, "inline", "Readers share their stories with the paper.", 0),
        ("inline:2", 2 % FOLDS, "inline", "Listen to this article · 4 min", 1),
    ]


def test_every_line_of_the_shipped_batches_is_tagged():
    # a batch appended with a stray line would train on its tag as a word, or fail the split; a
    # held-out batch with one would be scored wrong
    from benchmarks.train_furniture_lines import HELD_OUT, INLINE_TRAIN

    for path in (INLINE_TRAIN, *HELD_OUT):
        entries = [raw.split(None, 1) for raw in path.read_text(encoding="utf-8").splitlines() if raw.strip() and not raw.startswith("#")]
        tags = [entry[0] for entry in entries]
        assert set(tags) <= {"cruft", "keep", "choice"} and {"cruft", "keep"} <= set(tags), path.name
        assert all(len(entry) == 2 for entry in entries), path.name
