"""Input validation for measurements: which framework to start, and the ratings of the fill form.

The fill form has three fields per indicator (`level-<id>`, `explanation-<id>`, `evidence-<id>`)
and a hidden `indicator` per indicator shown, so a post names exactly the indicators it is about
(the whole page, or one indicator when saved on its own). Unchecked radio buttons send nothing:
the hidden field is what tells "not rated" apart from "not on this page".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from bekwaam.dossier.models import Evidence, Rating
from bekwaam.dossier.selectors.assessments import FrameworkShape
from bekwaam.dossier.services.assessments import EXPLANATION_MAX_LENGTH, RatingInput
from bekwaam.frameworks.models import Competence, Domain, FrameworkKind, FrameworkVersion, Indicator, VersionStatus
from bekwaam.tenancy.context import Actor


class AssessmentStartForm(forms.Form):
    framework_version = forms.ModelChoiceField(
        label=_("Competence framework"),
        queryset=FrameworkVersion.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the published competence frameworks of your board.")},
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = FrameworkVersion.objects.filter(  # type: ignore[attr-defined]
            board_id=actor.board_pk, status=VersionStatus.PUBLISHED, framework__kind=FrameworkKind.COMPETENCES
        ).select_related("framework")


class AssessmentCompareForm(forms.Form):
    # Named as in the URL (?from=…&to=…); "from" is a keyword, hence the field names in the data.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from"] = forms.UUIDField(label=_("Earlier measurement"))
        self.fields["to"] = forms.UUIDField(label=_("Later measurement"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("from") and data.get("from") == data.get("to"):
            raise forms.ValidationError(_("Choose two different measurements."))
        return data


@dataclass
class LevelOption:
    value: str
    label: str
    description: str
    checked: bool


@dataclass
class EvidenceOption:
    value: str
    title: str
    selected: bool


@dataclass
class IndicatorEntry:
    """One indicator on the fill form, with what is entered now (typed, or as saved)."""

    indicator: Indicator
    options: list[LevelOption]
    explanation: str
    evidence: list[EvidenceOption]
    errors: list[str] = field(default_factory=list)

    @property
    def rated(self) -> bool:
        return any(option.checked and option.value for option in self.options)

    @property
    def details_open(self) -> bool:
        return bool(self.explanation or any(e.selected for e in self.evidence) or self.errors)


@dataclass
class CompetenceEntry:
    competence: Competence
    indicators: list[IndicatorEntry]


@dataclass
class DomainEntry:
    domain: Domain
    competences: list[CompetenceEntry]

    @property
    def rated(self) -> int:
        return sum(i.rated for c in self.competences for i in c.indicators)

    @property
    def total(self) -> int:
        return sum(len(c.indicators) for c in self.competences)


class AssessmentRatingsForm(forms.Form):
    """The ratings of one measurement; only the indicators named in `indicator` are read."""

    anchor = forms.RegexField(regex=r"^[a-z0-9-]{1,64}\Z", required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Any = None,
        *,
        shape: FrameworkShape,
        evidence: list[Evidence],
        ratings: dict[int, Rating] | None = None,
        missing: set[int] | None = None,
    ) -> None:
        super().__init__(data)
        self.shape = shape
        self.evidence = evidence
        self.saved = ratings or {}
        self.missing = missing or set()
        level_choices = [("", _("Not rated yet")), *((str(level.pk), level.label) for level in shape.levels)]
        evidence_choices = [(str(e.pk), e.title) for e in evidence]
        self.indicator_map = {indicator.pk: indicator for indicator in shape.indicators}
        for pk in self.indicator_map:
            self.fields[f"level-{pk}"] = forms.ChoiceField(
                choices=level_choices,
                required=False,
                error_messages={"invalid_choice": _("Choose one of the levels of this framework's scale.")},
            )
            self.fields[f"explanation-{pk}"] = forms.CharField(
                required=False, max_length=EXPLANATION_MAX_LENGTH, strip=True, widget=forms.Textarea
            )
            self.fields[f"evidence-{pk}"] = forms.MultipleChoiceField(
                choices=evidence_choices,
                required=False,
                error_messages={"invalid_choice": _("Choose evidence from your own portfolio.")},
            )

    def _posted(self, key: str) -> list[str]:
        """Every value posted under a name (a QueryDict holds several per name)."""
        return list(self.data.getlist(key)) if isinstance(self.data, QueryDict) else []

    def posted_indicator_ids(self) -> list[int]:
        """The indicators this post is about; a value that is not an indicator of the version is an error."""
        ids: list[int] = []
        for raw in self._posted("indicator"):
            try:
                pk = int(raw)
            except (TypeError, ValueError):
                pk = -1
            if pk not in self.indicator_map:
                raise forms.ValidationError(_("Some indicators do not belong to this framework."))
            ids.append(pk)
        return ids

    def full_clean(self) -> None:
        # Validate only the fields of the indicators in this post: the others keep what was saved.
        if self.is_bound:
            try:
                posted = set(self.posted_indicator_ids())
            except forms.ValidationError:
                posted = set()
            for name in list(self.fields):
                if (
                    name.startswith(("level-", "explanation-", "evidence-"))
                    and int(name.rsplit("-", 1)[1]) not in posted
                ):
                    del self.fields[name]
        super().full_clean()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ratings: dict[int, RatingInput] = {}
        for pk in self.posted_indicator_ids():
            level = data.get(f"level-{pk}") or None
            ratings[pk] = RatingInput(
                level_id=int(level) if level else None,
                explanation=data.get(f"explanation-{pk}") or "",
                evidence_ids=frozenset(UUID(value) for value in data.get(f"evidence-{pk}") or []),
            )
        data["ratings"] = ratings
        return data

    # --- what the page shows ---------------------------------------------------------------------

    def _entry(self, indicator: Indicator) -> IndicatorEntry:
        pk = indicator.pk
        if self.is_bound and str(pk) in self._posted("indicator"):
            level = self.data.get(f"level-{pk}", "")
            explanation = self.data.get(f"explanation-{pk}", "")
            chosen = set(self._posted(f"evidence-{pk}"))
        else:
            rating = self.saved.get(pk)
            level = str(rating.level_id) if rating and rating.level_id else ""
            explanation = rating.explanation if rating else ""
            chosen = {str(e.pk) for e in rating.evidence.all()} if rating else set()
        options = [
            LevelOption(str(lv.pk), f"{lv.value}. {lv.label}", lv.description, level == str(lv.pk))
            for lv in self.shape.levels
        ]
        options.append(LevelOption("", str(_("Not rated yet")), "", level == ""))
        errors: list[str] = []
        if self.is_bound:
            for name in (f"level-{pk}", f"explanation-{pk}", f"evidence-{pk}"):
                errors.extend(str(e) for e in self.errors.get(name, []))
        if pk in self.missing and not any(o.checked and o.value for o in options):
            errors.append(str(_("Not rated yet: choose a level to finish.")))
        return IndicatorEntry(
            indicator=indicator,
            options=options,
            explanation=explanation,
            evidence=[EvidenceOption(str(e.pk), e.title, str(e.pk) in chosen) for e in self.evidence],
            errors=errors,
        )

    def entries(self) -> list[DomainEntry]:
        """Domains → competences → indicators with the values to show (typed ones win over saved ones)."""
        return [
            DomainEntry(
                domain=block.domain,
                competences=[
                    CompetenceEntry(competence=c.competence, indicators=[self._entry(i) for i in c.indicators])
                    for c in block.competences
                ],
            )
            for block in self.shape.domains
        ]
