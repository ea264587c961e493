"""Settings for `make bench`: Bekwaam's own settings, a database of its own, the floor view's URL map.

Everything else stays as production runs it (DEBUG off, every middleware), except a fast
password hasher and in-memory e-mail: neither is on the path of a page being timed.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import cast

import dj_database_url

from bekwaam.settings import *  # noqa: F403  (the bench changes only what it names below)
from bekwaam.settings import BASE_DIR, TEMPLATES

DEBUG = False

# BENCH_DATABASE_URL, else DATABASE_URL (PostgreSQL in CI), else a SQLite file next to the dev database.
BENCH_SQLITE_PATH = BASE_DIR / "var" / "bench.sqlite3"
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or ""
DATABASES = {"default": dj_database_url.parse(BENCH_DATABASE_URL or f"sqlite:///{BENCH_SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The same pragmas as bekwaam.settings, so SQLite timings match what `make run` serves.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

ROOT_URLCONF = "bench.urls"
TEMPLATES = copy.deepcopy(TEMPLATES)
TEMPLATES[0]["DIRS"] = [*cast(list[Path], TEMPLATES[0]["DIRS"]), BASE_DIR / "bench" / "templates"]

# The in-process test client sends Host: testserver.
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# No HTTPS redirect or secure-only cookies: the test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "ERROR"},
}
# Plain static storage: the manifest one needs collectstatic, and serving static files is not timed.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
