from datetime import date, timedelta
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command

import pytest

from courses.demo import DEMO_TODAY, demo_shift
from courses.models import CoursePage, CourseSession, Venue
from courses.selectors import CatalogueFilters, course_catalogue

pytestmark = pytest.mark.django_db


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_is_idempotent_and_prints_the_demo_logins():
    first = seed("--scale", "15")
    counts = (
        CoursePage.objects.count(),
        CourseSession.objects.count(),
        Venue.objects.count(),
        get_user_model().objects.count(),
    )
    second = seed("--scale", "15")
    assert counts[0] == 15
    assert (
        CoursePage.objects.count(),
        CourseSession.objects.count(),
        Venue.objects.count(),
        get_user_model().objects.count(),
    ) == counts
    assert "ezlearn-admin" in first and "ezlearn-instructor" in first
    assert "0 created" in second


def test_seed_demo_has_a_senior_smartphone_course_in_banqiao_on_weekday_mornings():
    seed("--scale", "15")
    filters = CatalogueFilters(
        district="banqiao",
        category="smartphone-basics",
        target_group="seniors",
        weekdays=(1, 2, 3, 4, 5),
        time_of_day="morning",
        open_only=True,
    )
    assert course_catalogue(filters=filters).exists()
    assert CoursePage.objects.live().search("手機").count() > 0


def test_demo_dates_move_forward_in_whole_weeks():
    assert demo_shift(DEMO_TODAY) == timedelta(0)
    assert demo_shift(date(2026, 1, 1)) == timedelta(0)
    assert demo_shift(DEMO_TODAY + timedelta(days=20)) == timedelta(weeks=2)
