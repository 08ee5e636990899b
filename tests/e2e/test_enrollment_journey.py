"""A new citizen creates an account from a course page on their phone, takes a seat, joins the
waiting list of a full course, and gets the seat when someone else cancels — with an email at
every step."""

import re

from django.core import mail
from django.utils import translation

import pytest
from playwright.sync_api import expect

from enrollment.models import Enrollment, Learner, Notification
from enrollment.notifications import SUBJECTS
from enrollment.phone import LocmemSmsBackend
from enrollment.services import enrollment_cancel, enrollment_create
from tests.factories import CoursePageFactory, LearnerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Status = Enrollment.Status
Kind = Notification.Kind

EMAIL = "mei-ling.lin@example.test"
PHONE_TYPED = "0935 123 456"
PHONE_STORED = "+886935123456"


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def sms_outbox(settings):
    settings.EZLEARN_SMS_BACKEND = "enrollment.phone.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


def test_citizen_signs_up_enrolls_and_moves_up_from_the_waiting_list(page, catalogue, sms_outbox):
    excel = CoursePageFactory(parent=catalogue, title="Excel 入門（板橋）", slug="excel-banqiao")
    line = CoursePageFactory(
        parent=catalogue, title="LINE 視訊通話（板橋）", slug="line-video-banqiao", capacity=1
    )
    neighbour = LearnerFactory(name="王小明")
    neighbours_seat = enrollment_create(learner=neighbour, course=line)
    assert neighbours_seat.status == Status.CONFIRMED

    # A course page, not signed in: the enroll panel offers to create an account.
    page.goto(excel.get_url())
    assert page.get_by_role("heading", level=1).inner_text() == "Excel 入門（板橋）"
    panel = page.locator(".enroll-panel")
    panel.get_by_role("link", name=re.compile("Create an account|建立帳號|註冊")).click()

    # Sign-up: account and learner on one screen.
    expect(page).to_have_url(re.compile(r"/accounts/signup/"))
    assert _no_sideways_scrolling(page), "the sign-up page scrolls sideways on a phone"
    form = page.locator("form.auth-form")
    form.locator("#id_name").fill("林美玲")
    form.locator("#id_birth_year").fill("民國45年")  # a Minguo year, as many seniors say it
    form.locator("#id_phone").fill(PHONE_TYPED)
    form.locator("#id_email").fill(EMAIL)
    form.locator("#id_password1").fill("sunrise-over-banqiao-42")
    form.locator("#id_password2").fill("sunrise-over-banqiao-42")
    form.locator("button[type=submit]").click()

    # A code comes by text message to prove the number is hers; she types it back.
    expect(page).to_have_url(re.compile(r"/accounts/phone/verify/"))
    assert _no_sideways_scrolling(page), "the code page scrolls sideways on a phone"
    assert [message.to for message in sms_outbox] == [PHONE_STORED]
    code = re.search(r"(?<![0-9])([0-9]{6})(?![0-9])", sms_outbox[0].body).group(1)
    page.locator("#id_code").fill(code)
    page.locator("main form button[type=submit]").first.click()

    # Back where she started: "Enroll in this course?", one big button.
    expect(page).to_have_url(re.compile(rf"/enroll/{excel.pk}/$"))
    learner = Learner.objects.get(email=EMAIL)
    assert (learner.name, learner.birth_year, learner.phone) == ("林美玲", 1956, PHONE_STORED)
    assert learner.phone_verified_at is not None
    assert learner.preferred_language == "zh-hant"
    assert "林美玲" in page.locator("main").inner_text()
    page.locator("main form button[type=submit]").click()

    # Confirmed.
    expect(page).to_have_url(re.compile(r"/my/enrollments/\d+/$"))
    expect(page.locator("h1.result--confirmed")).to_be_visible()
    seat = Enrollment.objects.get(learner=learner, course=excel)
    assert seat.status == Status.CONFIRMED
    expect(page.locator(".check-in__code")).to_have_text(seat.check_in_code)
    assert _no_sideways_scrolling(page), "the enrollment result scrolls sideways on a phone"

    # The LINE course is full: its page offers the waiting list.
    page.goto(line.get_url())
    panel = page.locator(".enroll-panel")
    expect(panel.locator(".seats-left")).to_contain_text(re.compile("Full|額滿|已滿"))
    panel.get_by_role("button", name=re.compile("waiting list|候補")).click()

    expect(page).to_have_url(re.compile(r"/my/enrollments/\d+/$"))
    expect(page.locator("h1.result--waiting")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text(re.compile(r"(number|第)\s*1\b"))
    waiting = Enrollment.objects.get(learner=learner, course=line)
    assert waiting.status == Status.WAITLISTED

    # Her place shows on "My courses" too.
    page.goto("/my/")
    line_card = page.get_by_role("article", name="LINE 視訊通話（板橋）")
    expect(line_card.locator(".badge--upcoming")).to_contain_text("1")

    # The neighbour cancels (on their own phone); the seat moves to our citizen.
    enrollment_cancel(enrollment=neighbours_seat)
    waiting.refresh_from_db()
    assert waiting.status == Status.CONFIRMED

    page.reload()
    line_card = page.get_by_role("article", name="LINE 視訊通話（板橋）")
    expect(line_card.locator(".badge--open")).to_be_visible()
    expect(line_card.locator(".badge--upcoming")).to_have_count(0)
    expect(line_card.locator(".check-in__code")).to_have_text(waiting.check_in_code)
    excel_card = page.get_by_role("article", name="Excel 入門（板橋）")
    expect(excel_card.locator(".badge--open")).to_be_visible()
    assert _no_sideways_scrolling(page), "My courses scrolls sideways on a phone"

    # Her inbox: a confirmation, "you are on the waiting list", "a seat is now yours", in
    # her language.
    with translation.override(learner.preferred_language):
        promoted_subject = str(SUBJECTS[Kind.PROMOTED]) % {"course": line.title}
        expected = {
            str(SUBJECTS[Kind.CONFIRMED]) % {"course": excel.title},
            str(SUBJECTS[Kind.WAITLISTED]) % {"course": line.title},
            promoted_subject,
        }
    hers = [message for message in mail.outbox if message.to == [EMAIL]]
    subjects = {message.subject for message in hers}
    assert expected <= subjects, subjects
    promoted = next(m for m in hers if m.subject == promoted_subject)
    assert waiting.check_in_code in promoted.body
    assert any(a.get_content_type() == "text/calendar" for a in promoted.attachments)
    # Each of the three came once.
    assert len([m for m in hers if m.subject in expected]) == 3
