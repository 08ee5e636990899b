"""The catalogue and course pages as a citizen gets them over HTTP."""

import pytest

from courses.models import CoursePage, CourseSession, District
from tests.factories import CoursePageFactory, VenueFactory
from tests.factories.courses import taipei

pytestmark = pytest.mark.django_db


def test_catalogue_page_lists_courses_in_traditional_chinese_by_default(client, catalogue):
    course = CoursePageFactory(parent=catalogue, title="LINE 視訊通話輕鬆學")
    response = client.get("/courses/")
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hant"
    assert course.title in response.text
    assert course.venue.name in response.text
    assert '<html lang="zh-hant"' in response.text


def test_catalogue_filters_are_read_from_a_shareable_query_string(client, catalogue):
    banqiao = CoursePageFactory(parent=catalogue, title="板橋的課")
    CoursePageFactory(
        parent=catalogue,
        title="中和的課",
        venue=VenueFactory(district=District.objects.get(slug="zhonghe")),
    )
    response = client.get("/courses/?district=banqiao")
    assert banqiao.title in response.text
    assert "中和的課" not in response.text
    assert response.context["filter_form"]["district"].value() == "banqiao"


def test_catalogue_keeps_typed_values_and_explains_bad_input(client, catalogue):
    CoursePageFactory(parent=catalogue, title="手機入門")
    response = client.get("/courses/?q=手機&date_from=not-a-date&weekday=9&district=atlantis")
    assert response.status_code == 200
    form = response.context["filter_form"]
    assert set(form.errors) == {"date_from", "weekday", "district"}
    assert form["q"].value() == "手機"
    assert form["date_from"].value() == "not-a-date"
    assert "手機入門" in response.text  # the valid part of the search still runs


def test_catalogue_rejects_an_end_date_before_the_start_date(client, catalogue):
    response = client.get("/courses/?date_from=2026-12-10&date_to=2026-12-01")
    assert "date_to" in response.context["filter_form"].errors


def test_catalogue_errors_are_translated(client, catalogue):
    response = client.get("/courses/?date_from=bad", HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter a valid date." in response.text
    client.cookies.load({"ezlearn_language": "zh-hant"})
    response = client.get("/courses/?date_from=bad")
    assert "輸入有效的日期" in response.text


def test_catalogue_shows_a_helpful_empty_state(client, catalogue):
    CoursePageFactory(parent=catalogue)
    response = client.get("/courses/?q=火星移民")
    assert response.status_code == 200
    assert list(response.context["courses"]) == []
    assert 'href="/courses/"' in response.text  # a way to clear every filter


def test_catalogue_paginates_and_keeps_filters_in_page_links(client, catalogue):
    for n in range(14):
        CoursePageFactory(parent=catalogue, title=f"手機班 {n:02d}")
    first = client.get("/courses/?district=banqiao")
    assert len(first.context["courses"]) == 12
    assert "district=banqiao&amp;page=2" in first.text
    second = client.get("/courses/?district=banqiao&page=2")
    assert len(second.context["courses"]) == 2
    assert client.get("/courses/?page=999").status_code == 200
    assert client.get("/courses/?page=abc").status_code == 200


def _create_courses(catalogue, count):
    """Many live courses quickly: shared venue, topic and instructor; sessions in bulk."""
    template = CoursePageFactory(parent=catalogue, target_groups=["seniors"])
    seniors = template.target_groups.get()
    pages = []
    for n in range(count - 1):
        page = CoursePage(
            title=f"{template.title} {n}",
            slug=f"{template.slug}-{n}",
            summary=template.summary,
            term=template.term,
            category=template.category,
            venue=template.venue,
            instructor=template.instructor,
            owner=template.instructor,
            registration_opens_at=template.registration_opens_at,
            registration_closes_at=template.registration_closes_at,
        )
        catalogue.add_child(instance=page)
        pages.append(page)
    CourseSession.objects.bulk_create(
        CourseSession(
            page=page, start=s.start, end=s.end, weekday=s.weekday, start_hour=s.start_hour
        )
        for page in pages
        for s in template.session_list
    )
    CoursePage.target_groups.through.objects.bulk_create(
        CoursePage.target_groups.through(coursepage=page, targetgroup=seniors) for page in pages
    )


def test_catalogue_query_count_is_the_same_for_10_and_500_courses(
    client, catalogue, django_assert_num_queries
):
    _create_courses(catalogue, 10)
    client.get("/courses/")  # warm per-process caches (content types, site root paths)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ten:
        assert client.get("/courses/?target_group=seniors").status_code == 200
    _create_courses(catalogue, 490)
    assert CoursePage.objects.live().count() == 500
    with django_assert_num_queries(len(ten.captured_queries)):
        response = client.get("/courses/?target_group=seniors")
    assert response.context["page_obj"].paginator.count == 500
    assert len(response.context["courses"]) == 12


def test_course_page_shows_what_a_citizen_needs_to_decide(client, catalogue):
    course = CoursePageFactory(
        parent=catalogue,
        slug="senior-phone",
        title="長輩手機入門",
        what_to_bring="充好電的手機",
        sessions=[(taipei(2026, 12, 7, 9), taipei(2026, 12, 7, 12))],
    )
    response = client.get("/courses/senior-phone/")
    assert response.status_code == 200
    text = response.text
    for expected in [
        course.title,
        course.summary,
        course.venue.name,
        course.venue.address,
        "充好電的手機",
        course.instructor.first_name,
        "2026/12/07",
        "09:00",
        "12:00",
        "/courses/senior-phone/calendar.ics",
        "openstreetmap.org",
    ]:
        assert expected in text, expected


def test_course_page_query_count_does_not_depend_on_sessions(
    client, catalogue, django_assert_max_num_queries
):
    few = [(taipei(2026, 12, d, 9), taipei(2026, 12, d, 12)) for d in (1, 2)]
    many = [(taipei(2026, 12, d, 9), taipei(2026, 12, d, 12)) for d in range(1, 13)]
    CoursePageFactory(parent=catalogue, slug="few", sessions=few)
    CoursePageFactory(parent=catalogue, slug="many", sessions=many)
    client.get("/courses/few/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get("/courses/few/")
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        client.get("/courses/many/")


def test_unknown_course_is_a_friendly_404(client, catalogue):
    response = client.get("/courses/no-such-course/")
    assert response.status_code == 404


def test_home_page_links_to_the_catalogue(client, catalogue):
    CoursePageFactory(parent=catalogue, title="首頁看得到的課")
    response = client.get("/")
    assert response.status_code == 200
    assert 'action="/courses/"' in response.text
    assert "首頁看得到的課" in response.text


def test_language_switcher_shows_the_site_in_english(client, catalogue):
    CoursePageFactory(parent=catalogue)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/courses/"})
    assert response.status_code == 302
    response = client.get("/courses/")
    assert '<html lang="en"' in response.text
    assert "Banqiao" in response.text


def test_catalogue_shows_seats_left_and_full_courses(client, catalogue):
    from courses.models import CourseSeats

    open_course = CoursePageFactory(parent=catalogue, title="還有位子", capacity=20)
    full_course = CoursePageFactory(parent=catalogue, title="已額滿", capacity=20)
    CourseSeats.objects.create(course=open_course, general_taken=5)
    CourseSeats.objects.create(course=full_course, general_taken=20, waitlisted=3)
    client.cookies.load({"ezlearn_language": "en"})
    text = client.get("/courses/").text
    assert "15 seats left" in text
    assert "Full" in text and "3 waiting" in text
