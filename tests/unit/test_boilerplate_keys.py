"""The CCNet line key on characters beyond ASCII: digits of every script fold to 0, punctuation and
symbols (emoji included) become spaces, compatibility forms are unfolded first."""

from __future__ import annotations

import pytest

from transforms.boilerplate import normalize_line


@pytest.mark.parametrize(
    "line,key",
    [
        ("Ⅻ ² ½ ١٢٣ ௧ — Seite 3/10", "xii 0 0 0 000 0 seite 0 00"),
        ("ﬁnal © 2024 €5 😀 İstanbul", "final 0000 0 i̇stanbul"),
        ("ΣΑΣ: Τέλος!", "σας τέλος"),
        ("Tab\there\u00a0nbsp", "tab here nbsp"),
        ("", ""),
        ("— • ©", ""),
    ],
)
def test_ccnet_key_beyond_ascii(line, key):
    assert normalize_line(line) == key
    assert normalize_line(line) == key  # the second call reads the filled table: same answer
