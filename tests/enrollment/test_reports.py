"""The participation overview: figures checked against hand-computed values."""

import csv
import io

import pytest
from openpyxl import load_workbook

from courses.models import District
from enrollment.exports import csv_bytes, safe_cell, xlsx_bytes
from enrollment.models import Attendance, Enrollment
from enrollment.selectors import ParticipationFilters, participation_summary
from enrollment.services import enrollment_cancel, enrollment_create
from tests.factories import CategoryFactory, CoursePageFactory, LearnerFactory, VenueFactory

pytestmark = pytest.mark.django_db
Status = Enrollment.Status


@pytest.fixture
def data(catalogue):
    """Banqiao course (3 seats): 12 senior learners → 3 confirmed, 9 waiting; one confirmed
    cancels (a waiting one moves up). Zhonghe course: 2 young learners, both confirmed, one
    attended 1 of 1 marked session, the other was marked absent."""
    phones = CategoryFactory(slug="smartphone-basics")
    banqiao = CoursePageFactory(parent=catalogue, capacity=3, category=phones)
    zhonghe = CoursePageFactory(
        parent=catalogue,
        capacity=5,
        venue=VenueFactory(district=District.objects.get(slug="zhonghe")),
    )
    seniors = [
        enrollment_create(learner=LearnerFactory(senior=True), course=banqiao) for _ in range(12)
    ]
    enrollment_cancel(enrollment=seniors[0])
    young = [enrollment_create(learner=LearnerFactory(), course=zhonghe) for _ in range(2)]
    session = zhonghe.sessions.first()
    Attendance.objects.create(enrollment=young[0], session=session, present=True)
    Attendance.objects.create(enrollment=young[1], session=session, present=False)
    Enrollment.objects.filter(pk=young[0].pk).update(status=Status.COMPLETED)
    Enrollment.objects.filter(pk=young[1].pk).update(status=Status.NOT_COMPLETED)
    return banqiao, zhonghe


def rows_by_key(summary, dimension):
    table = next(t for t in summary.tables if t.dimension == dimension)
    return {row.key: row for row in table.rows}


def test_totals_match_hand_counts(data):
    summary = participation_summary(filters=ParticipationFilters())
    total = summary.total
    assert (total.learners, total.enrollments) == (5, 5)  # 3 Banqiao seats + 2 Zhonghe
    assert (total.waitlisted, total.cancelled) == (8, 1)
    assert (total.decided, total.completed, total.completion_rate) == (2, 1, 50.0)
    assert (total.present, total.marked, total.attendance_rate) == (1, 2, 50.0)


def test_breakdown_by_district_and_topic(data):
    summary = participation_summary(filters=ParticipationFilters())
    districts = rows_by_key(summary, "district")
    assert districts["banqiao"].enrollments == 3 and districts["banqiao"].waitlisted == 8
    assert districts["zhonghe"].enrollments == 2 and districts["zhonghe"].attendance_rate == 50.0
    assert districts["banqiao"].label == "板橋區"
    topics = rows_by_key(summary, "category")
    assert topics["smartphone-basics"].enrollments == 3


def test_filters_narrow_every_table(data):
    summary = participation_summary(filters=ParticipationFilters(district="zhonghe"))
    assert summary.total.enrollments == 2
    assert set(rows_by_key(summary, "district")) == {"zhonghe"}


def test_target_group_cells_under_ten_learners_are_suppressed(data):
    summary = participation_summary(filters=ParticipationFilters())
    groups = rows_by_key(summary, "target_group")
    # Only 3 seniors hold seats (9 others wait): fewer than 10 learners taking part.
    assert groups["seniors"].suppressed
    assert groups["seniors"].learners == 0 and groups["seniors"].enrollments == 0
    assert groups["indigenous"].suppressed


def test_target_group_cell_is_shown_from_ten_learners(catalogue):
    course = CoursePageFactory(parent=catalogue, capacity=10)
    for _ in range(10):
        enrollment_create(learner=LearnerFactory(senior=True), course=course)
    groups = rows_by_key(participation_summary(filters=ParticipationFilters()), "target_group")
    assert not groups["seniors"].suppressed
    assert groups["seniors"].learners == 10


def test_report_query_count_does_not_grow_with_enrollments(
    catalogue, django_assert_max_num_queries
):
    course = CoursePageFactory(parent=catalogue, capacity=50)
    for _ in range(3):
        enrollment_create(learner=LearnerFactory(), course=course)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        participation_summary(filters=ParticipationFilters())
    for _ in range(30):
        enrollment_create(learner=LearnerFactory(), course=course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        participation_summary(filters=ParticipationFilters())


@pytest.mark.parametrize("value", ['=HYPERLINK("http://evil")', "+1", "-2+3", "@SUM(A1)"])
def test_exports_neutralise_formulas(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell(12) == 12
    content = csv_bytes(header=["a"], rows=[[value]]).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(content)))[1] == ["'" + value]
    workbook = load_workbook(io.BytesIO(xlsx_bytes(sheets=[("t", ["a"], [[value]])])))
    assert workbook["t"]["A2"].value == "'" + value


def test_participation_page_and_exports_are_for_administrators_only(client, data):
    from tests.factories import AdministratorFactory, InstructorFactory

    url = "/admin/enrollment/participation/"
    assert client.get(url).status_code == 302  # anonymous → login
    client.force_login(InstructorFactory())
    assert client.get(url).status_code in (302, 403)
    assert client.get(url + "?export=csv").status_code in (302, 403)

    client.force_login(AdministratorFactory())
    response = client.get(url + "?district=banqiao")
    assert response.status_code == 200
    assert "板橋區" in response.text
    csv_response = client.get(url + "?export=csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
    assert rows[1][2] == "5"  # total learners
    xlsx_response = client.get(url + "?export=xlsx")
    workbook = load_workbook(io.BytesIO(xlsx_response.content))
    assert workbook.sheetnames[0] in ("Total", "總計", "合計")


def test_participation_filter_with_a_bad_value_shows_an_error_not_a_crash(client, data):
    from tests.factories import AdministratorFactory

    client.force_login(AdministratorFactory())
    response = client.get("/admin/enrollment/participation/?term=abc&district=atlantis")
    assert response.status_code == 200
    assert response.context["form"].errors


def test_district_rows_follow_the_citys_district_order(data, catalogue):
    yonghe = CoursePageFactory(
        parent=catalogue, venue=VenueFactory(district=District.objects.get(slug="yonghe"))
    )
    enrollment_create(learner=LearnerFactory(), course=yonghe)
    summary = participation_summary(filters=ParticipationFilters())
    table = next(t for t in summary.tables if t.dimension == "district")
    # The city's order (板橋, 中和, 永和), not the alphabet (banqiao, yonghe, zhonghe).
    assert [row.key for row in table.rows] == ["banqiao", "zhonghe", "yonghe"]
