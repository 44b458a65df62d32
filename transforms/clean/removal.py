"""What cleaning removed, and the result of cleaning one text."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Removal:
    rule: str
    text: str
    whole_line: bool


@dataclass(frozen=True)
class CleanResult:
    text: str
    title: str
    removals: tuple[Removal, ...] = field(default_factory=tuple)
    vetoed: tuple[Removal, ...] = field(default_factory=tuple)  # positional removals the guard refused

    @property
    def lines_removed(self) -> int:
        return sum(1 for r in self.removals if r.whole_line)

    @property
    def chars_removed(self) -> int:
        return sum(len(r.text) for r in self.removals)

    def rule_counts(self) -> tuple[tuple[str, int], ...]:
        return tuple(sorted(Counter(r.rule for r in self.removals).items()))
