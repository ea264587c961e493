"""Authorization matrix cases for the evaluations part of kwaliteitszorg (merged by matrix_cases.py).

Who reaches what (quality/rules.py): the kwaliteitsmedewerker (quality_officer) sees and records everything
at board A; the bestuurder (board_member) sees everything and records only the board's own (BKA) records;
the schoolleider (manager) sees and records for school_a, the school they lead, and does not find school_a2's
records or the board's own. Everyone else is refused the quality pages (403), board B's people included:
they hold no quality role. A record of another school or board is "not found", never "forbidden".
Every POST names a `state` read before and after, so "ok" is a request that really changed something.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bekwaam.quality.models import (
    InspectionFramework,
    InspectionStandardJudgement,
    InspectionVisit,
    JudgementLevel,
    QualityDocument,
    RepairOrder,
    SchoolFlag,
    SchoolVisit,
    SelfEvaluation,
    Standard,
    StandardAssessment,
)
from bekwaam.quality.tests.factories import (
    evaluation_build,
    flag_build,
    inspection_build,
    kader_load,
    scale_build,
    school_visit_build,
)
from bekwaam.tenancy.tests.matrix import (
    ADMIN_LOGIN,
    DENIED,
    INVALID,
    NOT_ALLOWED,
    SAMPLE,
    Case,
    World,
    at,
    expect,
)

# --- who ----------------------------------------------------------------------------------------------------

SCHOOL_A = expect(ok=("board_member", "quality_officer", "manager"))
SCHOOL_A2 = expect(ok=("board_member", "quality_officer"), not_found=("manager",))
BOARD_LEVEL = expect(ok=("board_member", "quality_officer"), not_found=("manager",))
SCHOOL_B = expect(not_found=("board_member", "quality_officer", "manager"))
RECORD_A = expect(ok=("quality_officer", "manager")) | {"board_member": DENIED}
RECORD_A2 = expect(ok=("quality_officer",), not_found=("manager",)) | {"board_member": DENIED}
RECORD_BOARD = expect(ok=("board_member", "quality_officer"), not_found=("manager",))
OFFICER = expect(ok=("quality_officer",))
OFFICER_B = expect(not_found=("quality_officer",))
NOT_GET = expect(others=NOT_ALLOWED, anonymous=NOT_ALLOWED)
ONLY_OPERATOR = expect(ok=("operator",), others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN)
OPERATOR_DENIED = expect(others=ADMIN_LOGIN, anonymous=ADMIN_LOGIN) | {"operator": DENIED}


# --- the records the URLs point at (made once per test, found again by their title) --------------------------


def _evaluation(label: str, school: str | None, state: str = "final", kind: str = "self_evaluation") -> Any:
    def get(world: World) -> Any:
        found = SelfEvaluation.objects.filter(title=f"Matrix {label}").first()
        if found is None:
            school_obj = getattr(world, school) if school else None
            found = evaluation_build(
                board=school_obj.board if school_obj else world.board_a,
                school=school_obj,
                state=state,
                kind=kind,
                title=f"Matrix {label}",
                judgements={"OP1": "voldoende", "BKA1": "goed"},
            )
        return found.pk

    return get


def _school(name: str) -> Callable[[World], Any]:
    return lambda world: getattr(world, name).pk


def _inspection(label: str, school: str | None, *, upcoming: bool = False) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        kader_load()
        found = InspectionVisit.objects.filter(summary=f"Matrix {label}").first()
        if found is None:
            board = world.board_b if school == "school_b" else world.board_a
            today = timezone.localdate()
            found = inspection_build(
                board=board,
                school=getattr(world, school) if school else None,
                date=today + datetime.timedelta(days=30) if upcoming else today - datetime.timedelta(days=10),
                judgements={} if upcoming else {"OP2" if school else "BKA2": "insufficient"},
            )
            found.summary = f"Matrix {label}"
            found.save(update_fields=["summary"])
        return found.pk

    return get


def _school_visit(school: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        found = SchoolVisit.objects.filter(purpose=f"Matrix {school}").first()
        if found is None:
            visitor = world.quality_officer if school != "school_b" else world.outsider_admin
            found = school_visit_build(
                school=getattr(world, school), visitor=visitor, purpose=f"Matrix {school}", standard_codes=["OP1"]
            )
        return found.pk

    return get


def _flag(school: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        found = SchoolFlag.objects.filter(school=getattr(world, school), cleared_at__isnull=True).first()
        return (found or flag_build(school=getattr(world, school), reason="Matrix")).pk

    return get


def _document(school: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        found = QualityDocument.objects.filter(title=f"Matrix {school}").first()
        if found is None:
            school_obj = getattr(world, school)
            found = QualityDocument(board_id=school_obj.board_id, school=school_obj, title=f"Matrix {school}")
            found.content_type, found.size = "application/pdf", 9
            found.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return found.pk

    return get


def _level(board: str) -> Callable[[World], Any]:
    """A spare level 9 of the board's scale that no judgement uses (renamable, movable, deletable)."""

    def get(world: World) -> Any:
        board_obj = getattr(world, board)
        scale_build(board_obj)
        level, _created = JudgementLevel.objects.get_or_create(board=board_obj, value=9, defaults={"label": "Reserve"})
        return level.pk

    return get


def _standard(code: str, framework: str = "2024") -> Callable[[World], Any]:
    def get(world: World) -> Any:
        kader_load()
        return Standard.objects.get(framework__code=framework, code=code).pk

    return get


def _framework(code: str) -> Callable[[World], Any]:
    def get(world: World) -> Any:
        kader_load()
        return InspectionFramework.objects.get(code=code).pk

    return get


# --- what a POST may change -----------------------------------------------------------------------------------


def quality_state(world: World) -> object:
    return (
        sorted((str(e.pk), e.title, e.state, e.date, e.school_id) for e in SelfEvaluation.objects.all()),
        sorted(StandardAssessment.objects.values_list("evaluation_id", "standard_id", "level_id", "substantiation")),
        sorted((str(v.pk), v.date, v.kind, v.overall_judgement, v.summary) for v in InspectionVisit.objects.all()),
        sorted(InspectionStandardJudgement.objects.values_list("visit_id", "standard_id", "judgement")),
        sorted(RepairOrder.objects.values_list("visit_id", "description", "deadline")),
        sorted((str(v.pk), v.findings) for v in SchoolVisit.objects.all()),
        sorted(SchoolFlag.objects.values_list("school_id", "reason", "cleared_at")),
        sorted(JudgementLevel.objects.values_list("board_id", "value", "label", "archived")),
    )


def _today() -> str:
    return timezone.localdate().isoformat()


def _evaluation_post(school: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        return {
            "school": str(school(world)),
            "title": "Matrix nieuw",
            "date": _today(),
            "framework": str(_framework("2024")(world)),
            "summary": "",
        }

    return data


def _edit_post(world: World) -> dict[str, Any]:
    return {"title": "Matrix bewerkt", "date": _today(), "summary": "Samenvatting"}


def _inspection_post(school: Callable[[World], Any] | str) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        return {
            "school": school if isinstance(school, str) else str(school(world)),
            "date": _today(),
            "kind": "four_yearly",
            "framework": "",
            "overall_judgement": "sufficient",
            "summary": "Matrix opgenomen",
            "report_url": "",
        }

    return data


def _inspection_edit_post(world: World) -> dict[str, Any]:
    return {
        "date": (timezone.localdate() - datetime.timedelta(days=10)).isoformat(),
        "kind": "four_yearly",
        "overall_judgement": "insufficient",
        "summary": "Matrix bewerkt",
        "report_url": "",
        "repair-TOTAL_FORMS": "1",
        "repair-INITIAL_FORMS": "0",
        "repair-MIN_NUM_FORMS": "0",
        "repair-MAX_NUM_FORMS": "50",
        "repair-0-description": "Herstel de zorgstructuur",
        "repair-0-standard": "",
        "repair-0-deadline": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
    }


def _school_visit_post(school: Callable[[World], Any]) -> Callable[[World], dict[str, Any]]:
    def data(world: World) -> dict[str, Any]:
        return {"school": str(school(world)), "date": _today(), "purpose": "Rondgang", "findings": "Matrix bevinding"}

    return data


def _post(url: Any, who: dict[str, str], data: Any = None, changes: tuple[str, ...] = (), label: str = "") -> Case:
    return Case(
        url,
        who,
        method="post",
        data=data if callable(data) else (lambda w, d=data: dict(d or {})),
        state=quality_state,
        changes=changes,
        label=label,
    )


A_SCHOOL = _school("school_a")
A2_SCHOOL = _school("school_a2")
B_SCHOOL = _school("school_b")
EVAL_A = _evaluation("final A", "school_a")
DRAFT_A = _evaluation("draft A", "school_a", state="draft")
DRAFT_A2 = _evaluation("draft A2", "school_a2", state="draft")
DRAFT_BOARD = _evaluation("draft board", None, state="draft")
EVAL_B = _evaluation("final B", "school_b")
INSPECTION_A = _inspection("held A", "school_a")
INSPECTION_A2 = _inspection("held A2", "school_a2")
INSPECTION_BOARD = _inspection("held board", None)
INSPECTION_B = _inspection("held B", "school_b")


MATRIX: dict[str, list[Case]] = {
    "quality:home": [
        Case(at("quality:home"), expect(ok=("board_member", "quality_officer", "manager"))),
    ],
    "quality:school-detail": [
        Case(at("quality:school-detail", school_id=A_SCHOOL), SCHOOL_A, label="school_a"),
        Case(at("quality:school-detail", school_id=A2_SCHOOL), SCHOOL_A2, label="school_a2"),
        Case(at("quality:school-detail", school_id=B_SCHOOL), SCHOOL_B, label="school_b"),
    ],
    "quality:board-evaluations": [
        Case(at("quality:board-evaluations"), expect(ok=("board_member", "quality_officer"))),
    ],
    # --- the scale ---
    "quality:scale-settings": [Case(at("quality:scale-settings"), OFFICER)],
    "quality:scale-level-create": [
        Case(at("quality:scale-level-create"), OFFICER),
        _post(at("quality:scale-level-create"), OFFICER, {"label": "Uitstekend"}, changes=("quality_officer",)),
    ],
    "quality:scale-level-edit": [
        Case(at("quality:scale-level-edit", level_id=_level("board_a")), OFFICER),
        Case(at("quality:scale-level-edit", level_id=_level("board_b")), OFFICER_B, label="board B"),
        _post(
            at("quality:scale-level-edit", level_id=_level("board_a")),
            OFFICER,
            {"label": "Extra", "description": ""},
            changes=("quality_officer",),
        ),
    ],
    "quality:scale-level-archive": [
        Case(at("quality:scale-level-archive", level_id=_level("board_a")), NOT_GET),
        _post(at("quality:scale-level-archive", level_id=_level("board_a")), OFFICER, changes=("quality_officer",)),
        _post(at("quality:scale-level-archive", level_id=_level("board_b")), OFFICER_B, label="board B"),
    ],
    "quality:scale-level-restore": [
        Case(at("quality:scale-level-restore", level_id=_level("board_a")), NOT_GET),
        # Not archived: nothing to restore, a redirect with a message and no change for anyone.
        _post(at("quality:scale-level-restore", level_id=_level("board_a")), OFFICER),
    ],
    "quality:scale-level-delete": [
        Case(at("quality:scale-level-delete", level_id=_level("board_a")), NOT_GET),
        _post(at("quality:scale-level-delete", level_id=_level("board_a")), OFFICER, changes=("quality_officer",)),
    ],
    "quality:scale-level-move": [
        Case(at("quality:scale-level-move", level_id=_level("board_a")), NOT_GET),
        _post(
            at("quality:scale-level-move", level_id=_level("board_a")),
            OFFICER,
            {"direction": "down"},
            changes=("quality_officer",),
        ),
    ],
    # --- self-evaluations and nu-metingen ---
    "quality:evaluation-create": [
        Case(at("quality:evaluation-create"), expect(ok=("quality_officer", "manager")) | {"board_member": DENIED}),
        Case(
            lambda w: at("quality:evaluation-create")(w) + "?scope=board",
            expect(ok=("board_member", "quality_officer")),
            label="board",
        ),
        Case(
            lambda w: at("quality:evaluation-create")(w) + "?kind=snapshot",
            expect(ok=("quality_officer", "manager")) | {"board_member": DENIED},
            label="nu-meting",
        ),
        _post(
            at("quality:evaluation-create"),
            RECORD_A,
            _evaluation_post(A_SCHOOL),
            changes=("quality_officer", "manager"),
            label="school_a",
        ),
        _post(
            at("quality:evaluation-create"),
            expect(ok=("quality_officer",)) | {"manager": INVALID, "board_member": DENIED},
            _evaluation_post(A2_SCHOOL),
            changes=("quality_officer",),
            label="school_a2",
        ),
        _post(
            at("quality:evaluation-create"),
            expect() | {"quality_officer": INVALID, "manager": INVALID, "board_member": DENIED},
            _evaluation_post(B_SCHOOL),
            label="school of board B",
        ),
    ],
    "quality:evaluation-detail": [
        Case(at("quality:evaluation-detail", evaluation_id=EVAL_A), SCHOOL_A, label="school_a"),
        Case(at("quality:evaluation-detail", evaluation_id=DRAFT_A2), SCHOOL_A2, label="school_a2"),
        Case(at("quality:evaluation-detail", evaluation_id=DRAFT_BOARD), BOARD_LEVEL, label="board"),
        Case(at("quality:evaluation-detail", evaluation_id=EVAL_B), SCHOOL_B, label="board B"),
    ],
    "quality:evaluation-edit": [
        Case(at("quality:evaluation-edit", evaluation_id=DRAFT_A), RECORD_A, label="school_a"),
        Case(at("quality:evaluation-edit", evaluation_id=DRAFT_A2), RECORD_A2, label="school_a2"),
        Case(at("quality:evaluation-edit", evaluation_id=DRAFT_BOARD), RECORD_BOARD, label="board"),
        _post(
            at("quality:evaluation-edit", evaluation_id=DRAFT_A),
            RECORD_A,
            _edit_post,
            changes=("quality_officer", "manager"),
            label="school_a",
        ),
        _post(
            at("quality:evaluation-edit", evaluation_id=DRAFT_BOARD),
            RECORD_BOARD,
            _edit_post,
            changes=("quality_officer", "board_member"),
            label="board",
        ),
        _post(at("quality:evaluation-edit", evaluation_id=EVAL_B), SCHOOL_B, _edit_post, label="board B"),
    ],
    "quality:evaluation-move": [
        Case(at("quality:evaluation-move", evaluation_id=EVAL_A), NOT_GET),
        _post(
            at("quality:evaluation-move", evaluation_id=EVAL_A),
            RECORD_A,
            {"action": "reopen"},
            changes=("quality_officer", "manager"),
            label="school_a",
        ),
        _post(
            at("quality:evaluation-move", evaluation_id=DRAFT_A2),
            RECORD_A2,
            {"action": "finalise"},
            changes=("quality_officer",),
            label="school_a2",
        ),
    ],
    "quality:document-file": [
        Case(at("quality:document-file", document_id=_document("school_a")), SCHOOL_A, label="school_a"),
        Case(at("quality:document-file", document_id=_document("school_a2")), SCHOOL_A2, label="school_a2"),
        Case(at("quality:document-file", document_id=_document("school_b")), SCHOOL_B, label="board B"),
    ],
    # --- inspections ---
    "quality:inspection-create": [
        Case(at("quality:inspection-create"), SCHOOL_A),
        _post(
            at("quality:inspection-create"),
            RECORD_A | {"board_member": INVALID},
            _inspection_post(A_SCHOOL),
            changes=("quality_officer", "manager"),
            label="school_a",
        ),
        _post(
            at("quality:inspection-create"),
            RECORD_BOARD | {"manager": INVALID},
            _inspection_post("board"),
            changes=("quality_officer", "board_member"),
            label="board",
        ),
        _post(
            at("quality:inspection-create"),
            expect() | {"quality_officer": INVALID, "manager": INVALID, "board_member": INVALID},
            _inspection_post(B_SCHOOL),
            label="school of board B",
        ),
    ],
    "quality:inspection-detail": [
        Case(at("quality:inspection-detail", visit_id=INSPECTION_A), SCHOOL_A, label="school_a"),
        Case(at("quality:inspection-detail", visit_id=INSPECTION_A2), SCHOOL_A2, label="school_a2"),
        Case(at("quality:inspection-detail", visit_id=INSPECTION_BOARD), BOARD_LEVEL, label="board"),
        Case(at("quality:inspection-detail", visit_id=INSPECTION_B), SCHOOL_B, label="board B"),
        Case(
            at("quality:inspection-detail", visit_id=_inspection("upcoming A", "school_a", upcoming=True)),
            SCHOOL_A,
            label="upcoming",
        ),
    ],
    "quality:inspection-edit": [
        Case(at("quality:inspection-edit", visit_id=INSPECTION_A), RECORD_A, label="school_a"),
        Case(at("quality:inspection-edit", visit_id=INSPECTION_BOARD), RECORD_BOARD, label="board"),
        _post(
            at("quality:inspection-edit", visit_id=INSPECTION_A),
            RECORD_A,
            _inspection_edit_post,
            changes=("quality_officer", "manager"),
            label="school_a",
        ),
        _post(
            at("quality:inspection-edit", visit_id=INSPECTION_A2),
            RECORD_A2,
            _inspection_edit_post,
            changes=("quality_officer",),
            label="school_a2",
        ),
        _post(at("quality:inspection-edit", visit_id=INSPECTION_B), SCHOOL_B, _inspection_edit_post, label="board B"),
    ],
    # --- school visits and flags ---
    "quality:schoolvisit-create": [
        Case(at("quality:schoolvisit-create"), OFFICER),
        _post(
            at("quality:schoolvisit-create"),
            OFFICER,
            _school_visit_post(A2_SCHOOL),
            changes=("quality_officer",),
            label="school_a2",
        ),
        _post(
            at("quality:schoolvisit-create"),
            OFFICER | {"quality_officer": INVALID},
            _school_visit_post(B_SCHOOL),
            label="school of board B",
        ),
    ],
    "quality:schoolvisit-detail": [
        Case(at("quality:schoolvisit-detail", visit_id=_school_visit("school_a")), SCHOOL_A, label="school_a"),
        Case(at("quality:schoolvisit-detail", visit_id=_school_visit("school_a2")), SCHOOL_A2, label="school_a2"),
        Case(at("quality:schoolvisit-detail", visit_id=_school_visit("school_b")), SCHOOL_B, label="board B"),
    ],
    "quality:flag-create": [
        Case(at("quality:flag-create", school_id=A_SCHOOL), OFFICER),
        Case(at("quality:flag-create", school_id=B_SCHOOL), OFFICER_B, label="board B"),
        _post(
            at("quality:flag-create", school_id=A2_SCHOOL),
            OFFICER,
            {"reason": "Zorgen over de resultaten"},
            changes=("quality_officer",),
        ),
    ],
    "quality:flag-clear": [
        Case(at("quality:flag-clear", flag_id=_flag("school_a")), NOT_GET),
        _post(at("quality:flag-clear", flag_id=_flag("school_a")), OFFICER, changes=("quality_officer",)),
        _post(at("quality:flag-clear", flag_id=_flag("school_b")), OFFICER_B, label="board B"),
    ],
}


# --- the operator's admin of the onderzoekskader (national data, no personal data) ------------------------------


def _admin_object(name: str, object_id: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda world: reverse(name, args=[object_id(world)])


def _in_use_standard(world: World) -> Any:
    """A standard a self-evaluation refers to: the operator may not delete it."""
    evaluation = SelfEvaluation.objects.get(pk=EVAL_A(world))
    return StandardAssessment.objects.filter(evaluation=evaluation).order_by("pk").first().standard_id  # type: ignore[union-attr]


for _model, _object_id, _in_use in (
    ("inspectionframework", _framework("2017"), None),
    ("standard", _standard("OP8", "2017"), _in_use_standard),
):
    _name = f"admin:quality_{_model}_%s"
    MATRIX[_name % "changelist"] = [Case(at(_name % "changelist"), ONLY_OPERATOR, personas=SAMPLE)]
    MATRIX[_name % "add"] = [Case(at(_name % "add"), ONLY_OPERATOR, personas=SAMPLE)]
    MATRIX[_name % "history"] = [Case(_admin_object(_name % "history", _object_id), ONLY_OPERATOR, personas=SAMPLE)]
    MATRIX[_name % "change"] = [Case(_admin_object(_name % "change", _object_id), ONLY_OPERATOR, personas=SAMPLE)]
    MATRIX[_name % "delete"] = [
        Case(_admin_object(_name % "delete", _object_id), ONLY_OPERATOR, personas=SAMPLE, label="not in use")
    ]
    if _in_use is not None:
        MATRIX[_name % "delete"].append(
            Case(_admin_object(_name % "delete", _in_use), OPERATOR_DENIED, personas=SAMPLE, label="in use")
        )
    _route = f"admin/quality/{_model}/<path:object_id>/"
    MATRIX[_route] = [
        Case(
            (lambda route, object_id: lambda w: "/" + route.replace("<path:object_id>", str(object_id(w))))(
                _route, _object_id
            ),
            ONLY_OPERATOR,
            personas=SAMPLE,
        )
    ]
