"""The choices on Mijn ontwikkeling: which parts to show, and which measurements, visits and 360° rounds to
put side by side. A GET form, so every view is a bookmarkable address (and its PDF the same address).

What the address asks for is never an error: values that are not among the person's own results (another
person's measurement id, a typo, an id of another board) are left out and the page says so; more than can
stand side by side keeps the latest; no choice at all shows the latest three of each.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from bekwaam.insights.selectors.person import (
    APPRAISALS,
    ATTENTION,
    DEFAULT_COUNT,
    FEEDBACK,
    GOALS,
    LEARNING,
    MAX_MEASUREMENTS,
    MAX_ROUNDS,
    MAX_VISITS,
    MEASUREMENTS,
    SECTIONS,
    VISITS,
    Option,
    PersonOptions,
    Selection,
)

SECTION_LABELS = {
    MEASUREMENTS: gettext_lazy("Measurements per domain and competence"),
    APPRAISALS: gettext_lazy("Appraisal criteria across the years"),
    VISITS: gettext_lazy("Lesson visits per domain"),
    FEEDBACK: gettext_lazy("360° feedback: your own view and others'"),
    GOALS: gettext_lazy("POP goals done per year"),
    LEARNING: gettext_lazy("E-learning completed"),
    ATTENTION: gettext_lazy("Points for attention"),
}
# The parameters of the address; anything else in it is ignored.
SECTION, MEASUREMENT, VISIT, ROUND = "section", "measurement", "visit", "round"
# Values read per parameter at most: a longer list is cut (and the rest counts as left out).
MAX_VALUES = 100


class PersonViewForm(forms.Form):
    section = forms.MultipleChoiceField(label=gettext_lazy("Show"), required=False, widget=forms.CheckboxSelectMultiple)
    measurement = forms.MultipleChoiceField(
        label=gettext_lazy("Measurements to compare"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    visit = forms.MultipleChoiceField(
        label=gettext_lazy("Lesson visits to compare"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    round = forms.MultipleChoiceField(
        label=gettext_lazy("360° rounds to compare"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, options: PersonOptions, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_mine_%s")
        super().__init__(*args, **kwargs)
        self.options = options
        self._choices("section", [(key, str(SECTION_LABELS[key])) for key in SECTIONS])
        self._choices("measurement", [(o.id, o.label) for o in options.measurements])
        self._choices("visit", [(o.id, o.label) for o in options.visits])
        self._choices("round", [(o.id, o.label) for o in options.rounds])
        for name, maximum in (("measurement", MAX_MEASUREMENTS), ("visit", MAX_VISITS), ("round", MAX_ROUNDS)):
            self.fields[name].help_text = _("At most %(max)s, side by side from old to new.") % {"max": maximum}

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields[name]
        if isinstance(field, forms.MultipleChoiceField):  # always: the four fields above
            field.choices = choices


def _normalised(value: str) -> str | None:
    try:
        return str(uuid.UUID(value.strip()))
    except (ValueError, AttributeError):
        return None


def _pick(
    query: QueryDict, name: str, options: Sequence[Option], maximum: int, *, kind_left_out: Any, kind_too_many: Any
) -> tuple[tuple[str, ...], list[str]]:
    """The person's own ids asked for under `name` (newest first, at most `maximum`), and what to say about the
    rest. An empty tuple when nothing usable was asked for."""
    raw = query.getlist(name)
    own = {option.id for option in options}
    asked = set()
    left_out = max(len(raw) - MAX_VALUES, 0)
    for value in raw[:MAX_VALUES]:
        normalised = _normalised(value)
        if normalised is not None and normalised in own:
            asked.add(normalised)
        else:
            left_out += 1
    chosen = [option.id for option in options if option.id in asked]  # newest first
    notices = []
    if left_out:
        notices.append(kind_left_out(left_out))
    if len(chosen) > maximum:
        notices.append(kind_too_many(maximum))
        chosen = chosen[:maximum]
    return tuple(chosen), notices


def _latest(options: Sequence[Option]) -> tuple[str, ...]:
    """The latest DEFAULT_COUNT of the newest group (a framework): what is compared when nothing is chosen."""
    if not options:
        return ()
    group = options[0].group
    return tuple(option.id for option in options if option.group == group)[:DEFAULT_COUNT]


def selection_read(query: QueryDict, *, options: PersonOptions) -> tuple[PersonViewForm, Selection]:
    """The person's choices from the address, cleaned to their own results, and the form showing them."""
    notices: list[str] = []

    sections: tuple[str, ...] = SECTIONS
    if SECTION in query:
        raw = [value for value in query.getlist(SECTION)[:MAX_VALUES] if value]
        known = tuple(key for key in SECTIONS if key in raw)
        if set(raw) - set(SECTIONS) or len(query.getlist(SECTION)) > MAX_VALUES:
            notices.append(_("Some parts asked for in the address do not exist and were left out."))
        if known:
            sections = known
        else:
            notices.append(_("No part was chosen, so every part is shown."))

    measurements, said = _pick(
        query,
        MEASUREMENT,
        options.measurements,
        MAX_MEASUREMENTS,
        kind_left_out=lambda n: (
            ngettext(
                "%(count)s chosen measurement is not one of your own finished measurements and was left out.",
                "%(count)s chosen measurements are not among your own finished measurements and were left out.",
                n,
            )
            % {"count": n}
        ),
        kind_too_many=lambda m: (
            _("At most %(max)s measurements can be put side by side: the latest are shown.") % {"max": m}
        ),
    )
    notices += said
    visits, said = _pick(
        query,
        VISIT,
        options.visits,
        MAX_VISITS,
        kind_left_out=lambda n: (
            ngettext(
                "%(count)s chosen lesson visit is not one of your own visits with scores and was left out.",
                "%(count)s chosen lesson visits are not among your own visits with scores and were left out.",
                n,
            )
            % {"count": n}
        ),
        kind_too_many=lambda m: (
            _("At most %(max)s lesson visits can be put side by side: the latest are shown.") % {"max": m}
        ),
    )
    notices += said
    rounds, said = _pick(
        query,
        ROUND,
        options.rounds,
        MAX_ROUNDS,
        kind_left_out=lambda n: (
            ngettext(
                "%(count)s chosen 360° round is not one of your own closed rounds and was left out.",
                "%(count)s chosen 360° rounds are not among your own closed rounds and were left out.",
                n,
            )
            % {"count": n}
        ),
        kind_too_many=lambda m: (
            _("At most %(max)s 360° rounds can be put side by side: the latest are shown.") % {"max": m}
        ),
    )
    notices += said

    # Nothing usable chosen for a part that is shown: its latest three, with a word when the form was sent (it
    # always sends its parts) or the address asked for some of them.
    defaults = [
        (MEASUREMENTS, MEASUREMENT, options.measurements, _("No measurement was chosen: the latest are shown.")),
        (VISITS, VISIT, options.visits, _("No lesson visit was chosen: the latest are shown.")),
        (FEEDBACK, ROUND, options.rounds, _("No 360° round was chosen: the latest are shown.")),
    ]
    chosen = {MEASUREMENTS: measurements, VISITS: visits, FEEDBACK: rounds}
    for section, name, available, message in defaults:
        if section in sections and available and not chosen[section]:
            chosen[section] = _latest(available)
            if SECTION in query or name in query:
                notices.append(message)

    selection = Selection(
        sections=sections,
        measurements=chosen[MEASUREMENTS],
        visits=chosen[VISITS],
        rounds=chosen[FEEDBACK],
        notices=notices,
    )
    data = QueryDict(mutable=True)
    data.setlist(SECTION, list(selection.sections))
    data.setlist(MEASUREMENT, list(selection.measurements))
    data.setlist(VISIT, list(selection.visits))
    data.setlist(ROUND, list(selection.rounds))
    form = PersonViewForm(data, options=options)
    form.is_valid()  # always valid: every value was taken from the choices
    return form, selection


def selection_query(selection: Selection) -> str:
    """The address's query for exactly this selection (for the PDF link and bookmarks)."""
    data = QueryDict(mutable=True)
    data.setlist(SECTION, list(selection.sections))
    data.setlist(MEASUREMENT, list(selection.measurements) if MEASUREMENTS in selection.sections else [])
    data.setlist(VISIT, list(selection.visits) if VISITS in selection.sections else [])
    data.setlist(ROUND, list(selection.rounds) if FEEDBACK in selection.sections else [])
    return data.urlencode()
