"""The instructor's roster and check-in in the Wagtail admin: who reaches what (a URL × role
matrix), one-tap attendance, check-in by typed code and by QR, and a constant query count."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from enrollment.models import Attendance, Enrollment
from tests.enrollment.staff import counter_staff_user, course_running_today, enroll
from tests.factories import AdministratorFactory, InstructorFactory, LearnerFactory, UserFactory

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Method = Attendance.Method


@pytest.fixture
def instructor(catalogue):
    return InstructorFactory(username="teacher_a")


@pytest.fixture
def other_instructor(catalogue):
    return InstructorFactory(username="teacher_b")


@pytest.fixture
def course(catalogue, instructor):
    return course_running_today(catalogue, instructor=instructor, title="長輩 LINE 入門")


@pytest.fixture
def others_course(catalogue, other_instructor):
    return course_running_today(catalogue, instructor=other_instructor, title="別人的課")


def today(course):
    return course.session_list[1]


def roster_url(course, session=None) -> str:
    if session is None:
        return f"/admin/enrollment/rosters/{course.pk}/"
    return f"/admin/enrollment/rosters/{course.pk}/sessions/{session.pk}/"


def mark_url(course, session) -> str:
    return roster_url(course, session) + "mark/"


# --- who reaches what -----------------------------------------------------------------------

URLS = {
    "rosters": lambda c, e: "/admin/enrollment/rosters/",
    "roster": lambda c, e: roster_url(c),
    "roster session": lambda c, e: roster_url(c, today(c)),
    "roster check-in": lambda c, e: roster_url(c, today(c)) + "check-in/",
    "type a code": lambda c, e: "/admin/enrollment/check-in/",
    "scan a code": lambda c, e: f"/admin/enrollment/check-in/{e.check_in_code}/",
    "slip": lambda c, e: f"/admin/enrollment/enrollments/{e.pk}/slip.pdf",
    "counter": lambda c, e: "/admin/enrollment/counter/",
    "counter done": lambda c, e: f"/admin/enrollment/counter/enrollments/{e.pk}/",
}
# Expected answers for a user on *someone else's* course (instructor A on B's course), or on
# any course for administrators and counter staff. "login": sent to the admin login.
EXPECTED = {
    "anonymous": dict.fromkeys(URLS, "login"),
    "citizen": dict.fromkeys(URLS, "login"),
    "instructor A": {
        "rosters": 200,  # lists only their own courses (tested below)
        "roster": 404,
        "roster session": 404,
        "roster check-in": 404,
        "type a code": 200,
        "scan a code": 404,
        "slip": 404,
        "counter": "refused",
        "counter done": "refused",
    },
    "counter staff": {
        "rosters": 200,  # empty
        "roster": 404,
        "roster session": 404,
        "roster check-in": 404,
        "type a code": 200,
        "scan a code": 200,
        "slip": 200,
        "counter": 200,
        "counter done": 200,
    },
    "administrator": dict.fromkeys(URLS, 200),
}


def user_for(role):
    if role == "anonymous":
        return None
    if role == "citizen":
        return UserFactory()  # an ordinary citizen's account: no admin access
    if role == "instructor A":
        return InstructorFactory()
    if role == "counter staff":
        return counter_staff_user()
    return AdministratorFactory()


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("name", list(URLS))
def test_url_role_matrix(client, others_course, role, name):
    enrollment = enroll(others_course)
    user = user_for(role)
    if user is not None:
        client.force_login(user)

    response = client.get(URLS[name](others_course, enrollment))

    expected = EXPECTED[role][name]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    elif expected == "refused":
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    else:
        assert response.status_code == expected, response.content[:300]
    if response.status_code == 200 and name not in ("slip",):
        assert others_course.title not in response.content.decode() or role in (
            "administrator",
            "counter staff",
        )


def test_instructor_opens_own_roster_and_sees_only_own_courses(
    client, course, others_course, instructor
):
    client.force_login(instructor)
    index = client.get("/admin/enrollment/rosters/").content.decode()
    assert course.title in index
    assert others_course.title not in index
    assert client.get(roster_url(course)).status_code == 200
    assert client.get(roster_url(course, today(course)) + "check-in/").status_code == 200


def test_instructor_cannot_mark_attendance_in_another_instructors_course(
    client, instructor, others_course
):
    enrollment = enroll(others_course)
    client.force_login(instructor)
    session = today(others_course)
    response = client.post(
        mark_url(others_course, session), {"enrollment": enrollment.pk, "present": "1"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_learner_of_another_course_cannot_be_marked_through_my_roster(
    client, instructor, course, others_course
):
    stranger = enroll(others_course)
    client.force_login(instructor)
    response = client.post(
        mark_url(course, today(course)), {"enrollment": stranger.pk, "present": "1"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_menu_shows_rosters_to_instructors_and_the_counter_to_counter_staff(
    client, instructor, catalogue
):
    client.force_login(instructor)
    menu = client.get("/admin/").content.decode()
    assert "/admin/enrollment/rosters/" in menu
    assert "/admin/enrollment/counter/" not in menu

    client.force_login(counter_staff_user())
    menu = client.get("/admin/").content.decode()
    assert "/admin/enrollment/counter/" in menu
    assert "/admin/enrollment/check-in/" in menu
    assert "/admin/enrollment/rosters/" not in menu


# --- the roster -----------------------------------------------------------------------------


def test_roster_opens_on_todays_session(client, instructor, course):
    client.force_login(instructor)
    response = client.get(roster_url(course))
    assert response.context["session"] == today(course)
    assert response.context["can_mark"]


def test_roster_opens_on_the_next_session_when_there_is_none_today(client, catalogue, instructor):
    from datetime import timedelta

    from tests.enrollment.staff import course_with_sessions

    now = timezone.now()
    course = course_with_sessions(
        catalogue,
        instructor=instructor,
        starts=[now - timedelta(days=9), now + timedelta(days=2), now + timedelta(days=9)],
    )
    client.force_login(instructor)
    response = client.get(roster_url(course))
    assert response.context["session"] == course.session_list[1]
    assert not response.context["can_mark"]
    assert b'name="present"' not in response.content


def test_roster_never_shows_demographic_fields(client, instructor, course):
    learner = LearnerFactory(
        name="Yuraw‧Watan",
        senior=True,
        indigenous_person=True,
        new_immigrant="yes",
        origin_country="vn",
        disability="yes",
        phone="+886987654321",
        email="yuraw@example.test",
    )
    enroll(course, learner)
    client.force_login(instructor)

    for url in (roster_url(course), roster_url(course, today(course)) + "check-in/"):
        html = client.get(url).content.decode()
        for leak in (
            "Atayal",
            "泰雅",
            "Vietnam",
            "越南",
            "ndigenous",  # Indigenous / indigenous
            "原住民",
            "mmigrant",
            "新住民",
            "isabilit",
            "身心障礙",
            "1950",
            "+886987654321",
            "0987",
            "yuraw@example.test",
        ):
            assert leak not in html, f"{leak!r} shown on {url}"
    assert "Yuraw‧Watan" in client.get(roster_url(course)).content.decode()


def test_waiting_list_is_shown_apart_with_names_and_positions(client, catalogue, instructor):
    course = course_running_today(catalogue, instructor=instructor, capacity=1)
    seated = enroll(course, name="王美玲")
    enroll(course, name="陳阿土")
    enroll(course, name="Nguyễn Thị Hoa")
    client.force_login(instructor)

    response = client.get(roster_url(course))

    assert [row.name for row in response.context["rows"]] == ["王美玲"]
    assert [(w.position, w.name) for w in response.context["waitlist"]] == [
        (1, "陳阿土"),
        (2, "Nguyễn Thị Hoa"),
    ]
    html = response.content.decode()
    assert html.count('name="enrollment"') == 1
    assert f'value="{seated.pk}"' in html


def test_one_tap_marks_present_then_absent(client, instructor, course):
    enrollment = enroll(course, name="王美玲")
    session = today(course)
    client.force_login(instructor)

    response = client.post(mark_url(course, session), {"enrollment": enrollment.pk, "present": "1"})

    assert response.status_code == 302
    assert response["Location"] == f"{roster_url(course, session)}#learner-{enrollment.pk}"
    attendance = Attendance.objects.get()
    assert (attendance.present, attendance.method, attendance.recorded_by) == (
        True,
        Method.ROSTER,
        instructor,
    )
    page = client.get(roster_url(course, session))
    assert 'class="is-present" aria-pressed="true"' in page.content.decode()
    assert page.context["present_count"] == 1

    client.post(mark_url(course, session), {"enrollment": enrollment.pk, "present": "0"})
    assert Attendance.objects.get().present is False
    assert client.get(roster_url(course, session)).context["absent_count"] == 1


def test_marking_a_future_session_is_refused_with_a_message(client, instructor, course):
    enrollment = enroll(course)
    next_week = course.session_list[2]
    client.force_login(instructor)
    response = client.post(
        mark_url(course, next_week), {"enrollment": enrollment.pk, "present": "1"}, follow=True
    )
    assert not Attendance.objects.exists()
    assert any("day of the session" in str(m) for m in response.context["messages"])


def test_roster_query_count_does_not_grow_with_learners(
    client, catalogue, instructor, django_assert_max_num_queries
):
    small = course_running_today(catalogue, instructor=instructor, capacity=5)
    large = course_running_today(catalogue, instructor=instructor, capacity=30)
    for course, seated, waiting in ((small, 5, 2), (large, 30, 10)):
        for n in range(seated + waiting):
            enrollment = enroll(course)
            if n < seated and n % 2:
                Attendance.objects.create(enrollment=enrollment, session=today(course))
    client.force_login(instructor)
    client.get(roster_url(small))  # warm per-process caches (menus, site)

    with CaptureQueriesContext(connection) as small_queries:
        assert client.get(roster_url(small)).status_code == 200
    with django_assert_max_num_queries(len(small_queries)):
        response = client.get(roster_url(large))
    assert len(response.context["rows"]) == 30
    assert len(response.context["waitlist"]) == 10
    assert response.context["present_count"] == 15


# --- check-in -------------------------------------------------------------------------------


def test_typed_code_checks_in_for_the_session(client, instructor, course):
    enrollment = enroll(course, name="王美玲")
    url = roster_url(course, today(course)) + "check-in/"
    client.force_login(instructor)

    response = client.post(url, {"code": enrollment.check_in_code.lower()}, follow=True)

    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.session, attendance.method) == (
        enrollment,
        today(course),
        Method.CODE,
    )
    assert any("王美玲" in str(m) for m in response.context["messages"])


def test_wrong_typed_code_shows_an_error_and_records_nothing(client, instructor, course):
    enroll(course)
    client.force_login(instructor)
    for url in (roster_url(course, today(course)) + "check-in/", "/admin/enrollment/check-in/"):
        response = client.post(url, {"code": "WRONG234"})
        assert response.status_code == 200
        assert "No enrollment has this check-in code" in response.content.decode()
        assert response.context["form"]["code"].value() == "WRONG234"
    assert not Attendance.objects.exists()


def test_wrong_code_error_is_translated(client, instructor, course):
    enroll(course)
    client.force_login(instructor)
    with_chinese = client.post(
        "/admin/enrollment/check-in/", {"code": "WRONG234"}, HTTP_ACCEPT_LANGUAGE="zh-hant"
    )
    errors = with_chinese.context["form"].errors["code"]
    assert errors and all(isinstance(e, str) for e in errors)


def test_scanning_a_qr_shows_the_learner_and_one_tap_records_it(client, instructor, course):
    enrollment = enroll(course, name="王美玲")
    url = f"/admin/enrollment/check-in/{enrollment.check_in_code}/"
    client.force_login(instructor)

    page = client.get(url)
    assert page.status_code == 200
    assert "王美玲" in page.content.decode()
    assert not Attendance.objects.exists()  # looking never records

    response = client.post(url)
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    assert (attendance.enrollment, attendance.session, attendance.method) == (
        enrollment,
        today(course),
        Method.QR,
    )
    assert client.get(url).context["present"]


def test_scanning_an_unknown_code_answers_404_with_a_message(client, instructor, course):
    enroll(course)
    client.force_login(instructor)
    for method in (client.get, client.post):
        response = method("/admin/enrollment/check-in/ZZZZ2222/")
        assert response.status_code == 404
        assert "No enrollment has this check-in code" in response.content.decode()
    assert not Attendance.objects.exists()


def test_scanning_a_waiting_learners_code_records_nothing(client, catalogue, instructor):
    course = course_running_today(catalogue, instructor=instructor, capacity=1)
    enroll(course)
    waiting = enroll(course)
    assert waiting.status == Enrollment.Status.WAITLISTED
    client.force_login(instructor)
    url = f"/admin/enrollment/check-in/{waiting.check_in_code}/"
    assert b"Confirm" not in client.get(url).content
    response = client.post(url)
    assert response.status_code == 200
    assert "waiting list" in response.content.decode()
    assert not Attendance.objects.exists()
