"""Benchmarks with synthetic data at scale (`make bench`); never part of `make test`.

Each bench/<name>.py defines `run() -> list[str]` printing what it measured: mostly SQL query
counts per page at growing data sizes, which must stay flat (no N+1).
"""
