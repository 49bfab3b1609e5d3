# Benchmark and Lighthouse: not part of `make test`. How to read the figures: bench/README.md.
# BENCH_DURATION (seconds per endpoint, default 8) overrides; results go to bench/results/ (git-ignored).
# BENCH_DB: the databases to run on, one full run each (default: SQLite, then a throwaway PostgreSQL).
# COMPARISONS: the size of the generated site measured after the load test (default 1000; 0 skips it).
.PHONY: bench bench-layers bench-tools bench-profile lighthouse page-heights
BENCH_DB ?= sqlite postgresql
COMPARISONS ?= 1000

# The benchmark and load-test tools (locust, pyinstrument), locked with hashes like the rest; not needed by make test.
$(VENV)/.bench-installed: $(VENV)/.installed requirements-bench.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements-bench.txt
	touch $@
bench-tools: $(VENV)/.bench-installed

bench: install bench-tools css system-deps ## Benchmark on SQLite and PostgreSQL: req/s vs a bare Django view, query counts, first-load bytes
	@for db in $(BENCH_DB); do $(PY) -m bench.run --db $$db --comparisons $(COMPARISONS) || exit 1; done

bench-layers: install bench-tools css system-deps ## Each in-process caching layer switched off in turn, on SQLite and PostgreSQL: which targets need it
	$(PY) -m bench.layers --db $(BENCH_DB)

lighthouse: install css ## Lighthouse scores (mobile) of the home, comparison and quiz pages
	$(PY) -m bench.lighthouse

page-heights: install css ## Height and width of the home and comparison pages at 390x844 and 1280x800 (SHOTS=dir saves screenshots)
	$(PY) -m bench.page_heights $(if $(SHOTS),--screenshots $(SHOTS))

bench-profile: install bench-tools css ## Where a request's time goes: each page profiled in process with pyinstrument (bench/README.md)
	$(PY) -m bench.profile
