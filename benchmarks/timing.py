"""Timing shared by the benchmarks: the median of repeated runs, on the clock the caller picks
(time.process_time for CPU seconds of this process, the figure least disturbed on a shared machine)."""

from __future__ import annotations

import statistics
import time
from typing import Callable, TypeVar

T = TypeVar("T")


def median_seconds(fn: Callable[[], T], repeats: int, clock: Callable[[], float] = time.perf_counter) -> tuple[T, float]:
    """The last run's result of `fn` and the median of its seconds over `repeats` runs."""
    result: T
    times = []
    for _ in range(repeats):
        start = clock()
        result = fn()
        times.append(clock() - start)
    return result, statistics.median(times)
