"""The README says true things about the code (issue 16.13): numbers it quotes are derived here."""

from __future__ import annotations

import re

from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_schema_version_is_the_one_files_carry():
    from pipeline.write import SCHEMA_VERSION

    assert re.findall(r"`schema_version` \((\d+)\)", README) == [SCHEMA_VERSION]


def test_the_flag_table_lists_exactly_our_flags():
    from pipeline.run import _parser

    ours = {o for action in _parser()._actions for o in action.option_strings if o.startswith("--") and o != "--help"}
    table = README.split("## Running on your own data", 1)[1].split("\n\n", 3)[2]
    listed = set(re.findall(r"^\| `(--[a-z_-]+)", table, flags=re.M))
    assert listed == ours


def test_no_count_of_quality_signals_goes_stale():
    from transforms.quality import SIGNALS

    # a count, if the README gives one, is the real one
    assert all(int(n) == len(SIGNALS) for n in re.findall(r"(\d+) quality signals", README))
