"""Benchmarks run by hand from the repository root (`python -m benchmarks.<name>`); they read
../shared/data and print tables of figures. Not part of the test suite."""
