"""A citizen's enrollment journey through the web pages: course page → sign in → enroll →
result → My courses → cancel."""

from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.test.client import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from enrollment.learner_selectors import learner_enrollment_list
from enrollment.models import Enrollment
from enrollment.services import enrollment_cancel, enrollment_create, waitlist_position
from tests.factories import CoursePageFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"  # UserFactory's
Status = Enrollment.Status


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, capacity=2, what_to_bring="Your phone, charged.")


@pytest.fixture
def learner(client):
    learner = LearnerFactory(user=UserFactory(), email="mei@example.test")
    client.force_login(learner.user)
    return learner


def enroll_url(course) -> str:
    return f"/enroll/{course.pk}/"


def fill(course, seats: int) -> list[Enrollment]:
    return [enrollment_create(learner=LearnerFactory(), course=course) for _ in range(seats)]


# --- The course page ----------------------------------------------------------------------


def test_course_page_offers_anonymous_visitors_sign_in_that_comes_back_to_enroll(client, course):
    page = client.get(course.url).content.decode()
    assert "2 seats left" in page
    assert f"/accounts/login/?next=/enroll/{course.pk}/" in page
    assert f"/accounts/signup/?next=/enroll/{course.pk}/" in page


def test_course_page_gives_a_signed_in_learner_a_big_enroll_button(client, course, learner):
    fill(course, 1)
    page = client.get(course.url).content.decode()
    assert "1 seat left" in page
    assert f'<form method="post" action="/enroll/{course.pk}/">' in page
    assert "csrfmiddlewaretoken" in page


def test_course_page_of_a_full_course_offers_the_waiting_list(client, course, learner):
    fill(course, 2)
    page = client.get(course.url).content.decode()
    assert "Full" in page and "Join the waiting list" in page


def test_course_page_shows_the_learners_own_enrollment_and_place_in_the_queue(
    client, course, learner
):
    fill(course, 3)
    enrollment = enrollment_create(learner=learner, course=course)
    page = client.get(course.url).content.decode()
    assert "You are number 2 on the waiting list." in page
    assert f"/my/enrollments/{enrollment.pk}/" in page


def test_course_page_says_when_registration_opens(client, catalogue):
    course = CoursePageFactory(
        parent=catalogue,
        registration_opens_at=timezone.now() + timedelta(days=2),
        registration_closes_at=timezone.now() + timedelta(days=4),
    )
    page = client.get(course.url).content.decode()
    assert "You can enroll from" in page
    assert f"/enroll/{course.pk}/" not in page


def test_the_enroll_panel_costs_one_query_for_a_signed_in_visitor_and_none_otherwise(
    course, learner, django_assert_num_queries
):
    template = Template("{% load enrollment_tags %}{% learner_enrollment course as e %}{{ e }}")
    request = RequestFactory().get("/")
    request.user = learner.user
    with django_assert_num_queries(1):
        template.render(Context({"request": request, "course": course}))
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        template.render(Context({"request": request, "course": course}))


# --- Enroll -------------------------------------------------------------------------------


def test_anonymous_enroll_goes_to_sign_in_and_back(client, course):
    response = client.post(enroll_url(course))
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/enroll/{course.pk}/"
    assert not Enrollment.objects.exists()


def test_from_the_course_page_to_a_seat_through_sign_in(client, course):
    learner = LearnerFactory(user=UserFactory(), phone="+886912345678")
    response = client.post(enroll_url(course))  # the course page's button, signed out
    login = response["Location"]
    response = client.post(login, {"login": "0912-345-678", "password": PASSWORD})
    assert response["Location"] == enroll_url(course)
    assert "Yes, enroll me" in client.get(enroll_url(course)).content.decode()
    response = client.post(enroll_url(course), follow=True)
    assert "You have a seat" in response.content.decode()
    assert Enrollment.objects.get().learner == learner


def test_after_sign_in_the_learner_sees_one_confirmation_button(client, course, learner):
    page = client.get(enroll_url(course)).content.decode()
    assert "Enroll in this course?" in page
    assert "Yes, enroll me" in page
    assert not Enrollment.objects.exists()


def test_enrolling_confirms_a_seat_and_says_so_in_plain_words(client, course, learner):
    response = client.post(enroll_url(course))
    enrollment = Enrollment.objects.get()
    assert enrollment.status == Status.CONFIRMED
    assert response["Location"] == f"/my/enrollments/{enrollment.pk}/"
    page = client.get(response["Location"]).content.decode()
    first = timezone.localtime(course.first_session.start)
    assert "You have a seat" in page
    assert f"See you on {first:%Y/%m/%d}" in page and course.venue.name_en in page
    assert "What happens next" in page
    assert "Your phone, charged." in page
    assert f"{course.url}calendar.ics" in page
    assert enrollment.check_in_code in page and "<svg" in page


def test_enrolling_in_a_full_course_joins_the_waiting_list_with_a_position(client, course, learner):
    fill(course, 3)
    response = client.post(enroll_url(course), follow=True)
    enrollment = Enrollment.objects.get(learner=learner)
    assert enrollment.status == Status.WAITLISTED
    page = response.content.decode()
    assert "You are number 2 on the waiting list." in page
    assert "If someone cancels, you get their seat and we tell you by email." in page
    assert enrollment.check_in_code not in page


def test_closed_registration_shows_the_reason_instead_of_enrolling(client, catalogue, learner):
    course = CoursePageFactory(
        parent=catalogue,
        registration_opens_at=timezone.now() - timedelta(days=5),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    response = client.post(enroll_url(course))
    assert response.status_code == 200
    assert "Registration for this course has closed." in response.content.decode()
    assert not Enrollment.objects.exists()


def test_the_term_limit_message_is_shown_not_a_server_error(client, catalogue, learner):
    first = CoursePageFactory(parent=catalogue)
    first.term.max_enrollments_per_learner = 1
    first.term.save()
    second = CoursePageFactory(parent=catalogue, term=first.term)
    enrollment_create(learner=learner, course=first)
    response = client.post(enroll_url(second))
    assert response.status_code == 200
    assert "the most courses allowed this term" in response.content.decode()


def test_double_submit_gives_one_enrollment(client, course, learner):
    first = client.post(enroll_url(course))
    second = client.post(enroll_url(course))
    assert Enrollment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_an_account_without_learner_fills_the_profile_then_comes_back_to_enroll(client, course):
    user = UserFactory(email="new@example.test")
    client.force_login(user)
    response = client.post(enroll_url(course))
    assert response["Location"] == f"/my/profile/?next=%2Fenroll%2F{course.pk}%2F"
    response = client.post(
        response["Location"],
        {
            "name": "Sakinu",
            "birth_year": "1950",
            "phone": "0912-000-111",
            "email": "new@example.test",
            "preferred_language": "en",
            "next": enroll_url(course),
        },
    )
    assert response["Location"] == enroll_url(course)
    client.post(enroll_url(course))
    assert Enrollment.objects.get().learner.user == user


def test_next_to_another_site_is_ignored(client, learner):
    data = {
        "name": "林美玲",
        "birth_year": "1980",
        "phone": "",
        "email": "mei@example.test",
        "preferred_language": "en",
        "next": "https://evil.example/",
    }
    response = client.post("/my/profile/", data)
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == "/my/"


def test_unknown_or_unpublished_courses_answer_404(client, course, learner):
    assert client.get("/enroll/999999/").status_code == 404
    course.unpublish()
    assert client.post(enroll_url(course)).status_code == 404


# --- My courses ---------------------------------------------------------------------------


def test_my_courses_lists_upcoming_enrollments_with_status_queue_place_and_check_in(
    client, catalogue, learner
):
    seat = enrollment_create(learner=learner, course=CoursePageFactory(parent=catalogue))
    full = CoursePageFactory(parent=catalogue, capacity=1)
    fill(full, 1)
    waiting = enrollment_create(learner=learner, course=full)
    cancelled_course = CoursePageFactory(parent=catalogue, title="Cancelled LINE class")
    enrollment_cancel(enrollment=enrollment_create(learner=learner, course=cancelled_course))
    page = client.get("/my/").content.decode()
    upcoming, past = page.split("Past and cancelled")
    assert seat.course.title in upcoming and full.title in upcoming
    assert "Waiting list: number 1" in upcoming
    assert seat.check_in_code in upcoming and waiting.check_in_code not in upcoming
    assert f"{seat.course.url}calendar.ics" in upcoming
    assert f"/my/enrollments/{seat.pk}/cancel/" in upcoming
    assert f"/my/enrollments/{waiting.pk}/cancel/" in upcoming
    assert "Cancelled LINE class" in past and "Cancelled LINE class" not in upcoming
    assert "General seat" not in page and "Reserved seat" not in page


def test_my_courses_never_shows_another_learners_enrollments(client, course, learner):
    other = enrollment_create(learner=LearnerFactory(user=UserFactory()), course=course)
    page = client.get("/my/").content.decode()
    assert other.check_in_code not in page
    assert "You have no courses coming up." in page


def test_my_courses_costs_the_same_queries_for_1_or_10_enrollments(
    client, catalogue, learner, django_assert_max_num_queries
):
    enrollment_create(learner=learner, course=CoursePageFactory(parent=catalogue))
    client.get("/my/")  # warm the site-root cache
    with CaptureQueriesContext(connection) as one:
        client.get("/my/")
    for index in range(9):
        course = CoursePageFactory(parent=catalogue, capacity=1)
        if index % 2:
            fill(course, 1)  # some on the waiting list
        enrollment_create(learner=learner, course=course)
    with django_assert_max_num_queries(len(one)):
        response = client.get("/my/")
    assert response.content.decode().count("enrollment-card__title") == 10


def test_waitlist_positions_on_my_courses_match_the_service(catalogue):
    course = CoursePageFactory(parent=catalogue, capacity=1)
    users = [UserFactory() for _ in range(4)]
    enrollments = [
        enrollment_create(learner=LearnerFactory(user=user), course=course) for user in users
    ]
    for user, enrollment in zip(users, enrollments, strict=True):
        (listed,) = learner_enrollment_list(user=user)
        assert listed.waitlist_position == waitlist_position(enrollment=enrollment)


# --- Cancel -------------------------------------------------------------------------------


def test_cancelling_asks_first_then_frees_the_seat_for_the_next_in_line(client, course, learner):
    mine = enrollment_create(learner=learner, course=course)
    fill(course, 1)
    (next_in_line,) = fill(course, 1)
    url = f"/my/enrollments/{mine.pk}/cancel/"
    page = client.get(url).content.decode()
    assert "Cancel your seat?" in page and "Yes, cancel my seat" in page
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED
    response = client.post(url, follow=True)
    mine.refresh_from_db()
    next_in_line.refresh_from_db()
    assert mine.status == Status.CANCELLED
    assert next_in_line.status == Status.CONFIRMED
    assert "Your seat is cancelled." in response.content.decode()


def test_leaving_the_waiting_list(client, course, learner):
    fill(course, 2)
    mine = enrollment_create(learner=learner, course=course)
    response = client.post(f"/my/enrollments/{mine.pk}/cancel/", follow=True)
    mine.refresh_from_db()
    assert mine.status == Status.CANCELLED
    assert "You have left the waiting list." in response.content.decode()


def test_too_late_to_cancel_online_shows_the_message(client, catalogue, learner):
    soon = timezone.now() + timedelta(hours=3)
    course = CoursePageFactory(parent=catalogue, sessions=[(soon, soon + timedelta(hours=2))])
    mine = enrollment_create(learner=learner, course=course)
    assert "too late to cancel online" in client.get(f"/my/enrollments/{mine.pk}/").content.decode()
    response = client.post(f"/my/enrollments/{mine.pk}/cancel/")
    assert response.status_code == 200
    assert "It is too late to cancel online." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == Status.CONFIRMED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/my/enrollments/{pk}/"),
        ("get", "/my/enrollments/{pk}/cancel/"),
        ("post", "/my/enrollments/{pk}/cancel/"),
    ],
)
def test_another_learners_enrollment_answers_404(client, course, learner, method, path):
    other = enrollment_create(learner=LearnerFactory(user=UserFactory()), course=course)
    response = getattr(client, method)(path.format(pk=other.pk))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED


def test_a_counter_learner_without_account_is_not_reachable_either(client, course, learner):
    other = enrollment_create(learner=LearnerFactory(user=None), course=course)
    assert client.get(f"/my/enrollments/{other.pk}/").status_code == 404
