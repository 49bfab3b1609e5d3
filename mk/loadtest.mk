# Load with accounting: simulated learners against gunicorn, on SQLite and PostgreSQL.
# Locust (loadtest/locustfile.py) drives the learners; LOADTEST_DB=sqlite|postgres picks one; LOADTEST_USERS (50), LOADTEST_SECONDS (60),
# LOADTEST_THREADS (gunicorn threads per worker, 4) override. See loadtest/run.py.
.PHONY: loadtest

loadtest: install bench-tools css ## Locust: 50 learners for 60 s against gunicorn (SQLite, PostgreSQL); no failure, answers must add up
	$(PY) loadtest/run.py
