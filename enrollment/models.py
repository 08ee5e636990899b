"""Learners, their enrollments, attendance, the outbox of messages to them and certificates."""

from __future__ import annotations

import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

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
    # For seniors with no mobile phone, registered at a counter: staff call them. Not unique
    # (a couple shares one), never used to sign in or for text messages.
    landline = models.CharField(
        _("landline"),
        max_length=16,
        blank=True,
        db_index=True,
        help_text=_("A home phone for someone without a mobile phone, e.g. 02-2950-0000."),
    )
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
                name="learner_can_be_reached", condition=~Q(phone="", email="", landline="")
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


# --- certificates ---------------------------------------------------------------------------

# Crockford base32: no I, L, O, U, so a code read aloud or typed from paper is unambiguous.
CERTIFICATE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# 20 symbols x 5 bits = 100 bits of randomness: unguessable, and short enough to type.
CERTIFICATE_CODE_LENGTH = 20
CERTIFICATE_CODE_GROUP = 4


def new_certificate_code() -> str:
    return "".join(secrets.choice(CERTIFICATE_ALPHABET) for _ in range(CERTIFICATE_CODE_LENGTH))


def certificate_code_group(code: str) -> str:
    """ABCD1234... → ABCD-1234-..., as printed and shown."""
    size = CERTIFICATE_CODE_GROUP
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def certificate_upload_to(instance: Certificate, filename: str) -> str:
    return f"certificates/{instance.issued_at:%Y}/{instance.code}.pdf"


class Certificate(models.Model):
    """A certificate of attendance for a completed enrollment.

    What it says is a snapshot taken when it was issued, so a later edit of the course or the
    learner never changes a certificate already handed out; a corrected name means re-issuing
    (a new code; the old certificate is superseded and says so when verified). At most one
    certificate per enrollment is not superseded (a database constraint)."""

    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    enrollment = models.ForeignKey(
        Enrollment,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("enrollment"),
    )
    code = models.CharField(
        _("code"),
        max_length=CERTIFICATE_CODE_LENGTH,
        unique=True,
        default=new_certificate_code,
        editable=False,
        help_text=_("The public verification code, stored without dashes."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.VALID
    )

    learner_name = models.CharField(_("learner's name"), max_length=80)
    learner_other_name = models.CharField(_("learner's other name"), max_length=80, blank=True)
    course_title = models.CharField(_("course"), max_length=255)
    hours = models.DecimalField(_("hours attended"), max_digits=6, decimal_places=2)
    first_day = models.DateField(_("first day"), null=True, blank=True)
    last_day = models.DateField(_("last day"), null=True, blank=True)
    venue_name = models.CharField(_("venue"), max_length=100, blank=True)
    venue_name_en = models.CharField(_("venue (English)"), max_length=100, blank=True)
    issuer_name = models.CharField(_("issued by"), max_length=200)
    issuer_name_en = models.CharField(_("issued by (English)"), max_length=200, blank=True)

    pdf = models.FileField(_("PDF"), upload_to=certificate_upload_to, blank=True)
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by (staff)"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        verbose_name=_("replaced by"),
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enrollment"],
                condition=~Q(status="superseded"),
                name="certificate_one_current_per_enrollment",
            ),
            models.CheckConstraint(
                name="certificate_revoked_has_date_and_reason",
                condition=~Q(status="revoked")
                | (Q(revoked_at__isnull=False) & ~Q(revoked_reason="")),
            ),
            models.CheckConstraint(
                name="certificate_superseded_has_date",
                condition=~Q(status="superseded") | Q(superseded_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.learner_name} — {self.course_title}"

    @property
    def display_code(self) -> str:
        return certificate_code_group(self.code)

    def get_verify_url(self) -> str:
        from django.urls import reverse

        return reverse("certificates:verify", kwargs={"code": self.display_code})

    @property
    def verify_url(self) -> str:
        """Absolute, built from SITE_URL: printed in the QR code by a worker with no request."""
        return settings.SITE_URL.rstrip("/") + self.get_verify_url()

    @property
    def is_valid(self) -> bool:
        return self.status == self.Status.VALID


class CertificateEvent(models.Model):
    """The audit trail of a certificate: who issued, re-issued, revoked or printed it, and
    why."""

    class Action(models.TextChoices):
        ISSUED = "issued", _("Issued")
        REISSUED = "reissued", _("Re-issued")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")
        PRINTED = "printed", _("Printed")

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="events", verbose_name=_("certificate")
    )
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.action} {self.at:%Y-%m-%d %H:%M}"


@register_setting(icon="doc-full")
class CertificateSettings(BaseSiteSetting):
    """What every certificate of a site says about who issues it, and how."""

    issuer_name = models.CharField(
        _("issuing authority (Chinese)"),
        max_length=200,
        default="新北市政府",
        help_text=_("Printed as the issuer, e.g. the city government or its library."),
    )
    issuer_name_en = models.CharField(
        _("issuing authority (English)"),
        max_length=200,
        blank=True,
        default="New Taipei City Government",
        help_text=_("The issuer's English name, printed under the Chinese one."),
    )
    wording_above = models.CharField(
        _("wording above the name (Chinese)"),
        max_length=200,
        default="特此證明",
        help_text=_("The sentence printed before the learner's name."),
    )
    wording_above_en = models.CharField(
        _("wording above the name (English)"),
        max_length=200,
        blank=True,
        default="This is to certify that",
        help_text=_("The English sentence printed before the learner's name."),
    )
    wording_below = models.CharField(
        _("wording below the name (Chinese)"),
        max_length=300,
        default="已完成下列課程，特發此證。",
        help_text=_("The sentence printed after the learner's name, before the course."),
    )
    wording_below_en = models.CharField(
        _("wording below the name (English)"),
        max_length=300,
        blank=True,
        default="has completed the course below.",
        help_text=_("The English sentence printed after the learner's name."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Printed at the top. A PNG or SVG with a transparent background works best."),
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature"),
        help_text=_("An image of the signature (or seal) printed above the signatory's name."),
    )
    signatory_name = models.CharField(
        _("signatory"),
        max_length=100,
        blank=True,
        help_text=_("The name printed under the signature, e.g. the mayor or director."),
    )
    signatory_title = models.CharField(
        _("signatory's title (Chinese)"),
        max_length=100,
        blank=True,
        help_text=_("E.g. 市長 or 局長."),
    )
    signatory_title_en = models.CharField(
        _("signatory's title (English)"),
        max_length=100,
        blank=True,
        help_text=_("E.g. Mayor or Director."),
    )

    panels = [
        HelpPanel(
            content=format_lazy(
                '<p>{}</p><p><a class="button button-secondary" href="{}" target="_blank" '
                'rel="noopener">{}</a></p>',
                _(
                    "What every certificate of this site says. Certificates already issued keep "
                    "what they said; re-issue one to print the new wording. Save, then preview."
                ),
                reverse_lazy("enrollment_admin:certificate_preview"),
                _("Preview a sample certificate (PDF)"),
            ),
        ),
        MultiFieldPanel(
            [FieldPanel("issuer_name"), FieldPanel("issuer_name_en"), FieldPanel("logo")],
            heading=_("Issuer"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("wording_above"),
                FieldPanel("wording_above_en"),
                FieldPanel("wording_below"),
                FieldPanel("wording_below_en"),
            ],
            heading=_("Wording"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("signature"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_title"),
                FieldPanel("signatory_title_en"),
            ],
            heading=_("Signature"),
        ),
    ]

    class Meta:
        verbose_name = _("certificate settings")
        verbose_name_plural = _("certificate settings")
