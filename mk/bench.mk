# Benchmark and Lighthouse: not part of `make test`. How to read the figures: bench/README.md.
# BENCH_DURATION (seconds per endpoint, default 8) overrides; results go to bench/results/ (git-ignored).
# BENCH_DB: the databases to run on, one full run each (default: SQLite, then a throwaway PostgreSQL).
.PHONY: bench lighthouse
BENCH_DB ?= sqlite postgresql

bench: install css system-deps ## Benchmark on SQLite and PostgreSQL: req/s vs a bare Django view, query counts, first-load bytes
	@for db in $(BENCH_DB); do $(PY) -m bench.run --db $$db || exit 1; done

lighthouse: install css ## Lighthouse scores (mobile) of the home, comparison and quiz pages
	$(PY) -m bench.lighthouse
