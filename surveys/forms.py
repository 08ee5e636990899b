"""The answering form, built from a survey's questions; the same form serves the learner's
page and the staff's paper entry.

Fields only turn what was posted into numbers and text; which questions must be answered, and
which numbers are possible, is decided by services.answers_check (which response_submit runs
again when saving), so every problem of a submission is shown at once. Templates render from
`rows()`, which carries each question's text in the chosen language, its options and what was
already ticked or typed."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Question
from .services import MAX_TEXT_LENGTH, AnswerValue, answers_check

Kind = Question.Kind

LIKERT_WORDS = {
    1: _("Very dissatisfied"),
    2: _("Dissatisfied"),
    3: _("Neutral"),
    4: _("Satisfied"),
    5: _("Very satisfied"),
}
RECOMMEND_ENDS = {0: _("not at all likely"), 10: _("extremely likely")}


def field_name(question: Question) -> str:
    return f"q{question.pk}"


@dataclass
class Option:
    value: int
    label: str
    input_id: str
    checked: bool
    end_label: str = ""


@dataclass
class QuestionRow:
    number: int
    question: Question
    name: str
    kind: str
    text: str
    required: bool
    errors: list[str]
    options: list[Option] = field(default_factory=list)
    text_value: str = ""

    @property
    def first_id(self) -> str:
        return self.options[0].input_id if self.options else f"id_{self.name}"

    @property
    def error_id(self) -> str:
        return f"{self.name}-error"


def _choices(question: Question, language: str) -> list[tuple[int, str]]:
    if question.kind == Kind.LIKERT:
        return [(value, LIKERT_WORDS[value]) for value in question.allowed_values]
    if question.kind == Kind.RECOMMEND:
        return [(value, str(value)) for value in question.allowed_values]
    return list(enumerate(question.options_in(language), start=1))


def _field_for(question: Question, language: str) -> forms.Field:
    label = question.text_in(language)
    if question.kind == Kind.TEXT:
        return forms.CharField(
            label=label,
            required=False,
            max_length=MAX_TEXT_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
        )
    if question.kind == Kind.MULTIPLE:
        return forms.TypedMultipleChoiceField(
            label=label,
            required=False,
            coerce=int,
            choices=_choices(question, language),
            widget=forms.CheckboxSelectMultiple,
        )
    return forms.TypedChoiceField(
        label=label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=_choices(question, language),
        widget=forms.RadioSelect,
    )


class SurveyAnswerForm(forms.Form):
    """`paper`: keyed in from a paper form, where the learner may have left questions blank."""

    def __init__(
        self, *args, questions: list[Question], language: str, paper: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.language = language
        self.paper = paper
        for question in questions:
            self.fields[field_name(question)] = _field_for(question, language)

    def clean(self):
        cleaned_data = super().clean()
        # Questions whose field already has an error (an impossible value) are left out.
        questions = [q for q in self.questions if field_name(q) not in self.errors]
        answers = {q.pk: cleaned_data.get(field_name(q)) for q in questions}
        if questions or not self.questions:
            self.add_answer_errors(
                answers_check(questions=questions, answers=answers, paper=self.paper)
            )
        return cleaned_data

    def answers(self) -> dict[int, AnswerValue]:
        """What was answered, by question id, for services.response_submit."""
        return {q.pk: self.cleaned_data.get(field_name(q)) for q in self.questions}

    def add_answer_errors(self, errors: dict[int | None, str]) -> None:
        """Show the service's messages (AnswersInvalid.errors) at their questions."""
        names = {q.pk: field_name(q) for q in self.questions}
        for question_id, message in errors.items():
            self.add_error(names.get(question_id), message)

    def rows(self) -> list[QuestionRow]:
        rows = []
        for number, question in enumerate(self.questions, start=1):
            name = field_name(question)
            bound = self[name]
            raw = bound.value()
            chosen = {str(v) for v in raw} if isinstance(raw, list | tuple) else {str(raw)}
            row = QuestionRow(
                number=number,
                question=question,
                name=name,
                kind=question.kind,
                text=bound.label,
                required=question.required,
                errors=list(bound.errors),
            )
            if question.kind == Kind.TEXT:
                row.text_value = raw or ""
            else:
                row.options = [
                    Option(
                        value=value,
                        label=label,
                        input_id=f"{name}-{value}",
                        checked=str(value) in chosen,
                        end_label=RECOMMEND_ENDS.get(value, "")
                        if question.kind == Kind.RECOMMEND
                        else "",
                    )
                    for value, label in bound.field.choices
                ]
            rows.append(row)
        return rows
