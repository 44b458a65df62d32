"""Document quality: signals (Gopher quality and repetition, C4, FineWeb) and the filters on them.

Scoring and deciding are apart (NeMo Curator's `score_document` / `keep_document` split):
`score_document` turns a cleaned text into a flat mapping of named numbers, and `keep_document`
compares those numbers with the thresholds in `QualityConfig`. So every threshold is testable on
made-up numbers, every signal is written as a Parquet column (`q_<signal>`), and a user can
re-filter later on the columns and get exactly the decision the pipeline made: the filters read
the same rounded values that are stored.

Sources of the default thresholds:
- Gopher: Rae et al. 2021, "Scaling Language Models: Methods, Analysis & Insights from Training
  Gopher", section A.1.1 and table A1 (also datatrove `gopher_quality_filter.py` and
  `gopher_repetition_filter.py`).
- C4: Raffel et al. 2020, section 2.2, as implemented in TFDS `text/c4_utils.py` (`clean_page`).
- FineWeb: Penedo et al. 2024, datatrove `fineweb_quality_filter.py` as FineWeb was made with it
  (rejects at <= and >= the limits; later datatrove versions compare strictly). Its
  duplicate-line characters are Gopher's `dup_line_char_frac` (denominator: all characters,
  where FineWeb leaves out the line breaks: a difference of about one percent of the value).

Definitions, where the sources leave room (each is the paper's wording, not a library's quirk):
- a *word* is a whitespace token with the punctuation at its edges stripped; tokens that are only
  punctuation are not words (Gopher counts words "not punctuation"; datatrove gets there with
  nltk's tokenizer, which also splits "don't", a difference of a few tenths of a character);
- *lines* are the non-blank lines, stripped: the clean stage leaves one blank line between
  paragraphs, and counting those would halve every per-line ratio (FineWeb ran on trafilatura
  output, which has no blank lines);
- characters of n-grams are the characters of their words, each character counted once however
  many duplicated n-grams cover it (Gopher A.1.1); the denominator is all characters of the text,
  as for the duplicate lines and paragraphs and as datatrove (so FineWeb) divides, where the
  Gopher thresholds were applied in practice (word characters alone, ~80% of a text, read 20%
  higher and rejected 2 more real articles on the benchmark);
- terminal punctuation includes the typographic and CJK forms of the marks the sources list
  (” ’ » … 。 ！ ？ 」), so a paragraph closing with a curly quote counts as punctuated.

Departures from the published rules, each measured on real articles (`benchmarks/quality_filters`:
together they take false rejections of real articles from 15.7% with the published rules to 2.8%,
and junk recall from 88.0% to 99.3%), each with its published form one key away where it has one:
- a repeated line or paragraph of <= `dup_min_chars` (30) characters is not a duplicate: speaker
  labels, "Price:", "Buy now", list headings repeat in structured pages (Gopher: every line);
- lines of only invisible format characters (zero-width space, BOM) are blank, and a word's
  edges are stripped of them and of directional marks (`FORMAT_MARKS`);
- the last line is left out of `ellipsis_line_frac`: a body cut off by a paywall ends in "..." once;
- a bullet line ending in a sentence mark is prose set as a list item, not a bullet for
  `bullet_line_frac` (an article of tips, a paragraph each);
- a braced aside of words ("{unless lying down makes you fall asleep!}") is not code for C4;
- C4 counts the finished sentences of a line whose last sentence has no end mark (C4 drops the
  line), that last part too when it runs >= 20 words, more of them lower case than capitalised (a
  full stop the scraper lost, not a heading), and a sentence break whose space was lost
  ("Wednesday.The");
- a prose page (>= 5 prose lines, i.e. lines C4 keeps, holding >= half of the characters outside
  rows of figures) is exempt from the rules made for pages that are not prose: FineWeb's line
  punctuation and short lines (menus, link lists), Gopher's alphabetic words (tables of figures),
  C4's brace (code pages). A list article, a report around a data table, a tutorial with a line
  of code stay; a menu, a table with one sentence, a script dump after a paragraph do not. So is
  a page whose prose comes in fewer, longer paragraphs holding >= 5 sentences, without code,
  when its other lines share the prose's words (`list_topic_frac` >= 0.4: a shop's write-up and
  its categories, a product's description and its specification rows; a site's menu shares
  none);
- a text of one line (an article flattened by the tool that saved it) is judged by C4 and the
  FineWeb line ratios on its sentences, not on its one line; a table row's end is read before
  its closing "|";
- n-grams do not run across line breaks: a page of short repeated cells (a schedule, a recipe's
  units) read as one run of words makes 5- to 10-grams "repeat" although no line does;
- a hard-wrapped text (no line over 100 characters, blank lines between paragraphs) is judged on
  its paragraphs: C4, FineWeb's line ratios, the duplicate lines and the n-grams read each wrapped
  paragraph as one unit;
  so is a text of one wrapped paragraph without blank lines, when every line is full;
- a conversation's form is not repetition (`conversation_form`): speaker labels are units of their
  own for the n-grams, a question asked again to get a new answer and a forum quotation of a post
  count in no repetition signal;
- a list a sentence announces ("The following patches were merged:") and a paragraph ending in a
  quote's attribution (". - Ken Englund, EY") count as prose for the prose page;
- code is neither prose nor page chrome (`code_lines`): lines of code are set apart from the prose
  share as rows of figures are, their words are units of their own for the n-grams (a snippet
  shown again is not repeated text), and their dots start no sentence for `prose_quality`;
- a table row's cells (" | " or tab separated) are units of their own for the n-grams, as lines
  are: a column's value repeating down the rows is the table's form;
- a passage repeated whole once under each of >= 3 distinct headings (or repeated slots inside
  them), each section with text of its own, is a list of parallel items (`parallel_sections`):
  its copies count in no repetition signal; a block pasted twice, a loop, a menu and a doorway
  page (one paragraph with each city's name swapped in) still do;
- a list page that a lede opens (>= 2 prose units holding >= 3 sentences at the start, after one
  heading at most, and no line of code) is exempt from FineWeb's line punctuation and Gopher's
  alphabetic words: a list of products and links, a directory, a catalogue's index or a table of
  figures under its introduction is an article; page chrome opens with a menu or a one-line
  banner, and a menu under a lede is still caught by FineWeb's short lines;
- Gopher's duplicate 5..10-gram rules need a second signal on a prose page: where no line or
  paragraph repeats and the most repeated 5-gram recurs in at most a quarter of the units, n-grams
  reject only above a third of the characters (a definition given again in another section, a
  table given twice); a loop, a block pasted again, a sentence appended to every paragraph and a
  doorway page still go;
- the numbered rows of a table whose cell separators were lost ("1 Rest Run Easy 30 min ...",
  "2 Rest ...") are set apart from the n-grams, as a table's cells are: a column's value repeating
  down the rows is the table's form;
- C4's minimum is 3 sentences, not 5 (news briefs of 3-4 sentences; Gopher's 50 words bound
  the length); FineWeb's duplicate-line characters limit is 0.1, not 0.01;
- our `prose_quality` filter: the share of sentences that start in lower case
  (`lower_sentence_start_frac`), which catches shuffled and spun text ("word salad") that every
  published rule passes.

Languages (decided per language, by `writing_traits`):
- word-based signals (word count, word length, alphabetic words, n-gram repetition, C4's sentence
  count, FineWeb's list ratio) are meaningless where words are not separated by spaces: for the
  languages in `no_space_languages` (Chinese, Japanese, Thai, Lao, Khmer, Burmese, Tibetan), and for
  any text at least half in those scripts whatever code langdetect gave it, they are left out
  (null columns) and their rules skip; their length minimum is counted in non-space characters
  instead (`unspaced_char_count`, null for spaced text). Korean and Vietnamese are written with spaces and keep
  them, but their words are short syllables (mean 3.1-3.4 characters on news sentences, at
  Gopher's minimum of 3), so the minimum mean word length is not applied to `syllabic_languages`;
- the stop-word count is only computed for `stop_words_languages` (Gopher's list is English);
- Thai and Lao end sentences without a mark: the line-punctuation signals are left out for them;
  the other scripts' sentence marks (。 ！ ？ । ۔ ։ ። ။ ។ ៕ ། ༎) count as terminal punctuation;
- the line-, paragraph- and character-based rules (duplicate lines and paragraphs, bullets,
  ellipses, short lines, braces, lorem ipsum) apply to every language.
This is why the quality stage runs after language identification.

One module per concern; imports inside the package are relative, so that
`benchmarks.quality_filters --compare-with` can load another version of it beside this one:
- `config`: the filters, the signals in column order, `QualityConfig`;
- `text`: words, non-blank lines, end marks, scripts without spaces, sentence starts;
- `repetition`: Gopher's repeated lines, paragraphs and n-grams;
- `c4`: C4's line rules, and rows of figures, code and announced lists;
- `units`: what the n-grams count within (wrapped paragraphs, a conversation's form, cells,
  numbered rows, sections);
- `signals`: `score_document`;
- `filters`: the rule table, the exemptions, `keep_document`, `assess_quality`, the length check;
- `stage`: the Beam stages.
"""

from .c4 import code_lines, list_topic_frac
from .config import (
    C4_QUALITY,
    DUP_NGRAMS,
    FILTERS,
    FINEWEB_QUALITY,
    GOPHER_QUALITY,
    GOPHER_REPETITION,
    PROSE_QUALITY,
    SIGNALS,
    STAGE,
    TOP_NGRAMS,
    QualityConfig,
)
from .filters import (
    FILTER_REASONS,
    PUNCT_SIGNALS,
    WORD_SIGNALS,
    Threshold,
    assess_quality,
    certainly_too_short,
    enabled_rules,
    fires,
    is_list_page,
    is_prose_page,
    keep_document,
    reject_if_too_short,
    thresholds,
    uncorroborated_repetition,
)
from .repetition import PARALLEL_MIN_ITEMS, ngram_repetition, word_ids
from .signals import DIGITS, score_document
from .stage import AssessQualityFn, FilterLowQuality, RejectTooShort, RejectTooShortFn
from .text import lower_sentence_starts, words_of, writing_traits
from .units import lede, numbered_rows, wrapped_paragraphs
