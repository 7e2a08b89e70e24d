"""Project settings plus the `bench` app (for `manage.py generate_province`) and the benchmark's admin site."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls_bench"
