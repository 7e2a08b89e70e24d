"""Project settings plus the `bench` app (for `manage.py generate_province`) and the benchmark's admin site.

The production settings (config/settings.py) do not install `bench`; use this module to run the generator:
`DJANGO_SETTINGS_MODULE=bench.settings_bench .venv/bin/python manage.py generate_province --scale 1`.
"""

import os

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls_bench"

# Experiment switch for the load test: the SQLite options we propose for config/settings.py (see bench/README.md).
if os.environ.get("BENCH_SQLITE_TUNED") == "1" and DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["OPTIONS"] = {  # noqa: F405
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
