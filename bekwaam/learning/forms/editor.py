"""Input of the author pages and of suggestions: types, lengths and choices only; the services check the rules.

The video link is a plain text field, not Django's URLField: URLField accepts ftp: (and would rewrite what was
typed); here only http(s) is accepted, with a message, and a refused link stays in the field as typed.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bekwaam.learning.models import CourseLevel, CourseVersion, Lesson, Question, QuestionKind
from bekwaam.learning.selectors.editor import CompetenceGroup
from bekwaam.learning.services.editor import (
    BODY_MAX,
    DOWN,
    DURATION_MAX,
    EXPLANATION_MAX,
    OPTION_MAX,
    QUESTION_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    UP,
    VIDEO_URL_MAX,
    CompetencePick,
    LessonData,
    QuestionData,
    VersionData,
    video_url_clean,
)
from bekwaam.lib.forms import apply_validation_error

OPTION_ROWS = 6


class VersionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=SUMMARY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What someone reads in the catalogue before starting."),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=DURATION_MAX, initial=30
    )
    level = forms.ChoiceField(label=_("Level"), choices=CourseLevel.choices, initial=CourseLevel.INTRODUCTION)
    pass_mark = forms.IntegerField(
        label=_("Pass mark (%)"),
        min_value=1,
        max_value=100,
        initial=70,
        help_text=_("The percentage of quiz questions answered right that passes the module (1–100)."),
    )

    def data_object(self) -> VersionData:
        data = self.cleaned_data
        return VersionData(
            title=data["title"],
            summary=data["summary"],
            duration_minutes=data["duration_minutes"],
            level=data["level"],
            pass_mark=data["pass_mark"],
        )


def version_initial(version: CourseVersion) -> dict[str, Any]:
    return {
        "title": version.title,
        "summary": version.summary,
        "duration_minutes": version.duration_minutes,
        "level": version.level,
        "pass_mark": version.pass_mark,
    }


class CompetencesForm(forms.Form):
    competences = forms.MultipleChoiceField(
        label=_("Competences"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The competences this module helps to develop; a completion is added to the portfolio with them."),
    )

    def __init__(self, *args: Any, groups: list[CompetenceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names = {option.value: option for group in groups for option in group.options}
        field = cast(forms.MultipleChoiceField, self.fields["competences"])
        field.choices = [
            (
                group.label or _("Linked before"),
                [(option.value, f"{option.code} {option.name}") for option in group.options],
            )
            for group in groups
        ]

    def picks(self) -> list[CompetencePick]:
        chosen = self.cleaned_data["competences"]
        return [
            CompetencePick(self.names[value].framework_slug, self.names[value].code, self.names[value].name)
            for value in chosen
        ]


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16, "class": "lesson-editor__body"}),
        help_text=_(
            "Markdown: ## for a heading, **bold**, *italic*, - for a list, | for a table, [text](https://…) for a "
            "link, ![description](path) for an image uploaded below. HTML is shown as text."
        ),
    )
    video_url = forms.CharField(
        label=_("Video (link)"),
        required=False,
        max_length=VIDEO_URL_MAX,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_("Optional: a YouTube or Vimeo page, or a video file on the web (http:// or https://)."),
    )

    def clean_video_url(self) -> str:
        value = str(self.cleaned_data.get("video_url") or "")
        try:
            return video_url_clean(value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["video_url"]) from None

    def data_object(self) -> LessonData:
        data = self.cleaned_data
        return LessonData(title=data["title"], body=data["body"], video_url=data["video_url"])


def lesson_initial(lesson: Lesson) -> dict[str, Any]:
    return {"title": lesson.title, "body": lesson.body, "video_url": lesson.video_url}


class MaterialForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("A PDF, an image (PNG, JPEG, GIF, WebP), or an Office file."))
    title = forms.CharField(
        label=_("Title"), required=False, max_length=TITLE_MAX, help_text=_("Empty: the file's name.")
    )


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of question"),
        choices=QuestionKind.choices,
        initial=QuestionKind.MULTIPLE_CHOICE,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(label=_("Question"), max_length=QUESTION_MAX, widget=forms.Textarea(attrs={"rows": 3}))
    accepted_answers = forms.CharField(
        label=_("Accepted answers (open question)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. An answer is right when it matches one of them, whatever the capitals or spaces."),
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=EXPLANATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown after answering: why the right answer is right."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number in range(1, OPTION_ROWS + 1):
            self.fields[f"option_{number}"] = forms.CharField(
                label=_("Answer option %(number)d") % {"number": number}, required=False, max_length=OPTION_MAX
            )
            self.fields[f"correct_{number}"] = forms.BooleanField(
                label=_("Option %(number)d is correct") % {"number": number}, required=False
            )

    def option_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"option_{n}"], self[f"correct_{n}"]) for n in range(1, OPTION_ROWS + 1)]

    def data_object(self) -> QuestionData:
        data = self.cleaned_data
        return QuestionData(
            kind=data["kind"],
            text=data["text"],
            explanation=data["explanation"],
            accepted_answers=str(data["accepted_answers"]).splitlines(),
            options=[(data[f"option_{n}"], data[f"correct_{n}"]) for n in range(1, OPTION_ROWS + 1)],
        )

    def apply_service_error(self, error: ValidationError) -> None:
        """The service names the answer options as one ("options"): show that on the first option."""
        if hasattr(error, "error_dict") and "options" in error.error_dict:
            error = ValidationError({("option_1" if k == "options" else k): v for k, v in error.error_dict.items()})
        apply_validation_error(self, error)


def question_initial(question: Question) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "kind": question.kind,
        "text": question.text,
        "accepted_answers": question.accepted_answers,
        "explanation": question.explanation,
    }
    for number, choice in enumerate(question.choices.all(), start=1):
        if number > OPTION_ROWS:
            break
        initial[f"option_{number}"] = choice.text
        initial[f"correct_{number}"] = choice.is_correct
    return initial


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[(UP, UP), (DOWN, DOWN)])


class BoardsForm(forms.Form):
    boards = forms.MultipleChoiceField(
        label=_("Offered to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The boards whose people find this module in their catalogue."),
    )

    def __init__(self, *args: Any, boards: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["boards"])
        field.choices = [(str(board.pk), board.name) for board in boards]

    def board_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["boards"]]


class SuggestionForm(forms.Form):
    person = forms.ChoiceField(label=_("Person"))
    course = forms.ChoiceField(label=_("Module"))
    message = forms.CharField(
        label=_("Message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why you think this module fits. The person decides whether to take it."),
    )

    def __init__(self, *args: Any, people: list[Any], versions: list[CourseVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = cast(forms.ChoiceField, self.fields["person"])
        course = cast(forms.ChoiceField, self.fields["course"])
        person.choices = [("", _("Choose a person")), *[(str(e.person_id), _person_label(e)) for e in people]]
        course.choices = [("", _("Choose a module")), *[(str(v.course_id), v.title) for v in versions]]


def _person_label(employment: Any) -> str:
    return f"{employment.person.full_name} ({employment.school.name})"
