"""Certificates of attendance: issuing, re-issuing, revoking, and rendering them to PDF.

A certificate is a snapshot (name, course, hours, dates, venue, issuer) taken when it is
issued, rendered once by WeasyPrint and stored. Every change runs in one transaction that
locks the enrollment row first, and a partial unique constraint allows one non-superseded
certificate per enrollment, so issuing twice (a retried task, the sweep racing the completion
receiver, two staff clicks) yields one certificate. Rendering itself is pure: template in,
bytes out (`certificate_render_pdf`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

from courses.models import CoursePage, CourseSession

from .exceptions import (
    CertificateNotAvailable,
    CertificateReasonRequired,
    CertificateRevoked,
    CertificateSuperseded,
)
from .models import Certificate, CertificateEvent, CertificateSettings, Enrollment
from .pdf import html_to_pdf, qr_svg

logger = logging.getLogger(__name__)

Status = Certificate.Status
Action = CertificateEvent.Action

SAMPLE_CODE = "0" * 20


# --- what a certificate says ----------------------------------------------------------------


@dataclass(frozen=True)
class Attended:
    hours: Decimal
    first_day: date | None
    last_day: date | None


def _taipei_date(moment) -> date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def enrollment_attended(*, enrollment: Enrollment) -> Attended:
    """Hours = the durations of the sessions the learner was marked present at; the dates are
    the course's first and last session days (Taipei)."""
    sessions = list(
        CourseSession.objects.filter(page_id=enrollment.course_id).values_list("pk", "start", "end")
    )
    present = set(enrollment.attendance.filter(present=True).values_list("session_id", flat=True))
    seconds = sum(
        ((end - start).total_seconds() for pk, start, end in sessions if pk in present), 0.0
    )
    hours = (Decimal(seconds) / 3600).quantize(Decimal("0.01"))
    starts = [start for _, start, _ in sessions]
    ends = [end for _, _, end in sessions]
    return Attended(
        hours=hours,
        first_day=_taipei_date(min(starts)) if starts else None,
        last_day=_taipei_date(max(ends)) if ends else None,
    )


def _site_for(course: CoursePage) -> Site | None:
    return course.get_site() or Site.objects.filter(is_default_site=True).first()


def certificate_settings_for(site: Site | None) -> CertificateSettings:
    """The site's certificate settings, or the defaults when there is no site at all."""
    if site is None:
        return CertificateSettings()
    return CertificateSettings.for_site(site)


def _snapshot(enrollment: Enrollment, issuer: CertificateSettings) -> dict:
    learner, course = enrollment.learner, enrollment.course
    attended = enrollment_attended(enrollment=enrollment)
    venue = course.venue
    return {
        "learner_name": learner.name,
        "learner_other_name": learner.alternate_name,
        "course_title": course.title,
        "hours": attended.hours,
        "first_day": attended.first_day,
        "last_day": attended.last_day,
        "venue_name": venue.name if venue else "",
        "venue_name_en": venue.name_en if venue else "",
        "issuer_name": issuer.issuer_name,
        "issuer_name_en": issuer.issuer_name_en,
    }


# --- rendering ------------------------------------------------------------------------------


def hours_display(hours: Decimal) -> str:
    """6.00 → "6", 7.50 → "7.5", 1.25 → "1.25"."""
    text = f"{hours.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _date_zh(day: date | None) -> str:
    return f"{day.year} 年 {day.month} 月 {day.day} 日" if day else ""


def _date_en(day: date | None) -> str:
    return f"{day.day} {day:%B} {day.year}" if day else ""


def _image_url(image) -> str:
    """A URL WeasyPrint can open for a settings image (a rendition, so a 10 MB photo of a
    seal does not end up in every PDF), or "" if the file is unavailable."""
    if image is None:
        return ""
    try:
        rendition = image.get_rendition("max-1000x400")
        try:
            return Path(rendition.file.path).as_uri()
        except NotImplementedError:  # remote storage: fetch over HTTP
            url = rendition.file.url
            return url if "://" in url else settings.SITE_URL.rstrip("/") + url
    except Exception:  # a missing or broken file must not stop a certificate
        logger.warning("Certificate image %s is unavailable", image.pk, exc_info=True)
        return ""


def certificate_html(
    *, certificate: Certificate, issuer: CertificateSettings, sample: bool = False
) -> str:
    issued_on = _taipei_date(certificate.issued_at)
    context = {
        "certificate": certificate,
        "sample": sample,
        "hours": hours_display(certificate.hours),
        "first_day_zh": _date_zh(certificate.first_day),
        "last_day_zh": _date_zh(certificate.last_day),
        "first_day_en": _date_en(certificate.first_day),
        "last_day_en": _date_en(certificate.last_day),
        "one_day": certificate.first_day == certificate.last_day,
        "issued_zh": _date_zh(issued_on),
        "issued_en": _date_en(issued_on),
        "issuer": issuer,
        "logo_url": _image_url(issuer.logo),
        "signature_url": _image_url(issuer.signature),
        "qr_svg": qr_svg(certificate.verify_url),
        "verify_form_url": settings.SITE_URL.rstrip("/") + reverse("certificates:verify_form"),
    }
    return render_to_string("enrollment/pdf/certificate.html", context)


def certificate_render_pdf(
    *, certificate: Certificate, issuer: CertificateSettings, sample: bool = False
) -> bytes:
    """The certificate as PDF bytes (A4 landscape). Pure: nothing is stored."""
    return html_to_pdf(certificate_html(certificate=certificate, issuer=issuer, sample=sample))


def _render_and_store(certificate: Certificate, issuer: CertificateSettings) -> None:
    pdf = certificate_render_pdf(certificate=certificate, issuer=issuer)
    certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(pdf), save=False)
    certificate.save(update_fields=["pdf"])


def certificate_pdf(certificate: Certificate) -> bytes:
    """The stored PDF; rendered again from the snapshot (and stored) if the file is lost."""
    if certificate.pdf:
        try:
            with certificate.pdf.open("rb") as stored:
                return stored.read()
        except FileNotFoundError:
            logger.warning("Certificate %s lost its PDF; rendering it again", certificate.pk)
    site = _site_for(certificate.enrollment.course)
    _render_and_store(certificate, certificate_settings_for(site))
    with certificate.pdf.open("rb") as stored:
        return stored.read()


def certificate_sample_pdf(*, site: Site | None) -> bytes:
    """A sample certificate with the site's current settings, for the preview; not stored.
    The sample learner has a Chinese and an indigenous name, the widest common case."""
    issuer = certificate_settings_for(site)
    today = timezone.localdate()
    sample = Certificate(
        code=SAMPLE_CODE,
        learner_name="王小明",
        learner_other_name="Watan Tanga",
        course_title="長輩手機入門：LINE 視訊與照片分享",
        hours=Decimal("12"),
        first_day=today - timedelta(days=21),
        last_day=today - timedelta(days=7),
        venue_name="板橋區公所 第二會議室",
        venue_name_en="Banqiao District Office, Meeting Room 2",
        issuer_name=issuer.issuer_name,
        issuer_name_en=issuer.issuer_name_en,
        issued_at=timezone.now(),
    )
    return certificate_render_pdf(certificate=sample, issuer=issuer, sample=True)


# --- issuing, re-issuing, revoking ----------------------------------------------------------


def _event(certificate: Certificate, action: str, actor, reason: str = "") -> None:
    CertificateEvent.objects.create(
        certificate=certificate, action=action, actor=actor, reason=reason
    )


def _lock_enrollment(enrollment: Enrollment) -> Enrollment:
    Enrollment.objects.select_for_update().filter(pk=enrollment.pk).first()
    return Enrollment.objects.select_related("learner", "course__venue").get(pk=enrollment.pk)


def _current(enrollment: Enrollment) -> Certificate | None:
    return (
        Certificate.objects.filter(enrollment=enrollment).exclude(status=Status.SUPERSEDED).first()
    )


def _create(enrollment: Enrollment, actor, *, action: str, reason: str = "") -> Certificate:
    issuer = certificate_settings_for(_site_for(enrollment.course))
    certificate = Certificate.objects.create(
        enrollment=enrollment, issued_by=actor, **_snapshot(enrollment, issuer)
    )
    _render_and_store(certificate, issuer)
    _event(certificate, action, actor, reason)
    return certificate


def certificate_issue(
    *, enrollment: Enrollment, actor: AbstractBaseUser | None = None
) -> tuple[Certificate, bool]:
    """Issue the certificate of a COMPLETED enrollment: snapshot, render, store, audit.

    Idempotent: if the enrollment already has a current (valid or revoked) certificate, that
    one is returned with created=False. Concurrent calls queue on the enrollment's row lock;
    the unique constraint catches anything that slips past (SQLite has no row locks)."""
    try:
        with transaction.atomic():
            enrollment = _lock_enrollment(enrollment)
            if existing := _current(enrollment):
                return existing, False
            if enrollment.status != Enrollment.Status.COMPLETED:
                raise CertificateNotAvailable
            return _create(enrollment, actor, action=Action.ISSUED), True
    except IntegrityError:
        existing = _current(enrollment)
        if existing is None:
            raise
        return existing, False


def certificates_issue_for_course(*, course: CoursePage, actor=None) -> int:
    """Queue one issuing task per completed enrollment of the course that has no current
    certificate, after the surrounding transaction commits. Returns how many were queued. A
    broker failure is logged: the periodic sweep issues them later."""
    from .certificate_selectors import enrollments_lacking_certificate

    enrollment_ids = enrollments_lacking_certificate(course=course)
    if enrollment_ids:
        transaction.on_commit(lambda: certificate_issue_queue(enrollment_ids))
    return len(enrollment_ids)


def certificate_issue_queue(enrollment_ids: list[int]) -> None:
    """Put issuing tasks on the queue; never raises (the sweep is the safety net)."""
    from .tasks import certificate_issue_task

    for enrollment_id in enrollment_ids:
        try:
            certificate_issue_task.delay(enrollment_id)
        except Exception:  # any broker failure; certificates_sweep issues it later
            logger.warning(
                "Could not queue the certificate of enrollment %s; the sweep will issue it.",
                enrollment_id,
                exc_info=True,
            )
            return


def _required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CertificateReasonRequired
    return reason


def certificate_reissue(
    *, certificate: Certificate, actor: AbstractBaseUser | None, reason: str
) -> Certificate:
    """Issue a new certificate (fresh snapshot — e.g. a corrected name — and a new code) in
    place of a valid one, which becomes SUPERSEDED and points to its replacement. Both get an
    audit event with the reason. A revoked or already superseded certificate is refused."""
    reason = _required(reason)
    with transaction.atomic():
        enrollment = _lock_enrollment(certificate.enrollment)
        old = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if old.status == Status.REVOKED:
            raise CertificateRevoked
        if old.status == Status.SUPERSEDED:
            raise CertificateSuperseded
        old.status = Status.SUPERSEDED
        old.superseded_at = timezone.now()
        old.save(update_fields=["status", "superseded_at"])
        new = _create(enrollment, actor, action=Action.REISSUED, reason=reason)
        old.replaced_by = new
        old.save(update_fields=["replaced_by"])
        _event(old, Action.SUPERSEDED, actor, reason)
    certificate.refresh_from_db()
    return new


def certificate_revoke(
    *, certificate: Certificate, actor: AbstractBaseUser | None, reason: str
) -> Certificate:
    """Revoke a valid certificate; the verification page then says so. The reason is
    required and kept. A revoked certificate stays the enrollment's current one, so neither
    the sweep nor a retried task issues a new one behind the administrator's back."""
    reason = _required(reason)
    with transaction.atomic():
        _lock_enrollment(certificate.enrollment)
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Status.REVOKED:
            raise CertificateRevoked
        if locked.status == Status.SUPERSEDED:
            raise CertificateSuperseded
        locked.status = Status.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_by = actor
        locked.revoked_reason = reason
        locked.save(update_fields=["status", "revoked_at", "revoked_by", "revoked_reason"])
        _event(locked, Action.REVOKED, actor, reason)
    return locked


def certificate_print_recorded(*, certificate: Certificate, actor: AbstractBaseUser | None) -> None:
    """Audit that staff printed the certificate (e.g. at a counter, for a learner without a
    printer)."""
    _event(certificate, Action.PRINTED, actor)
