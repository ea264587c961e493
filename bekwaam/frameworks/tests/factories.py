"""Framework builders for tests: a small published (or draft) version with a known shape."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from bekwaam.frameworks.models import (
    Audience,
    Competence,
    Domain,
    Framework,
    FrameworkKind,
    FrameworkVersion,
    Indicator,
    ScaleLevel,
    VersionStatus,
)

SCALE = ("Beginnend", "Basis", "Vakbekwaam", "Expert")


def framework_version_build(
    *,
    board: Any,
    slug: str = "test-framework",
    name: str = "Testkader",
    audience: str = Audience.TEACHERS,
    domains: int = 2,
    competences: int = 2,
    indicators: int = 2,
    scale: tuple[str, ...] = SCALE,
    published: bool = True,
    framework: Framework | None = None,
    kind: str = FrameworkKind.COMPETENCES,
) -> FrameworkVersion:
    """A version with `domains` by `competences` by `indicators`; codes like D1, D1.C2, D1.C2.I1."""
    if framework is None:
        framework, _ = Framework.objects.get_or_create(
            board=board, slug=slug, defaults={"name": name, "audience": audience, "kind": kind}
        )
    number = (framework.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = FrameworkVersion.objects.create(
        board=board,
        framework=framework,
        number=number,
        status=VersionStatus.PUBLISHED if published else VersionStatus.DRAFT,
        published_at=timezone.now() if published else None,
        scale_name="Testschaal",
    )
    ScaleLevel.objects.bulk_create(
        ScaleLevel(board=board, version=version, value=i, label=label) for i, label in enumerate(scale, start=1)
    )
    for d in range(1, domains + 1):
        domain = Domain.objects.create(board=board, version=version, code=f"D{d}", name=f"Domein {d}", position=d)
        for c in range(1, competences + 1):
            competence = Competence.objects.create(
                board=board,
                version=version,
                domain=domain,
                code=f"D{d}.C{c}",
                name=f"Competentie {d}.{c}",
                position=c,
            )
            Indicator.objects.bulk_create(
                Indicator(
                    board=board,
                    competence=competence,
                    code=f"D{d}.C{c}.I{i}",
                    text=f"Indicator {d}.{c}.{i}",
                    position=i,
                )
                for i in range(1, indicators + 1)
            )
    return version
