"""file_remove: a stored file goes; a storage that fails is logged, never raised (the row is gone either way)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from bekwaam.lib.storage import file_remove


def test_it_removes_a_stored_file(tmp_path: Any) -> None:
    storage = FileSystemStorage(location=tmp_path)
    name = storage.save("bewijs.txt", ContentFile(b"x"))
    file_remove(storage, name)
    assert not storage.exists(name)


def test_a_failing_storage_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    class Failing(FileSystemStorage):
        def delete(self, name: str) -> None:
            raise OSError("disk gone")

    file_remove(Failing(), "bewijs.txt")
    assert "Could not remove stored file bewijs.txt" in caplog.text


def test_an_empty_name_is_nothing_to_remove() -> None:
    class Refusing(FileSystemStorage):
        def delete(self, name: str) -> None:
            raise AssertionError("no call expected")

    file_remove(Refusing(), "")
