"""Staff on phones: an instructor takes attendance at the classroom door, and counter staff
register a senior who walks in, enroll them and print their slip."""

import io
import re
from datetime import timedelta

from django.contrib.auth.models import Group
from django.utils import timezone

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from courses.roles import COUNTER_STAFF
from enrollment.models import Attendance, Enrollment, Learner
from enrollment.services import enrollment_create
from tests.factories import CoursePageFactory, InstructorFactory, LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"  # UserFactory's


def _admin_login(page, user) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def _open_menu_item(page, name: re.Pattern) -> None:
    """Wagtail's sidebar folds away on a phone: open it, then tap the item."""
    sidebar = page.locator("#wagtail-sidebar")
    item = sidebar.get_by_role("link", name=name)
    if not item.is_visible():
        sidebar.get_by_role("button", name=re.compile("Toggle sidebar|側邊欄")).click()
    item.click()


def _learner_row(page, name: str):
    return page.get_by_role("listitem").filter(has=page.get_by_text(name, exact=True))


def test_instructor_takes_attendance_on_a_phone(page, catalogue):
    instructor = InstructorFactory(username="teacher-chen", first_name="陳老師")
    now = timezone.now()
    # A session that started a few minutes ago, today in Taipei.
    midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    start = max(now - timedelta(minutes=10), midnight)
    course = CoursePageFactory(
        parent=catalogue,
        title="長輩平板入門（板橋）",
        instructor=instructor,
        sessions=[
            (start, start + timedelta(hours=2)),
            (start + timedelta(weeks=1), start + timedelta(weeks=1, hours=2)),
        ],
    )
    here = enrollment_create(
        learner=LearnerFactory(name="王小明"), course=course, ignore_window=True
    )
    away = enrollment_create(
        learner=LearnerFactory(name="李美玲"), course=course, ignore_window=True
    )
    # Someone else's course does not appear in this instructor's rosters.
    CoursePageFactory(parent=catalogue, title="別班的 Excel")

    _admin_login(page, instructor)
    _open_menu_item(page, re.compile("Rosters|點名"))
    expect(page).to_have_url(re.compile(r"/admin/enrollment/rosters/$"))
    expect(page.get_by_role("link", name="別班的 Excel")).to_have_count(0)
    page.get_by_role("link", name="長輩平板入門（板橋）").click()

    # The roster opens on today's session.
    today = course.sessions.order_by("start").first()
    expect(page.locator("main h2").first).to_contain_text(re.compile("today|今天"))

    # One tap per learner; the roster comes back with the tapped button pressed.
    present, absent = re.compile("present|出席", re.I), re.compile("absent|缺席", re.I)
    _learner_row(page, "王小明").get_by_role("button", name=present).click()
    expect(_learner_row(page, "王小明").get_by_role("button", name=present)).to_have_attribute(
        "aria-pressed", "true"
    )
    _learner_row(page, "李美玲").get_by_role("button", name=absent).click()
    expect(_learner_row(page, "李美玲").get_by_role("button", name=absent)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(_learner_row(page, "王小明").get_by_role("button", name=present)).to_have_attribute(
        "aria-pressed", "true"
    )

    marks = {
        a.enrollment_id: (a.present, a.method, a.recorded_by_id)
        for a in Attendance.objects.filter(session=today)
    }
    assert marks == {
        here.pk: (True, Attendance.Method.ROSTER, instructor.pk),
        away.pk: (False, Attendance.Method.ROSTER, instructor.pk),
    }
    assert not Attendance.objects.exclude(session=today).exists()


def test_counter_staff_register_a_senior_enroll_them_and_print_the_slip(page, catalogue):
    clerk = UserFactory(username="counter-wu", first_name="吳")
    clerk.groups.add(Group.objects.get(name=COUNTER_STAFF))
    course = CoursePageFactory(parent=catalogue, title="長輩智慧型手機入門（板橋）")
    CoursePageFactory(parent=catalogue, title="三重晚上的 Excel")

    _admin_login(page, clerk)
    _open_menu_item(page, re.compile("Enroll at the counter|臨櫃"))
    expect(page).to_have_url(re.compile(r"/admin/enrollment/counter/$"))

    # 1. Find the citizen by the number they say: nobody has it yet.
    search = page.get_by_role("search")
    search.get_by_role("textbox").fill("0912-345-678")
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"phone="))

    # 2. Register them: the number is carried over, the Minguo year of birth understood.
    register = page.locator(".ez-staff form[method=post]")
    expect(register.locator("input[name=phone]")).to_have_value(re.compile(r"0912.?345.?678"))
    register.locator("input[name=name]").fill("陳阿嬤")
    register.locator("input[name=birth_year]").fill("41")
    courses = register.locator("select[name=course]")
    expect(courses.locator(f"option[value='{course.pk}']")).to_contain_text(course.title)
    courses.select_option(value=str(course.pk))
    register.get_by_role("button", name=re.compile("Enroll|報名")).click()

    expect(page).to_have_url(re.compile(r"/admin/enrollment/counter/enrollments/\d+/$"))
    expect(page.locator("main")).to_contain_text("陳阿嬤")
    senior = Learner.objects.get()
    assert (senior.name, senior.birth_year, senior.phone) == ("陳阿嬤", 1952, "+886912345678")
    enrollment = Enrollment.objects.get(learner=senior)
    assert (
        enrollment.course_id,
        enrollment.status,
        enrollment.channel,
        enrollment.created_by_id,
    ) == (
        course.pk,
        Enrollment.Status.CONFIRMED,
        Enrollment.Channel.ASSISTED,
        clerk.pk,
    )

    # 3. The slip: a PDF with the senior's name and check-in code.
    slip_link = page.locator(f"a[href$='/enrollments/{enrollment.pk}/slip.pdf']")
    response = page.request.get(slip_link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    pdf = response.body()
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "陳阿嬤" in text
    assert enrollment.check_in_code in text.replace(" ", "")

    # Next time they come, the same number (typed differently) finds them.
    page.goto("/admin/enrollment/counter/")
    search = page.get_by_role("search")
    search.get_by_role("textbox").fill("0912 345678")
    search.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("陳阿嬤")
    expect(page.locator("input[name=learner]")).to_have_value(str(senior.pk))
    assert Learner.objects.count() == 1
