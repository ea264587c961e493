"""The dialogue app's authorization matrix cases, one module per part (matrix_<part>.py), merged here."""

from __future__ import annotations

import importlib

from bekwaam.tenancy.tests.matrix import Case

MATRIX: dict[str, list[Case]] = {}

for _part in ("sessions",):
    try:
        _module = importlib.import_module(f"bekwaam.dialogue.tests.matrix_{_part}")
    except ModuleNotFoundError as error:
        if error.name != f"bekwaam.dialogue.tests.matrix_{_part}":
            raise
        continue
    _overlap = set(_module.MATRIX) & set(MATRIX)
    assert not _overlap, f"matrix_{_part} redefines {sorted(_overlap)}"
    MATRIX.update(_module.MATRIX)
