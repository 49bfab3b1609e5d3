# Benchmark and Lighthouse: not part of `make test`. How to read the figures: bench/README.md.
# BENCH_DURATION (seconds per endpoint, default 8) overrides; results go to bench/results/ (git-ignored).
.PHONY: bench lighthouse page-heights

bench: install css ## Benchmark: req/s, p50/p99 vs a bare Django view, query counts, first-load bytes
	$(PY) -m bench.run

lighthouse: install css ## Lighthouse scores (mobile) of the home, comparison and quiz pages
	$(PY) -m bench.lighthouse

page-heights: install css ## Height and width of the home and comparison pages at 390x844 and 1280x800 (SHOTS=dir saves screenshots)
	$(PY) -m bench.page_heights $(if $(SHOTS),--screenshots $(SHOTS))
