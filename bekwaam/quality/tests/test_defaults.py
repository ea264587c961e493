"""The shipped onderzoekskader: the file, the loader (idempotent, never deletes a standard in use), the command."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.core.management import call_command

from bekwaam.quality.defaults import (
    ONDERZOEKSKADER_FILE,
    onderzoekskader_load,
    onderzoekskader_parse,
    shipped_onderzoekskader,
)
from bekwaam.quality.models import InspectionFramework, Level, QualityArea, SchoolVisit, Standard
from bekwaam.quality.tests.factories import inspection_build, kader_load, school_visit_build

pytestmark = pytest.mark.django_db

MODELS = {"framework_model": InspectionFramework, "area_model": QualityArea, "standard_model": Standard}


def _codes(framework_code: str, *, level: str | None = None, core: bool | None = None) -> set[str]:
    rows = Standard.objects.filter(framework__code=framework_code)
    if level is not None:
        rows = rows.filter(area__level=level)
    if core is not None:
        rows = rows.filter(is_core=core)
    return set(rows.values_list("code", flat=True))


def _raw() -> dict:
    return json.loads(ONDERZOEKSKADER_FILE.read_text(encoding="utf-8"))


def test_it_is_loaded_by_the_migration() -> None:
    assert set(InspectionFramework.objects.values_list("code", flat=True)) >= {"2017", "2021", "2023", "2024"}


def test_it_ships_the_2021_kader_with_its_kernstandaarden() -> None:
    kader_load()
    assert _codes("2021", level=Level.SCHOOL) == {
        "OP1", "OP2", "OP3", "OP4", "OP6", "VS1", "VS2", "OR1", "OR2", "SKA1", "SKA2", "SKA3"
    }  # fmt: skip
    assert _codes("2021", level=Level.BOARD) == {"BKA1", "BKA2", "BKA3"}
    assert _codes("2021", core=True) == {"OR1", "OP2", "OP3", "VS1"}


def test_it_adds_op0_in_2023_and_makes_it_kern_in_2024() -> None:
    kader_load()
    assert "OP0" not in _codes("2021")
    assert "OP0" in _codes("2023", core=False)
    assert _codes("2024", core=True) == {"OP0", "OR1", "OP2", "OP3", "VS1"}
    assert InspectionFramework.objects.get(code="2023").valid_from.isoformat() == "2023-08-01"
    assert InspectionFramework.objects.get(code="2024").valid_from.isoformat() == "2024-08-01"


def test_it_ships_the_2017_codes_as_an_older_version() -> None:
    kader_load()
    framework = InspectionFramework.objects.get(code="2017")
    assert framework.valid_from.isoformat() == "2017-08-01"
    assert _codes("2017") == {
        "OP1", "OP2", "OP3", "OP4", "OP5", "OP6", "OP8", "SK1", "SK2", "OR1", "OR2", "OR3",
        "KA1", "KA2", "KA3", "FB1", "FB2", "FB3",
    }  # fmt: skip
    assert _codes("2017", level=Level.BOARD) == {"FB1", "FB2", "FB3"}
    assert "prior knowledge" in framework.notes


def test_every_standard_has_a_short_dutch_description_and_a_confidence_tag() -> None:
    for framework in _raw()["frameworks"]:
        for area in framework["areas"]:
            for standard in area["standards"]:
                assert 20 < len(standard["description"]) < 400, standard["code"]
                assert standard["confidence"] in {"H", "M", "L"}


def test_loading_twice_changes_nothing() -> None:
    kader_load()
    before = list(Standard.objects.order_by("pk").values())
    report = onderzoekskader_load(**MODELS)
    assert not report.changed
    assert list(Standard.objects.order_by("pk").values()) == before


def test_the_counts_match_the_file() -> None:
    kader_load()
    for framework in shipped_onderzoekskader().frameworks:
        assert Standard.objects.filter(framework__code=framework.code).count() == len(framework.standards)
        assert QualityArea.objects.filter(framework__code=framework.code).count() == len(framework.areas)


def test_it_updates_an_edited_standard_by_code() -> None:
    kader_load()
    data = _raw()
    edited = copy.deepcopy(data)
    edited["frameworks"][1]["areas"][0]["standards"][0]["name"] = "Aanbod (herzien)"
    report = onderzoekskader_load(**MODELS, kader=onderzoekskader_parse(edited))
    assert report.standards_updated == 1
    assert Standard.objects.get(framework__code="2021", code="OP1").name == "Aanbod (herzien)"


def test_it_never_deletes_a_standard_in_use(world) -> None:
    framework = kader_load("2021")
    school = world.school_a
    inspection_build(board=world.board_a, school=school, framework=framework, judgements={"OP4": "sufficient"})
    school_visit_build(school=school, visitor=world.quality_officer, standard_codes=["OP6"], framework=framework)
    edited = _raw()
    op = edited["frameworks"][1]["areas"][0]
    op["standards"] = [s for s in op["standards"] if s["code"] not in {"OP4", "OP6", "OP1"}]
    report = onderzoekskader_load(**MODELS, kader=onderzoekskader_parse(edited))
    assert report.standards_removed == ["2021 OP1"]
    assert sorted(report.standards_kept_in_use) == ["2021 OP4", "2021 OP6"]
    assert {"OP4", "OP6"} <= _codes("2021")
    assert "OP1" not in _codes("2021")
    assert SchoolVisit.objects.get().standards.get().code == "OP6"


def test_it_refuses_a_broken_file() -> None:
    data = _raw()
    data["frameworks"][1]["areas"][0]["standards"].append({"code": "OP1", "name": "Twee keer"})
    with pytest.raises(ValueError, match="OP1"):
        onderzoekskader_parse(data)
    with pytest.raises(ValueError):
        onderzoekskader_parse({"schema": "something else"})


def test_the_command_reloads_and_reports() -> None:
    Standard.objects.filter(framework__code="2024", code="OP0").update(is_core=False, name="Weg")
    out = StringIO()
    call_command("quality_frameworks_load", stdout=out)
    standard = Standard.objects.get(framework__code="2024", code="OP0")
    assert standard.is_core and standard.name == "Basisvaardigheden"
    assert "updated: 1" in out.getvalue()
