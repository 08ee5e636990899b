"""Learners, their enrollments, attendance and the outbox of messages to them."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, CourseSession, District, TargetGroup

from .choices import IndigenousNation, OriginCountry, SelfIdentification

CONSENT_VERSION = "2026-11"
# What a learner agrees to (version CONSENT_VERSION), online and on the counter's paper form.
# The wording shown, in the learner's language, is copied into every ConsentRecord.
CONSENT_TEXT = _(
    "I agree that EZ-Learn stores my answers to the questions on this page (indigenous "
    "identity and nation, new-immigrant background and country of origin, disability). The "
    "city uses them only to keep reserved seats for me and to publish statistics in which "
    "nobody can be recognised. Instructors never see them. I can change my answers or "
    "withdraw this consent at any time on this page; my answers are then deleted."
)
PAPER_CONSENT_TEXT = _(
    "Paper consent form (version %(version)s), signed at an EZ-Learn counter: I agree that "
    "EZ-Learn stores my answers about indigenous identity, new-immigrant background and "
    "disability, to keep reserved seats for me and to publish anonymous statistics. I may "
    "change or withdraw this at any time."
)

# Check-in codes are typed by staff from a slip: no 0/O or 1/I/L.
CHECK_IN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_IN_LENGTH = 8


def new_check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_LENGTH))


class Learner(models.Model):
    """A citizen who takes courses. May have no account (enrolled at a counter by staff).

    Self-identification is optional and stored only with consent: a database constraint makes
    demographic fields empty whenever no consent is recorded."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="learner",
    )
    name = models.CharField(_("name"), max_length=80)
    alternate_name = models.CharField(
        _("other name"),
        max_length=80,
        blank=True,
        help_text=_("E.g. a traditional indigenous name or its Chinese transliteration."),
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1900), MaxValueValidator(2100)]
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="learners",
        verbose_name=_("district"),
    )
    phone = models.CharField(_("mobile phone"), max_length=16, blank=True)
    # When the learner proved they hold `phone` (an SMS code). Empty for numbers typed in at a
    # counter or not yet confirmed; a new number clears it.
    phone_verified_at = models.DateTimeField(_("mobile phone verified"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="zh-hant"
    )

    indigenous = models.CharField(
        _("indigenous"), max_length=12, choices=SelfIdentification.choices, blank=True
    )
    indigenous_nation = models.CharField(
        _("indigenous nation"), max_length=12, choices=IndigenousNation.choices, blank=True
    )
    new_immigrant = models.CharField(
        _("new immigrant"), max_length=12, choices=SelfIdentification.choices, blank=True
    )
    origin_country = models.CharField(
        _("country of origin"), max_length=12, choices=OriginCountry.choices, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=12, choices=SelfIdentification.choices, blank=True
    )
    consent_version = models.CharField(max_length=20, blank=True)
    consent_given_at = models.DateTimeField(null=True, blank=True)

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Staff member who registered the learner at a counter."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("learner")
        verbose_name_plural = _("learners")
        constraints = [
            models.UniqueConstraint(
                fields=["phone"], condition=~Q(phone=""), name="learner_unique_phone"
            ),
            models.CheckConstraint(
                name="learner_demographics_need_consent",
                condition=Q(consent_given_at__isnull=False)
                | Q(
                    indigenous="",
                    indigenous_nation="",
                    new_immigrant="",
                    origin_country="",
                    disability="",
                ),
            ),
            models.CheckConstraint(
                name="learner_has_phone_or_email", condition=~Q(phone="", email="")
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None

    def age_in(self, year: int) -> int:
        return year - self.birth_year

    def is_senior(self, today: date | None = None) -> bool:
        """Seniors from 65; indigenous elders from 55 (both configurable)."""
        year = (today or timezone.localdate()).year
        threshold = settings.EZLEARN_SENIOR_AGE
        if self.indigenous == SelfIdentification.YES:
            threshold = min(threshold, settings.EZLEARN_INDIGENOUS_SENIOR_AGE)
        return self.age_in(year) >= threshold

    def target_group_codes(self, today: date | None = None) -> set[str]:
        """The target groups this learner belongs to, for reserved seats."""
        codes = set()
        if self.is_senior(today):
            codes.add(TargetGroup.Code.SENIORS.value)
        if self.indigenous == SelfIdentification.YES:
            codes.add(TargetGroup.Code.INDIGENOUS.value)
        if self.new_immigrant == SelfIdentification.YES:
            codes.add(TargetGroup.Code.NEW_IMMIGRANTS.value)
        return codes


class ConsentRecord(models.Model):
    """What a learner agreed to (or withdrew), which version, when and how."""

    class Action(models.TextChoices):
        GIVEN = "given", _("Given")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper at a counter")

    learner = models.ForeignKey(Learner, on_delete=models.CASCADE, related_name="consents")
    action = models.CharField(max_length=10, choices=Action.choices)
    version = models.CharField(max_length=20)
    text = models.TextField(help_text=_("The wording the learner agreed to."))
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["recorded_at", "pk"]
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self) -> str:
        return f"{self.learner_id} {self.action} {self.version}"


class Enrollment(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        COMPLETED = "completed", _("Completed")
        NOT_COMPLETED = "not_completed", _("Not completed")

    class SeatKind(models.TextChoices):
        GENERAL = "general", _("General seat")
        RESERVED = "reserved", _("Reserved seat")
        NONE = "none", _("No seat")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        ASSISTED = "assisted", _("At a counter")

    LIVE = (Status.CONFIRMED, Status.WAITLISTED)

    learner = models.ForeignKey(Learner, on_delete=models.PROTECT, related_name="enrollments")
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=15, choices=Status.choices)
    seat_kind = models.CharField(max_length=10, choices=SeatKind.choices, default=SeatKind.NONE)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    check_in_code = models.CharField(max_length=12, unique=True, default=new_check_in_code)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "course"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="enrollment_one_live_per_learner_and_course",
            ),
            models.CheckConstraint(
                name="enrollment_seat_matches_status",
                condition=Q(status="confirmed", seat_kind__in=["general", "reserved"])
                | ~Q(status="confirmed"),
            ),
        ]
        indexes = [models.Index(fields=["course", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.learner} → {self.course} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE


class Attendance(models.Model):
    class Method(models.TextChoices):
        ROSTER = "roster", _("Roster")
        QR = "qr", _("QR code")
        CODE = "code", _("Typed code")

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="attendance")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")
    present = models.BooleanField(default=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.ROSTER)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment", "session"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrollment_id}@{self.session_id}: {self.present}"


class Notification(models.Model):
    """The outbox: a message to a learner, written in the same transaction as the change it
    reports, sent later by a relay. A dead broker delays it; nothing loses it."""

    class Kind(models.TextChoices):
        CONFIRMED = "confirmed", _("Enrollment confirmed")
        WAITLISTED = "waitlisted", _("Added to the waiting list")
        PROMOTED = "promoted", _("Moved from the waiting list to a seat")
        CANCELLED = "cancelled", _("Enrollment cancelled")
        REMINDER = "reminder", _("Reminder before the first class")

    enrollment = models.ForeignKey(
        Enrollment, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Makes a repeat impossible rather than unlikely, e.g. one reminder per enrollment.
    dedupe_key = models.CharField(max_length=80, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    skipped_reason = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="notification_due"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.enrollment_id}"
