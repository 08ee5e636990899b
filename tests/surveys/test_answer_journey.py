"""A learner answers from the emailed link in a real browser, on a phone, with the keyboard,
in Vietnamese: misses questions, is told which, keeps what was chosen, sends, is thanked, and
cannot answer twice. (Also guards what only a browser shows: the form posts with a real
Origin, so CSRF protection accepts it.)"""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.utils import timezone

import pytest

from enrollment.models import Enrollment
from surveys.models import Response
from surveys.services import default_survey_ensure, invitation_create, invitation_email_send
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.enrollment.staff import course_with_sessions

from .conftest import seat_holder

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def wcag_violations(page) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA findings on the page (none checked if axe is not installed)."""
    if not AXE.exists():
        return []
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG
    )
    return [
        {"id": v["id"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


@pytest.fixture
def server(transactional_db):
    """A live server of this test's own rather than pytest-django's `live_server`: the suite
    runs `live_server` tests last, after tests/e2e's browser has taken over the main thread's
    event loop, and a transactional test there found its serialized data not restored. This
    test drives its browser from a thread of its own and runs with the other transactional
    tests, before them."""
    from pytest_django.live_server_helper import LiveServer

    live = LiveServer("localhost")
    live._live_server_modified_settings.enable()
    yield live
    live._live_server_modified_settings.disable()
    live.stop()


def in_browser(base_url: str, steps) -> None:
    """Run steps(page) on a phone-sized page of a fresh Chromium, on a thread of its own:
    the browser tests of tests/e2e may hold this thread's Playwright event loop."""
    from playwright.sync_api import sync_playwright

    def run() -> None:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                context = browser.new_context(
                    viewport={"width": 390, "height": 844}, locale="zh-TW", base_url=base_url
                )
                page = context.new_page()
                page.set_default_timeout(10_000)
                steps(page)
            finally:
                browser.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(run).result()


def answer_the_survey(page, link: str) -> None:
    """In Vietnamese: the learner's preferred language, questions included."""
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "vi"
    assert wcag_violations(page) == []
    content = page.get_by_role("group", name=re.compile("nội dung khóa học"))
    content.get_by_role("radio", name="Rất hài lòng", exact=True).check()
    instructor = page.get_by_role("group", name=re.compile("giảng dạy của giảng viên"))
    instructor.get_by_role("radio", name="Hài lòng", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Gửi câu trả lời").click()

    summary = page.get_by_role("alert")
    assert "Vui lòng kiểm tra lại câu trả lời" in summary.inner_text()
    assert summary.get_by_role("link").count() == 5  # pace, venue, usefulness, overall, 0–10
    assert content.get_by_role("radio", name="Rất hài lòng", exact=True).is_checked()
    assert instructor.get_by_role("radio", name="Hài lòng", exact=True).is_checked()
    assert wcag_violations(page) == []

    for topic in ("tốc độ của lớp học", "địa điểm và thiết bị", "hằng ngày", "Nhìn chung"):
        group = page.get_by_role("group", name=re.compile(topic))
        group.get_by_role("radio", name="Hài lòng", exact=True).check()
    recommend = page.get_by_role("group", name=re.compile("giới thiệu"))
    recommend.get_by_role("radio", name=re.compile("^9")).check()
    page.get_by_label(re.compile("Bạn còn muốn nói gì")).fill("Cô giáo dạy rất dễ hiểu, cảm ơn!")
    page.get_by_role("button", name="Gửi câu trả lời").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Cảm ơn bạn đã trả lời"

    page.goto(link)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading == "Khảo sát này đã được trả lời"


def test_learner_answers_from_the_emailed_link(catalogue, server):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium to run browser tests")
    default_survey_ensure()
    last = timezone.now().replace(microsecond=0) - timedelta(days=1)
    course = course_with_sessions(catalogue, starts=[last - timedelta(weeks=1), last])
    enrollment = seat_holder(
        course, Enrollment.Status.COMPLETED, name="Nguyễn Thị Hoa", preferred_language="vi"
    )
    invitation, _created = invitation_create(enrollment=enrollment)
    invitation_email_send(invitation_id=invitation.pk)
    (email,) = [m for m in mail.outbox if "/surveys/" in m.body]
    assert "khảo sát" in email.body.lower()  # the invitation is in Vietnamese too
    link = re.search(r"http://testserver(/surveys/\S+/)", email.body).group(1)

    in_browser(server.url, lambda page: answer_the_survey(page, link))

    response = Response.objects.get()
    assert response.invitation is None  # the default survey is anonymous
    assert response.answers.get(text__startswith="Cô").text == "Cô giáo dạy rất dễ hiểu, cảm ơn!"
    assert sorted(response.answers.exclude(value=None).values_list("value", flat=True)) == [
        4,
        4,
        4,
        4,
        4,
        5,
        9,
    ]
