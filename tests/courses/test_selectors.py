from datetime import date, timedelta

from django.utils import timezone

import pytest

from courses.models import Category, District, Language, Level
from courses.selectors import CatalogueFilters, course_catalogue
from tests.factories import CategoryFactory, CoursePageFactory, VenueFactory
from tests.factories.courses import taipei

pytestmark = pytest.mark.django_db

NOW = taipei(2026, 11, 22, 10)


def titles(**filters) -> list[str]:
    return [c.title for c in course_catalogue(filters=CatalogueFilters(**filters), now=NOW)]


@pytest.fixture
def courses(catalogue):
    """A small catalogue: a Monday-morning senior class in Banqiao, a Saturday-evening
    Vietnamese class in Zhonghe, and a finished class."""
    smartphone = CategoryFactory(slug="smartphone-basics", name="手機入門")
    safety = CategoryFactory(slug="anti-fraud", name="防詐騙")
    banqiao = VenueFactory(name="板橋圖書館")
    zhonghe = VenueFactory(name="中和社大", district=District.objects.get(slug="zhonghe"))
    senior = CoursePageFactory(
        parent=catalogue,
        title="長輩手機入門",
        summary="一步一步學會智慧型手機。",
        category=smartphone,
        venue=banqiao,
        target_groups=["seniors"],
        level=Level.BEGINNER,
        registration_opens_at=taipei(2026, 11, 1),
        registration_closes_at=taipei(2026, 11, 30),
        sessions=[
            (taipei(2026, 11, 30, 9), taipei(2026, 11, 30, 12)),  # Monday morning
            (taipei(2026, 12, 7, 9), taipei(2026, 12, 7, 12)),
        ],
    )
    immigrant = CoursePageFactory(
        parent=catalogue,
        title="越南語防詐騙",
        summary="認識假客服與假投資。",
        category=safety,
        venue=zhonghe,
        target_groups=["new_immigrants"],
        language=Language.VIETNAMESE,
        level=Level.BASIC,
        registration_opens_at=taipei(2026, 12, 1),
        registration_closes_at=taipei(2026, 12, 20),
        sessions=[(taipei(2026, 12, 26, 19), taipei(2026, 12, 26, 21))],  # Saturday evening
    )
    finished = CoursePageFactory(
        parent=catalogue,
        title="已結束的課",
        category=smartphone,
        venue=banqiao,
        registration_opens_at=taipei(2026, 9, 1),
        registration_closes_at=taipei(2026, 9, 20),
        sessions=[(taipei(2026, 10, 5, 9), taipei(2026, 10, 5, 12))],
    )
    return senior, immigrant, finished


def test_catalogue_lists_upcoming_courses_soonest_first_and_hides_finished(courses):
    assert titles() == ["長輩手機入門", "越南語防詐騙"]


def test_catalogue_can_include_finished_courses(courses):
    assert "已結束的課" in titles(include_past=True)


def test_catalogue_filters_by_district(courses):
    assert titles(district="banqiao") == ["長輩手機入門"]
    assert titles(district="zhonghe") == ["越南語防詐騙"]
    assert titles(district="wulai") == []


def test_catalogue_filters_by_venue(courses):
    senior, _immigrant, _finished = courses
    assert titles(venue=senior.venue_id) == ["長輩手機入門"]


def test_catalogue_filters_by_category(courses):
    assert titles(category="anti-fraud") == ["越南語防詐騙"]
    assert Category.objects.filter(slug="smartphone-basics").exists()
    assert titles(category="smartphone-basics") == ["長輩手機入門"]


def test_catalogue_filters_by_target_group(courses):
    assert titles(target_group="seniors") == ["長輩手機入門"]
    assert titles(target_group="new_immigrants") == ["越南語防詐騙"]
    assert titles(target_group="indigenous") == []


def test_catalogue_filters_by_level_and_language(courses):
    assert titles(level=Level.BASIC) == ["越南語防詐騙"]
    assert titles(language=Language.VIETNAMESE) == ["越南語防詐騙"]
    assert titles(language=Language.HAKKA) == []


def test_catalogue_filters_by_weekday_in_taipei_time(courses):
    assert titles(weekdays=(1,)) == ["長輩手機入門"]  # Monday
    assert titles(weekdays=(6, 7)) == ["越南語防詐騙"]  # weekend
    assert titles(weekdays=(3,)) == []


def test_catalogue_filters_by_time_of_day_in_taipei_time(courses):
    assert titles(time_of_day="morning") == ["長輩手機入門"]
    assert titles(time_of_day="evening") == ["越南語防詐騙"]
    assert titles(time_of_day="afternoon") == []


def test_weekday_and_time_of_day_must_match_the_same_session(courses):
    assert titles(weekdays=(6,), time_of_day="morning") == []
    assert titles(weekdays=(1,), time_of_day="morning", district="banqiao") == ["長輩手機入門"]


def test_catalogue_filters_by_date_range_inclusive(courses):
    assert titles(date_from=date(2026, 12, 26), date_to=date(2026, 12, 26)) == ["越南語防詐騙"]
    assert titles(date_from=date(2026, 12, 1), date_to=date(2026, 12, 10)) == ["長輩手機入門"]
    assert titles(date_from=date(2027, 1, 1)) == []


def test_open_only_shows_courses_taking_registrations_now(courses):
    assert titles(open_only=True) == ["長輩手機入門"]


def test_catalogue_search_finds_words_in_title_and_summary(courses):
    assert titles(q="手機") == ["長輩手機入門"]
    assert titles(q="假投資") == ["越南語防詐騙"]


def test_catalogue_search_combines_with_filters(courses):
    assert titles(q="手機", district="zhonghe") == []


def test_catalogue_excludes_unpublished_courses(courses):
    senior, _immigrant, _finished = courses
    senior.unpublish()
    assert titles() == ["越南語防詐騙"]


def test_filters_report_whether_the_search_was_narrowed():
    assert not CatalogueFilters().is_narrowed
    assert CatalogueFilters(district="banqiao").is_narrowed


def test_default_now_is_the_current_time(catalogue):
    course = CoursePageFactory(parent=catalogue)
    assert course.first_session.start > timezone.now()
    assert list(course_catalogue(filters=CatalogueFilters())) == [course]
    course.registration_closes_at = timezone.now() - timedelta(minutes=1)
    course.save()
    assert list(course_catalogue(filters=CatalogueFilters(open_only=True))) == []


def test_courses_not_yet_started_come_before_running_ones(catalogue):
    running = CoursePageFactory(
        parent=catalogue,
        title="進行中",
        sessions=[
            (taipei(2026, 11, 16, 9), taipei(2026, 11, 16, 12)),
            (taipei(2026, 11, 30, 9), taipei(2026, 11, 30, 12)),
        ],
    )
    later = CoursePageFactory(
        parent=catalogue,
        title="下個月",
        sessions=[(taipei(2026, 12, 20, 9), taipei(2026, 12, 20, 12))],
    )
    soon = CoursePageFactory(
        parent=catalogue,
        title="下週",
        sessions=[(taipei(2026, 11, 27, 9), taipei(2026, 11, 27, 12))],
    )
    assert titles() == [soon.title, later.title, running.title]
