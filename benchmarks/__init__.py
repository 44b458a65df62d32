"""Benchmarks run by hand from the repo root (`python -m benchmarks.<name>`); they read ../shared/data."""
