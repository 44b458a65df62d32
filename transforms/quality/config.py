"""The quality stage's names and settings: the filters, the signals in column order, and
`QualityConfig` with every threshold and where it comes from."""

from __future__ import annotations

from dataclasses import dataclass

STAGE = "quality"
GOPHER_QUALITY = "gopher_quality"
GOPHER_REPETITION = "gopher_repetition"
C4_QUALITY = "c4_quality"
FINEWEB_QUALITY = "fineweb_quality"
PROSE_QUALITY = "prose_quality"
FILTERS = (GOPHER_QUALITY, GOPHER_REPETITION, C4_QUALITY, FINEWEB_QUALITY, PROSE_QUALITY)
TOP_NGRAMS = (2, 3, 4)
DUP_NGRAMS = (5, 6, 7, 8, 9, 10)

# Every signal, in column order. `q_<name>` is its Parquet column; a signal that does not apply to
# the document's language is absent from the mapping (a null column).
SIGNALS: tuple[str, ...] = (
    "char_count",
    "line_count",
    # Gopher quality
    "word_count",
    "unspaced_char_count",
    "mean_word_length",
    "hash_word_ratio",
    "ellipsis_word_ratio",
    "bullet_line_frac",
    "ellipsis_line_frac",
    "alpha_word_frac",
    "stop_word_count",
    # Gopher repetition
    "dup_line_frac",
    "dup_line_char_frac",
    "dup_para_frac",
    "dup_para_char_frac",
    *(f"top_{n}gram_char_frac" for n in TOP_NGRAMS),
    *(f"dup_{n}gram_char_frac" for n in DUP_NGRAMS),
    # C4
    "c4_sentence_count",
    "c4_terminal_punct_line_frac",
    "c4_curly_brace_lines",
    "c4_lorem_ipsum_lines",
    "c4_javascript_line_frac",
    # FineWeb
    "line_punct_ratio",
    "short_line_ratio",
    "list_ratio",
    # ours
    "lower_sentence_start_frac",
    "prose_line_count",
    "prose_char_frac",
    "lede_line_count",
    "lede_sentence_count",
    "code_line_count",
    "top_5gram_unit_frac",
    "list_topic_frac",
)



@dataclass(frozen=True)
class QualityConfig:
    annotate_only: bool = False  # compute and write the signals, reject nothing
    filters: tuple[str, ...] = FILTERS  # filters that may reject; signals are computed regardless
    stop_words: tuple[str, ...] = ("the", "be", "to", "of", "and", "that", "have", "with")  # Gopher A.1.1
    stop_words_languages: tuple[str, ...] = ("en",)  # languages the stop-word list is for
    # langdetect codes of languages written without spaces between words; a text mostly in those
    # scripts (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan) counts as one whatever its language code.
    # Chinese is zh-cn or zh-tw: the language stage never answers `zh` (the list held it until
    # hostile round 19, when the lists were checked against the stage's codes; it matched nothing)
    no_space_languages: tuple[str, ...] = ("zh-cn", "zh-tw", "ja", "th", "lo", "km", "my", "bo")
    # languages whose words are one or two syllables of a few letters (Hangul blocks, Vietnamese
    # syllables): their mean word length sits at Gopher's minimum of 3 (measured 3.1-3.4 on Korean
    # and Vietnamese news sentences), so the minimum is not applied to them (the maximum still is)
    syllabic_languages: tuple[str, ...] = ("ko", "vi")
    # languages whose sentences end without a mark (Thai, Lao): the line-punctuation rule skips them
    no_terminal_punct_languages: tuple[str, ...] = ("th", "lo")
    # Gopher quality, Rae et al. 2021 A.1.1 (= datatrove GopherQualityFilter defaults)
    gopher_min_words: float | None = 50
    # Gopher's minimum length where words cannot be counted (unspaced scripts): non-space
    # characters. 50 words x ~1.6 characters per Chinese word = 80 (our conversion, not published)
    gopher_min_unspaced_chars: float | None = 80
    gopher_max_words: float | None = 100_000
    gopher_min_mean_word_length: float | None = 3
    gopher_max_mean_word_length: float | None = 10
    gopher_max_hash_word_ratio: float | None = 0.1
    gopher_max_ellipsis_word_ratio: float | None = 0.1
    gopher_max_bullet_line_frac: float | None = 0.9
    gopher_max_ellipsis_line_frac: float | None = 0.3
    gopher_min_alpha_word_frac: float | None = 0.8
    gopher_min_stop_words: float | None = 2
    # Gopher repetition, Rae et al. 2021 table A1 (= datatrove GopherRepetitionFilter defaults)
    gopher_max_dup_line_frac: float | None = 0.30
    gopher_max_dup_para_frac: float | None = 0.30
    gopher_max_dup_line_char_frac: float | None = 0.20
    gopher_max_dup_para_char_frac: float | None = 0.20
    # a repeated line or paragraph counts as a duplicate only when longer than this many characters
    # (ours; Gopher counts every line, i.e. 0): shorter repeats are the labels of structured pages
    # (speaker labels "Q:", "Price:", "Buy now", "Pros", list headings), not repeated content. 30 is
    # FineWeb's short line. Applies to the four duplicate line/paragraph signals (FineWeb's included)
    dup_min_chars: int = 30
    # Ours: the form of a conversation is not repeated content (Gopher: it is). A speaker label
    # ("Q:", "MARIA LOPEZ:") is a unit of its own for the n-grams, a question put again (the
    # same questions to each guest of an interview series) is not a duplicate line or paragraph,
    # and a forum reply's quotation of the post it answers ("X said:" and the quote) counts in
    # no repetition signal. False: Gopher's counts
    conversation_form: bool = True
    # Ours: a passage repeated once under each of several distinct headings (a training plan's
    # warm-up under each session, a webcam's credits under each camera) is the form of a list of
    # parallel items, not repeated content: a line, paragraph or 5..10-gram of a unit repeated
    # whole, found under at least PARALLEL_MIN_ITEMS headings (or slots: a week's repeated
    # "Tuesday:" under each week's heading), counts as a duplicate only when it occurred before
    # under the same one (`line_sections`). A block
    # pasted twice (2 headings), a loop (its headings repeat with it) and a menu (headings
    # without text of their own) still count, and so does the same paragraph with another
    # city's name swapped in (a doorway page: no unit repeats whole). False: Gopher's counts
    parallel_sections: bool = True
    gopher_max_top_ngram_char_frac: tuple[float, ...] = (0.20, 0.18, 0.16)  # n = 2, 3, 4
    gopher_max_dup_ngram_char_frac: tuple[float, ...] = (0.15, 0.14, 0.13, 0.12, 0.11, 0.10)  # n = 5..10
    # C4, Raffel et al. 2020 section 2.2 / TFDS c4_utils.clean_page
    # pages with fewer sentences (on the lines C4 keeps) go. C4 uses 5, which drops news briefs of
    # 3-4 sentences (3 of the benchmark's 536 real articles) and catches almost no junk that the
    # other rules miss (0.1% of it, word salad); Gopher's 50-word minimum bounds the length: ours 3
    c4_min_sentences: float | None = 3
    # Ours: a line without an end mark whose last part runs at least this many words, more of them
    # lower case than capitalised, counts that part as a sentence (C4 drops the line). Scrapers
    # lose the full stop at the end of paragraphs (a news brief of 4 sentences, 2 without it, had 2
    # for C4); headings and menu entries are far shorter (search engines cut titles at ~60
    # characters, ~10 words; the benchmark's junk headlines run <= 12 words, keyword-spam lines
    # <= 14), and a menu flattened to one line is capitalised. None: off (C4)
    c4_long_sentence_words: int | None = 20
    c4_max_curly_brace_lines: float | None = 0  # C4 drops any page with "{" (on a kept line)
    c4_max_lorem_ipsum_lines: float | None = 0  # C4 drops any page with "lorem ipsum"
    c4_min_terminal_punct_line_frac: float | None = None  # C4 drops such lines, not pages: off
    c4_max_javascript_line_frac: float | None = None  # C4 drops such lines, not pages: off
    # FineWeb, datatrove FineWebQualityFilter defaults
    fineweb_min_line_punct_ratio: float | None = 0.12  # rejected when <= (FineWeb's comparison)
    fineweb_max_short_line_ratio: float | None = 0.67  # rejected when >=
    fineweb_short_line_chars: int = 30  # a line of at most this many characters is short
    # the same for text without spaces: FineWeb's 30 characters are ~5 English words, and 5 Chinese
    # words are ~8 characters (our conversion; FineWeb ran on spaced languages only)
    fineweb_short_line_chars_no_space: int = 10
    fineweb_max_dup_line_char_frac: float | None = 0.1  # rejected when >=; FineWeb's 0.01 rejects repeated headings (see default.yaml)
    fineweb_max_list_ratio: float | None = 0.3  # line breaks per word; rejected when >
    # Ours: the share of sentences, after a sentence end inside a line, that begin in lower case.
    # Shuffled or spun text ("word salad") keeps the word lengths, stop words and end marks every
    # published rule reads, but its full stops fall between any two words: 0.85 median on the
    # benchmark's word salad, against 0.00 median and 0.22 at the 99th percentile on real articles
    # (0.33 at most on lingua's news sentences in 74 languages, 1,980 documents of 30). Only
    # measured in scripts with capitals in prose (not Georgian), and only with at least
    # `prose_min_sentence_starts` cased sentence starts (else null).
    prose_max_lower_sentence_start_frac: float | None = 0.5
    prose_min_sentence_starts: int = 5
    # Ours: a prose page is exempt from the rules in `prose_page_exempt_rules`, which were made for
    # pages that are not prose (FineWeb's line rules: menus and link lists; Gopher's alphabetic
    # words: tables of figures and symbol soup; C4's brace: code pages). A list article, a report
    # with a data table, or a tutorial with a line of code has lines those rules count, but its
    # prose carries it: at least `prose_page_min_lines` prose lines (C4's published 5 sentences a
    # page) holding at least `prose_page_min_char_frac` of the characters outside rows of figures.
    # On the benchmark: 8 real articles kept (24 -> 16 rejected); junk recall 99.35% -> 99.28% (3
    # word-salad list pages: their shuffled lines end in full stops). prose_line_count and
    # prose_char_frac are written as columns, so the exemption can be replayed. None: off.
    prose_page_min_char_frac: float | None = 0.5
    prose_page_min_lines: float | None = 5
    # ... or, where the prose comes in fewer, longer paragraphs (a shop's write-up above or below
    # its list of categories, a product's description beside its specification rows): at least
    # `prose_page_min_sentences` sentences (`c4_sentence_count`: C4's published 5 a page), no
    # line of code, and lines besides the prose that share its words (`list_topic_frac` >=
    # `prose_page_min_topic_frac`: the page's own list, not a site's menu, whose words the prose
    # does not use: 0.04 median, 0.24 at most on the benchmark's "lede + menu" probe, 0.45 to
    # 1.0 on the real pages this keeps). Either None: lines only.
    prose_page_min_sentences: float | None = 5
    prose_page_min_topic_frac: float | None = 0.4
    prose_page_exempt_rules: tuple[str, ...] = (
        "gopher_quality:alpha_word_frac",
        "c4_quality:c4_curly_brace_lines",
        "fineweb_quality:line_punct_ratio",
        "fineweb_quality:short_line_ratio",
    )
    # Ours: a list page that a lede opens is exempt from the rules in `list_page_exempt_rules`.
    # An article made of a list (products with their links, a directory's entries, a catalogue's
    # index, a table of figures) opens with prose that introduces it: at least
    # `list_page_min_lede_lines` prose units (end mark, >= 3 words; one heading may stand before
    # them) holding at least `list_page_min_lede_sentences` sentences (C4's minimum, ours: 3).
    # Its list is read by FineWeb's line punctuation (and a table by Gopher's alphabetic words) as
    # a menu; a page of chrome opens with a menu or a one-line banner. Not exempt from FineWeb's
    # short lines: a menu under a lede (a cookie notice) is still a menu. None: off.
    list_page_min_lede_lines: float | None = 2
    list_page_min_lede_sentences: float | None = 3
    list_page_exempt_rules: tuple[str, ...] = (
        "gopher_quality:alpha_word_frac",
        "fineweb_quality:line_punct_ratio",
    )
    # Ours: Gopher's duplicate 5..10-gram rules read alone. On a prose page where no line and no
    # paragraph repeats, n-grams repeat because distinct paragraphs share a sentence (a definition
    # given again in a second section, a table given as rows and again cell by cell): the
    # repetition is not corroborated by any repeated unit, and such a page is rejected for its
    # n-grams only above this fraction (a doorway page, the same paragraph with each city's name
    # swapped in, repeats far more: 0.5 and up). A loop or a block pasted again repeats whole
    # lines, so Gopher's limits apply to it unchanged. None: Gopher's limits everywhere.
    prose_page_max_dup_ngram_char_frac: float | None = 0.33
    # ... and only while the most repeated passage of 5 words recurs in at most this share of the
    # units (lines, or a wrapped text's paragraphs): a sentence given again in a few sections, not
    # one appended to every paragraph or every other (a template's, a spammer's). None: no limit
    prose_page_max_top_5gram_unit_frac: float | None = 0.25

    def __post_init__(self) -> None:
        unknown = sorted(set(self.filters) - set(FILTERS))
        if unknown:
            raise ValueError(f"quality.filters: unknown filter {unknown[0]!r} (known: {', '.join(FILTERS)})")
        if len(self.gopher_max_top_ngram_char_frac) != len(TOP_NGRAMS):
            raise ValueError(f"quality.gopher_max_top_ngram_char_frac: expected {len(TOP_NGRAMS)} values (n = 2, 3, 4)")
        if len(self.gopher_max_dup_ngram_char_frac) != len(DUP_NGRAMS):
            raise ValueError(f"quality.gopher_max_dup_ngram_char_frac: expected {len(DUP_NGRAMS)} values (n = 5..10)")
        self._check_stop_words()
        for key in ("prose_page_exempt_rules", "list_page_exempt_rules"):
            for rule in getattr(self, key):
                name, _, signal = rule.partition(":")
                if name not in FILTERS or signal not in SIGNALS:
                    raise ValueError(f"quality.{key}: unknown rule {rule!r} (filter:signal, e.g. fineweb_quality:short_line_ratio)")

    def _check_stop_words(self) -> None:
        """Stop words the count can find: a document's words are compared lower-cased, one word
        without edge punctuation (`words_of`), so `The`, `Der` or `the.` matched nothing, and an
        empty list counted 0 in every document: both rejected every document of
        `stop_words_languages` (stop_word_count=0<2) without a word about the config (hostile round 19)."""
        from .text import words_of  # text.py imports this module

        for word in self.stop_words:
            if words_of(word) != [word] or word.lower() != word:
                usable = " ".join(words_of(word)).lower()
                raise ValueError(f"quality.stop_words: {word[:80]!r} can never match: a document's words are compared "
                                 f"lower-cased, one word without edge punctuation" + (f" (write {usable[:80]!r})" if usable else ""))
        if (not self.stop_words and self.stop_words_languages and self.gopher_min_stop_words
                and GOPHER_QUALITY in self.filters and not self.annotate_only):
            raise ValueError(f"quality.stop_words is empty: gopher_min_stop_words={self.gopher_min_stop_words:g} would reject "
                             f"every document in {', '.join(self.stop_words_languages)}; set quality.gopher_min_stop_words=null "
                             "to switch that rule off")
