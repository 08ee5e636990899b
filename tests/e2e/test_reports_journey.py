"""An administrator prepares the satisfaction figures for a council meeting on a phone: seniors
in Banqiao last term, charts and comments, then the Excel file and the PDF report. An
instructor opening the same dashboard sees only their own course."""

import io
import re
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from surveys.services import default_survey_ensure
from tests.surveys.test_report_views import report_data

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "correct horse battery staple"  # UserFactory's
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _admin_login(page, user) -> None:
    page.goto("/admin/login/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def _no_sideways_scrolling(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def _download(page, link) -> bytes:
    with page.expect_download() as download:
        link.click()
    return Path(download.value.path()).read_bytes()


def _dashboard_axe_violations(page) -> list[dict]:
    """axe-core on the dashboard's own content (Wagtail's furniture is Wagtail's business)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run({include: ['.ez-report']}, {runOnly: {type: 'tag', values: tags}})",
        TAGS,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


@pytest.fixture(autouse=True)
def fresh_cache():
    """The admin home panel's figures are cached per user id, and ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()


def test_administrator_filters_seniors_in_banqiao_last_term_and_downloads_the_reports(
    page, catalogue
):
    default_survey_ensure()
    data = report_data(catalogue)

    _admin_login(page, data.admin)
    # The admin home's panel: last term's figures and the way in.
    panel = page.locator("#satisfaction-report-section")
    expect(panel).to_contain_text("2026 春季班")
    panel.locator("a[href*='/admin/surveys/reports/']").click()
    expect(page).to_have_url(re.compile(rf"/admin/surveys/reports/\?term={data.spring.pk}$"))

    filters = page.locator("form.ez-report__filters")
    filters.locator("select[name=term]").select_option(label="2026 春季班")
    filters.locator("select[name=district]").select_option(label="板橋區")
    filters.locator("select[name=target_group]").select_option(value="seniors")
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"district=banqiao"))
    assert "target_group=seniors" in page.url and f"term={data.spring.pk}" in page.url

    # Headline figures, charts with their tables, and the comments.
    cards = page.locator(".ez-report__cards")
    expect(cards).to_contain_text("12")
    expect(cards).to_contain_text("83.3%")
    charts = page.locator("svg.ez-chart[role=img]")
    assert charts.count() >= 5
    expect(charts.first).to_be_visible()
    expect(page.locator("#breakdown-course")).to_contain_text("長輩手機入門（板橋）")
    expect(page.locator("#comments")).to_contain_text("老師很有耐心")
    expect(page.locator("#comments")).not_to_contain_text("Excel 很實用")
    assert _no_sideways_scrolling(page), "the dashboard scrolls sideways on a phone"

    # Search the comments: the filters stay.
    search = page.get_by_role("search")
    search.locator("input[name=q]").fill("耐心")
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=%E8%80%90%E5%BF%83"))
    assert "district=banqiao" in page.url
    expect(page.locator(".ez-comment")).to_have_count(1)

    if AXE.exists():
        assert _dashboard_axe_violations(page) == []

    # The Excel file: the same filters, formulas neutralised.
    workbook = load_workbook(io.BytesIO(_download(page, page.locator("a[href*='export.xlsx']"))))
    summary = {row[0]: row[1] for row in workbook.worksheets[0].iter_rows(values_only=True)}
    assert 12 in summary.values()
    comments = [row[0] for row in workbook.worksheets[-1].iter_rows(min_row=2, values_only=True)]
    assert "老師很有耐心，但教室太熱" in comments
    assert all(not str(c).startswith("=") for c in comments)

    # The PDF report for the council.
    pdf = _download(page, page.locator("a[href*='report.pdf']"))
    assert pdf.startswith(b"%PDF")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("板橋區", "83.3%", "長輩手機入門（板橋）", "老師很有耐心"):
        assert expected in text, expected
    assert "Excel 入門（中和）" not in text


def test_an_instructor_sees_only_their_own_course(browser, live_server, catalogue):
    default_survey_ensure()
    data = report_data(catalogue)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-TW", base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        _admin_login(page, data.lin)
        expect(page.locator("#satisfaction-report-section")).to_contain_text("3")
        page.goto("/admin/surveys/reports/")
        main = page.locator("main")
        expect(main).to_contain_text("Excel 入門（中和）")
        expect(main).not_to_contain_text("長輩手機入門（板橋）")
        expect(main).not_to_contain_text("老師很有耐心")
        expect(page.locator("select[name=instructor]")).to_have_count(0)

        # Another instructor's course by hand: an error at the field, no figures.
        page.goto(f"/admin/surveys/reports/?course={data.banqiao.pk}")
        expect(page.locator("#id_course_error")).to_be_visible()
        expect(page.locator(".ez-report__cards")).to_have_count(0)
        expect(main).not_to_contain_text("長輩手機入門（板橋）")
    finally:
        context.close()
