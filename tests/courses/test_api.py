import pytest

from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, slug="line-video", target_groups=["seniors"])


def test_api_lists_live_courses_with_sessions_venue_and_category(client, course):
    response = client.get("/api/v2/courses/")
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 1
    item = data["items"][0]
    assert item["title"] == course.title
    assert item["meta"]["slug"] == "line-video"
    assert item["venue"]["district"]["slug"] == "banqiao"
    assert item["venue"]["address"] == course.venue.address
    assert item["category"]["slug"] == course.category.slug
    assert item["target_group_codes"] == ["seniors"]
    assert len(item["sessions"]) == 3
    assert set(item["sessions"][0]) >= {"start", "end", "topic", "room"}
    assert item["sessions"][0]["start"].endswith("+08:00")


def test_api_course_detail_has_the_body_and_instructor(client, course):
    response = client.get(f"/api/v2/courses/{course.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["instructor_name"] == course.instructor.first_name
    assert data["total_hours"] == 9.0
    assert "body" in data


def test_api_hides_unpublished_courses(client, course):
    course.unpublish()
    assert client.get("/api/v2/courses/").json()["meta"]["total_count"] == 0
    assert client.get(f"/api/v2/courses/{course.pk}/").status_code == 404


def test_api_pages_endpoint_filters_by_course_type(client, course):
    response = client.get("/api/v2/pages/?type=courses.CoursePage&fields=summary")
    assert response.status_code == 200
    assert [item["id"] for item in response.json()["items"]] == [course.pk]


@pytest.mark.parametrize(
    "query",
    ["?limit=abc", "?offset=-1", "?unknown=1", "?fields=nosuchfield", "?order=nosuchfield"],
)
def test_api_answers_bad_parameters_with_400_and_a_message(client, course, query):
    response = client.get(f"/api/v2/courses/{query}")
    assert response.status_code == 400
    assert "message" in response.json()


def test_api_query_count_does_not_grow_with_courses(
    client, catalogue, django_assert_max_num_queries
):
    for _ in range(3):
        CoursePageFactory(parent=catalogue)
    with django_assert_max_num_queries(12) as few:
        client.get("/api/v2/courses/")
    for _ in range(12):
        CoursePageFactory(parent=catalogue)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get("/api/v2/courses/")
    assert response.json()["meta"]["total_count"] == 15
