"""Who may touch which course page in the Wagtail admin: a URL × role matrix."""

from django.utils import timezone

from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

import pytest

from courses.models import CoursePage, Venue
from tests.factories import (
    AdministratorFactory,
    CategoryFactory,
    CoursePageFactory,
    InstructorFactory,
    TermFactory,
    UserFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def course_form_data(course=None, **overrides) -> dict:
    venue = course.venue if course else VenueFactory()
    category = course.category if course else CategoryFactory()
    term = course.term if course else TermFactory()
    data = {
        "title": course.title if course else "長輩 LINE 視訊",
        "slug": course.slug if course else "line-video-call",
        "summary": "學會用 LINE 和孫子視訊。",
        "body": streamfield([]),
        "what_to_bring": "充好電的手機",
        "term": term.pk,
        "category": category.pk,
        "level": "beginner",
        "language": "mandarin",
        "language_note": "",
        "venue": venue.pk,
        "capacity": 20,
        "reserved_seats": 0,
        "reserved_release_days": 7,
        "cancellation_hours": 24,
        "completion_percent": 75,
        "registration_opens_at": "2026-11-01 09:00",
        "registration_closes_at": "2026-12-20 17:00",
        "sessions": inline_formset(
            [{"start": "2026-12-21 09:00", "end": "2026-12-21 12:00", "topic": "", "room": ""}]
        ),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(overrides)
    return nested_form_data(data)


@pytest.fixture
def instructor(catalogue):
    return InstructorFactory(username="teacher_a")


@pytest.fixture
def other_instructor(catalogue):
    return InstructorFactory(username="teacher_b")


@pytest.fixture
def administrator(catalogue):
    return AdministratorFactory(username="city_admin")


@pytest.fixture
def others_course(catalogue, other_instructor):
    return CoursePageFactory(parent=catalogue, instructor=other_instructor, title="別人的課")


def test_instructor_creates_a_course_and_it_waits_for_approval(client, catalogue, instructor):
    client.force_login(instructor)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    assert client.get(url).status_code == 200

    response = client.post(url, course_form_data(**{"action-submit": "Submit"}))

    assert response.status_code == 302, response.context and response.context["form"].errors
    course = CoursePage.objects.get(slug="line-video-call")
    assert course.owner == instructor
    assert course.instructor == instructor
    assert not course.live
    state = course.current_workflow_state
    assert state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS


def test_instructor_cannot_make_someone_else_teach_their_new_course(
    client, catalogue, instructor, other_instructor
):
    client.force_login(instructor)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    client.post(url, course_form_data(instructor=other_instructor.pk))
    course = CoursePage.objects.get(slug="line-video-call")
    assert course.instructor == instructor
    assert course.owner == instructor


def test_instructor_cannot_publish_directly(client, catalogue, instructor):
    client.force_login(instructor)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    client.post(url, course_form_data(**{"action-publish": "Publish"}))
    assert not CoursePage.objects.get(slug="line-video-call").live


def test_instructor_cannot_open_or_post_to_another_instructors_course(
    client, instructor, others_course
):
    client.force_login(instructor)
    edit_url = f"/admin/pages/{others_course.pk}/edit/"
    response = client.get(edit_url)
    assert response.status_code in (302, 403)
    assert "/edit/" not in response.get("Location", "")

    response = client.post(
        edit_url,
        course_form_data(others_course, title="被改掉了", **{"action-publish": "Publish"}),
    )
    assert response.status_code in (302, 403)
    others_course.refresh_from_db()
    assert others_course.title == "別人的課"
    assert not others_course.revisions.exists()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/pages/{pk}/delete/",
        "/admin/pages/{pk}/unpublish/",
        "/admin/pages/{pk}/move/",
        "/admin/pages/{pk}/copy/",
    ],
)
def test_instructor_cannot_delete_move_or_unpublish_another_instructors_course(
    client, instructor, others_course, url
):
    client.force_login(instructor)
    response = client.post(url.format(pk=others_course.pk), {})
    assert response.status_code in (302, 403)
    assert Page.objects.filter(pk=others_course.pk, live=True).exists()


def test_instructor_edits_own_course_and_administrator_approves_it(
    client, catalogue, instructor, administrator
):
    course = CoursePageFactory(parent=catalogue, instructor=instructor, title="我的課")
    client.force_login(instructor)
    edit_url = f"/admin/pages/{course.pk}/edit/"
    assert client.get(edit_url).status_code == 200

    response = client.post(
        edit_url,
        course_form_data(
            course,
            title="我的課（改時間）",
            sessions=inline_formset(
                [
                    {
                        "id": session.pk,
                        "start": "2026-12-22 14:00" if n == 0 else f"{local(session.start)}",
                        "end": "2026-12-22 16:00" if n == 0 else f"{local(session.end)}",
                        "topic": "視訊" if n == 0 else "",
                        "room": "",
                    }
                    for n, session in enumerate(course.session_list)
                ],
                initial=3,
            ),
            **{"action-submit": "Submit"},
        ),
    )
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.title == "我的課"  # live page unchanged until approved
    state = course.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    client.force_login(administrator)
    task_state = state.current_task_state
    response = client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{task_state.pk}/", {"comment": ""}
    )
    assert response.status_code in (200, 302)
    course.refresh_from_db()
    assert course.title == "我的課（改時間）"
    assert course.live
    session = course.sessions.get(topic="視訊")
    assert session.start.hour == 6  # 14:00 Taipei is 06:00 UTC
    assert course.sessions.count() == 3


def test_instructor_cannot_approve_a_course(client, catalogue, instructor, other_instructor):
    course = CoursePageFactory(parent=catalogue, instructor=other_instructor, title="待審")
    revision = course.save_revision(user=other_instructor)
    workflow = course.get_workflow()
    state = workflow.start(course, other_instructor)
    assert revision
    client.force_login(instructor)
    client.post(
        f"/admin/pages/workflow/action/{course.pk}/approve/{state.current_task_state.pk}/", {}
    )
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS


def test_administrator_assigning_an_instructor_hands_them_the_page(
    client, catalogue, administrator, instructor
):
    client.force_login(administrator)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    response = client.post(
        url, course_form_data(instructor=instructor.pk, **{"action-publish": "Publish"})
    )
    assert response.status_code == 302
    course = CoursePage.objects.get(slug="line-video-call")
    assert course.live
    assert course.owner == instructor

    client.force_login(instructor)
    assert client.get(f"/admin/pages/{course.pk}/edit/").status_code == 200


@pytest.mark.parametrize("model", ["venue", "category", "district", "term"])
def test_only_administrators_manage_catalogue_snippets(client, instructor, administrator, model):
    add_url = f"/admin/snippets/courses/{model}/add/"
    client.force_login(instructor)
    assert client.get(add_url).status_code in (302, 403)
    client.force_login(administrator)
    assert client.get(add_url).status_code == 200


def test_instructor_cannot_change_a_venue_by_posting(client, instructor):
    venue = VenueFactory(name="原本的名字")
    client.force_login(instructor)
    client.post(
        f"/admin/snippets/courses/venue/edit/{venue.pk}/",
        {"name": "改掉", "district": venue.district_id, "address": "x", "kind": "library"},
    )
    assert Venue.objects.get(pk=venue.pk).name == "原本的名字"


def test_instructors_cannot_manage_users(client, instructor):
    client.force_login(instructor)
    assert client.get("/admin/users/").status_code in (302, 403)


def test_citizens_without_admin_access_are_kept_out_of_the_admin(client, catalogue):
    client.force_login(UserFactory())
    response = client.get("/admin/")
    assert response.status_code in (302, 403)


def test_anonymous_visitors_are_sent_to_the_admin_login(client, catalogue):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_admin_form_refuses_more_reserved_seats_than_seats(client, catalogue, administrator):
    client.force_login(administrator)
    url = f"/admin/pages/add/courses/coursepage/{catalogue.pk}/"
    response = client.post(url, course_form_data(capacity=10, reserved_seats=11))
    assert response.status_code == 200
    assert "reserved_seats" in response.context["form"].errors
    assert response.context["form"]["title"].value() == "長輩 LINE 視訊"  # nothing typed is lost
    assert not CoursePage.objects.filter(slug="line-video-call").exists()
