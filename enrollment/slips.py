"""The printed confirmation slip (WeasyPrint): template in, PDF bytes out.

The slip is in the learner's preferred language, with times in Taipei, and carries a QR code
of the enrollment's check-in URL plus the code itself, large, for typing."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from courses.models import CourseSession

from .attendance import enrollment_check_in_url
from .models import Enrollment
from .pdf import font_configuration, html_to_pdf, qr_svg
from .services import waitlist_position

__all__ = ["enrollment_slip_html", "enrollment_slip_pdf", "font_configuration", "qr_svg"]

PAGE_SIZES = {"a5": "A5", "a4": "A4"}


def _session_rows(sessions: list[CourseSession]) -> list[dict[str, str]]:
    taipei = ZoneInfo(settings.TIME_ZONE)
    rows = []
    for session in sessions:
        start, end = session.start.astimezone(taipei), session.end.astimezone(taipei)
        rows.append(
            {
                "date": formats.date_format(start, "DATE_FORMAT"),
                "weekday": formats.date_format(start, "l"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "room": session.room,
            }
        )
    return rows


def enrollment_slip_html(*, enrollment: Enrollment, size: str = "a5") -> str:
    learner, course = enrollment.learner, enrollment.course
    sessions = list(CourseSession.objects.filter(page=course).order_by("start", "pk"))
    with translation.override(learner.preferred_language):
        context = {
            "language": learner.preferred_language,
            "page_size": PAGE_SIZES.get(size, "A5"),
            "enrollment": enrollment,
            "learner": learner,
            "course": course,
            "status": enrollment.status,
            "status_label": enrollment.get_status_display(),
            "position": waitlist_position(enrollment=enrollment),
            "sessions": _session_rows(sessions),
            "venue": {
                "name": course.venue.display_name,
                "address": course.venue.address,
                "phone": course.venue.phone,
            }
            if course.venue_id
            else None,
            "qr_svg": qr_svg(enrollment_check_in_url(enrollment=enrollment)),
            "printed_on": formats.date_format(
                timezone.now().astimezone(ZoneInfo(settings.TIME_ZONE)), "DATE_FORMAT"
            ),
        }
        return render_to_string("enrollment/pdf/slip.html", context)


def enrollment_slip_pdf(*, enrollment: Enrollment, size: str = "a5") -> bytes:
    """The slip as PDF bytes: A5 portrait by default, A4 with size="a4"."""
    # Nothing is fetched from outside: the QR code is inline and the fonts are the system's.
    return html_to_pdf(enrollment_slip_html(enrollment=enrollment, size=size))
