"""Random regex patterns for the tests of the rule pack's safety check: sequences, alternations and
repeats of a test's own atoms, nested a few levels."""

from __future__ import annotations

import random
from collections.abc import Sequence


def random_pattern(rng: random.Random, atoms: Sequence[str], repeats: Sequence[str], depth: int = 0) -> str:
    """A pattern drawn from `rng`: an atom, or (below depth 3) two patterns in a row, an
    alternation of two, or one under a repeat of `repeats`."""
    if depth > 2 or rng.random() < 0.3:
        return rng.choice(atoms)
    kind = rng.randrange(4)
    if kind == 0:
        return random_pattern(rng, atoms, repeats, depth + 1) + random_pattern(rng, atoms, repeats, depth + 1)
    if kind == 1:
        return f"(?:{random_pattern(rng, atoms, repeats, depth + 1)}|{random_pattern(rng, atoms, repeats, depth + 1)})"
    return f"(?:{random_pattern(rng, atoms, repeats, depth + 1)}){rng.choice(repeats)}"
