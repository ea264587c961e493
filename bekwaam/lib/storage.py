"""File-storage helpers shared by every app that keeps uploads (dossier, quality, register, trajectories)."""

from __future__ import annotations

import logging

from django.core.files.storage import Storage

logger = logging.getLogger(__name__)


def file_remove(storage: Storage, name: str) -> None:
    """Delete a stored file; a failure is logged, never raised: the row is gone either way, and a left-over
    file is found by the storage's own tools."""
    if not name:
        return
    try:
        storage.delete(name)
    except OSError:
        logger.warning("Could not remove stored file %s", name, exc_info=True)
