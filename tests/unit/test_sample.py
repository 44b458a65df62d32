"""--sample: a deterministic share of the input chosen by a hash of the id."""

import pytest

from transforms.sample import SampleConfig, in_sample


def test_the_share_is_close_to_the_fraction_and_the_same_every_time():
    ids = [f"doc-{i}" for i in range(20_000)]
    chosen = [i for i in ids if in_sample(i, SampleConfig(fraction=0.1))]
    assert 1800 <= len(chosen) <= 2200
    assert chosen == [i for i in ids if in_sample(i, SampleConfig(fraction=0.1))]


def test_a_larger_fraction_keeps_a_superset_and_a_seed_draws_another_sample():
    ids = [f"doc-{i}" for i in range(5_000)]
    small = {i for i in ids if in_sample(i, SampleConfig(fraction=0.05))}
    large = {i for i in ids if in_sample(i, SampleConfig(fraction=0.2))}
    other = {i for i in ids if in_sample(i, SampleConfig(fraction=0.05, seed=1))}
    assert small < large
    assert other != small and abs(len(other) - len(small)) < 100


def test_fraction_one_keeps_everything_and_bad_fractions_are_refused():
    assert all(in_sample(str(i), SampleConfig()) for i in range(100))
    for bad in (0.0, -0.5, 1.5):
        with pytest.raises(ValueError, match="sample.fraction must be in"):
            SampleConfig(fraction=bad)
