"""Every string a person sees has a Dutch translation, and the compiled catalogue is current."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "bekwaam" / "locale" / "nl" / "LC_MESSAGES"


def _po() -> polib.POFile:
    return polib.pofile(str(LOCALE / "django.po"))


def test_it_has_a_dutch_translation_for_every_string():
    untranslated = [entry.msgid for entry in _po() if not entry.translated() or entry.obsolete]
    assert untranslated == []


def test_it_has_no_fuzzy_translations():
    assert [entry.msgid for entry in _po() if "fuzzy" in entry.flags] == []


def test_it_ships_a_compiled_catalogue_matching_the_po_file():
    compiled = {(entry.msgctxt, entry.msgid): entry for entry in polib.mofile(str(LOCALE / "django.mo"))}
    stale = []
    for entry in _po():
        found = compiled.get((entry.msgctxt, entry.msgid))
        expected = entry.msgstr_plural if entry.msgid_plural else entry.msgstr
        actual = (found.msgstr_plural if entry.msgid_plural else found.msgstr) if found else None
        if actual != expected:
            stale.append(entry.msgid)
    assert stale == [], "run `make messages` to recompile django.mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (gettext) is not installed")
def test_it_has_every_string_of_the_code_in_the_catalogue(tmp_path):
    # makemessages into a copy of the tree, then compare the msgids with the committed catalogue.
    source = Path(settings.BASE_DIR) / "bekwaam"
    copy = tmp_path / "bekwaam"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "tests", "migrations"))
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "nl", "--no-obsolete", "--ignore", "*/tests/*"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "", "PYTHONPATH": str(source.parent)},
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
    committed = {entry.msgid for entry in _po()}
    assert sorted(fresh - committed) == [], "new strings: run `make messages` and translate them"
