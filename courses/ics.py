"""iCalendar output for course sessions (downloads and email attachments)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from icalendar import Calendar, Event

from .models import CoursePage, CourseSession


def course_sessions_ics(*, course: CoursePage, sessions: Iterable[CourseSession]) -> bytes:
    """An .ics calendar with one event per session; UIDs are stable so updates replace events."""
    calendar = Calendar()
    calendar.add("prodid", "-//EZ-Learn//Course calendar//ZH-HANT")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", course.title)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    venue = course.venue
    location = f"{venue.name} {venue.address}" if venue else ""
    url = course.get_url() or ""
    if url.startswith("/"):
        url = settings.SITE_URL.rstrip("/") + url
    for number, session in enumerate(sessions, start=1):
        event = Event()
        event.add("uid", f"course-{course.pk}-session-{session.pk}@ezlearn")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(session.start))
        event.add("dtend", timezone.localtime(session.end))
        summary = f"{course.title} ({number})"
        if session.topic:
            summary += f" {session.topic}"
        event.add("summary", summary)
        if location:
            event.add("location", f"{location} {session.room}".strip())
        description = course.summary
        if course.what_to_bring:
            description += "\n\n" + course.what_to_bring
        event.add("description", description)
        event.add("url", url)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
