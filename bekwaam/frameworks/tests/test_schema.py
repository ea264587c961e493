"""The framework file format: every bad input is refused with its place in the file, and nothing is written."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from bekwaam.frameworks import defaults, schema
from bekwaam.frameworks.models import Competence, Domain, Framework, FrameworkVersion, Indicator, ScaleLevel
from bekwaam.frameworks.services import framework_load
from bekwaam.tenancy.tests.factories import BoardFactory


def valid() -> dict[str, Any]:
    return {
        "schema": "bekwaam.framework",
        "schema_version": 1,
        "slug": "eigen-kader",
        "name": "Eigen kader",
        "audience": "teachers",
        "source": "Beleid van de stichting",
        "versions": [
            {
                "number": 1,
                "label": "2024",
                "notes": "",
                "scale_name": "Niveau",
                "scale": [{"value": 1, "label": "Laag", "description": ""}, {"value": 2, "label": "Hoog"}],
                "domains": [
                    {
                        "code": "A",
                        "name": "Lesgeven",
                        "description": "",
                        "competences": [
                            {
                                "code": "A.1",
                                "name": "Instructie",
                                "indicators": [{"code": "A.1.1", "text": "Geeft heldere uitleg."}],
                            }
                        ],
                    }
                ],
            }
        ],
    }


def problems(data: Any, **kwargs: Any) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        schema.parse(data, **kwargs)
    return caught.value.messages


def test_it_accepts_a_valid_file() -> None:
    parsed = schema.parse(valid())
    assert parsed.slug == "eigen-kader"
    assert parsed.versions[0].scale[1].description == ""
    assert parsed.versions[0].domains[0].competences[0].indicators[0].text == "Geeft heldere uitleg."


def test_it_reads_every_shipped_framework() -> None:
    shipped = {f.slug: f for f in defaults.shipped_frameworks()}
    assert set(shipped) == {"teacher-competences", "school-leader-standard", "icalt-kijkwijzer", "focus-kijkwijzer"}
    assert {slug for slug, f in shipped.items() if f.kind == "observation"} == {"icalt-kijkwijzer", "focus-kijkwijzer"}
    assert shipped["teacher-competences"].version_labels == ("2005", "2017")
    assert shipped["school-leader-standard"].audience == "school_leaders"
    for slug in shipped:
        assert shipped[slug].source


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d.update(schema="something.else"), 'the field "schema" must be'),
        (lambda d: d.pop("schema"), 'the field "schema" must be'),
        (lambda d: d.update(schema_version=2), "newer version of Bekwaam"),
        (lambda d: d.update(schema_version="1"), '"schema_version" must be a whole number'),
        (lambda d: d.update(schema_version=True), '"schema_version" must be a whole number'),
        (lambda d: d.update(slug="met spaties"), "slug: Use only letters"),
        (lambda d: d.update(slug=""), "slug: Must not be empty"),
        (lambda d: d.pop("name"), "name: This field is required"),
        (lambda d: d.update(name=42), "name: Must be text"),
        (lambda d: d.update(name="x" * 201), "name: Too long (at most 200 characters)"),
        (lambda d: d.update(audience="parents"), "audience: Must be one of: teachers, school_leaders"),
        (lambda d: d.update(colour="blue"), "colour: Unknown field"),
        (lambda d: d.update(versions=[]), "versions: The file has no versions"),
        (lambda d: d.pop("versions"), "versions: This field is required"),
        (lambda d: d.update(versions={"1": {}}), "versions: Must be a list"),
        (lambda d: d["versions"].append("v2"), "versions[1]: Must be an object"),
        (lambda d: d["versions"][0].update(scale=[]), "versions[0].scale: The rating scale needs at least one level"),
        (
            lambda d: d["versions"][0]["scale"][0].update(value=1.5),
            "versions[0].scale[0].value: Must be a whole number",
        ),
        (
            lambda d: d["versions"][0]["scale"][0].update(value="1"),
            "versions[0].scale[0].value: Must be a whole number",
        ),
        (lambda d: d["versions"][0]["scale"][0].update(value=-1), "versions[0].scale[0].value: Must be between 0 and"),
        (lambda d: d["versions"][0]["scale"][1].update(value=1), "versions[0].scale[1].value: Duplicate value “1”"),
        (lambda d: d["versions"][0]["scale"][0].update(label=" "), "versions[0].scale[0].label: Must not be empty"),
        (lambda d: d["versions"][0].update(domains=[]), "versions[0].domains: A version needs at least one domain"),
        (
            lambda d: d["versions"][0]["domains"].append(copy.deepcopy(d["versions"][0]["domains"][0])),
            "versions[0].domains[1].code: Duplicate domain code “A” (also at versions[0].domains[0].code)",
        ),
        (
            lambda d: d["versions"][0]["domains"][0].update(competences=[]),
            "versions[0].domains[0].competences: Every domain needs at least one competence",
        ),
        (
            lambda d: d["versions"][0]["domains"][0]["competences"][0].update(indicators=[]),
            "versions[0].domains[0].competences[0].indicators: Every competence needs at least one indicator",
        ),
        (
            lambda d: d["versions"][0]["domains"][0]["competences"][0]["indicators"].append(
                {"code": "a.1.1", "text": "Dubbel"}
            ),
            "versions[0].domains[0].competences[0].indicators[1].code: Duplicate indicator code “a.1.1”",
        ),
        (
            lambda d: d["versions"][0]["domains"][0]["competences"][0]["indicators"][0].update(text=""),
            "indicators[0].text: Must not be empty",
        ),
        (
            lambda d: d["versions"][0]["domains"][0]["competences"][0].update(code="C" * 33),
            "competences[0].code: Too long (at most 32 characters)",
        ),
        (lambda d: d["versions"][0].update(number=0), "versions[0].number: Must be between 1 and"),
        (
            lambda d: d["versions"].append({**copy.deepcopy(d["versions"][0]), "number": 1, "label": "2025"}),
            "versions[1].number: Versions must be listed oldest first",
        ),
        (
            lambda d: d["versions"].append({k: v for k, v in copy.deepcopy(d["versions"][0]).items() if k != "number"}),
            "versions: Give every version a number, or none",
        ),
    ],
)
def test_it_refuses_bad_input_and_says_where(change: Any, expected: str) -> None:
    data = valid()
    change(data)
    assert any(expected in message for message in problems(data)), problems(data)


def test_it_refuses_a_competence_code_used_twice_in_one_version_across_domains() -> None:
    data = valid()
    data["versions"][0]["domains"].append(
        {
            "code": "B",
            "name": "Omgeving",
            "competences": [
                {"code": "A.1", "name": "Ouders", "indicators": [{"code": "1", "text": "Praat met ouders."}]}
            ],
        }
    )
    assert problems(data) == [
        "versions[0].domains[1].competences[0].code: Duplicate competence code “A.1” "
        "(also at versions[0].domains[0].competences[0].code)."
    ]


def test_it_lists_every_problem_at_once() -> None:
    data = valid()
    data["name"] = ""
    data["versions"][0]["scale"] = []
    data["versions"][0]["domains"][0]["competences"][0]["indicators"] = []
    assert len(problems(data)) == 3


def test_it_caps_the_list_of_problems() -> None:
    data = valid()
    data["versions"][0]["domains"] = [{} for _ in range(40)]  # three problems each
    messages = problems(data)
    assert len(messages) == schema.MAX_ERRORS + 1
    assert "more problems" in messages[-1]


def test_it_refuses_what_is_not_a_json_object() -> None:
    assert "not a Bekwaam framework file" in problems([1, 2])[0]
    assert "not a Bekwaam framework file" in problems("tekst")[0]


def test_it_decodes_only_json_text() -> None:
    with pytest.raises(ValidationError, match="not valid JSON \\(line 1, column 2\\)"):
        schema.decode(b"{nope")
    with pytest.raises(ValidationError, match="UTF-8"):
        schema.decode("é".encode("latin-1"))
    assert schema.decode("\ufeff{}".encode()) == {}  # a byte-order mark is fine


def test_it_allows_what_a_draft_may_lack_when_not_complete() -> None:
    data = valid()
    data["versions"][0]["domains"][0]["competences"] = []
    assert schema.parse(data, complete=False).versions[0].domains[0].competences == []


@pytest.mark.django_db
def test_it_writes_nothing_when_the_file_is_wrong() -> None:
    board = BoardFactory()
    data = valid()
    data["versions"].append({**copy.deepcopy(data["versions"][0]), "number": 2, "scale": []})
    with pytest.raises(ValidationError):
        framework_load(board=board, data=data)
    for model in (Framework, FrameworkVersion, ScaleLevel, Domain, Competence, Indicator):
        assert not model.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_slug_the_board_has_and_writes_nothing_more() -> None:
    board = BoardFactory()
    framework_load(board=board, data=valid())
    with pytest.raises(ValidationError, match="already has a framework with the code “eigen-kader”"):
        framework_load(board=board, data=valid())
    assert FrameworkVersion.objects.count() == 1


def test_it_writes_the_schema_it_reads() -> None:
    parsed = schema.parse(valid())
    again = schema.parse(json.loads(schema.dumps(schema.framework_to_dict(parsed))))
    assert again == parsed
