from __future__ import annotations

from bekwaam.tenancy.tests.matrix import EMPLOYEES, Case, at, expect

MATRIX: dict[str, list[Case]] = {
    "dossier:overview": [Case(at("dossier:overview"), expect(ok=EMPLOYEES))],
}
