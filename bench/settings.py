"""Settings for the benchmark's gunicorn: the production settings plus one bare view.

Everything else comes from the environment exactly as in production; the
harness (bench/server.py) sets a throwaway SECRET_KEY and database, plain HTTP
on loopback, and CACHE_URL per run.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
