"""Quality signals (exact values on small texts), the rules on made-up numbers, and the filters on
real-looking pages: junk each filter must reject, look-alike news it must keep, in several scripts."""

from __future__ import annotations

import re
import textwrap
import time
from dataclasses import replace

import hypothesis
import hypothesis.strategies as st
import pytest

from transforms.quality import (
    C4_QUALITY,
    FILTERS,
    FINEWEB_QUALITY,
    GOPHER_QUALITY,
    GOPHER_REPETITION,
    PROSE_QUALITY,
    SIGNALS,
    QualityConfig,
    assess_quality,
    certainly_too_short,
    code_lines,
    is_prose_page,
    keep_document,
    lede,
    list_topic_frac,
    lower_sentence_starts,
    ngram_repetition,
    numbered_rows,
    reject_if_too_short,
    score_document,
    uncorroborated_repetition,
    words_of,
    writing_traits,
)
from transforms.records import Document, Reason, Rejection

CFG = QualityConfig()


# --- signals: exact values -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,words",
    [
        ("Hello, world! -- 42 cats.", ["Hello", "world", "42", "cats"]),
        ("“Quoted” (aside) don't …", ["Quoted", "aside", "don't"]),
        ("#news #today", ["news", "today"]),
        ("  \n ", []),
    ],
)
def test_words_are_tokens_without_edge_punctuation(text, words):
    assert words_of(text) == words


@pytest.mark.parametrize(
    "text,language,expected",
    [
        # 4 words of 5+5+2+4 characters; "42" has no letter; "--" is not a word
        ("Hello, world! -- 42 cats.", "en",
         {"word_count": 4, "mean_word_length": 4.0, "alpha_word_frac": 0.75, "hash_word_ratio": 0.0}),
        ("#news #today big story", "en", {"word_count": 4, "hash_word_ratio": 0.5}),
        ("Wait... what… really", "en", {"word_count": 3, "ellipsis_word_ratio": 0.666667}),
        ("- one\n• two\nthree\n\n* four", "en", {"bullet_line_frac": 0.75, "line_count": 4}),
        ("Read more...\nFull story…\nDone.", "en", {"ellipsis_line_frac": 0.666667}),
        ("The cat and the dog went to sea with THE owl.", "en", {"stop_word_count": 6}),
        # lines 2 and 4 repeat line 1: 2 of 4 lines, 72 of 147 characters
        ("The council approved the new budget.\nThe council approved the new budget.\n"
         "Shops close early on Sunday in town.\nThe council approved the new budget.", "en",
         {"dup_line_frac": 0.5, "dup_line_char_frac": 0.489796}),
        # one of three paragraphs repeats: 35 of 83 characters
        ("Para one of the story, long enough.\n\nPara one of the story, long enough.\n\nPara two.", "en",
         {"dup_para_frac": 0.333333, "dup_para_char_frac": 0.421687, "dup_line_frac": 0.333333}),
        # repeats of 30 characters or fewer are labels, not duplicates (dup_min_chars)
        ("abc\nabc\nxyz\nabc", "en", {"dup_line_frac": 0.0, "dup_line_char_frac": 0.0}),
        # C4: line 1 has no end mark, line 3 has < 3 words, line 4 names javascript: 3 sentences on line 2
        ("Short line\nThe council met today. It voted yes! Done?\nOk.\nThe mayor spoke about javascript bugs.", "en",
         {"c4_sentence_count": 3, "c4_terminal_punct_line_frac": 0.75, "c4_javascript_line_frac": 0.25}),
        # a brace counts only on a line C4 keeps (end mark, >= 3 words)
        ("The template uses {{ name }} here.\nvar x = {a: 1}\nLorem ipsum dolor sit amet.", "en",
         {"c4_curly_brace_lines": 1, "c4_lorem_ipsum_lines": 1}),
        # FineWeb: curly quotes and the CJK full stop end a line; 2 line breaks per 6 words
        ("First line here.\nSecond line here\n“Quoted.”", "en", {"line_punct_ratio": 0.666667, "list_ratio": 0.285714}),
        ("Short\n" + "x" * 30 + "\n" + "y" * 31, "en", {"short_line_ratio": 0.666667, "char_count": 68}),
    ],
)
def test_signal_values(text, language, expected):
    signals = score_document(text, language)
    assert {k: signals[k] for k in expected} == expected


def test_ngram_repetition_exact():
    # "one two three four five" comes twice: 19 of 41 word characters are in a repeated 5-gram;
    # the most frequent 2/3/4-grams (count 2; ties go to the longest) are
    # "three four", "three four five", "two three four five".
    words = "one two three four five one two three four five six".split()
    assert ngram_repetition(words) == {
        "top_2gram_char_frac": 18 / 41,
        "top_3gram_char_frac": 26 / 41,
        "top_4gram_char_frac": 32 / 41,
        "dup_5gram_char_frac": 19 / 41,
        **{f"dup_{n}gram_char_frac": 0.0 for n in (6, 7, 8, 9, 10)},
    }


def test_ngram_fractions_of_a_document_are_of_all_its_characters():
    # as datatrove (FineWeb) divides: the 19 characters of the repeated 5-gram over all 51 characters
    # (41 word characters and 10 spaces), like the duplicate line and paragraph fractions
    signals = score_document("one two three four five one two three four five six", "en")
    assert (signals["dup_5gram_char_frac"], signals["top_2gram_char_frac"]) == (round(19 / 51, 6), round(18 / 51, 6))


def test_overlapping_repeats_count_each_character_once():
    # "a a a a a a" (6 words): the 5-gram at 1 repeats the one at 0; words 1..5 are covered once.
    assert ngram_repetition(["aa"] * 6)["dup_5gram_char_frac"] == 10 / 12
    assert ngram_repetition(["aa"] * 6)["top_2gram_char_frac"] == 5 * 4 / 12


def test_signals_are_in_column_order_and_rounded():
    signals = score_document("One two three.\nFour five six seven.", "en")
    assert list(signals) == [s for s in SIGNALS if s in signals]
    assert signals["mean_word_length"] == round(27 / 7, 6)
    assert signals["list_ratio"] == round(1 / 7, 6)


@pytest.mark.parametrize(
    "text,language,traits",
    [
        ("The council met on Tuesday.", "en", (True, True)),
        ("市议会周二召开会议。", "zh-cn", (False, True)),
        ("市议会周二召开会议。", "und", (False, True)),  # by script when the code does not say
        ("市议会周二召开会议。", "ko", (False, True)),  # langdetect wrong: the script decides
        ("東京都は火曜日に新しい計画を発表した。", "ja", (False, True)),
        ("วันนี้ฝนตกหนักในกรุงเทพ", "th", (False, False)),
        ("วันนี้ฝนตกหนักในกรุงเทพ", "und", (False, False)),
        ("시의회는 화요일에 새 예산을 승인했다.", "ko", (True, True)),  # Korean uses spaces
        ("The mayor of 上海 spoke.", "en", (True, True)),  # a few Han characters in English
    ],
)
def test_writing_traits_by_language_and_script(text, language, traits):
    assert writing_traits(text, language, CFG) == traits


@pytest.mark.parametrize("code", ["ka", "hy", "bo", "km", "my", "si", "lo", "or", "dv"])
def test_the_script_fallbacks_languages_are_measured_as_written(code):
    # the codes the language stage's script fallback gives (UDHR article 1, tests/script_texts.py):
    # Tibetan, Khmer, Burmese and Lao unspaced (`no_space_languages`), Lao without end marks; the
    # others spaced. Every sentence ends in its script's mark (Tibetan's last one in ༎).
    from script_texts import UDHR1

    text = UDHR1[code]
    spaced = code not in ("bo", "km", "my", "lo")
    assert writing_traits(text, code, CFG) == (spaced, code != "lo")
    signals = score_document(text, code)
    assert ("word_count" in signals, "unspaced_char_count" in signals) == (spaced, not spaced)
    assert signals.get("line_punct_ratio") == (None if code == "lo" else 1.0)


def test_word_signals_are_absent_for_unspaced_scripts():
    signals = score_document("市议会周二召开会议。\n官员表示，新线路预计在三年内完工。", "zh-cn")
    assert "word_count" not in signals and "dup_5gram_char_frac" not in signals and "list_ratio" not in signals
    assert (signals["unspaced_char_count"], signals["char_count"]) == (27, 28)  # the line break left out
    assert "unspaced_char_count" not in score_document("The council met.", "en")
    assert (signals["line_punct_ratio"], signals["short_line_ratio"]) == (1.0, 0.5)  # 10-char line is short


def test_stop_words_only_for_their_languages():
    text = "The cat and the dog."
    assert score_document(text, "en")["stop_word_count"] == 3
    assert "stop_word_count" not in score_document(text, "de")
    assert "stop_word_count" not in score_document(text, "und")


# --- rules on made-up numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "signals,language,expected",
    [
        ({"mean_word_length": 11.2}, "en", (False, "gopher_quality:mean_word_length=11.2>10")),
        ({"mean_word_length": 10.0}, "en", (True, None)),  # Gopher: strictly above 10
        ({"word_count": 49}, "en", (False, "gopher_quality:word_count=49<50")),
        ({"word_count": 49}, "ja", (True, None)),  # a word rule never judges Japanese
        ({"unspaced_char_count": 79}, "ja", (False, "gopher_quality:unspaced_char_count=79<80")),
        ({"mean_word_length": 2.9}, "en", (False, "gopher_quality:mean_word_length=2.9<3")),
        ({"mean_word_length": 2.9}, "ko", (True, None)),  # syllabic: the minimum does not apply
        ({"mean_word_length": 10.5}, "vi", (False, "gopher_quality:mean_word_length=10.5>10")),
        ({"stop_word_count": 1}, "en", (False, "gopher_quality:stop_word_count=1<2")),
        ({"stop_word_count": 1}, "fr", (True, None)),
        ({"dup_5gram_char_frac": 0.1512}, "en", (False, "gopher_repetition:dup_5gram_char_frac=0.1512>0.15")),
        ({"top_2gram_char_frac": 0.2}, "en", (True, None)),
        ({"c4_sentence_count": 2}, "en", (False, "c4_quality:c4_sentence_count=2<3")),
        ({"c4_sentence_count": 3}, "en", (True, None)),  # a news brief of 3 sentences (C4: 5; ours: 3)
        ({"c4_curly_brace_lines": 1}, "en", (False, "c4_quality:c4_curly_brace_lines=1>0")),
        ({"line_punct_ratio": 0.12}, "en", (False, "fineweb_quality:line_punct_ratio=0.12<=0.12")),  # FineWeb: <=
        ({"line_punct_ratio": 0.12}, "th", (True, None)),
        ({"short_line_ratio": 0.67}, "en", (False, "fineweb_quality:short_line_ratio=0.67>=0.67")),
        # both Gopher (> 0.2) and FineWeb (>= 0.1, ours; FineWeb's 0.01 see default.yaml) fire; Gopher first
        ({"dup_line_char_frac": 0.25}, "en", (False, "gopher_repetition:dup_line_char_frac=0.25>0.2")),
        ({"dup_line_char_frac": 0.1}, "en", (False, "fineweb_quality:dup_line_char_frac=0.1>=0.1")),
        ({"dup_line_char_frac": 0.05}, "en", (True, None)),  # a repeated "Pros:" heading is not junk
        ({"list_ratio": 0.3125}, "en", (False, "fineweb_quality:list_ratio=0.3125>0.3")),
        ({"lower_sentence_start_frac": 0.8}, "en", (False, "prose_quality:lower_sentence_start_frac=0.8>0.5")),
        ({"lower_sentence_start_frac": 0.5}, "de", (True, None)),
        ({}, "en", (True, None)),  # absent signals never reject
    ],
)
def test_keep_document_names_filter_signal_value_and_limit(signals, language, expected):
    assert keep_document(signals, CFG, language) == expected


def test_each_filter_is_switched_on_its_own():
    signals = {"word_count": 10, "dup_line_frac": 0.5, "c4_sentence_count": 1, "short_line_ratio": 0.9,
               "lower_sentence_start_frac": 0.75}
    assert [keep_document(signals, replace(CFG, filters=(f,)), "en")[1] for f in FILTERS] == [
        "gopher_quality:word_count=10<50",
        "gopher_repetition:dup_line_frac=0.5>0.3",
        "c4_quality:c4_sentence_count=1<3",
        "fineweb_quality:short_line_ratio=0.9>=0.67",
        "prose_quality:lower_sentence_start_frac=0.75>0.5",
    ]
    assert keep_document(signals, replace(CFG, filters=()), "en") == (True, None)


def test_a_null_threshold_switches_one_rule_off():
    cfg = replace(CFG, gopher_min_words=None)
    assert keep_document({"word_count": 10, "mean_word_length": 2.5}, cfg, "en") == (
        False, "gopher_quality:mean_word_length=2.5<3")


@pytest.mark.parametrize(
    "change,message",
    [
        ({"filters": ("gopher",)}, "quality.filters: unknown filter 'gopher'"),
        ({"gopher_max_top_ngram_char_frac": (0.2,)}, "quality.gopher_max_top_ngram_char_frac: expected 3 values"),
        ({"gopher_max_dup_ngram_char_frac": (0.1,)}, "quality.gopher_max_dup_ngram_char_frac: expected 6 values"),
        ({"prose_page_exempt_rules": ("fineweb_quality:lines",)},
         "quality.prose_page_exempt_rules: unknown rule 'fineweb_quality:lines'"),
    ],
)
def test_config_errors_name_the_key(change, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(")):
        QualityConfig(**change)


# --- filters on real-looking pages ---------------------------------------------------------------

BRIEF = (
    "The city council approved a new budget on Tuesday after a debate that lasted more than four hours.\n\n"
    "The plan raises spending on schools by 4 percent and cuts the road repair fund. "
    "Council member Ana Ruiz said the vote was close but fair.\n\n"
    "The mayor is expected to sign it this week. Opponents have said they will try to change it next year."
)
RESULTS = (
    "Voters in the northern district chose a new representative on Sunday, with turnout of 61 percent.\n"
    "The official results, published by the election office on Monday morning, were as follows:\n"
    "Maria Lopez (Green Party): 12,408 votes, 41.2 percent\n"
    "Daniel Weber (Liberal Party): 9,877 votes, 32.8 percent\n"
    "Sofia Brandt (Labour Party): 5,310 votes, 17.6 percent\n"
    "Peter Olsen (independent): 2,519 votes, 8.4 percent\n"
    "Lopez, a former teacher, will take her seat in parliament next month. She thanked her volunteers "
    "and said her first priority would be the closure of the regional hospital.\n"
    "Weber conceded defeat on Sunday night and congratulated his rival. He said the party would learn "
    "from the result and come back stronger at the next general election."
)
SCORES = (
    "Saturday's matches in the first division ended with a surprise at the top of the table.\n"
    "The leaders lost at home for the first time this season, while their closest rivals won easily.\n"
    "Results:\n"
    "Arsenal 2-1 Chelsea\n"
    "Leeds 0-3 Everton\n"
    "Fulham 1-1 Brentford\n"
    "Wolves 2-0 Burnley\n"
    "The coach of the leaders said his team had played badly and deserved to lose the match.\n"
    "Next weekend the two top teams meet in what could be the deciding game of the season.\n"
    "Tickets for that match sold out within an hour, the club said on its website on Sunday."
)
CHINESE = (
    "北京市政府周二宣布，将在明年投入更多资金用于改善公共交通系统。\n"
    "根据计划，地铁网络将新增三条线路，覆盖城市东部和南部的新建住宅区。\n"
    "官员表示，新线路预计在三年内完工，届时每天可多运送约一百万名乘客。\n"
    "一些市民对此表示欢迎，但也有人担心施工期间会加剧交通拥堵。\n"
    "市政府表示，将在施工期间增加公交班次，以减少对居民出行的影响。"
)
JAPANESE = (
    "東京都は火曜日、来年度から公共交通機関への投資を大幅に増やすと発表した。\n"
    "計画によると、都内東部と南部の新しい住宅地を結ぶ三つの路線が新たに建設される。\n"
    "担当者は、新路線は三年以内に完成し、一日あたり約百万人の利用者を見込んでいると述べた。\n"
    "住民の多くは計画を歓迎しているが、工事中の渋滞を心配する声もある。"
)
THAI = (
    "กรุงเทพมหานครประกาศเมื่อวันอังคารว่าจะเพิ่มงบประมาณสำหรับระบบขนส่งสาธารณะในปีหน้า\n"
    "ตามแผนดังกล่าว จะมีการสร้างรถไฟฟ้าสายใหม่สามสายเพื่อเชื่อมต่อพื้นที่อยู่อาศัยทางตะวันออกและทางใต้\n"
    "เจ้าหน้าที่กล่าวว่าโครงการนี้คาดว่าจะแล้วเสร็จภายในสามปี และจะรองรับผู้โดยสารได้เพิ่มขึ้นวันละหนึ่งล้านคน\n"
    "ประชาชนจำนวนมากยินดีกับแผนนี้ แต่บางส่วนกังวลเรื่องการจราจรติดขัดระหว่างการก่อสร้าง"
)
KOREAN = (
    "서울시는 화요일 내년부터 대중교통에 대한 투자를 크게 늘리겠다고 발표했다. "
    "계획에 따르면 동부와 남부의 새 주거 지역을 잇는 지하철 노선 세 개가 새로 건설된다.\n\n"
    "시 관계자는 새 노선이 3년 안에 완공되면 하루 약 100만 명의 승객을 더 수송할 수 있을 것이라고 말했다. "
    "많은 시민들은 계획을 환영했지만 공사 기간 동안 교통 체증이 심해질 것을 걱정하는 목소리도 있다.\n\n"
    "시는 공사 기간에 버스 운행을 늘려 시민들의 불편을 줄이겠다고 밝혔다. "
    "이번 계획은 시의회의 승인을 거쳐 내년 봄부터 본격적으로 추진될 예정이다. "
    "야당은 예산 규모가 지나치게 크다며 재검토를 요구했다."
)
HINDI = (
    "दिल्ली सरकार ने मंगलवार को घोषणा की कि अगले साल से सार्वजनिक परिवहन पर खर्च बढ़ाया जाएगा। "
    "योजना के अनुसार शहर के पूर्वी और दक्षिणी हिस्सों में तीन नई मेट्रो लाइनें बनाई जाएंगी।\n"
    "अधिकारियों ने कहा कि नई लाइनें तीन साल में पूरी हो जाएंगी और रोज़ लगभग दस लाख यात्रियों को ले जाएंगी। "
    "कई नागरिकों ने इस योजना का स्वागत किया है।\n"
    "लेकिन कुछ लोगों को निर्माण के दौरान ट्रैफिक जाम बढ़ने की चिंता है। "
    "सरकार ने कहा कि इस दौरान बसों की संख्या बढ़ाई जाएगी ताकि लोगों को परेशानी न हो।"
)
RUSSIAN = (
    "Правительство Москвы во вторник объявило, что в следующем году увеличит расходы на общественный транспорт. "
    "Согласно плану, в восточной и южной частях города построят три новые линии метро.\n\n"
    "Чиновники заявили, что новые линии будут готовы через три года и смогут ежедневно перевозить около миллиона "
    "пассажиров. Многие жители приветствовали этот план.\n\n"
    "Однако некоторые опасаются, что во время строительства пробки станут ещё сильнее. "
    "В мэрии пообещали на это время увеличить число автобусов на городских маршрутах."
)


@pytest.mark.parametrize(
    "name,text,language",
    [
        ("short news brief", BRIEF, "en"),
        ("election results list", RESULTS, "en"),
        ("football scores list", SCORES, "en"),
        ("Chinese", CHINESE, "zh-cn"),
        ("Chinese, language undetermined", CHINESE, "und"),
        ("Japanese", JAPANESE, "ja"),
        ("Thai (no sentence marks)", THAI, "th"),
        ("Korean", KOREAN, "ko"),
        ("Hindi (danda)", HINDI, "hi"),
        ("Russian", RUSSIAN, "ru"),
    ],
)
def test_look_alike_news_is_kept_by_every_filter(name, text, language):
    assert keep_document(score_document(text, language), CFG, language) == (True, None), name


NAV = "\n".join(["Home", "World", "Politics", "Business", "Sport", "Culture", "Opinion", "Video"])
JUNK = [
    # keyword spam: one phrase 20 times; no stop word of the list
    ("keyword spam", " ".join(["cheap shoes online buy cheap shoes best sale discount shoes"] * 20), GOPHER_QUALITY,
     "gopher_quality:stop_word_count=0<2"),
    ("hashtag list", "\n".join(f"#travel #photo #sunset #beach{i} #summer #instagood #love #nature" for i in range(10)),
     GOPHER_QUALITY, "gopher_quality:hash_word_ratio=1>0.1"),
    ("table of numbers", "\n".join(f"{2000 + i} {i * 17 % 89} {i * 31 % 97}.5 {i * 7 % 13} 12.{i}% +{i}" for i in range(30)),
     GOPHER_QUALITY, "gopher_quality:mean_word_length=2.8833<3"),  # alpha_word_frac=0 fires too
    ("repeated paragraph", "\n\n".join([BRIEF.split("\n\n")[0]] * 6 + [BRIEF]), GOPHER_REPETITION,
     "gopher_repetition:dup_para_frac=0.6667>0.3"),
    ("lorem ipsum template", BRIEF + "\n\nLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.",
     C4_QUALITY, "c4_quality:c4_lorem_ipsum_lines=1>0"),
    ("code", BRIEF + "\nfunction render(items) {\n  return items.map(i => i.name);\n}\n"
     "Call render(items) { return items; } on every update.", C4_QUALITY, "c4_quality:c4_curly_brace_lines=1>0"),
    ("too short", "The council met on Tuesday. It approved the budget.", C4_QUALITY, "c4_quality:c4_sentence_count=2<3"),
    ("navigation page", NAV + "\nSign in\nSubscribe to our newsletter today.\n" + NAV.replace("\n", " | "),
     FINEWEB_QUALITY, "fineweb_quality:line_punct_ratio=0.0909<=0.12"),
]


@pytest.mark.parametrize("name,text,filter_name,detail", JUNK, ids=[j[0] for j in JUNK])
def test_junk_is_rejected_by_its_filter_alone(name, text, filter_name, detail):
    cfg = replace(CFG, filters=(filter_name,))
    assert keep_document(score_document(text, "en"), cfg, "en") == (False, detail)


# --- the stage's decision ------------------------------------------------------------------------


def _doc(text: str, language: str = "en") -> Document:
    return Document(id="d", text=text, source="s", source_format="text", language=language)


def test_assess_quality_keeps_with_signals_or_rejects_with_reason():
    kept = assess_quality(_doc(BRIEF), CFG)
    assert isinstance(kept, Document) and kept.signals == score_document(BRIEF, "en")
    rejected = assess_quality(_doc("Breaking: more soon."), CFG)
    assert isinstance(rejected, Rejection)
    assert (rejected.reason, rejected.detail, rejected.stage) == (
        Reason.GOPHER_QUALITY, "gopher_quality:word_count=3<50", "quality")
    assert rejected.doc.signals["word_count"] == 3


def test_annotate_only_keeps_everything_with_the_same_signals():
    doc = assess_quality(_doc("Breaking: more soon."), replace(CFG, annotate_only=True))
    assert isinstance(doc, Document) and doc.signals["word_count"] == 3


def test_an_unspaced_stub_is_rejected_on_characters():
    assert keep_document(score_document("点击查看更多新闻。", "zh-cn"), CFG, "zh-cn") == (
        False, "gopher_quality:unspaced_char_count=9<80")


# --- the length rule taken before language identification -------------------------------------


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Breaking: more soon.", True),  # 3 words, 17 non-space characters
        ("点击查看更多新闻。", True),  # 9 characters: short on either reading
        ("word " * 49, False),  # 49 words, but 196 characters: enough if langdetect called it Chinese
        ("点" * 79, True),
        ("点" * 80, False),  # ... 80 unspaced characters are enough if the text is Chinese
        ("a " * 49 + "b c", False),  # 51 one-letter words: enough if it is spaced
        ("Meet the team. " * 20, False),  # long enough on both readings: judged after language
    ],
)
def test_certainly_too_short_means_short_on_both_readings(text, expected):
    assert certainly_too_short(text, CFG) is expected


@pytest.mark.parametrize(
    "change", [{"annotate_only": True}, {"filters": (C4_QUALITY,)}, {"gopher_min_words": None}, {"gopher_min_unspaced_chars": None}]
)
def test_no_early_rejection_when_the_length_rule_cannot_reject(change):
    assert certainly_too_short("Breaking: more soon.", replace(CFG, **change)) is False


@pytest.mark.parametrize("language", ["en", "de", "zh-cn", "ja", "ko", "th", ""])
def test_an_early_rejection_is_the_one_the_quality_stage_gives(language):
    # whatever language detection would have found, the quality stage rejects a stub for its length
    for text in ("Breaking: the council approved the budget. More soon.", "点击查看更多新闻。", "Photo: AP"):
        early = reject_if_too_short(_doc(text, ""), CFG)
        late = assess_quality(_doc(text, language), CFG)
        assert isinstance(early, Rejection) and isinstance(late, Rejection)
        assert (early.reason, early.stage) == (late.reason, late.stage) == (Reason.GOPHER_QUALITY, "quality")
        assert early.detail.split("=")[0] in ("gopher_quality:word_count", "gopher_quality:unspaced_char_count")
    early = reject_if_too_short(_doc("Breaking: the council approved the budget. More soon.", ""), CFG)
    assert (early.detail, early.doc.language, early.doc.signals["word_count"]) == ("gopher_quality:word_count=8<50", "", 8)


def test_a_long_enough_document_passes_the_early_check_untouched():
    doc = _doc(BRIEF, "")
    assert reject_if_too_short(doc, CFG) is doc


# --- our departures from the published rules: the real article each one keeps, the junk it still rejects


INTERVIEW = (
    "The chef who opened the busiest restaurant in town this year answered our questions about food and family.\n"
    "Q:\nWhat inspired the menu this year?\nA:\nThe market, mostly, and my grandmother's recipes from the north.\n"
    "Q:\nWill you open a second place?\nA:\nNot before next spring, I think, because the team is still small.\n"
    "Q:\nWhat do you cook at home?\nA:\nSoup. Every day, even in summer, and the children love it too.\n"
    "Q:\nAny advice for young cooks?\nA:\nTaste everything twice and never stop asking the older cooks questions."
)


def test_repeated_labels_are_not_duplicates_but_repeated_content_is():
    # 6 of 17 lines repeat "Q:" / "A:": Gopher's 0.35 > 0.3 would reject the interview
    assert score_document(INTERVIEW, "en")["dup_line_frac"] == 0.0
    assert keep_document(score_document(INTERVIEW, "en"), CFG, "en") == (True, None)
    gopher = replace(CFG, dup_min_chars=0)
    assert keep_document(score_document(INTERVIEW, "en", gopher), gopher, "en") == (
        False, "gopher_repetition:dup_line_frac=0.3529>0.3")
    # a scraper looping over the same 3 lines: still rejected (8 of 15 lines: the 4 repeats of "Q:"
    # do not count; the question's do, since the same line follows it each time: a loop)
    looped = "\n".join(INTERVIEW.split("\n")[:3] * 5)
    assert keep_document(score_document(looped, "en"), CFG, "en") == (
        False, "gopher_repetition:dup_line_frac=0.5333>0.3")


# A real article that is a list of facts: a training plan (a week's days and sessions, repeated with
# small changes)
PLAN_INTRO = (
    "Training for a first marathon takes about four months, and the weeks before the first long run matter most. "
    "This plan is built for beginners who can already run for thirty minutes without stopping and want to finish the race in good health.",
    "Each week mixes easy runs, one longer run and rest days, so that muscles, tendons and joints have time to adapt to the growing distance. "
    "If a week feels too hard, repeat it before moving on, because skipping ahead is the most common cause of injury.",
    "Warm up before every session with five minutes of walking and a few drills, and cool down afterwards with gentle stretching. "
    "Drink regularly on runs longer than an hour, and try your race-day breakfast during the long runs of the last month.",
    "The schedule below lists every day of the first weeks. Easy runs should feel comfortable enough to hold a conversation. "
    "Long runs are run slower still, at a pace you could keep for twice the distance, and they grow by ten minutes a fortnight.",
    "Rest days are part of the plan, not a break from it: the body gets stronger while it recovers, not while it runs. "
    "Sleep well, eat enough, and see a doctor about any pain that lasts more than a few days or that gets worse as you run.",
)
PLAN_WEEK = ["Monday", "Rest or gentle walk", "Tuesday", "Run Easy 30 min", "Wednesday", "Cross training 40 min",
        "Thursday", "Run Easy 30 min", "Friday", "Rest or gentle walk", "Saturday", "Long run 60 min", "Sunday", "Run Easy 30 min"]
def training_plan(weeks: int = 3) -> str:
    lines = list(PLAN_INTRO)
    for w in range(1, weeks + 1):
        lines.append(f"Week {w}")
        lines += PLAN_WEEK
    return "\n".join(lines)

def test_ngrams_do_not_run_across_lines():
    # Read as one run of words, the plan's short lines string into 5-grams ("Tuesday Run Easy 30
    # min") that repeat every week: 0.17 of its characters, over Gopher's 0.15. No line of 5
    # words or more repeats, so no n-gram does.
    signals = score_document(training_plan(), "en")
    assert (signals["dup_5gram_char_frac"], signals["dup_line_frac"]) == (0.0, 0.0)
    assert keep_document(signals, CFG, "en") == (True, None)
    # a repeated line of 5 words or more still repeats its n-grams, and a looped page still goes
    looped = "\n".join([*PLAN_INTRO[:2]] * 4)
    assert keep_document(score_document(looped, "en"), CFG, "en") == (False, "gopher_repetition:dup_line_frac=0.75>0.3")
    assert score_document(looped, "en")["dup_5gram_char_frac"] == 0.599083


def test_hard_wrapped_text_is_judged_on_its_paragraphs():
    article = "\n".join(PLAN_INTRO)
    wrapped = "\n\n".join(textwrap.fill(p, 72) for p in article.split("\n"))
    one, other = score_document(article, "en"), score_document(wrapped, "en")
    # the line signals of C4 and FineWeb read the paragraphs, whichever way they were laid out
    same = ("c4_sentence_count", "c4_terminal_punct_line_frac", "line_punct_ratio", "short_line_ratio",
            "prose_line_count", "prose_char_frac", "dup_5gram_char_frac")
    assert {k: other[k] for k in same} == {k: one[k] for k in same}
    assert other["line_count"] == 20 and one["line_count"] == 5  # the lines themselves are still lines
    # a list is not a wrap: its short items stay units of their own
    listed = "Packing list\n\n" + "\n".join(PLAN_WEEK) + "\n\n" + PLAN_INTRO[0]
    assert score_document(listed, "en")["short_line_ratio"] == score_document(listed.replace("\n\n", "\n"), "en")["short_line_ratio"]


def test_lines_of_invisible_characters_are_blank():
    text = BRIEF.replace("\n\n", "\n\u200b\n\ufeff\n")  # zero-width spaces and BOMs between paragraphs
    signals = score_document(text, "en")
    assert (signals["line_count"], signals["dup_line_frac"], signals["dup_para_frac"]) == (3, 0.0, 0.0)


TRUNCATED = (
    "Gaming used to be so simple. We would buy a game, sit down in front of a console or PC, grind our way to "
    "the end, then repeat.\n\nNow we spend money over and over on virtual perks. We play on phones and tablets "
    "while socializing with far-flung friends, and there is no end, because developers keep updating their "
    "biggest hits.\n\nAll..."
)


def test_a_body_cut_off_once_is_kept_a_page_of_teasers_is_not():
    assert score_document(TRUNCATED, "en")["ellipsis_line_frac"] == 0.0  # the last line is not counted
    assert keep_document(score_document(TRUNCATED, "en"), CFG, "en") == (True, None)
    teasers = "\n".join(p[:60] + "..." for p in (BRIEF + "\n\n" + RUSSIAN).split("\n\n"))
    assert score_document(teasers, "en")["ellipsis_line_frac"] == 0.833333  # 5 of 6, the last left out


@pytest.mark.parametrize(
    "line,brace_lines",
    [
        ("Meditate in any pose {unless lying down makes you fall asleep!} that works for you.", 0),
        ('Count each breath: "One" {in-breath}, "One" {out-breath}, and so on.', 0),
        ("My marketing goals are {detailed list of goals} and my budget is small.", 0),
        ("Call render(items) { return items; } on every update.", 1),  # padded, holds ;
        ("Set the rule .menu{color:red} in the stylesheet.", 1),  # after a name, holds :
        ("Match two digits with [0-9]{2} in the pattern.", 1),  # starts with a digit
        ("The template uses {{ name }} here.", 1),
    ],
)
def test_braced_asides_of_words_are_prose_code_braces_count(line, brace_lines):
    assert score_document(line, "en")["c4_curly_brace_lines"] == brace_lines


FLATTENED = (
    "The son of the former president was stabbed to death on Tuesday, while another man was critically injured "
    "trying to stop the attacker, the police said.The stabbing occurred during a lecture at a Berlin clinic where "
    "he worked as a chief physician. Police arrested a 57-year-old man at the scene and an investigation has been "
    "opened. Officers said the motive was not yet known. Read more at our partner site"
)


def test_a_one_line_article_is_judged_by_its_sentences():
    # C4 would drop the only line (no end mark) and FineWeb would see 0 of 1 lines punctuated;
    # its 4 finished sentences count (one whose space was lost: "said.The"), and 4 of its 5
    # sentences end in a mark
    signals = score_document(FLATTENED, "en")
    assert (signals["line_count"], signals["c4_sentence_count"], signals["line_punct_ratio"], signals["short_line_ratio"]) == (
        1, 4, 0.8, 0.2)
    assert keep_document(signals, CFG, "en") == (True, None)
    # a menu flattened to one line has no sentence and no end mark
    menu = " ".join(["Home News World Politics Business Tech Science Sport Culture Opinion Video Sign in"] * 5)
    signals = score_document(menu, "en")
    assert (signals["c4_sentence_count"], signals["line_punct_ratio"]) == (0, 0.0)
    assert keep_document(signals, replace(CFG, filters=(FINEWEB_QUALITY,)), "en") == (
        False, "fineweb_quality:line_punct_ratio=0<=0.12")


def test_an_unpunctuated_paragraph_counts_its_finished_sentences():
    text = ("Chelsea paid the fee this morning. The keeper flew to London last night. He will sign today\n"
            "Transfer news\n"
            "The club hopes to announce the deal later today.")
    assert score_document(text, "en")["c4_sentence_count"] == 3  # 2 on line 1, none on the heading, 1 on line 3


MARKET = (
    "Shares of the company rose 4 percent on Monday after it reported better results than expected. Analysts said "
    "demand in Asia was strong, while costs fell. The chief executive told investors the outlook remained "
    "uncertain.\nSee the filing at example.com/filings. Revenue vs. last year rose. The stock, vs. its peers, did "
    "well. Trading was heavy. Most analysts kept their ratings."
)
# MARKET's words shuffled (seeded), each half closed by a full stop: word lengths, stop words and
# end marks are those of the article
SALAD = (
    "The ratings. while after the 4 demand year vs. strong, kept fell. in it company reported told filing expected. "
    "See Trading was Revenue The uncertain. was better did their remained.\nexample.com/filings. outlook last Asia "
    "rose. than said peers, Shares at chief stock, of analysts percent results costs vs. investors executive Most "
    "the on Analysts rose its well. heavy. the Monday."
)


@pytest.mark.parametrize(
    "text,counts",
    [
        (MARKET, (0, 6)),  # "vs. last" (abbreviation) and "example.com" (address) are not sentence starts
        (SALAD, (6, 7)),
        ("He won. she lost. They left! and then? Nothing.", (2, 4)),
        ('"Help!" she said. "Run!" he shouted.', (0, 1)),  # speech goes on after a closing quote
        ("The U.S. team won. e.g. this one.", (0, 0)),  # single letters before the mark
        ("Apple Inc. said it would. Sales rose 5 percent vs. last year. Shares fell.", (0, 2)),  # abbreviations
        # Georgian letters are lower case in Unicode, but Georgian never capitalises a sentence
        ("თბილისში წვიმს. ხვალ მზე იქნება. ქალაქი მშვიდია.", (0, 0)),
    ],
)
def test_lower_sentence_starts(text, counts):
    assert lower_sentence_starts(text) == counts


def test_word_salad_is_rejected_the_article_it_came_from_is_kept():
    assert keep_document(score_document(SALAD, "en"), replace(CFG, filters=(PROSE_QUALITY,)), "en") == (
        False, "prose_quality:lower_sentence_start_frac=0.8571>0.5")
    assert score_document(MARKET, "en")["lower_sentence_start_frac"] == 0.0
    # too few cased sentence starts to judge, or no letter case: the signal is absent
    assert "lower_sentence_start_frac" not in score_document("He won. she lost. They left! and then? Nothing.", "en")
    assert "lower_sentence_start_frac" not in score_document(HINDI, "hi")


def test_no_cased_sentence_start_has_no_share_whatever_the_minimum():
    # hostile round 30: with quality.prose_min_sentence_starts=0 (in its range) a text without a
    # cased sentence start ("hi", digits, a text in a script without case) divided by zero: the
    # document failed with ZeroDivisionError, at the quality stage's length rule and at the filters
    cfg = replace(CFG, prose_min_sentence_starts=0)
    for text in ("hi", "12 34 56", "თბილისში წვიმს. ხვალ მზე იქნება."):
        assert "lower_sentence_start_frac" not in score_document(text, "en", cfg)
    assert score_document("He won. she lost. They left! and then? Nothing.", "en", cfg)["lower_sentence_start_frac"] == 0.5

TIPS = (
    "Online classes can be hard at first, so here is what helped our students most.\n"
    "- Go to class. Treat your online class like a regular class and schedule time for it.\n"
    "- Know how to get help. Learn the system your college uses before the first week.\n"
    "- Communication is key. Speak up and tell your instructor when you have questions.\n"
    "- Read the syllabus and then read it again, because every deadline is in it.\n"
    "- Give yourself plenty of time. Computers crash and internet connections go down.\n"
    "- Do your own work. Copying someone else's words will not teach you anything."
)


def test_bullets_of_prose_are_not_a_bullet_list_menus_are():
    assert score_document(TIPS, "en")["bullet_line_frac"] == 0.0  # every item ends in a full stop
    assert keep_document(score_document(TIPS, "en"), CFG, "en") == (True, None)
    menu = "\n".join(f"- {item} section" for item in ["Home", "World", "Politics", "Business", "Sport"] * 4)
    assert score_document(menu, "en")["bullet_line_frac"] == 1.0
    cfg = replace(CFG, gopher_min_words=None)
    assert keep_document(score_document(menu, "en"), cfg, "en") == (False, "gopher_quality:bullet_line_frac=1>0.9")


def test_a_table_row_ends_before_its_closing_bar():
    # a page laid out in a table: each paragraph a row "| ... |" (trafilatura's table form)
    layout = "\n".join(f"| {p} |" for p in BRIEF.split("\n\n"))
    signals = score_document(layout, "en")
    assert (signals["line_punct_ratio"], signals["c4_sentence_count"]) == (1.0, 5)
    # a table of data still has no finished sentence on any row
    data = "| Team | Played | Points |\n| Arsenal | 12 | 28 |\n| Chelsea | 12 | 25 |\n| Everton | 12 | 19 |"
    assert score_document(data, "en")["line_punct_ratio"] == 0.0


# --- prose pages: list articles, reports around a table, tutorials with a line of code ------------

# A buying guide: prose paragraphs, each followed by its list of short items (FineWeb's short lines)
GUIDE = """Electricians need specialist tools to do their job safely, so their kit should hold insulated hand tools.
Below, we review the tools we consider the best for the trade, with what each costs and where to buy it.
1. Pliers
Pliers are a staple on any electrician's belt. They are mainly used to cut, grip and bend wire.
- Plan to spend: $15-$70
- Buying options:
- Amazon (Craftsman)
- Home Depot (Milwaukee)
2. Wire strippers
Strippers take the insulation off a wire without nicking the copper inside, which pliers cannot do well.
- Plan to spend: $10-$40
- Buying options:
- Amazon (Klein Tools)
- Home Depot (Dewalt)
3. Voltage tester
A non-contact tester tells you whether a wire is live before you touch it, and every kit needs one.
- Plan to spend: $20-$60
- Buying options:
- Amazon (Fluke)"""
# A housing report: five sentences of prose around a table of monthly figures (rows of no words)
TABLE_ROWS = "\n".join(f"{m}/1/2024 +{c}%" for m, c in zip(range(1, 13), (4.1, 4.4, 5.0, 5.3, 4.9, 4.2, 3.8, 3.1, 3.4, 3.9, 4.0, 4.6)))
REPORT = """Home prices rose again in March, the third monthly gain in a row, according to the latest county data.
The median sale price reached a record in four of the ten largest metro areas, while sales volumes stayed low.
Economists said higher mortgage rates have kept many owners from listing their homes for sale.
The table below lists the median price change from a year earlier for each month of the past year.
Prices in the smaller metro areas rose faster than in the large ones, the data show.
Month Change
""" + TABLE_ROWS
# A tutorial with code inside its sentences
TUTORIAL = """Zig's standard library changes often, and its documentation lags behind the code.
The language reference covers the syntax well, but the library pages are mostly generated signatures.
To print a value you call std.debug.print("{}", .{x}), which surprises people coming from C.
Anonymous struct literals like .{} are everywhere, so it pays to learn how they coerce to tuples.
Once that clicks, reading other people's Zig code becomes much easier.
The compiler's error messages help too, since they point at the exact argument that failed to coerce."""
NO_EXEMPTION = replace(CFG, prose_page_min_lines=None, list_page_min_lede_lines=None)


def test_prose_lines_and_their_share_of_the_characters():
    # prose: the 2 lines C4 keeps (end mark, >= 3 words); "Go now." has 2 words; the rows of
    # figures or symbols "12 14 9 31" and "$$" are left out of the denominator; the headings
    # (one with a number) and the list item count against
    text = ("The vote was close. Both sides claimed it.\nResults\n12 14 9 31\n$$\nWard 12 results\n- Turnout by ward\n"
            "Go now.\nCounting ends at noon.")
    signals = score_document(text, "en")
    assert (signals["prose_line_count"], signals["prose_char_frac"]) == (
        2, round((42 + 22) / (42 + 7 + 15 + 17 + 7 + 22), 6))
    # Thai and Lao sentences end without a mark: no prose line can be told, the signals are absent
    assert "prose_line_count" not in score_document("กรุงเทพ วันนี้ ฝนตก หนัก มาก", "th")


@pytest.mark.parametrize(
    "name,text,signals,published",
    [
        ("list article", GUIDE, {"prose_line_count": 5, "prose_char_frac": 0.653351, "short_line_ratio": 0.736842},
         "fineweb_quality:short_line_ratio=0.7368>=0.67"),
        ("report around a table", REPORT, {"prose_line_count": 5, "prose_char_frac": 0.976, "alpha_word_frac": 0.791304},
         "gopher_quality:alpha_word_frac=0.7913<0.8"),
        ("tutorial with code", TUTORIAL, {"prose_line_count": 6, "prose_char_frac": 1.0, "c4_curly_brace_lines": 2},
         "c4_quality:c4_curly_brace_lines=2>0"),
    ],
)
def test_a_prose_page_is_exempt_from_the_rules_for_pages_that_are_not_prose(name, text, signals, published):
    scored = score_document(text, "en")
    assert {k: scored[k] for k in signals} == signals
    assert keep_document(scored, CFG, "en") == (True, None)
    # the published rules (the exemption off) reject it
    assert keep_document(scored, NO_EXEMPTION, "en") == (False, published)


@pytest.mark.parametrize(
    "name,text,detail",
    [
        # the guide's lists without its prose: a shop's menu with one call to action (4 prose lines)
        ("menu with a call to action",
         "\n".join(line for line in GUIDE.split("\n") if not line.endswith(".")) + "\nOrder today. Call us now.\n"
         "Free delivery on every order over fifty dollars.\nWe ship to every state in the country.\n"
         "Our experts answer the phone every day.",
         "fineweb_quality:short_line_ratio=0.8333>=0.67"),
        # the report's table with one sentence: rows of figures, not a report
        ("table with one sentence", "Monthly median price change, year on year, for the county.\nMonth Change\n"
         + TABLE_ROWS + "\n" + TABLE_ROWS.replace("2024", "2023") + "\n" + TABLE_ROWS.replace("2024", "2022"),
         "gopher_quality:alpha_word_frac=0.1429<0.8"),
        # a script dump after one long paragraph: prose holds most characters, but on 1 line, so the
        # tutorial's braces count (the benchmark's code junk)
        ("code after a paragraph", TUTORIAL.replace("\n", " ") + "\n" + "\n".join(
            ["(function () {", "  var slots = ['top', 'side'];", "  for (var i = 0; i < slots.length; i++) {",
             "    load(slots[i]);", "  }", "})();", ".share a:hover { color: #c00; }"]),
         "c4_quality:c4_curly_brace_lines=1>0"),
    ],
)
def test_pages_without_enough_prose_are_still_rejected(name, text, detail):
    assert keep_document(score_document(text, "en"), CFG, "en") == (False, detail)


# A shop's category page: its write-up in two long paragraphs (fewer than 5 prose lines), then
# its own list of categories, or the same write-up over a site's menu
SHOP = """Experience iconic comfort with Crocs Classic Clogs at our store! These timeless favorites redefine casual footwear. You can find Crocs Clogs in just about every color, so your footwear feels fantastic and goes with any outfit. As your go-to Crocs store, we carry the latest styles and colors of Crocs Classic Clogs.
It's no secret why Crocs shoes have an enduring appeal: they offer comfort and ease of wear for every member of the family. Whether you like the timeless style of black Crocs or a clean look with white Crocs, our selection has the pair for your style. Find your new favorite pair of Crocs Clogs today."""
SHOP_LIST = ["Shop Crocs by Category", "Sale Crocs", "Women's Crocs", "Men's Crocs", "Boys' Crocs", "Girls' Crocs",
             "Fuzzy Crocs", "Crocs Clogs", "Crocs Sandals", "Crocs Slides"]
SITE_MENU = ["Home", "Sign in", "Track my order", "Gift cards", "Store locator", "Help", "About us", "Careers",
             "Privacy policy", "Terms of use"]
BY_LINES = replace(CFG, prose_page_min_sentences=None)


def test_the_list_topic_is_the_share_of_the_other_lines_that_share_the_prose_words():
    # 2 of the 4 lines besides the prose share a word of 4+ letters with it (case-folded); "Home"
    # does not, nor do words of 3 letters ("Our", "Day")
    text = "Our shoes are made by hand in Maine. Each pair takes a day. They last for years.\nShoes\nHand-made SHOES\nHome\nOur Day"
    lines = text.split("\n")
    other = lines[1:]
    assert list_topic_frac(lines[:1], other) == 0.5
    assert list_topic_frac(lines[:1], []) == 1.0  # no list to judge
    assert score_document(text, "en")["list_topic_frac"] == 0.5
    # read only where the prose-page test can ask for it: on a page of 5 prose lines it is absent
    assert "list_topic_frac" not in score_document(REPORT, "en")
    assert "list_topic_frac" not in score_document(text, "en", BY_LINES)


@pytest.mark.parametrize(
    "name,lines,detail,by_lines",
    [
        # its own categories under its write-up: kept; by prose lines alone (2) FineWeb's rule rejects
        ("the shop's own categories", SHOP_LIST, None, "fineweb_quality:short_line_ratio=0.8333>=0.67"),
        # the same write-up over a site's menu: no word shared, the short lines reject it
        ("a site's menu", SITE_MENU, "fineweb_quality:short_line_ratio=0.8333>=0.67", None),
    ],
)
def test_a_page_carried_by_long_paragraphs_is_prose_when_its_list_shares_their_words(name, lines, detail, by_lines):
    signals = score_document(SHOP + "\n" + "\n".join(lines), "en")
    assert (signals["prose_line_count"], signals["c4_sentence_count"]) == (2, 7)
    assert keep_document(signals, CFG, "en") == ((True, None) if detail is None else (False, detail))
    assert keep_document(signals, BY_LINES, "en") == (False, by_lines or detail)


def test_the_sentence_route_takes_no_page_with_code_nor_repeated_ngrams():
    # the shop's write-up over a script: code is a tutorial's only on a prose page of 5 lines
    script = ["(function () {", "  var slots = ['top', 'side'];", "  for (var i = 0; i < slots.length; i++) {",
              "    load(slots[i]);", "  }", "})();"]
    signals = score_document(SHOP + "\n" + "\n".join(script), "en")
    assert signals["code_line_count"] > 0 and not is_prose_page(signals, CFG)
    # n-grams repeated without a repeated line are excused only on 5 prose lines: in a text of a
    # few paragraphs the repeat is most of it (a doorway page's two copies)
    few = {"prose_line_count": 2, "prose_char_frac": 0.9, "c4_sentence_count": 12, "list_topic_frac": 1.0,
           "code_line_count": 0, "dup_line_frac": 0, "dup_para_frac": 0, "top_5gram_unit_frac": 0.1}
    assert is_prose_page(few, CFG) and not uncorroborated_repetition(few, 0.2, CFG)
    assert uncorroborated_repetition(few | {"prose_line_count": 5}, 0.2, CFG)


TRANSFER = (
    "Chelsea have this morning paid the 71.6 million pound fee to the Spanish league to secure the world record "
    "signing of Athletic Bilbao keeper Kepa Arrizabalaga\n"
    "This has freed the 38 million pound move of Thibaut Courtois to Real Madrid\n"
    "Kepa Arrizabalaga will undergo a medical at Stamford Bridge today ahead of a move which will make him the "
    "most expensive keeper in history.\n"
    "The 23-year-old flew to London yesterday evening and will spend the day completing the formalities."
)


def test_a_long_line_that_lost_its_full_stop_is_a_sentence_a_heading_is_not():
    # line 1 (28 words) lost its full stop and counts; line 2 (14 words) could be a headline: not
    signals = score_document(TRANSFER, "en")
    assert (signals["c4_sentence_count"], keep_document(signals, CFG, "en")) == (3, (True, None))
    c4 = replace(CFG, c4_long_sentence_words=None)  # C4: unpunctuated lines are dropped
    assert keep_document(score_document(TRANSFER, "en", c4), c4, "en") == (False, "c4_quality:c4_sentence_count=2<3")
    # a page of headlines (<= 14 words, no end mark) and teasers cut with "..." has no sentence
    headlines = "\n".join([
        "Council approves new budget after a four hour debate on school spending and roads",
        "Storm leaves thousands without power across the north of the state on Monday",
        "Local team wins the regional title for the first time in twenty years",
        "Prices of homes in the county rose again in March, the third monthly gain in a row, "
        "according to the latest data from the county records office ...",
    ] * 3)
    assert score_document(headlines, "en")["c4_sentence_count"] == 0


def test_every_unspaced_script_character_starts_with_a_listed_utf8_byte():
    """writing_traits skips the script regex for a text without any of _NO_SPACE_FIRST_BYTES:
    every character the regex matches must begin with one of them."""
    from transforms.quality.text import _NO_SPACE_FIRST_BYTES, _NO_SPACE_SCRIPT

    firsts = {chr(c).encode("utf-8")[0] for c in range(0x80, 0x110000) if not 0xD800 <= c < 0xE000 and _NO_SPACE_SCRIPT.match(chr(c))}
    assert firsts and firsts <= set(_NO_SPACE_FIRST_BYTES)


# --- interviews, recipes and lists of facts (issue 15.5) ------------------------------------------

# An interview series: the same three questions put to each guest (speaker labels, questions repeated)
GUESTS = (
    ("Anna Berg", "baker", "I grew up above my parents' bakery, so flour was everywhere from the start.",
     "Rye bread with caraway, the way my grandmother baked it on Sundays.",
     "Keep it simple and buy good flour, because nothing else can make up for bad flour."),
    ("Tom Okafor", "chef", "A summer job washing dishes turned into twenty years in kitchens.",
     "Jollof rice, cooked slowly until the bottom of the pot turns smoky and crisp.",
     "Taste as you go, and never be afraid to throw a dish away and start again."),
    ("Lena Fischer", "food writer", "I wrote about restaurants for a student paper and never stopped.",
     "A plain omelette, which tells you everything about a cook in two minutes.",
     "Read old cookbooks, since most new ideas are old ideas that somebody forgot."),
    ("Raj Mehta", "caterer", "My first job was feeding two hundred guests at my cousin's wedding.",
     "Dal with a lot of garlic, which my children ask for every single week.",
     "Plan for twice the guests you expect, and cook the rice last so that it stays hot."),
)
INTERVIEWS = "We asked four cooks from the city the same three questions about how they started and what they eat at home.\n" + "\n".join(
    f"{name}, {role}\nQ: How did you start cooking for a living?\nA: {a}\n"
    f"Q: What is the dish you cook most often at home?\nA: {b}\nQ: What advice would you give to someone who is starting out?\nA: {c}"
    for name, role, a, b, c in GUESTS
)
# A forum thread: replies quote the post they answer ("X said:" and the quote)
POST_1 = "Is the new laptop worth the upgrade from the old model if I mostly edit photos and sometimes video?"
POST_2 = ("For photos the old one is fine, but the new one exports video about twice as fast in my tests, "
          "and the screen is brighter outdoors.")
THREAD_LINES = (
    "Photo editing laptop: upgrade or not?",
    "sam_k", "Oct 8, 2024", POST_1,
    "mira", "Oct 8, 2024", "sam_k said:", POST_1,
    "Depends on the video. If you edit once a month, keep the old one and spend the money on a good monitor instead.",
    "joe77", "Oct 9, 2024", POST_2,
    "sam_k", "Oct 9, 2024", "joe77 said:", POST_2,
    "Thanks, that is useful. I edit video every week, so the faster export would save me real time.",
    "mira", "Oct 9, 2024", "In that case go for it. Keep the old one as a backup machine for travel.",
)
THREAD = "\n".join(THREAD_LINES)
# A recipe: its ingredients and its release notes' lists are announced by a sentence
RECIPE = """Lemon drizzle cake
This is the lemon drizzle cake my grandmother made every Sunday, and it keeps well for three days in a tin.
For one loaf you will need the following:
- 225g unsalted butter, softened
- 225g caster sugar
- 4 large eggs
- 225g self-raising flour
- finely grated zest of 2 lemons
- 85g granulated sugar
- juice of 1 and a half lemons
- a pinch of salt
- 2 tbsp milk
- butter for the tin
- icing sugar to dust
- thick cream to serve
- a few mint leaves
- 1 tsp vanilla
- 50g poppy seeds
- zest of 1 orange
- 2 tbsp lemon curd
Method
Heat the oven to 180C, butter the tin and line it with paper.
Beat the butter and sugar until pale, then add the eggs one at a time.
Fold in the flour, salt, milk and zest, and bake for 45 minutes.
Pour the juice and sugar over the warm cake and serve with cream."""
# A list of facts: release notes, what a sentence announces set one item a line
RELEASE = """Version 2.4 of the editor is out today, three months after the last release.
Most of the work went into speed and into the new plugin system.
Upgrading is safe, since settings and plugins carry over.
The following changes were made to the core of the editor:
- Faster start-up on large projects
- Lower memory use when many files are open
- New command palette with fuzzy search
- Spell checking for comments and strings
- Better handling of very long lines
- Fixed crash when closing a split view
- Fixed wrong colours in the high-contrast theme
- Fixed slow scrolling on some laptops
- Fixed lost cursor after undo
- Fixed search in hidden files
- Fixed tab order in dialogs
- Fixed paste in the terminal
These plugins were updated for the new system:
- Git integration
- Markdown preview
- Terminal panel
- Remote editing over SSH
- Spreadsheet viewer
- Diagram editor
- Docker panel
- Test runner
- Task list
- Image preview
- Code lens
The following settings have new defaults:
- Auto-save after one second
- Word wrap on for Markdown
- Tabs shown as four spaces
- Trailing spaces trimmed on save
- Minimap hidden on small screens
- Telemetry off
- Bracket pairs coloured
- Font size 14
- Line numbers shown
- Indent guides shown
- Blinking cursor off
Thanks to everyone who reported bugs and tested the previews.
The next release is planned for the spring."""
# A round-up of quotes: each paragraph ends in its attribution, without an end mark
QUOTES = "\n".join(
    f"{t} – {who}" for t, who in (
        ("One of my favourite podcasts is about founders. The hosts research every story for weeks. I learn something each time.", "Ana Ruiz, CTO, Fieldwork"),
        ("I listen on the train every morning. It is the best hour of my day. The interviews are long but never dull.", "Ben Cho, head of IT, Parcelly"),
        ("This show taught me more about security than any course. The stories are real and often frightening. I recommend it to my whole team.", "Dana Wolf, CISO, Brightline"),
        ("I like the history shows most. They explain why old decisions still shape our systems. It makes me a better architect.", "Eli Haas, architect, Norden"),
        ("My team shares episodes in our chat. We discuss them on Fridays. It has become a small tradition.", "Fay Lim, engineering manager, Tallow"),
        ("Short episodes suit me best. I can finish one on a walk. The host never wastes a minute.", "Gus Meyer, CIO, Oakfield"),
    ))

# A shop's menu, its lists announced: still a menu
MENU = """Browse all of our departments below:
- Home
- Furniture
- Lighting
- Rugs
- Kitchen
- Garden
- Sale
Find out more about our company here:
- About us
- Careers
- Stores
- Contact
- Delivery
- Returns
Follow us on social media:
- Facebook
- Instagram
- Pinterest
- YouTube
- TikTok
Help and customer service for you:
- Track my order
- Gift cards
- Store finder
- Size guide
- Care guides
- Price promise
- Student discount
- Trade accounts
Sign up for our newsletter
Copyright 2025 Example Home Ltd. All rights reserved."""
# An advert posted again and again, each copy quoting the last
ADVERT = "Cheap replica watches with free shipping to every country, order today and save fifty percent"
SPAM = "\n".join(f"admin{i % 3} said:\n{ADVERT}\n{ADVERT}" for i in range(8))

GOPHER_COUNTS = replace(CFG, conversation_form=False, parallel_sections=False)


@pytest.mark.parametrize(
    "name,text,published",
    [
        # the same three questions put to four guests: 9 of 29 lines are questions asked again
        ("interview series", INTERVIEWS, "gopher_repetition:dup_line_frac=0.3103>0.3"),
        # two replies quote the posts they answer: the quotes repeat 26% of the characters
        ("forum thread with quotes", THREAD, "gopher_repetition:dup_line_char_frac=0.2576>0.2"),
    ],
)
def test_a_conversations_form_is_not_repetition(name, text, published):
    assert keep_document(score_document(text, "en"), CFG, "en") == (True, None)
    # Gopher's counts (conversation_form off) reject it
    assert keep_document(score_document(text, "en", GOPHER_COUNTS), GOPHER_COUNTS, "en") == (False, published)


def test_speaker_labels_do_not_join_ngrams():
    # two questions share their first 4 words; with its label, each line starts with the same
    # 5-gram "Q What do you think" (Gopher); the label a unit of its own, no 5-gram repeats
    text = "Q: What do you think of the new mayor?\nA: She listens.\nQ: What do you think about the new law?\nA: Too early to say."
    assert score_document(text, "en")["dup_5gram_char_frac"] == 0.0
    assert score_document(text, "en", GOPHER_COUNTS)["dup_5gram_char_frac"] == round(len("WhatdoyouthinkQ") / len(text), 6)
    # a field and its value ("SKU: 400-150-020") is no speech: a product card looped still repeats
    card = "\n".join(["$ 48.99", "SKU: 400-150-020", "Description"] * 5)
    repetition = replace(CFG, filters=(GOPHER_REPETITION,))
    assert keep_document(score_document(card, "en"), repetition, "en") == (
        False, "gopher_repetition:top_2gram_char_frac=0.3804>0.2")


def test_repeats_that_only_look_like_a_conversation_still_count():
    # an advert posted again and again, each copy "quoted": a text quoted twice is repeated
    assert keep_document(score_document(SPAM, "en"), CFG, "en") == (False, "gopher_repetition:dup_line_frac=0.5833>0.3")
    # a question looping with the same line after it each time is a loop, not an interview
    loop = "\n".join(["Why do our customers love this cream so much?", "Because it works, every time."] * 6)
    assert keep_document(score_document(loop + "\n" + THREAD, "en"), CFG, "en")[0] is False
    # "The minister said:" opens a sentence, not a quotation: a name comes before a mark in a few words
    said = "The finance minister of the state told reporters on Monday and again on Tuesday that he said: "
    text = said + POST_1 + "\n" + POST_1
    assert score_document(text, "en") == score_document(text, "en", GOPHER_COUNTS)


@pytest.mark.parametrize(
    "name,text,heading_text,published,with_headings,capitalised",
    [
        # 16 ingredients (short lines, no end mark) after "For one loaf you will need the following:";
        # under a bare heading it is kept too, since half of its items are written in lower case
        # ("finely grated zest of 2 lemons", "a pinch of salt": see the fourth round's tests);
        # capitalised, it is a page of short lines of items (its one-sentence intro is no lede)
        ("recipe", RECIPE, RECIPE.replace("For one loaf you will need the following:", "Ingredients"),
         "fineweb_quality:short_line_ratio=0.68>=0.67", None, "fineweb_quality:short_line_ratio=0.72>=0.67"),
        # release notes: three lists of changes, each announced by a sentence; under bare headings
        # too, the three sentences that open them make a lede: a list page (`lede`), capitalised or not
        ("release notes", RELEASE,
         RELEASE.replace("The following changes were made to the core of the editor:", "Core")
         .replace("These plugins were updated for the new system:", "Plugins")
         .replace("The following settings have new defaults:", "Defaults"),
         "fineweb_quality:line_punct_ratio=0.119<=0.12", None, None),
    ],
)
def test_a_list_a_sentence_announces_is_prose(name, text, heading_text, published, with_headings, capitalised):
    signals = score_document(text, "en")
    assert keep_document(signals, CFG, "en") == (True, None)
    assert keep_document(signals, NO_EXEMPTION, "en") == (False, published)  # kept as a prose page
    # the same lists under bare headings are not announced
    expected = (True, None) if with_headings is None else (False, with_headings)
    assert keep_document(score_document(heading_text, "en"), CFG, "en") == expected
    # ... and their first words capitalised
    text = re.sub(r"^- (\w)", lambda m: "- " + m.group(1).upper(), heading_text, flags=re.MULTILINE)
    assert keep_document(score_document(text, "en"), CFG, "en") == (
        (True, None) if capitalised is None else (False, capitalised))
    # without the sentences that open them, the lists under bare headings are a page of items
    if name == "release notes":
        items = "\n".join(heading_text.split("\n")[3:])
        assert keep_document(score_document(items, "en"), CFG, "en") == (False, "c4_quality:c4_sentence_count=2<3")


def test_announced_lists_do_not_make_a_menu_prose():
    # a menu whose lists are each announced has one sentence of its own: not a prose page
    signals = score_document(MENU, "en")
    assert (signals["prose_line_count"], keep_document(signals, CFG, "en")[0]) == (1, False)
    more = MENU + "\nWe deliver to every town in the country. Orders ship within two days."
    assert keep_document(score_document(more, "en"), CFG, "en") == (False, "fineweb_quality:line_punct_ratio=0.0606<=0.12")


def test_paragraphs_ending_in_an_attribution_are_prose():
    # each paragraph's sentences end in "- Name, role": no line ends in a mark (FineWeb: 0)
    signals = score_document(QUOTES, "en")
    assert (signals["line_punct_ratio"], signals["prose_line_count"]) == (0.0, 6)
    assert keep_document(signals, CFG, "en") == (True, None)
    assert keep_document(signals, NO_EXEMPTION, "en") == (False, "fineweb_quality:line_punct_ratio=0<=0.12")
    # headlines with a dash are not attributions: no finished sentence before the dash
    heads = "\n".join(["Council votes on the budget - live updates", "Storm hits the coast - what we know"] * 4)
    assert score_document(heads, "en")["prose_line_count"] == 0


def test_a_hard_wrapped_paragraph_without_blank_lines_is_one_unit():
    # an article of one paragraph wrapped at 72 columns: no blank line tells it is wrapped, but
    # every line is full (the next word would not have fitted): its lines "lacked" end marks
    wrapped = textwrap.fill(BRIEF.replace("\n\n", " "), 72)
    assert "\n\n" not in wrapped and score_document(wrapped, "en")["line_punct_ratio"] == 1.0
    # a list of headlines of similar length is not a wrap: the next first word would have fitted
    heads = ("Council approves new budget after long debate\nStorm leaves thousands without power today\n"
             "Local team wins the regional title again\nPrices of homes rose again in March")
    assert score_document(heads, "en")["line_punct_ratio"] == 0.0


# --- code and tables are read as what they are (issue 15.5, third round) ---------------------------

GIT_INTRO = (
    "Git is the version control system most teams use today, and learning it pays off quickly.\n"
    "I first used it on my own projects, then on a small team where we merged our work every day.\n"
    "Its commands are many, but a handful of them cover almost everything you will do.\n"
    "Each command below is preceded by a comment that says what it does.\n"
    "Try them in a scratch repository first, where a mistake costs nothing.\n"
)
GIT_COMMANDS = [
    "# initialize a repository", "git init", "# clone a repository", "git clone <repo url>",
    "# view the state of the repository", "git status", "# stage every modified file", "git add -A",
    "# commit the staged files with a message", "git commit -m <message>",
    "# create a branch and switch to it", "git checkout -b <branch name>",
    "# merge a branch into the current one", "git merge <branch name>", "# stash your changes", "git stash",
    "# reapply the stashed changes", "git stash pop", "# show the log", "git log",
    "# fetch the remote branches", "git fetch", "# push a branch", "git push origin <branch name>",
    "# delete a local branch", "git branch -d <branch name>", "# show the reference log", "git reflog",
    "# throw away uncommitted changes", "git reset --hard HEAD", "# revert a commit", "git revert <hash>",
    "# list the remotes", "git remote -v", "# rename a branch", "git branch -m <new name>",
    "# show who changed each line", "git blame <file>", "# tag a release", "git tag v1.0",
    "# show the changes", "git diff", "# show one commit", "git show <hash>",
]
GIT_TUTORIAL = GIT_INTRO + "\n".join(GIT_COMMANDS) + "\nEach of these commands has many options, which its manual page lists."


@pytest.mark.parametrize(
    "lines,code",
    [
        # a shell listing: comments, and the commands between them
        (["# clone the repository", "git clone <url>", "# view its state", "git status"], [0, 1, 2]),
        # SQL: clauses in capitals, and the column lines between them
        (["SELECT id,", "calls,", "FROM users", "WHERE id = 1;"], [0, 1, 2, 3]),
        # calls and statements
        (["console.log(parseLine(x))", "const [ count, setCount ] = useState ( 0 );", "}"], [0, 1, 2]),
        # prose about code ends as a sentence; menus, headings and a legend "s = slow pace" are not code
        (["The parser calls parseLine(x) on every line.", "Home", "News", "s = slow pace (your normal pace)",
          "Monday | Tuesday | Wednesday"], []),
        # a heading in capitals, a menu's arrow, a clause of a list ending in ";", a date after a full stop
        (["JOIN THE TEAM", "Read more ->", "with newsletters, bulletins, and requests for donations;",
          "conseiller du président ;", "Fallen soldiers laid to rest. (24.04.02)"], []),
        # a short statement, and one with a mark of code beside its ";"
        (["ANALYZE orders;", "CREATE INDEX idx_users_email ON users(email);", "let total = 0;"], [0, 1, 2]),
        # a SELECT's column list, several lines between its clauses
        (["SELECT", "u.name,", "COUNT(o.id) as order_count,", "SUM(o.total) as total_spent", "FROM users u"],
         [0, 1, 2, 3, 4]),
        # ... but a sentence between two lines of code is prose, and so is all that follows it
        (["SELECT id FROM users;", "Then count the orders.", "Orders", "SELECT id FROM orders;"], [0, 3]),
    ],
)
def test_code_lines(lines, code):
    assert sorted(code_lines(lines)) == code


def test_a_tutorial_is_prose_around_its_code_a_code_dump_is_not():
    # 6 prose lines around 44 lines of commands and comments: to FineWeb every command is a line
    # without an end mark, as a menu item is (line punctuation 0.12, FineWeb rejects at <= 0.12);
    # the code is set apart from the prose share (0.35 when it counted against it), so the prose
    # carries the page. Only the last command, between code and prose, counts against it
    signals = score_document(GIT_TUTORIAL, "en")
    assert (signals["line_punct_ratio"], signals["prose_line_count"], signals["prose_char_frac"]) == (0.12, 6, 0.968944)
    assert keep_document(signals, CFG, "en") == (True, None)
    # the same listing after 3 sentences is not a tutorial: too little prose of its own
    dump = "\n".join(GIT_INTRO.split("\n")[:3]) + "\n" + "\n".join(GIT_COMMANDS)
    no_hash = replace(CFG, gopher_max_hash_word_ratio=None)  # its comments' "#" reject it first
    assert keep_document(score_document(dump, "en"), no_hash, "en") == (False, "fineweb_quality:line_punct_ratio=0.0638<=0.12")


DOCS_PROSE = (
    "A state variable keeps a value between the renders of a component.\n"
    "Call the hook at the top level of your component to declare one.\n"
    "It returns the current value and a function that updates it.\n"
    "The example below counts the clicks on a button.\n"
)
COUNTER = [
    "import { useState , useEffect } from 'react';",
    "function Counter ( { initialCount , step } ) {",
    "const [ count , setCount ] = useState ( initialCount ) ;",
    "useEffect ( ( ) => { document. title = `You have clicked the counter button ${ count } times today` ; } , [ count ] ) ;",
    'return < button className = "counter" onClick = { ( ) => setCount ( count + step ) } > Clicked { count } times </ button > ;',
    "}",
]
COUNTER_AGAIN = [
    "import { useState , useEffect , useRef } from 'react';",
    "function Counter ( { initialCount , step } ) {",
    "const [ count , setCount ] = useState ( initialCount ) ; const renders = useRef ( 0 ) ;",
    "useEffect ( ( ) => { document. title = `You have clicked the counter button ${ count } times today so far` ; } , [ count ] ) ;",
    'return < button className = "counter" onClick = { ( ) => setCount ( count + step ) } > Pressed { count } times </ button > ;',
    "}",
]


def test_code_shown_again_is_not_repeated_text_prose_shown_again_is():
    # documentation shows a snippet, then again with a few changes: its tokens repeat as prose
    # never does (Gopher's 5-gram fraction 0.1599 > 0.15 when code counted)
    prose = "".join(DOCS_PROSE.split("\n")[i] + "\n" for i in (0, 3))
    text = prose + "\n".join(COUNTER) + "\nTo name it, pass a label.\n" + "\n".join(COUNTER_AGAIN)
    signals = score_document(text, "en")
    assert (signals["dup_5gram_char_frac"], keep_document(signals, CFG, "en")) == (0.0, (True, None))
    # prose said twice still repeats, beside the code
    twice = text + "\n" + prose
    assert keep_document(score_document(twice, "en"), CFG, "en") == (False, "fineweb_quality:dup_line_char_frac=0.1456>=0.1")


def test_code_holds_no_sentence_starts():
    # "document. title" in a line of code is a property, not a sentence starting in lower case
    code = ["useEffect ( ( ) => { document. title = `Clicked ${ count } times` ; } ) ;"] * 6
    code += ["const el = document. querySelector ( '#app' ) ;", "window. addEventListener ( 'load' , init ) ;"]
    prose = ("The effect runs after every render. It sets the title of the page. React calls it again when the count "
             "changes. Nothing else needs to change.\n")
    text = prose * 2 + "\n".join(code)
    assert lower_sentence_starts(text) == (8, 14)  # read as text: 8 of 14 starts "lower" (limit: half)
    assert score_document(text, "en")["lower_sentence_start_frac"] == 0.0
    # shuffled prose ending in full stops is prose, whatever marks of code it holds: still read
    salad = "\n".join(["the set. to count and. window the a. if render the. of calls. it a the."] * 2)
    assert score_document(salad, "en")["lower_sentence_start_frac"] == 1.0


PLAN_ROWS = [
    "Week | Monday | Tuesday | Wednesday | Thursday | Friday | Saturday | Sunday",
    *(f"{w} | Rest | 6 miles (s) | 9 miles (m) | Rest | 6 miles (s) | 6 miles (f) | {w + 10} miles (s)" for w in range(1, 9)),
]
PLAN_PROSE = (
    "This plan takes a runner who can already run an hour to the start line of a marathon.\n"
    "Beginners should first complete the shorter programme published alongside this one, which builds "
    "endurance gradually through walking intervals and conversational jogging.\n"
    "Experienced runners preparing for competitive finishing times will prefer the advanced schedule instead.\n"
    "The long run on Sunday grows by a mile every week, and the pace stays slow.\n"
    "The days marked s are run slowly, the days marked m at a medium pace, and f days fast.\n"
)


def test_table_cells_are_units_a_repeated_clause_is_still_repeated():
    # each row repeats the columns' values ("Rest", "6 miles (s)"): strung across the cells they
    # made 5-grams that repeat (0.20 of the characters) though no cell has 5 words
    signals = score_document(PLAN_PROSE + "\n".join(PLAN_ROWS), "en")
    assert (signals["dup_5gram_char_frac"], keep_document(signals, CFG, "en")) == (0.0, (True, None))
    # a clause of 5+ words repeated in every row still repeats inside its cell
    offer = [row + " | Register before Friday to get the early price" for row in PLAN_ROWS]
    assert keep_document(score_document(PLAN_PROSE + "\n".join(offer), "en"), CFG, "en") == (
        False, "gopher_repetition:dup_5gram_char_frac=0.1759>0.15")


# --- list items written as pieces of sentences (issue 15.5, fourth round) -------------------------

BRANDS_INTRO = (
    "I have looked for affordable and sustainable clothing brands for many years now.\n"
    "This page gathers my favourite ones in one place, with what each of them makes.\n"
    "I buy fewer clothes than I used to, and I keep the ones I buy for a long time.\n"
    "Organic cotton, linen and hemp are the fabrics I look for first.\n"
    "I hope this list of brands helps others, too.\n"
)
BRANDS = {
    "Aventura": ["organic cotton", "hemp", "recycled", "fair trade", "family-owned"],
    "Benetton": ["organic options", "linen options", "hemp options", "recycled options", "eco packaging"],
    "Carve Designs": ["organic cotton", "organic denim", "organic corduroy", "recycled polyester", "recycled swim fabric"],
    "Everlane": ["organic cotton", "linen", "recycled", "eco packaging"],
    "Fair Indigo": ["organic cotton", "fair trade", "made to last"],
}


def brand_list(item=str) -> str:
    return BRANDS_INTRO + "\n".join(f"{b}\n" + "\n".join(f"- {item(i)}" for i in items) for b, items in BRANDS.items())


def test_list_items_in_lower_case_are_prose_a_menu_is_not():
    # a brand list: each brand a heading over bulleted items in lower case, the words a sentence
    # would have run together with commas: prose characters, so the page is a prose page
    signals = score_document(brand_list(), "en")
    assert (signals["prose_line_count"], signals["prose_char_frac"]) == (5, 0.932584)
    assert keep_document(signals, CFG, "en") == (True, None)
    assert keep_document(signals, NO_EXEMPTION, "en") == (False, "fineweb_quality:short_line_ratio=0.8438>=0.67")
    # the same items capitalised are menu entries: the page is not prose and is rejected
    menu = score_document(brand_list(str.title), "en")
    assert (menu["prose_char_frac"], keep_document(menu, CFG, "en")) == (
        0.485955, (False, "fineweb_quality:short_line_ratio=0.8438>=0.67"))
    # a name starting in lower case is not a lower-case word
    assert score_document(brand_list(lambda i: "iPhone " + i), "en")["prose_char_frac"] < 0.5


CHECKLIST_INTRO = (
    "Planning a wedding takes about a year, and most couples start with the venue.\n"
    "The checklist below lists what to do and when, month by month.\n"
    "Adjust the timing if your engagement is shorter than a year.\n"
    "Print it or save it, and tick each task off as you go.\n"
    "Most vendors book up early in the spring and summer season.\n"
)
TASK_TERMS = [
    "Venue", "Caterer", "Photographer", "Florist", "Music", "Invitations", "Stationery", "Transport", "Cake", "Rings",
    "Dress", "Suits", "Hotel", "Officiant", "Favours", "Lighting", "Chairs", "Tent", "Bar", "Cards", "Website", "Hair",
    "Makeup", "Shoes", "Registry", "Rehearsal", "Brunch", "Speeches", "Seating", "Menus", "Signs", "Candles",
    "Ribbons", "Programs", "Guestbook", "Playlist", "Napkins", "Vows", "Gifts", "Toasts",
]
TASK_VERBS = ["compare", "visit", "review", "choose", "order", "confirm", "book", "sample", "collect", "measure", "test", "plan"]
TASK_OBJECTS = ["three quotes", "the samples", "a shortlist", "their reviews", "the contract", "two tastings",
                "the colours", "a backup date", "the deposit", "every detail", "the timings", "your budget", "the guest count"]


def test_a_checklist_of_described_terms_is_prose_headlines_with_a_dash_are_not():
    # "Venue – compare three quotes": a term and, after a dash, its description, a clause in
    # lower case without a full stop (a checklist): prose characters
    tasks = [f"{t} – {TASK_VERBS[k % 12]} {TASK_OBJECTS[k % 13]}" for k, t in enumerate(TASK_TERMS)]
    signals = score_document(CHECKLIST_INTRO + "\n".join(tasks), "en")
    assert (signals["line_punct_ratio"], signals["prose_char_frac"]) == (0.111111, 1.0)
    assert keep_document(signals, CFG, "en") == (True, None)
    assert keep_document(signals, NO_EXEMPTION, "en") == (False, "fineweb_quality:line_punct_ratio=0.1111<=0.12")
    # headlines with a dash are titles on both sides ("Storm hits the coast – What We Know",
    # "Prices rise - Daily Herald"): not prose, the page is rejected (its line punctuation is
    # exempt under the checklist's lede, a list page; its short lines are not)
    heads = [f"{t} – {TASK_VERBS[k % 12]} {TASK_OBJECTS[k % 13]}".title() for k, t in enumerate(TASK_TERMS)]
    signals = score_document(CHECKLIST_INTRO + "\n".join(heads), "en")
    assert (signals["prose_char_frac"], keep_document(signals, CFG, "en")) == (
        0.216667, (False, "fineweb_quality:short_line_ratio=0.7333>=0.67"))
    assert keep_document(signals, NO_EXEMPTION, "en") == (False, "fineweb_quality:line_punct_ratio=0.1111<=0.12")
    # a description needs 3 words: "Book now – free" is a call to action
    assert score_document(CHECKLIST_INTRO + "\n".join(["Book now – free"] * 40), "en")["prose_char_frac"] < 0.5


def test_a_paragraph_wrapped_around_a_run_of_spaces_is_still_one_unit():
    # the source held a run of spaces at a sentence's end: the wrap dropped them at a line's end,
    # so that one line looks short (the next word would have fitted); one line in 20 may
    para = " ".join([BRIEF.replace("\n\n", " ")] * 5)
    cut = para.find(". ", 618) + 1
    wrapped = textwrap.fill(para[:cut] + "      " + para[cut + 1 :], 72)
    assert len(wrapped.split("\n")) == 25
    assert score_document(wrapped, "en")["line_punct_ratio"] == 1.0
    # the first 20 lines of it: no line in 20 to spare, the short line breaks the wrap's signature
    assert score_document("\n".join(wrapped.split("\n")[:20]), "en")["line_punct_ratio"] < 1.0


# --- parallel items: a passage repeated once under each of several headings --------------------

WARM_UP = "Warm up with ten minutes of easy jogging in zone 2, then five minutes of drills and four strides."
COOL_DOWN = "Cool down by walking for five minutes, then stretch the calves and the hamstrings gently."
SESSIONS = [
    ("Week 1: Tuesday", "Run four intervals of three minutes at threshold pace, walking two minutes between them."),
    ("Week 1: Thursday", "Run thirty minutes at a steady pace that you could still hold a conversation at."),
    ("Week 1: Sunday", "Run sixty minutes slowly on soft ground, and walk for a minute whenever you need to."),
    ("Week 2: Tuesday", "Run five intervals of three minutes at threshold pace, jogging a minute between them."),
    ("Week 2: Thursday", "Run forty minutes at a steady pace, the last ten of them a little faster than the rest."),
]
INTRO = ("Our plan builds you up to a half marathon in eight weeks. Each week has three sessions, and every "
         "session starts and ends the same way, so that your body learns what is coming.")


def session_plan(sessions=SESSIONS) -> str:
    """A plan of sessions, each under its heading, each opening and closing with the same line."""
    return "\n".join([INTRO, *(f"{h}\n{WARM_UP}\n{main}\n{COOL_DOWN}" for h, main in sessions)])


PUBLISHED_REPETITION = replace(CFG, parallel_sections=False)


def test_a_passage_repeated_under_each_heading_is_a_list_of_parallel_items():
    plan = session_plan()
    # under 5 distinct headings, each with a main set of its own: no copy is a duplicate
    signals = score_document(plan, "en")
    # (the 5-grams two Tuesdays' main sets share, "intervals of three minutes at threshold pace",
    # are under 2 headings only: they still count)
    assert (signals["dup_line_char_frac"], signals["dup_5gram_char_frac"]) == (0.0, 0.03567)
    assert keep_document(signals, CFG, "en") == (True, None)
    # Gopher's counts: 8 of 21 lines are repeats
    published = score_document(plan, "en", PUBLISHED_REPETITION)
    assert keep_document(published, PUBLISHED_REPETITION, "en") == (
        False, "gopher_repetition:dup_line_frac=0.381>0.3")
    # hard-wrapped, the same: the sections are read on the wrapped paragraphs
    wrapped = "\n\n".join(textwrap.fill(p, 72) for p in plan.split("\n"))
    assert keep_document(score_document(wrapped, "en"), CFG, "en") == (True, None)


@pytest.mark.parametrize(
    "name,text,detail",
    [
        # a block pasted twice: the passage is under 2 headings only
        ("pasted twice", session_plan(SESSIONS[:2]), "gopher_repetition:dup_line_char_frac=0.2464>0.2"),
        # the whole plan given again (a loop, a pagination repeat): its headings repeat with it,
        # so they name no item
        ("looped", session_plan() + "\n" + session_plan(), "gopher_repetition:dup_line_frac=0.5714>0.3"),
        # headings without text of their own (a menu, a grid of links) open no section
        ("headings only", "\n".join([INTRO, *(f"{h}\n{WARM_UP}\n{COOL_DOWN}" for h, _ in SESSIONS)]),
         "gopher_repetition:dup_line_frac=0.5>0.3"),
        # no headings: paragraphs repeated (a scraper's loop)
        ("no headings", "\n".join([INTRO, *(f"{WARM_UP}\n{main}\n{COOL_DOWN}" for _, main in SESSIONS)]),
         "gopher_repetition:dup_line_frac=0.5>0.3"),
    ],
)
def test_repeats_that_are_not_parallel_items_still_count(name, text, detail):
    assert keep_document(score_document(text, "en"), CFG, "en") == (False, detail)


def test_a_paragraph_repeated_with_other_nouns_is_a_doorway_page_not_parallel_items():
    # the same paragraph under each city, the city's name swapped in: no unit repeats whole, so
    # its 5-grams count wherever they are (a doorway page: the exemption is for whole passages)
    para = ("Our licensed plumbers in {} fix leaks, unclog drains and install water heaters the same day. "
            "Call our team now for a free quote and fast, friendly service from local experts you can trust.")
    cities = ("Austin", "Dallas", "Houston", "El Paso", "Plano", "Waco")
    doorway = "\n".join(f"Plumbers in {c}\n{para.format(c)}" for c in cities)
    assert keep_document(score_document(doorway, "en"), CFG, "en") == (
        False, "gopher_repetition:dup_5gram_char_frac=0.5043>0.15")
    # the same paragraph unchanged under each city: the headings have no text of their own
    same = "\n".join(f"Plumbers in {c}\n{para.format('Texas')}" for c in cities)
    assert keep_document(score_document(same, "en"), CFG, "en") == (False, "gopher_repetition:dup_line_frac=0.4167>0.3")


def test_units_of_measure_start_no_sentence():
    recipe = "\n".join(["Mix 1 tsp. olive oil with 2 tbsp. honey.", "Add 8 oz. milk and 1 lb. flour.",
                        "Bake for 40 min. then rest it for 1 hr. under a cloth."])
    assert lower_sentence_starts(recipe) == (0, 0)
    # a unit without a quantity before it is a word that may end a sentence (shuffled text)
    assert lower_sentence_starts("Milk and tsp. olive oil with oz. honey") == (2, 2)
    # word salad still starts its sentences in lower case
    assert lower_sentence_starts("The oil. with honey and. milk the flour. rest a cloth. under bake") == (4, 4)


def test_a_hard_wrapped_texts_duplicate_lines_are_its_paragraphs():
    opening = "Receive twenty percent off your purchase of three qualifying skincare products and a free gift "
    paragraphs = [
        opening + "with any order of forty dollars or more, excluding taxes and shipping, until the end of January.",
        "The offer is valid online and in our stores, while supplies last, and cannot be combined with others.",
        opening + "with any order of fifty-five Canadian dollars or more, excluding taxes, until the end of January.",
    ]
    wrapped = "\n\n".join(textwrap.fill(p, 72) for p in paragraphs)
    # two paragraphs that open alike share their first wrapped line: a wrap's repeat, not the text's
    assert len(set(wrapped.split("\n"))) < len(wrapped.split("\n"))
    signals = score_document(wrapped, "en")
    assert (signals["dup_line_frac"], signals["dup_line_char_frac"]) == (0.0, 0.0)
    # a paragraph given again is still a repeated line: 1 of 4 units
    again = wrapped + "\n\n" + textwrap.fill(paragraphs[1], 72)
    signals = score_document(again, "en")
    assert (signals["dup_line_frac"], signals["dup_para_frac"]) == (0.25, 0.25)


def test_a_passage_repeated_in_each_slot_of_each_section_is_a_list_of_parallel_items():
    # weeks (distinct headings, each with a note of its own), and in each week the same two
    # session headings ("slots"), each session opening with the same warm-up: the warm-up repeats
    # twice within each week, under another slot each time
    mains = iter([main for _, main in SESSIONS] + ["Run fifty minutes easily, with six strides on the grass at the end."])
    notes = ("This first week sets the routine.", "The second week adds a little volume.",
             "The third week is a lighter one, to absorb the work.")
    weeks = [f"Week {w}\n{note}\n" + "\n".join(f"{day}. Run:\n{WARM_UP}\n{next(mains)}" for day in ("Tuesday", "Thursday"))
             for w, note in zip((1, 2, 3), notes)]
    plan = "\n".join([INTRO, *weeks])
    assert score_document(plan, "en")["dup_line_frac"] == 0.0
    assert keep_document(score_document(plan, "en"), CFG, "en") == (True, None)
    published = score_document(plan, "en", PUBLISHED_REPETITION)
    assert keep_document(published, PUBLISHED_REPETITION, "en") == (False, "gopher_repetition:dup_line_char_frac=0.3246>0.2")



# --- list pages a lede opens, uncorroborated n-gram repetition, numbered table rows ----------------

LEDE = (
    "Black Friday starts this week, and the toys and films of the eighties are among its best deals.\n"
    "We picked ten of them, from Lego sets to box sets on Blu-ray, and all of them ship from Amazon.\n"
    "Prices change by the hour, so check each one before you buy.\n"
)
PRODUCTS = ("Lego Star Wars 75188 Resistance Bomber", "Polistil 960574 Electric Race Track Overtake",
            "Blade Runner The Final Cut (4K Ultra HD + Blu-Ray)", "Ghostbusters Collection 1-2 (Steelbook)",
            "Indiana Jones Collection 1-4 (Steelbook, 5 Blu-Ray)", "Magnum P.I. Complete Collection (45 DVD)",
            "Portable Electronic Drum Kit with 7 Pads and Speakers", "DeLorean Time Machine Model, Back to the Future",
            "Roger Waters The Wall (DVD)", "The Goonies Doormat Never Say Die", "Back to the Future Trilogy (4K Ultra HD)",
            "Commodore 64 Mini Retro Console with Joystick", "Rubik's Cube Original 3x3 Classic Edition",
            "Polaroid Now Instant Camera, Black and White")
PRODUCT_LIST = "\n".join(f"{k}) {p}\nhttp://amzn.to/2i{k}Fh{p[:3]}" for k, p in enumerate(PRODUCTS, 1))
NO_LIST_PAGE = replace(CFG, list_page_min_lede_lines=None)


def test_lede_is_the_prose_that_opens_a_text():
    assert lede(["Deals", "One two three.", "Four five six. Seven eight nine!", "- item", "More prose here."]) == (2, 3)
    assert lede(["Deals", "Top deals", "One two three."]) == (0, 0)  # one heading at most before it
    assert lede(["One two.", "Three four five."]) == (0, 0)  # a prose unit holds 3 words
    assert lede(["One two three...", "Four five six."]) == (0, 0)  # a teaser cut short is not prose


@pytest.mark.parametrize(
    "name,text,detail",
    [
        # a list of products and their links, three sentences before it: a list article
        ("list article", LEDE + PRODUCT_LIST, None),
        ("list article under its title", "Fourteen retro deals for Black Friday\n" + LEDE + PRODUCT_LIST, None),
        # the same list after a banner of one line: no lede, a page of links
        ("list after a banner", LEDE.replace("\n", " ", 2) + PRODUCT_LIST, "fineweb_quality:line_punct_ratio=0.0345<=0.12"),
        # after two sentences: too little to introduce anything (a cookie notice and a tagline)
        ("list after two sentences", "\n".join(LEDE.split("\n")[:2]) + "\n" + PRODUCT_LIST,
         "fineweb_quality:line_punct_ratio=0.0667<=0.12"),
        # a menu under a lede is still a menu: the short-line rule is not exempt
        ("menu under a lede", LEDE + "\n".join(p.split()[0] for p in PRODUCTS[:10] * 2),
         "fineweb_quality:short_line_ratio=0.8696>=0.67"),
        # a script under a lede is no list: code is judged by the prose page (here 3 prose lines)
        ("script under a lede", LEDE + "\n".join(f"var slot{k} = document.getElementById('ad-{k}');" for k in range(30)),
         "fineweb_quality:line_punct_ratio=0.0909<=0.12"),
    ],
)
def test_a_list_page_that_a_lede_opens_is_kept(name, text, detail):
    signals = score_document(text, "en")
    assert keep_document(signals, CFG, "en") == ((True, None) if detail is None else (False, detail))
    if detail is None:  # FineWeb's line punctuation rejects it without the exemption
        assert (signals["lede_line_count"], signals["lede_sentence_count"]) == (3, 3)
        assert keep_document(signals, NO_LIST_PAGE, "en")[1].startswith("fineweb_quality:line_punct_ratio=0.09")


def test_a_table_of_figures_after_a_lede_is_a_report():
    rows = "\n".join(f"{k} | School {k} | {30 + k}% / {40 + k}% | {20 + k}% | 3.{k % 10} | {700 + k} | ${150_000 + 997 * k:,}"
                     for k in range(1, 21))
    intro = ("Rankings in aggregate can help an applicant see trends and weigh reach schools against safer ones.\n"
             "The ranking data for the top 20 programs are in the chart below. See the deadlines for each.\n")
    signals = score_document(intro + "Rank | School | Women | Acceptance | GPA | GMAT | Salary\n" + rows, "en")
    assert (signals["alpha_word_frac"], signals["lede_line_count"], signals["lede_sentence_count"]) == (0.271493, 2, 3)
    assert keep_document(signals, CFG, "en") == (True, None)
    assert keep_document(signals, NO_LIST_PAGE, "en") == (False, "gopher_quality:alpha_word_frac=0.2715<0.8")
    # the table after one sentence is rows of figures
    alone = score_document(intro.split("\n")[0] + "\n" + rows, "en")
    assert keep_document(alone, CFG, "en") == (False, "gopher_quality:alpha_word_frac=0.1837<0.8")


@pytest.mark.parametrize(
    "units,rows",
    [
        (["Week Mon Tue", "1 Rest Run 30 min", "2 Rest Run 35 min", "3 Rest Run 40 min", "Rest well."], [1, 2, 3]),
        (["1 Rest Run", "2 Rest Run", "1 Rest Run", "2 Rest Run", "3 Rest Run"], [2, 3, 4]),  # a new table starts at 1
        (["1 Rest Run", "2 Rest Run"], []),  # two rows are no table
        (["1 Rest Run", "3 Rest Run", "4 Rest Run"], []),  # numbers that skip are no row numbers
        (["1. Beat the butter", "2. Add the eggs", "3. Fold in the flour"], []),  # a numbered list's items
        (["1 | Rest | Run", "2 | Rest | Run", "3 | Rest | Run"], []),  # cells set apart: the cells are units
        (["1 hour later we left.", "2 hours later we ate.", "3 hours later we slept."], []),  # sentences
    ],
)
def test_numbered_rows(units, rows):
    assert numbered_rows(units) == rows


MARATHON_INTRO = (
    "You can go from the couch to a marathon in twenty-four weeks if you are healthy and patient.\n"
    "The plan below starts with walking intervals and builds up to long runs at an easy pace.\n"
    "Rest days matter as much as running days, so do not skip them.\n"
    "Cross-training is optional: swim, cycle or row for half an hour if you feel fresh.\n"
    "Each row is a week, and each column a day of the week.\n"
)
MARATHON_TABLE = "Week Monday Tuesday Wednesday Thursday Friday Saturday Sunday\n" + "\n".join(
    f"{w} Rest Run Easy {20 + 5 * w} min Optional Non-Impact Cardio 30 min Run Easy {15 + 5 * w} min "
    f"Optional Non-Impact Cardio 30 min Rest Long Run {30 + 10 * w} min" for w in range(1, 9))


def test_a_tables_numbered_rows_are_its_form_not_repetition():
    # a training plan whose cells lost their separators: each week's row repeats the same sessions
    signals = score_document(MARATHON_INTRO + MARATHON_TABLE, "en")
    assert (signals["dup_5gram_char_frac"], keep_document(signals, CFG, "en")) == (0.0, (True, None))
    # the same rows without their numbers are lines of text repeating a passage
    unnumbered = score_document(MARATHON_INTRO + re.sub(r"^\d ", "", MARATHON_TABLE, flags=re.MULTILINE), "en")
    assert (unnumbered["dup_5gram_char_frac"], keep_document(unnumbered, CFG, "en")) == (
        0.42641, (False, "gopher_repetition:top_3gram_char_frac=0.2641>0.18"))
    # a numbered row repeated whole is still a repeated line
    loop = "\n".join([MARATHON_TABLE.split("\n")[1]] * 3)
    assert keep_document(score_document(MARATHON_INTRO + MARATHON_TABLE + "\n" + loop, "en"), CFG, "en")[0] is False


DEFINITION = ("Live streaming is real-time distance learning on a web platform that delivers the course content "
              "during a regularly scheduled meeting time, so students see and hear the instructor and can ask "
              "questions as the class goes on.")
COURSE_TYPES = [
    "The college offers several types of web courses, and each asks different things of its students.",
    "Lecture with Remote Instruction",
    "Courses meet as scheduled in a classroom, and the instructor teaches from a remote location. " + DEFINITION,
    "Distance Learning",
    "Instruction is delivered in place of an on-campus experience, through email, recorded lectures and the "
    "course site. Students need a reliable connection at home.",
    "Web Online",
    "Courses do not meet in real time; students follow a schedule and meet published deadlines. Attendance may "
    "be required for the orientation and for exams.",
    "Web Online with Live Stream",
    DEFINITION + " It suits students who want distance learning with the structure of regular meeting times.",
    "Web Hybrid",
    "Part of the course meets on campus and the rest online, and the syllabus gives the split for each course.",
]
NO_CORROBORATION = replace(CFG, prose_page_max_dup_ngram_char_frac=None)


def test_ngrams_repeated_by_distinct_paragraphs_alone_do_not_reject_a_prose_page():
    # a definition given again in a second section: its n-grams repeat, no line or paragraph does
    signals = score_document("\n".join(COURSE_TYPES), "en")
    assert {k: signals[k] for k in ("dup_6gram_char_frac", "dup_line_frac", "top_5gram_unit_frac", "prose_line_count")} == {
        "dup_6gram_char_frac": 0.148356, "dup_line_frac": 0.0, "top_5gram_unit_frac": 0.181818, "prose_line_count": 6}
    assert keep_document(signals, CFG, "en") == (True, None)
    assert keep_document(signals, NO_CORROBORATION, "en") == (False, "gopher_repetition:dup_6gram_char_frac=0.1484>0.14")


PROMPT = "Contact the admissions office for the schedule of each course type."


@pytest.mark.parametrize(
    "name,lines,detail",
    [
        # a sentence appended to every paragraph: a template's, spread over half of the units
        ("sentence in every paragraph", [u if len(u.split()) < 8 else u + " " + PROMPT for u in COURSE_TYPES],
         "gopher_repetition:dup_5gram_char_frac=0.281>0.15"),
        # a repeated line corroborates the repetition: Gopher's limits apply
        ("a line repeated", COURSE_TYPES + [COURSE_TYPES[2]], "gopher_repetition:dup_line_char_frac=0.202>0.2"),
        # not a prose page: the definition between headings (2 prose lines)
        ("headings, not prose", [u for u in COURSE_TYPES if len(u.split()) < 8 or DEFINITION in u],
         "gopher_repetition:dup_5gram_char_frac=0.2534>0.15"),
    ],
)
def test_repetition_that_is_spread_corroborated_or_off_prose_is_still_rejected(name, lines, detail):
    assert keep_document(score_document("\n".join(lines), "en"), CFG, "en") == (False, detail)


# --- sentence breaks: linear on runs of marks ---------------------------------------------------

# the pattern before it was made linear: a run of marks tried from each mark, and backtracked into
_BACKTRACKING_BREAK = re.compile(
    r"[.!?…।॥؟۔։።။។།]+(?:[\"'”’»)\]]*\s+(?=\S)"
    r"|(?<=[a-zà-ÿа-яё]{2}[.!?])(?=[A-ZÀ-ÖØ-ÞА-ЯЁ][a-zà-ÿа-яё]))"
)


@hypothesis.settings(max_examples=400, deadline=None)
@hypothesis.given(st.text(alphabet="ab.!?…\"')] \nAé", max_size=60))
def test_sentence_breaks_are_those_of_the_backtracking_pattern(line):
    from transforms.quality.text import SENTENCE_BREAK as _SENTENCE_BREAK

    assert [m.span() for m in _SENTENCE_BREAK.finditer(line)] == [m.span() for m in _BACKTRACKING_BREAK.finditer(line)]


def test_a_long_run_of_marks_is_scored_in_linear_time():
    # 60 kB of "..." took 73 s (each mark started a match that backtracked through the run)
    started = time.process_time()
    score_document("." * 600_000, "en")
    score_document("!?" * 300_000 + " Next sentence.", "en")
    assert time.process_time() - started < 5


@pytest.mark.parametrize("end", ["\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1e"])
def test_every_line_end_cleaning_cuts_at_parts_lines_for_the_signals(end):
    # hostile round 10: the signals split at "\n" only, so a page of menu items parted by another
    # line end (a library caller's text; cleaning cuts there) was one line: 100 short lines scored
    # as a single long one, the short-line, punctuation and bullet shares all wrong
    menu = "\n".join(["Home", "About us", "- Contact", "News", "Log in"] * 20)
    assert score_document(menu.replace("\n", end), "en") == score_document(menu, "en")
    assert score_document(menu, "en")["line_count"] == 100


@hypothesis.settings(max_examples=3000, deadline=None)
@hypothesis.given(st.text(alphabet="abzAZ_.1é (\t-", max_size=40))
def test_a_code_call_is_found_where_the_pattern_finds_one_on_the_whole_line(line):
    from transforms.quality.c4 import _CODE_CALL, has_code_call

    assert has_code_call(line) == (_CODE_CALL.search(line) is not None)


def test_a_long_token_after_a_bracket_is_searched_for_a_call_only_where_a_bracket_follows(monkeypatch):
    # hostile round 13: "(" and then a 48 kB token "a.b.b..." took 7 s in score_document, the
    # call pattern scanning the token to its end from every word in it; it is now searched only
    # in the runs of name characters that "(" follows
    from transforms.quality import c4 as quality

    searched = []
    pattern = quality._CODE_CALL

    class Recorded:
        def search(self, line, pos=0, endpos=None):
            searched.append(line[pos:endpos])
            return pattern.search(line, pos, len(line) if endpos is None else endpos)

    monkeypatch.setattr(quality, "_CODE_CALL", Recorded())
    token = "a" + ".b" * 24_000
    assert not quality._is_code_line("(" + token)
    assert not quality._is_code_line("See (" + token + " here")
    assert quality._is_code_line(token + "(x)")  # a call after all: `a.b.b...b(`
    assert quality._is_code_line("(" + token + " console.log (x)")
    assert searched == ["See (", token + "(x", "console.log ("]  # the runs "(" follows, and no more


@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u2067", "\u200b", "\u00ad"])
def test_an_invisible_mark_before_every_word_changes_no_word_signal(mark):
    # hostile round 13: a right-to-left mark before every word of an English article (as pages of
    # right-to-left text put them) hid every stop word, and the article went as gopher_quality
    text = (
        "The council met on Monday to discuss the budget for the coming year. It was agreed that the new "
        "library would be built on the site of the old bus station, and the work should start in the spring.\n\n"
        "The mayor said that it was a good day for the town. Residents had asked for a library for more than "
        "ten years, and the plan had been delayed twice by a lack of money and by a dispute over the land.\n\n"
        "Opposition members voted against the plan. They argued that the cost of the building had risen by a "
        "third since the first estimate, and that the town should repair its roads and schools before it "
        "spends money on new projects of this kind.\n\n"
        "A public meeting will be held in the town hall next month, where the architects will show their "
        "drawings and answer questions from anyone who wants to know more about the library and its garden."
    )
    marked = " ".join(mark + w for w in text.split(" "))
    plain, seen = score_document(text, "en"), score_document(marked, "en")
    # (the character fractions differ: their denominator counts the marks)
    for signal in ("word_count", "mean_word_length", "stop_word_count", "alpha_word_frac", "lower_sentence_start_frac",
                   "c4_sentence_count", "line_punct_ratio"):
        assert seen.get(signal) == plain.get(signal), signal
    assert plain["stop_word_count"] > 20
    assert keep_document(seen, CFG, "en") == keep_document(plain, CFG, "en") == (True, None)


def test_chinese_text_is_judged_as_before_without_zh_in_no_space_languages():
    # hostile round 19 dropped `zh` from the default no_space_languages (the language stage answers
    # zh-cn or zh-tw, never zh, and the list is now checked): the language stage's answer for
    # Chinese text, and its signals and verdict under that answer, are the same as with `zh`
    from tests.cjk_texts import ZH_FLOOD, ZH_ROBOTS
    from transforms.language import LanguageDetector

    assert "zh" not in CFG.no_space_languages
    with_zh = replace(CFG, no_space_languages=(*CFG.no_space_languages, "zh"))
    detector = LanguageDetector()
    languages = {text: detector.detect(text)[0] for text in (ZH_FLOOD, ZH_ROBOTS, ZH_FLOOD.replace("，", ""), CHINESE, "点击查看更多新闻。")}
    assert set(list(languages.values())[:4]) <= {"zh-cn", "zh-tw"}  # (the short stub is answered ko)
    for text, language in languages.items():
        signals = score_document(text, language, CFG)
        assert signals == score_document(text, language, with_zh)
        assert signals.get("word_count") is None  # measured as unspaced
        assert keep_document(signals, CFG, language) == keep_document(signals, with_zh, language)


@pytest.mark.parametrize("words, message", [
    (("The", "of"), r"'The' can never match: .* \(write 'the'\)"),
    (("the.", "of"), r"'the\.' can never match: .* \(write 'the'\)"),
    (("of the",), r"'of the' can never match"),
    (("",), r"'' can never match: a document's words are compared lower-cased, one word without edge punctuation$"),
    ((), (r"quality.stop_words is empty: gopher_min_stop_words=2 would reject every document in en; "
          r"set quality.gopher_min_stop_words=null")),
])
def test_stop_words_that_can_never_match_are_a_config_error(words, message):
    # hostile round 19: words are compared lower-cased without edge punctuation, so `The` or `the.`
    # matched nothing, and an empty list counted 0: each rejected every English document
    # (stop_word_count=0<2) without a word about the config
    with pytest.raises(ValueError, match=rf"^(quality\.stop_words: )?{message}"):
        QualityConfig(stop_words=words)
    text = "The mayor said the bridge of the town would open in the spring, and that it was paid for with taxes. " * 5
    assert score_document(text, "en", CFG)["stop_word_count"] > 2  # the default list counts
    # an empty list is fine where the rule cannot reject
    for change in ({"gopher_min_stop_words": None}, {"stop_words_languages": ()}, {"annotate_only": True},
                   {"filters": ("c4_quality",)}):
        assert QualityConfig(stop_words=(), **change).stop_words == ()
    assert QualityConfig(stop_words=("der", "die", "das", "don't")).stop_words == ("der", "die", "das", "don't")
