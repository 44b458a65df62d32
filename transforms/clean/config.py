"""Rule codes and the clean stage's config."""

from __future__ import annotations

from dataclasses import dataclass

STAGE = "clean"
LINE, SENTENCE = "line", "sentence"
REPEATED_TITLE = "repeated_title"
REPEATED_LINE = "repeated_line"
NAVIGATION = "navigation"
OUTSIDE_BODY = "outside_body"
LINK_LINE = "link_line"
SYMBOL_LINE = "symbol_line"
TAIL_SECTION = "tail_section"
TEASER_RUN = "teaser_run"
BLURB_RUN = "blurb_run"
STRUCTURAL_RULES = (
    REPEATED_TITLE,
    REPEATED_LINE,
    NAVIGATION,
    OUTSIDE_BODY,
    LINK_LINE,
    SYMBOL_LINE,
    TAIL_SECTION,
    TEASER_RUN,
    BLURB_RUN,
)
OVERLONG_LINE = "overlong_line"
EXTRACTED = "extracted"  # the flag the extract stage sets on text it extracted from HTML
DEFAULT_RULE_PACK = "cruft-v3.yaml"


@dataclass(frozen=True)
class CleanConfig:
    rule_pack: str = ""  # path to a rule pack YAML; empty: the bundled configs/rules/cruft-v3.yaml
    disabled_rules: tuple[str, ...] = ()  # rule codes (pack or structural) to switch off
    title_lookahead: int = 5  # non-blank lines at the top searched for copies of the title
    repeated_line_min_chars: int = 20  # shorter repeats ("Pros:", "Yes") are kept
    max_examples: int = 3  # removed lines kept per rule on the record, for the report
    # layer 2, structure: the page's body is the run of lines that maximises prose words minus a
    # cost per non-prose line (Kadane's maximum subarray, as in Finn et al. 2001, "Fact or fiction:
    # content classification for digital libraries"); short non-prose lines outside it are navigation.
    trim_navigation: bool = True
    body_only: bool = True  # also drop prose and long lines outside the body (teasers, comments, footers)
    prose_min_words: int = 5  # a prose line: at least this many words and terminal punctuation ...
    prose_long_words: int = 25  # ... or at least this many words whatever its end
    nav_line_cost: float = 4.0  # what one non-prose line outside prose costs the body span
    nav_max_words: int = 12  # head/tail lines longer than this are never called navigation
    nav_min_run: int = 3  # fewer short lines in a row outside the body are not a menu
    head_keep_lines: int = 2  # headline-like lines kept right above the body (title, standfirst)
    link_line_ratio: float = 0.5  # share of a line's characters in URLs above which it is a link line
    symbol_line_ratio: float = 0.5  # share of letters below which a line is symbols or numbers
    # A prose paragraph is a few thousand characters; a line far longer is minified code, a data
    # dump or a page flattened without breaks, and it would make every later stage pay for it.
    max_line_chars: int = 100_000
    # Every layer costs time and memory per line, blank ones too (the classifier's features most),
    # so a text of millions of one-character lines, well under read.max_document_bytes, would hold
    # a worker for minutes and exhaust its memory. An article has hundreds of lines, a novel tens of
    # thousands; a text of more is rejected as document_too_large (hostile round 8, docs/cleaning.md).
    max_lines: int = 100_000
    # Text that trafilatura extracted from HTML has had its page furniture removed already; the
    # structure layer, written for raw page text, then cuts real article lines (list items, table
    # rows, short paragraphs): benchmarks/extraction.py measured a 0.036 recall loss on
    # ScrapingHub with it. So do the pack rules after them, for lines that some ground truth of
    # the three benchmark sets keeps inside the main text (button labels of a listing, a
    # blogger's question to readers, a photo credit, an agency's copyright line, the extract
    # stage's own headline): cleaning after extraction never lowers recall (docs/extraction.md).
    # The rest of the pack (teasers, newsletter and share prompts, disclosures, ...) still applies.
    skip_after_extraction: tuple[str, ...] = (
        "navigation",
        "outside_body",
        "link_line",
        "symbol_line",
        "repeated_line",
        "classifier",
        "tail_section",
        "teaser_run",
        "blurb_run",
        "repeated_title",
        "ui_widget",
        "byline",
        "dateline",
        "image_credit",
        "copyright_footer",
        "read_original",
        "paywall_notice",
        "comment_meta",
        "post_stamp",
        "furniture_line",
    )
    # layer 2b: the line classifier (transforms/line_classifier.py) gives back lines the body span
    # removed that the page around them says are content (`classifier_restore_threshold`,
    # `classifier_restore_relative`); with a `classifier_threshold` or `classifier_remove_relative`
    # above 0 it also removes lines structure kept that score below them (as `classifier`). Either
    # relative bar reads every line's score, and so needs every line's features
    classifier: bool = True  # on: whole-article cuts 3.2% -> 1.6% of pages out of fold (docs/cleaning.md)
    classifier_weights: str = ""  # path to a trees JSON; "" = the bundled configs/line-classifier-v3.json
    # content probability below which a line structure kept goes (0: never); 0.1 is the shipped
    # trees' pair, chosen on 5-fold-by-site outputs (benchmarks/train_line_classifier.py) ...
    classifier_threshold: float = 0.1
    # ... or below this share of the mean probability of the text structure kept (weighted by
    # words): amid a page that reads as an article, a line must read somewhat like it to stay;
    # where structure kept little that does, the absolute bar alone decides (docs/cleaning.md). 0: off
    classifier_remove_relative: float = 0.3
    # a line the body span removed comes back at this probability or above ...
    classifier_restore_threshold: float = 0.1
    # ... and at this share or more of the mean probability of the text structure kept (its
    # lines weighted by their words). Relative evidence: where structure kept the article, a
    # line must read nearly as much like content to join it (a teaser blurb does not); where it
    # kept a menu, the misplaced article outscores it easily, even on a site so unlike the
    # training pages that every score is low (docs/cleaning.md). 0: the bar alone. Above 0, every
    # line is scored, as with a removal bar
    classifier_restore_relative: float = 0.4
    # ... which holds in full where structure kept at least this share of the words it kept and
    # took that clear the absolute bar, and falls in proportion below it: where the body span
    # took most of a page, less evidence gives it back (by-set cuts 2.3% -> 1.9%; docs/cleaning.md). 0: in full
    classifier_restore_full_share: float = 0.5
    # ... and only when what comes back on the page adds up to this many words: giving back is
    # for an article the body span misplaced, not for a stray teaser line or label (ScrapingHub
    # +0.005 F1 out of fold at the same cut rate; docs/cleaning.md). 0: any line on its own
    classifier_restore_min_words: int = 30
    # layer 2c: short lines whose own words and shape read as furniture (transforms/furniture_lines.py),
    # wherever they stand, clean text too: the inline furniture of families no rule names
    furniture: bool = True
    furniture_weights: str = ""  # path to a furniture-lines JSON; "" = the bundled configs/furniture-lines-v1.json
    furniture_threshold: float = 0.95  # furniture probability at which a line goes (docs/cleaning.md)
    # ... unless the lines at the bar hold more than this share of the words left on the page: a
    # page that reads as furniture throughout is one the model does not know; the quality filters judge it
    furniture_max_share: float = 0.25
    # layer 2, tail: the page ends at the header of its comment section, or of a related-stories
    # block followed by little prose (benchmarks/text_mode.py; docs/cleaning.md)
    tail_comment_headers: tuple[str, ...] = (
        "comment_widget",
        "comment_heading",
        "akismet_notice",
    )  # pack rules that open comments
    # pack rules that mark one comment (author, timestamp); the first of a thread of at least
    # `tail_thread_min_lines` such lines opens the comments when no header does
    tail_thread_lines: tuple[str, ...] = ("comment_meta",)
    tail_thread_min_lines: int = 2
    tail_related_headers: tuple[str, ...] = (
        "related_links",
        "related_links_intl",
        "author_box",
    )  # open teasers or bios
    # a header ends the article once this share of the page's prose words, or this many of them,
    # is above it (comment threads often outweigh the article, so the share alone misses them)
    tail_min_share: float = 0.5
    tail_min_words: int = 100
    tail_related_max_share: float = 0.2  # a related header ends it only with at most this share of prose after
    # layer 2, numbered lists: items numbered in sequence (1), 2), 3) ...) are never navigation
    # nor outside the body (benchmarks/text_mode.py: list articles, rankings, schedules)
    list_min_items: int = 3  # 0 switches it off
    list_max_gap: int = 2  # other lines allowed between two items (a link, a description)
    # layer 2, teaser runs: headline + short standfirst, again and again ("More from ...")
    teaser_min_units: int = 3  # fewer teasers in a row are left alone; 0 switches it off
    teaser_head_min_words: int = 5  # a teaser's headline has this many words; section headings fewer
    teaser_max_words: int = 30  # a teaser's standfirst is prose of at most this many words
    # layer 2, blurb runs: label + one-line blurb, again and again (mega-menus, product directories)
    blurb_min_units: int = 6  # fewer pairs in a row are left alone; 0 switches it off
    blurb_max_words: int = 15  # a blurb is a prose line of at most this many words
    # layer 2, glued teasers: "Police: 2 In Custody After Death Of StudentA 24-year-old woman ..."
    # (a headline run into its standfirst by a naive text conversion); runs of this many go as
    # teaser_run. 0 switches it off.
    glued_teaser_min_units: int = 3
    # layer 2, the headline anchor: the page's URL slug ("/son-of-former-german-president-stabbed")
    # names its headline; the body is the best span starting within `anchor_window` lines after
    # a line that matches it (`anchor_min_match` of the slug's words), when it scores at least
    # `anchor_min_share` of the page's best span. A short article then beats a long footer or
    # sidebar paragraph. anchor_window 0 switches it off.
    anchor_window: int = 8
    anchor_min_match: float = 0.6
    anchor_min_share: float = 0.3
    # layer 2, merged copies: a line of at least this many sentences, nearly all of them (the
    # share below, in characters) found in other lines, is the article flattened into one line
    # again (AMP or "full text" copies): removed as repeated_line. 0 switches it off.
    merged_copy_min_sentences: int = 6
    merged_copy_share: float = 0.6
    # the removal guard (transforms/clean/guard.py): one positional proposal (navigation,
    # outside_body, tail_section, teaser_run, blurb_run, classifier) may remove at most this share
    # of the page's prose words and of its paragraph runs' prose; 1.0 switches it off
    guard_max_prose_share: float = 0.5
    # ... and on a listing (a page whose longest paragraph run holds fewer than
    # `guard_listing_max_run` prose words; with 0, only a page without any run) at most that share
    # of the words in its item lines, lines of at least this many words (menu labels are shorter),
    # when it has at least `guard_listing_min_items` of them; guard_listing_words 0 switches it off
    guard_listing_words: int = 6
    guard_listing_min_items: int = 5
    guard_listing_max_run: int = 60
    # layer 2, the body span grows over paragraph runs (2+ prose lines) at most this many short
    # kept lines beyond it, none removed by the rule pack: an article's sections split by headings,
    # lists and tables stay whole (benchmarks/clean_text_alone.py). 0 switches it off.
    body_extend_gap: int = 16
    # the chrome gate (transforms/clean/guard.py): evidence from a line's place or its repeats
    # (navigation, outside_body, tail_section, teaser and blurb runs, repeated lines, the classifier)
    # is used only on a page that shows chrome: at least `chrome_min_lines` lines the rule pack
    # removed whole, or a head menu of `chrome_head_menu`+ short lines (at most
    # `chrome_menu_max_words` words) before the first prose line. chrome_min_lines 0 switches it off.
    chrome_min_lines: int = 2
    chrome_head_menu: int = 5
    chrome_menu_max_words: int = 3
    # layer 2, tables: 3+ lines in a row split into the same number of cells (tabs, " | ") are a
    # table's rows, never `symbol_line` nor a menu. 0 switches it off.
    table_min_rows: int = 3
    # ... and a table flattened one cell a line (`stacked_table_cells`: cell shapes repeating every
    # k lines, k at most this, with two columns of figures) likewise, and it costs the body span
    # nothing. Below 2 switches that off.
    table_max_cols: int = 10
    # layer 2, code: a run of lines nested by indentation, with marks of code on 2+ of them
    # (`transforms/clean/code_blocks.py`), is a code block: never `symbol_line` nor
    # `repeated_line` ("s = 0", "});"), and its kept lines get their indentation back (less the
    # block's common indentation). False: every line stripped and judged alike.
    code_blocks: bool = True
