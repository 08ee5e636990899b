from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import translation

import pytest

from courses.models import CourseSession, District
from tests.factories import CoursePageFactory, VenueFactory
from tests.factories.courses import taipei

pytestmark = pytest.mark.django_db


def test_new_taipei_has_29_districts_with_wulai_remote():
    assert District.objects.count() == 29
    assert District.objects.get(slug="wulai").is_remote
    assert not District.objects.get(slug="banqiao").is_remote


def test_district_name_follows_the_interface_language():
    banqiao = District.objects.get(slug="banqiao")
    with translation.override("en"):
        assert str(banqiao) == "Banqiao"
    with translation.override("zh-hant"):
        assert str(banqiao) == "板橋區"


def test_course_total_hours_adds_up_its_sessions(catalogue):
    course = CoursePageFactory(
        parent=catalogue,
        sessions=[
            (taipei(2026, 12, 1, 9), taipei(2026, 12, 1, 12)),
            (taipei(2026, 12, 8, 9), taipei(2026, 12, 8, 11, 30)),
        ],
    )
    assert course.total_hours == 5.5
    assert course.first_session.start == taipei(2026, 12, 1, 9)
    assert course.last_session.start == taipei(2026, 12, 8, 9)


def test_session_must_end_after_it_starts():
    session = CourseSession(start=taipei(2026, 12, 1, 9), end=taipei(2026, 12, 1, 8))
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "end" in error.value.message_dict


def test_session_cannot_last_more_than_twelve_hours():
    start = taipei(2026, 12, 1, 8)
    session = CourseSession(start=start, end=start + timedelta(hours=13))
    with pytest.raises(ValidationError):
        session.clean()


def test_registration_must_close_after_it_opens(catalogue):
    course = CoursePageFactory(parent=catalogue)
    course.registration_closes_at = course.registration_opens_at - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        course.clean()
    assert "registration_closes_at" in error.value.message_dict


def test_registration_state_moves_from_upcoming_to_open_to_closed(catalogue):
    course = CoursePageFactory(parent=catalogue)
    opens, closes = course.registration_opens_at, course.registration_closes_at
    assert course.registration_state(opens - timedelta(seconds=1)) == "upcoming"
    assert course.registration_state(opens) == "open"
    assert course.registration_is_open(closes)
    assert course.registration_state(closes + timedelta(seconds=1)) == "closed"


def test_venue_map_link_uses_coordinates_or_falls_back_to_address():
    venue = VenueFactory(latitude="25.012345", longitude="121.462345")
    assert "mlat=25.012345" in venue.map_url
    venue.latitude = venue.longitude = None
    assert venue.map_url.startswith("https://www.openstreetmap.org/search?query=")


def test_person_name_puts_a_chinese_family_name_first_without_a_space():
    from django.contrib.auth.models import User

    from courses.people import person_name

    assert person_name(User(first_name="美玲", last_name="王")) == "王美玲"
    assert person_name(User(first_name="Yuraw", last_name="Watan")) == "Yuraw Watan"
    assert person_name(User(first_name="Nguyễn Thị Lan")) == "Nguyễn Thị Lan"
    assert person_name(User(username="teacher")) == "teacher"


def test_session_keeps_its_taipei_weekday_and_hour(catalogue):
    from datetime import UTC, datetime

    course = CoursePageFactory(parent=catalogue, sessions=[])
    # Sunday 23:30 UTC is Monday 07:30 in Taipei.
    start = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    session = CourseSession.objects.create(page=course, start=start, end=start + timedelta(hours=2))
    assert (session.weekday, session.start_hour) == (1, 7)
