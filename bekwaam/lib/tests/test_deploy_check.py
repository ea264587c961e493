"""Production settings pass `manage.py check --deploy` and refuse to start when they are unsafe.

Each test starts `manage.py` in a fresh process, because settings are read once at import and
the test process itself runs with BEKWAAM_ENV=test.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Only what a process needs to run is taken from the test's own environment: anything else (DEBUG,
# BEKWAAM_ENV=test, DATABASE_URL, DJANGO_ALLOW_ASYNC_UNSAFE set by the browser tests) would not be
# production.
_PASSED_THROUGH = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def _production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    env = {name: os.environ[name] for name in _PASSED_THROUGH if name in os.environ}
    env.update(
        DJANGO_SETTINGS_MODULE="bekwaam.settings",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="bekwaam.example.nl",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    env.update(overrides)
    return {name: value for name, value in env.items() if value != ""}


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    # A fixed command line (this interpreter, the project's manage.py): no untrusted input.
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_reports_no_issues_for_check_deploy_with_production_settings(tmp_path: Path) -> None:
    result = _manage(_production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"SECRET_KEY": ""}, "Set the environment variable SECRET_KEY."),
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY must be at least 50 random characters"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3" * 10}, "SECRET_KEY must be at least 50 random characters"),
        ({"BEKWAAM_ENV": "prod"}, "BEKWAAM_ENV must be production, development or test"),
    ],
    ids=["missing-key", "short-key", "insecure-prefix", "unknown-environment"],
)
def test_it_refuses_to_start_production_with_unsafe_settings(
    tmp_path: Path, overrides: dict[str, str], message: str
) -> None:
    result = _manage(_production_env(tmp_path, **overrides), "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr
