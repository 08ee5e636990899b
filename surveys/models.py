"""Satisfaction surveys: what is asked (Survey, Question), who is asked (Invitation) and what
they answered (Response, Answer).

Answers are stored one row per question (one per ticked option for multiple choice) with a
numeric `value`, so reports group and average them in the database. A response carries its
course and a coarse snapshot of the respondent (district, senior, indigenous, new immigrant)
taken when it was submitted: reports filter and break down without reaching the learner, and
anonymous responses keep that snapshot while losing every link to the person."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.models import Orderable

from courses.models import CoursePage, District
from enrollment.models import Enrollment

from .admin_forms import SurveyAdminForm

# The interface languages (settings.LANGUAGES) and the field suffix holding each one's text.
# A new interface language needs a field per translated text, a migration and an entry here.
LANGUAGE_SUFFIXES = {"zh-hant": "zh_hant", "en": "en", "vi": "vi"}
FALLBACK_LANGUAGE = "zh-hant"


def _language_suffix(language: str | None) -> str:
    language = (language or translation.get_language() or FALLBACK_LANGUAGE).lower()
    if language in LANGUAGE_SUFFIXES:
        return LANGUAGE_SUFFIXES[language]
    if language.startswith("zh"):
        return LANGUAGE_SUFFIXES["zh-hant"]
    return LANGUAGE_SUFFIXES.get(language.split("-")[0], LANGUAGE_SUFFIXES[FALLBACK_LANGUAGE])


def translated(instance: models.Model, field: str, language: str | None = None) -> str:
    """`field` in `language` (the active language by default), falling back to Chinese."""
    text = getattr(instance, f"{field}_{_language_suffix(language)}", "")
    return text or getattr(instance, f"{field}_{LANGUAGE_SUFFIXES[FALLBACK_LANGUAGE]}", "")


class Survey(ClusterableModel):
    """A questionnaire. Exactly one is the default; a course listed on another survey uses
    that one instead (selectors.survey_for_course)."""

    title_zh_hant = models.CharField(
        _("title (Chinese)"),
        max_length=200,
        help_text=_("Shown at the top of the form and in the email, e.g. 課程滿意度調查."),
    )
    title_en = models.CharField(
        _("title (English)"),
        max_length=200,
        help_text=_("The same title in English, e.g. Course satisfaction survey."),
    )
    title_vi = models.CharField(
        _("title (Vietnamese)"),
        max_length=200,
        blank=True,
        help_text=_(
            "Optional: the title in Vietnamese, e.g. Khảo sát mức độ hài lòng. Left empty, "
            "Vietnamese readers see the Chinese."
        ),
    )
    intro_zh_hant = models.TextField(
        _("introduction (Chinese)"),
        blank=True,
        max_length=1000,
        help_text=_(
            "One or two plain sentences above the questions: why we ask, how long it takes."
        ),
    )
    intro_en = models.TextField(
        _("introduction (English)"),
        blank=True,
        max_length=1000,
        help_text=_("The same introduction in English."),
    )
    intro_vi = models.TextField(
        _("introduction (Vietnamese)"),
        blank=True,
        max_length=1000,
        help_text=_("Optional: the same introduction in Vietnamese."),
    )
    is_default = models.BooleanField(
        _("default survey"),
        default=False,
        help_text=_(
            "Used for every course that has no survey of its own. Only one survey can be the "
            "default."
        ),
    )
    anonymous = models.BooleanField(
        _("anonymous"),
        default=True,
        help_text=_(
            "Answers are kept without any link to the person who gave them, in every report "
            "and export. Cannot be changed once someone has answered."
        ),
    )
    courses = ParentalManyToManyField(
        CoursePage,
        blank=True,
        related_name="surveys",
        verbose_name=_("courses"),
        help_text=_(
            "Tick the courses that use this survey instead of the default one (courses of the "
            "current and coming terms are listed). Leave all unticked for the default survey. "
            "A course can use only one survey."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldRowPanel(
            [FieldPanel("title_zh_hant"), FieldPanel("title_en"), FieldPanel("title_vi")]
        ),
        FieldRowPanel(
            [FieldPanel("intro_zh_hant"), FieldPanel("intro_en"), FieldPanel("intro_vi")]
        ),
        MultiFieldPanel(
            [
                FieldPanel("is_default"),
                FieldPanel("anonymous"),
                FieldPanel("courses", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("Who answers it"),
        ),
        HelpPanel(
            content=_(
                "<p>Write every question in Chinese and in English. Learners see the form in "
                "their own language.</p><p>Once people have answered, a question cannot be "
                "deleted or change its kind: untick “Ask this question” to stop asking it. "
                "Past answers stay in the reports.</p>"
            ),
            heading=_("How questions work"),
        ),
        InlinePanel("questions", min_num=1, label=_("Question"), heading=_("Questions")),
    ]
    base_form_class = SurveyAdminForm

    class Meta:
        ordering = ["-is_default", "title_zh_hant"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="survey_one_default"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return translated(self, "title")

    @property
    def intro(self) -> str:
        return translated(self, "intro")

    def clean(self) -> None:
        super().clean()
        if self.is_default:
            other = Survey.objects.filter(is_default=True).exclude(pk=self.pk).first()
            if other is not None:
                raise ValidationError(
                    {
                        "is_default": _(
                            "“%(title)s” is already the default survey. Untick it there first."
                        )
                        % {"title": other.title}
                    }
                )


class Question(Orderable):
    class Kind(models.TextChoices):
        LIKERT = "likert", _("Satisfaction 1–5 (words and faces)")
        SINGLE = "single", _("One answer from a list")
        MULTIPLE = "multiple", _("Several answers from a list")
        RECOMMEND = "recommend", _("Would recommend 0–10")
        TEXT = "text", _("Free text")

    class Topic(models.TextChoices):
        """What a question measures, so reports compare the same thing across surveys."""

        CONTENT = "content", _("Course content")
        INSTRUCTOR = "instructor", _("Instructor")
        PACE = "pace", _("Pace")
        VENUE = "venue", _("Venue and equipment")
        USEFULNESS = "usefulness", _("Usefulness in daily life")
        OVERALL = "overall", _("Overall satisfaction")
        RECOMMEND = "recommend", _("Would recommend")
        COMMENTS = "comments", _("Comments")
        OTHER = "other", _("Other")

    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE)
    # The numbers a learner can give, for the kinds answered with a fixed scale.
    SCALES = {Kind.LIKERT: range(1, 6), Kind.RECOMMEND: range(11)}

    survey = ParentalKey(Survey, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(
        _("kind of question"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.LIKERT,
        help_text=_("How the learner answers. Cannot be changed once someone has answered."),
    )
    topic = models.CharField(
        _("what it measures"),
        max_length=12,
        choices=Topic.choices,
        default=Topic.OTHER,
        help_text=_(
            "Lets the reports compare the same thing across surveys. Choose “Other” for a "
            "question of your own."
        ),
    )
    text_zh_hant = models.CharField(
        _("question (Chinese)"),
        max_length=300,
        help_text=_("Short and plain, e.g. 您對講師的教學滿意嗎？"),
    )
    text_en = models.CharField(
        _("question (English)"),
        max_length=300,
        help_text=_("The same question in English, e.g. Are you satisfied with the instructor?"),
    )
    text_vi = models.CharField(
        _("question (Vietnamese)"),
        max_length=300,
        blank=True,
        help_text=_(
            "Optional: the question in Vietnamese. Left empty, Vietnamese readers see the Chinese."
        ),
    )
    options_zh_hant = models.TextField(
        _("answers to choose from (Chinese)"),
        blank=True,
        help_text=_(
            "Only for “one answer” and “several answers” questions: one answer per line. Add "
            "new answers at the end; once people have answered, do not remove or reorder them."
        ),
    )
    options_en = models.TextField(
        _("answers to choose from (English)"),
        blank=True,
        help_text=_("The same answers in English, one per line, in the same order."),
    )
    options_vi = models.TextField(
        _("answers to choose from (Vietnamese)"),
        blank=True,
        help_text=_("Optional: the same answers in Vietnamese, one per line, in the same order."),
    )
    required = models.BooleanField(
        _("must be answered"),
        default=True,
        help_text=_("Untick for questions a learner may skip, such as comments."),
    )
    active = models.BooleanField(
        _("ask this question"),
        default=True,
        help_text=_("Untick to stop asking it. Answers already given stay in the reports."),
    )

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("topic")]),
        FieldPanel("text_zh_hant"),
        FieldPanel("text_en"),
        FieldPanel("text_vi"),
        FieldRowPanel(
            [FieldPanel("options_zh_hant"), FieldPanel("options_en"), FieldPanel("options_vi")]
        ),
        FieldRowPanel([FieldPanel("required"), FieldPanel("active")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return translated(self, "text")

    def text_in(self, language: str | None) -> str:
        return translated(self, "text", language)

    @staticmethod
    def split_options(text: str) -> list[str]:
        return [line.strip() for line in (text or "").splitlines() if line.strip()]

    def options_in(self, language: str | None = None) -> list[str]:
        """The answers to choose from, numbered from 1 in this order (Answer.value)."""
        own = self.split_options(getattr(self, f"options_{_language_suffix(language)}", ""))
        chinese = self.split_options(self.options_zh_hant)
        return own if len(own) == len(chinese) else chinese

    @property
    def allowed_values(self) -> range:
        if self.kind in self.SCALES:
            return self.SCALES[self.kind]
        if self.kind in self.CHOICE_KINDS:
            return range(1, len(self.split_options(self.options_zh_hant)) + 1)
        return range(0)

    def clean(self) -> None:
        super().clean()
        if self.kind in self.CHOICE_KINDS:
            chinese = self.split_options(self.options_zh_hant)
            english = self.split_options(self.options_en)
            if len(chinese) < 2:
                raise ValidationError(
                    {"options_zh_hant": _("Write at least two answers, one per line.")}
                )
            if len(english) != len(chinese):
                raise ValidationError(
                    {
                        "options_en": _(
                            "Write as many English answers as Chinese ones (%(count)s), one "
                            "per line, in the same order."
                        )
                        % {"count": len(chinese)}
                    }
                )
            vietnamese = self.split_options(self.options_vi)
            if vietnamese and len(vietnamese) != len(chinese):
                raise ValidationError(
                    {
                        "options_vi": _(
                            "Write as many Vietnamese answers as Chinese ones (%(count)s), one "
                            "per line, in the same order, or leave them all empty."
                        )
                        % {"count": len(chinese)}
                    }
                )


class Invitation(models.Model):
    """A learner is asked to answer a course's survey. The personal link carries a token that
    is never stored: the row keeps a random nonce (the token is an HMAC of it under
    SECRET_KEY, so reminders can repeat the same link) and the token's SHA-256, which is what
    a visit is looked up by. A copy of the database alone opens no survey."""

    enrollment = models.OneToOneField(
        Enrollment, on_delete=models.CASCADE, related_name="survey_invitation"
    )
    # Denormalised from the enrollment (which never changes course): response rates are
    # counted per course without a join.
    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="survey_invitations", db_index=False
    )  # indexed with `answered` below
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    answered = models.BooleanField(default=False)
    # Empty for anonymous surveys: an answer time on the invitation could be matched with the
    # time of an anonymous response.
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")
        constraints = [
            models.CheckConstraint(
                name="invitation_answered_at_needs_answered",
                condition=Q(answered_at__isnull=True) | Q(answered=True),
            )
        ]
        indexes = [
            models.Index(fields=["course", "answered"], name="invitation_course_answered"),
            models.Index(
                fields=["created_at"],
                condition=Q(sent_at__isnull=True, answered=False),
                name="invitation_unsent",
            ),
            models.Index(
                fields=["sent_at"],
                condition=Q(reminded_at__isnull=True, answered=False),
                name="invitation_remind_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} → enrollment {self.enrollment_id}"


class Response(models.Model):
    """One learner's answers to one survey, given online or on paper. One per invitation
    (the OneToOne makes a second one impossible for named surveys; for anonymous ones the
    invitation is locked and marked answered in the same transaction)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form (keyed in by staff)")

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    # Empty for anonymous surveys.
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="response",
    )
    # Indexed with submitted_at below.
    course = models.ForeignKey(
        CoursePage, on_delete=models.PROTECT, related_name="survey_responses", db_index=False
    )
    channel = models.CharField(
        _("answered"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keyed in by"),
    )
    # For anonymous surveys, the day only (midnight, Taipei).
    submitted_at = models.DateTimeField(_("submitted"), db_index=True)

    # The respondent when they answered, coarse enough to report on (with small cells
    # suppressed) and kept for anonymous surveys too.
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("respondent's district"),
    )
    senior = models.BooleanField(_("senior"), default=False)
    indigenous = models.BooleanField(_("indigenous"), default=False)
    new_immigrant = models.BooleanField(_("new immigrant"), default=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        indexes = [
            models.Index(fields=["course", "submitted_at"], name="response_course_submitted")
        ]
        constraints = [
            models.CheckConstraint(
                name="response_only_paper_is_keyed_in",
                condition=Q(channel="paper") | Q(keyed_by__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"{self.course.title} · {timezone.localdate(self.submitted_at):%Y-%m-%d}"

    @property
    def is_paper(self) -> bool:
        return self.channel == self.Channel.PAPER

    @property
    def respondent(self) -> str:
        """The learner's name, or "Anonymous" (an anonymous response has no invitation)."""
        if self.invitation_id is None:
            return str(_("Anonymous"))
        return self.invitation.enrollment.learner.name


class Answer(models.Model):
    """The answer to one question. `value` is the number a report counts and averages: 1–5
    (satisfaction), 0–10 (recommend) or the chosen answer's number (from 1, in the order the
    question lists them). A multiple-choice question has one row per ticked answer, told
    apart by `option` (0 for every other kind). Free text is in `text`, `value` empty."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers", db_index=False
    )
    option = models.PositiveSmallIntegerField(default=0)
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            # Also the index for "the answers of a response".
            models.UniqueConstraint(
                fields=["response", "question", "option"], name="answer_once_per_question"
            ),
            models.CheckConstraint(
                name="answer_value_or_text", condition=Q(value__isnull=False) | ~Q(text="")
            ),
        ]
        # Distribution and mean per question: an index-only scan on PostgreSQL.
        indexes = [models.Index(fields=["question", "value"], name="answer_question_value")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:30]}"


# --- report summaries -----------------------------------------------------------------------
#
# The satisfaction dashboard reads these instead of Response and Answer, so its cost does not
# grow with the number of responses (docs/surveys.md, "Reports: data"). They are derived data:
# `services.report_summary_refresh` rebuilds a course's rows from its responses in one
# transaction, after each response (a task queued on commit), from Celery beat for anything
# missed, and with `manage.py survey_report_refresh`. Course attributes (term, venue, category,
# instructor) and question attributes (kind, topic) are not copied: reports join them, so an
# edit shows at once.
#
# `audience` is "all" (every respondent) or a target group the respondent belonged to when
# answering. Target groups overlap (an indigenous senior counts in two), so every figure reads
# exactly one audience and rows of different audiences are never added together.


class Audience(models.TextChoices):
    ALL = "all", _("All respondents")
    SENIORS = "seniors", _("Seniors")
    INDIGENOUS = "indigenous", _("Indigenous peoples")
    NEW_IMMIGRANTS = "new_immigrants", _("New immigrants")


# Which Response flag puts a respondent in each target-group audience.
AUDIENCE_FLAGS = {
    Audience.SENIORS: "senior",
    Audience.INDIGENOUS: "indigenous",
    Audience.NEW_IMMIGRANTS: "new_immigrant",
}


class CourseSummary(models.Model):
    """One per course with survey activity: its invitations and responses when last refreshed.
    Its row is also the lock a refresh of the course takes, so two refreshes of one course run
    one after the other."""

    course = models.OneToOneField(
        CoursePage,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="survey_summary",
        verbose_name=_("course"),
    )
    invited = models.PositiveIntegerField(_("learners invited"), default=0)
    responses = models.PositiveIntegerField(_("responses"), default=0)
    refreshed_at = models.DateTimeField(_("figures as of"), null=True, blank=True)

    class Meta:
        verbose_name = _("survey summary of a course")
        verbose_name_plural = _("survey summaries of courses")

    def __str__(self) -> str:
        return f"{self.course_id}: {self.responses}/{self.invited}"


class ResponseSummary(models.Model):
    """How many responses a course got from an audience, by channel (online / paper)."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", db_index=False
    )  # indexed by the unique constraint
    audience = models.CharField(max_length=20, choices=Audience.choices)
    channel = models.CharField(max_length=10, choices=Response.Channel.choices)
    responses = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("response summary")
        verbose_name_plural = _("response summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "audience", "channel"], name="response_summary_unique"
            )
        ]
        indexes = [models.Index(fields=["audience", "course"], name="response_summary_audience")]

    def __str__(self) -> str:
        return f"{self.course_id} {self.audience} {self.channel}: {self.responses}"


class QuestionSummary(models.Model):
    """How many respondents of an audience answered a question in a course (for multiple
    choice: ticked at least one answer; for free text: wrote something)."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", db_index=False
    )  # indexed by the unique constraint
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="report_summaries", db_index=False
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    respondents = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("question summary")
        verbose_name_plural = _("question summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "question", "audience"], name="question_summary_unique"
            )
        ]
        indexes = [models.Index(fields=["audience", "question"], name="question_summary_audience")]

    def __str__(self) -> str:
        return f"{self.course_id} q{self.question_id} {self.audience}: {self.respondents}"


class AnswerSummary(models.Model):
    """How many respondents of an audience gave a question a value in a course: 1–5, 0–10 or
    the chosen answer's number (each ticked answer of a multiple-choice question counts)."""

    course = models.ForeignKey(
        CoursePage, on_delete=models.CASCADE, related_name="+", db_index=False
    )  # indexed by the unique constraint
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answer_summaries", db_index=False
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    value = models.SmallIntegerField()
    answers = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("answer summary")
        verbose_name_plural = _("answer summaries")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "question", "audience", "value"], name="answer_summary_unique"
            )
        ]
        indexes = [
            models.Index(fields=["audience", "question", "value"], name="answer_summary_audience")
        ]

    def __str__(self) -> str:
        return f"{self.course_id} q{self.question_id}={self.value} {self.audience}: {self.answers}"
