"""Cruft removal, one module per layer:

- `rule_pack`: layer 1, regex families with stable codes (configs/rules/);
- `line_facts`: what the structure layers ask of each line (words, prose, keys);
- layer 2, the page's structure, a module a concern: `titles` (title copies), `repeats` (repeated lines,
  merged copies), `tables` (table rows and cells, noise lines), `body` (the body span, navigation),
  `tails` (the tail cut, teaser runs);
- `classifier`: layer 2b, the learned line classifier's hook;
- `strip`: the layers in order (`strip_cruft`) and the library API (`clean_text`);
- `stage`: the Beam stage (`StripCruft`).

Every removal names the rule that made it, so a user can see why a line went and switch the rule
off. Cleaning only ever removes whole lines or whole sentences; it never rewrites the words that
stay, so the clean text is always a sub-sequence of what came in.
"""

from transforms.clean.body import (
    body_span,
    enumerated_lines,
    headline_anchors,
    parallel_lines_after,
    skeleton,
    slug_words,
)
from transforms.clean.classifier import classifier_rows, relabel_by_classifier, structural_verdicts
from transforms.clean.config import (
    BLURB_RUN,
    DEFAULT_RULE_PACK,
    EXTRACTED,
    LINE,
    LINK_LINE,
    NAVIGATION,
    OUTSIDE_BODY,
    OVERLONG_LINE,
    REPEATED_LINE,
    REPEATED_TITLE,
    SENTENCE,
    STAGE,
    STRUCTURAL_RULES,
    SYMBOL_LINE,
    TAIL_SECTION,
    TEASER_RUN,
    CleanConfig,
)
from transforms.clean.line_facts import (
    LineFacts,
    ends_like_sentence,
    glued_teaser,
    is_prose,
    letter_share,
    link_share,
    noise_rule,
    normalize_line,
    word_count,
)
from transforms.clean.removal import CleanResult, Removal
from transforms.clean.rule_pack import (
    CleanFiles,
    Rule,
    RulePack,
    RulePackError,
    apply_rules,
    load_rule_pack,
    parse_rule_pack,
    read_clean_files,
    read_rule_pack,
    split_sentences,
)
from transforms.clean.stage import StripCruft, StripCruftFn, clean_document, config_for
from transforms.clean.strip import clean_text, join_lines, load_model, strip_cruft
from transforms.clean.titles import infer_title
