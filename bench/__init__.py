"""Benchmarks at inquiry scale (`make bench`); not tests."""
