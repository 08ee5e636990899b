from datetime import timedelta

from django.utils import timezone

import pytest
from icalendar import Calendar

from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


def test_calendar_download_lists_upcoming_sessions_in_taipei_time(client, catalogue):
    now = timezone.now().replace(microsecond=0)
    past = (now - timedelta(days=7), now - timedelta(days=7, hours=-2))
    upcoming = [(now + timedelta(days=d), now + timedelta(days=d, hours=2)) for d in (3, 10)]
    course = CoursePageFactory(parent=catalogue, slug="phone-basics", sessions=[past, *upcoming])

    response = client.get("/courses/phone-basics/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    starts = sorted(event.decoded("dtstart") for event in events)
    assert starts == [start for start, _end in upcoming]
    assert str(starts[0].tzinfo) == "Asia/Taipei"
    assert all(course.title in str(event["summary"]) for event in events)
    assert all(course.venue.address in str(event["location"]) for event in events)
    assert len({str(event["uid"]) for event in events}) == 2
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Asia/Taipei"]


def test_calendar_of_an_unpublished_course_is_not_found(client, catalogue):
    course = CoursePageFactory(parent=catalogue, slug="draft-course")
    course.unpublish()
    assert client.get("/courses/draft-course/calendar.ics").status_code == 404


def test_calendar_of_an_unknown_course_is_not_found(client, catalogue):
    assert client.get("/courses/no-such-course/calendar.ics").status_code == 404
