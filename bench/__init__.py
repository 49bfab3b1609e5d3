"""Benchmark and Lighthouse tooling: `make bench`, `make lighthouse` (see bench/README.md)."""
