"""The satisfaction dashboard, its exports and the admin home panel, seen by each role.

The data: the default survey answered in three courses. Banqiao (instructor Chen, spring
2026): 15 seniors invited, 12 answered (10 "5", 2 "2" on every 1–5 question; 2 on paper),
with two comments, one of them formula-looking. Zhonghe (instructor Lin, spring 2026): 3
younger learners, all "4". An older Banqiao course of Chen's (autumn 2025): 2 answers of "3".
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from courses.models import District
from courses.roles import COUNTER_STAFF
from enrollment.models import Enrollment
from surveys.models import Question
from surveys.selectors import survey_questions
from surveys.services import invitation_create, report_summary_refresh, response_submit
from tests.enrollment.staff import course_with_sessions
from tests.factories import (
    AdministratorFactory,
    CategoryFactory,
    InstructorFactory,
    TermFactory,
    UserFactory,
    VenueFactory,
)
from tests.surveys.conftest import seat_holder

pytestmark = pytest.mark.django_db

URL = "/admin/surveys/reports/"
EXPORTS = ("export.csv", "export.xlsx", "report.pdf")
FORMULA = '=HYPERLINK("http://evil.example/","click")'
FEWER = "fewer than 10"


def respond(course, value: int, *, comment: str = "", paper_by=None, **learner) -> None:
    """One learner who completed `course` answers the default survey: `value` on every 1–5
    question, 8 for "would recommend", and `comment` as free text."""
    enrollment = seat_holder(course, Enrollment.Status.COMPLETED, **learner)
    invitation, _new = invitation_create(enrollment=enrollment)
    answers = {}
    for question in survey_questions(survey=invitation.survey):
        if question.kind == Question.Kind.LIKERT:
            answers[question.pk] = value
        elif question.kind == Question.Kind.RECOMMEND:
            answers[question.pk] = 8
        elif question.kind == Question.Kind.TEXT and comment:
            answers[question.pk] = comment
    response_submit(
        invitation=invitation,
        answers=answers,
        channel="paper" if paper_by else "online",
        keyed_by=paper_by,
    )


def invite_only(course) -> None:
    invitation_create(enrollment=seat_holder(course, Enrollment.Status.COMPLETED))


class Data:
    pass


@pytest.fixture(autouse=True)
def fresh_cache():
    """The admin home panel's figures are cached per user id, and ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()


def report_data(catalogue) -> Data:
    """The courses, people and answers described at the top (also used by the browser
    journey). Needs the default survey."""
    d = Data()
    d.spring = TermFactory(
        name="2026 春季班",
        name_en="Spring 2026",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 6, 30),
    )
    d.autumn = TermFactory(
        name="2025 秋季班",
        name_en="Autumn 2025",
        starts_on=date(2025, 9, 1),
        ends_on=date(2026, 1, 31),
    )
    d.chen = InstructorFactory(username="chen", first_name="陳老師")
    d.lin = InstructorFactory(username="lin", first_name="林老師")
    d.admin = AdministratorFactory(username="boss")
    banqiao = District.objects.get(slug="banqiao")
    zhonghe = District.objects.get(slug="zhonghe")
    phones = CategoryFactory(slug="smartphones", name="智慧型手機", name_en="Smartphones")
    ended = timezone.now() - timedelta(days=20)
    starts = [ended - timedelta(weeks=2), ended - timedelta(weeks=1), ended]
    d.banqiao = course_with_sessions(
        catalogue,
        starts=starts,
        title="長輩手機入門（板橋）",
        term=d.spring,
        instructor=d.chen,
        owner=d.chen,
        category=phones,
        venue=VenueFactory(district=banqiao),
        capacity=30,
    )
    d.zhonghe = course_with_sessions(
        catalogue,
        starts=starts,
        title="Excel 入門（中和）",
        term=d.spring,
        instructor=d.lin,
        owner=d.lin,
        venue=VenueFactory(district=zhonghe),
    )
    d.older = course_with_sessions(
        catalogue,
        starts=[s - timedelta(days=200) for s in starts],
        title="平板入門（板橋）",
        term=d.autumn,
        instructor=d.chen,
        owner=d.chen,
        venue=VenueFactory(district=banqiao),
    )
    clerk = UserFactory(username="clerk")
    for i in range(10):
        respond(d.banqiao, 5, senior=True, paper_by=clerk if i < 2 else None)
    respond(d.banqiao, 2, senior=True, comment="老師很有耐心，但教室太熱")
    respond(d.banqiao, 2, senior=True, comment=FORMULA)
    for _ in range(3):
        invite_only(d.banqiao)
    for _ in range(3):
        respond(d.zhonghe, 4, comment="Excel 很實用")
    for _ in range(2):
        respond(d.older, 3)
    report_summary_refresh()
    return d


@pytest.fixture
def data(catalogue, default_survey):
    return report_data(catalogue)


def counter_clerk():
    user = UserFactory(username="counter")
    user.groups.add(Group.objects.get(name=COUNTER_STAFF))
    return user


def export_text(path: str, content: bytes) -> str:
    """Everything a CSV, XLSX or PDF export says, as one string."""
    if path.endswith(".csv"):
        return content.decode("utf-8-sig")
    if path.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- who may see what -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["", *EXPORTS])
def test_anonymous_visitors_are_sent_to_the_admin_login(client, data, path):
    response = client.get(URL + path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["", *EXPORTS])
def test_a_learner_without_admin_access_gets_no_report(client, data, path):
    client.force_login(UserFactory(username="citizen"))
    response = client.get(URL + path)
    # Wagtail's admin-access check: back to the admin login.
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("path", ["", *EXPORTS])
def test_counter_staff_are_refused(client, data, path):
    client.force_login(counter_clerk())
    response = client.get(URL + path)
    # They may use the admin, not this: Wagtail sends them to its home with a message.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_an_administrator_sees_every_course(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.responses == 17 and report.invited == 20
    assert report.response_rate == 85.0
    html = response.text
    for title in ("長輩手機入門（板橋）", "Excel 入門（中和）", "平板入門（板橋）"):
        assert title in html
    assert 'name="instructor"' in html


def test_an_instructor_sees_only_their_own_courses(client, data, english):
    client.force_login(data.chen)
    response = client.get(URL)
    assert response.status_code == 200
    report = response.context["report"]
    assert report.responses == 14  # 12 + 2, Lin's three are not counted
    html = response.text
    assert "長輩手機入門（板橋）" in html and "平板入門（板橋）" in html
    assert "Excel 入門（中和）" not in html and "Excel 很實用" not in html
    assert 'name="instructor"' not in html  # nothing to choose from


def test_an_instructor_cannot_reach_another_instructors_course_by_query_string(
    client, data, english
):
    client.force_login(data.chen)
    response = client.get(f"{URL}?course={data.zhonghe.pk}")
    assert response.status_code == 200
    assert "course" in response.context["form"].errors
    assert "report" not in response.context
    assert "Excel 入門（中和）" not in response.text

    # ?instructor= is not a filter for instructors: it is ignored, not obeyed.
    response = client.get(f"{URL}?instructor={data.lin.pk}")
    assert response.context["report"].responses == 14
    assert "Excel 很實用" not in response.text

    for path in EXPORTS:
        response = client.get(f"{URL}{path}?instructor={data.lin.pk}")
        assert response.status_code == 200
        text = export_text(path, response.content)
        assert "長輩手機入門（板橋）" in text
        assert "中和" not in text and "Excel 很實用" not in text
        response = client.get(f"{URL}{path}?course={data.zhonghe.pk}")
        assert response.status_code == 302  # back to the dashboard, which shows the error
        assert response["Location"].startswith(URL + "?")


def test_an_instructor_without_courses_sees_an_empty_report(client, data, english):
    client.force_login(InstructorFactory(username="newcomer"))
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["report"].responses == 0
    assert "長輩手機入門" not in response.text


def test_menu_item_is_shown_to_administrators_and_instructors_only(client, data, english):
    for user, shown in ((data.admin, True), (data.chen, True), (counter_clerk(), False)):
        client.force_login(user)
        html = client.get("/admin/").text
        assert ("Satisfaction reports" in html) is shown, user.username


# --- the dashboard --------------------------------------------------------------------------


def test_dashboard_filtered_to_seniors_in_banqiao_last_term(client, data, english):
    client.force_login(data.admin)
    response = client.get(
        URL, {"term": data.spring.pk, "district": "banqiao", "target_group": "seniors"}
    )
    assert response.status_code == 200
    report = response.context["report"]
    assert not report.suppressed
    assert report.responses == 12
    assert report.satisfied_share == pytest.approx(83.3)
    html = response.text
    assert "83.3%" in html
    assert 'role="img"' in html and "<svg" in html
    assert "老師很有耐心" in html
    assert "Excel 入門" not in html and "Excel 很實用" not in html
    # Exports keep the filters.
    assert (
        f"export.xlsx?term={data.spring.pk}&amp;district=banqiao&amp;target_group=seniors" in html
    )


def test_headline_cards_show_rate_satisfaction_mean_and_paper_share(client, data, english):
    client.force_login(data.admin)
    cards = {c.label: c.value for c in client.get(URL).context["view"].cards}
    assert cards["Responses"] == "17"
    assert cards["Response rate"] == "85.0%"
    # Overall question: 10×5 + 2×2 + 3×4 + 2×3 → 13 of 17 gave 4–5.
    assert cards["Overall satisfaction"] == "76.5%"
    assert cards["Mean"] == "4.24"
    assert cards["Paper forms"] == "11.8%"  # 2 of 17


def test_a_small_target_group_is_shown_as_fewer_than_ten(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL, {"target_group": "indigenous"})
    assert response.context["report"].suppressed
    html = response.text
    assert FEWER in html
    assert "83.3%" not in html
    # Unfiltered, the target-group breakdown hides the small groups.
    html = client.get(URL).text
    section = html[html.index('id="breakdown-target_group"') :]
    assert FEWER in section


def test_breakdown_rows_link_to_the_report_narrowed_to_them(client, data, english):
    client.force_login(data.admin)
    html = client.get(URL, {"term": data.spring.pk}).text
    assert f'href="?term={data.spring.pk}&amp;district=zhonghe"' in html
    assert f'href="?term={data.spring.pk}&amp;course={data.banqiao.pk}"' in html
    response = client.get(URL, {"term": data.spring.pk, "course": data.banqiao.pk})
    assert response.context["report"].responses == 12
    assert "All courses" in response.text  # the way back


def test_courses_beyond_twenty_are_behind_show_all(client, data, english, monkeypatch):
    from surveys import report_views

    monkeypatch.setattr(report_views, "COURSE_ROWS_SHOWN", 2)
    client.force_login(data.admin)
    response = client.get(URL)
    courses = next(
        b for b in response.context["view"].breakdowns if b.breakdown.dimension == "course"
    )
    assert len(courses.rows) == 2 and courses.hidden_rows == 1
    assert "all_courses=1" in response.text
    response = client.get(URL, {"all_courses": "1"})
    courses = next(
        b for b in response.context["view"].breakdowns if b.breakdown.dimension == "course"
    )
    assert len(courses.rows) == 3 and courses.hidden_rows == 0


def test_figures_as_of_the_last_refresh_are_shown(client, data, english):
    client.force_login(data.admin)
    assert "Figures as of" in client.get(URL).text


# --- bad filters ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"term": "abc"}, "term"),
        ({"term": "999999"}, "term"),
        ({"date_from": "not-a-date"}, "date_from"),
        ({"date_to": "2026-13-45"}, "date_to"),
        ({"date_from": "2026-05-01", "date_to": "2026-04-01"}, "date_to"),
        ({"district": "atlantis"}, "district"),
        ({"category": "no-such-topic"}, "category"),
        ({"instructor": "abc"}, "instructor"),
        ({"instructor": "999999"}, "instructor"),
        ({"target_group": "martians"}, "target_group"),
        ({"course": "abc"}, "course"),
    ],
)
def test_a_bad_filter_shows_an_error_at_its_field_keeps_the_input_and_computes_nothing(
    client, data, english, params, field
):
    client.force_login(data.admin)
    response = client.get(URL, params)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert "report" not in response.context
    html = response.text
    assert f'id="id_{field}_error"' in html
    assert "Some filters are not valid" in html
    assert 'aria-invalid="true"' in html
    if field.startswith("date"):
        assert f'value="{params[field]}"' in html  # what was typed stays in the box


def test_date_from_after_date_to_is_explained(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL, {"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert "before “Courses starting from”" in response.text


def test_a_date_range_selects_courses_by_their_first_class(client, data, english):
    client.force_login(data.admin)
    first = timezone.localdate(data.banqiao.sessions.order_by("start").first().start)
    response = client.get(URL, {"date_from": first.isoformat(), "date_to": first.isoformat()})
    assert response.context["report"].responses == 15  # Banqiao and Zhonghe start that day
    response = client.get(URL, {"date_to": (first - timedelta(days=1)).isoformat()})
    assert response.context["report"].responses == 2  # only the autumn course


# --- comments -------------------------------------------------------------------------------


def test_comments_are_searchable(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL, {"q": "耐心"})
    comments = response.context["comments"]
    assert [c.text for c in comments.comments] == ["老師很有耐心，但教室太熱"]
    assert "1 comment contains “耐心”." in response.text
    response = client.get(URL, {"q": "火星"})
    assert "No comment contains “火星”." in response.text


def test_comment_pages_past_the_end_show_the_last_page_with_a_note(
    client, data, english, monkeypatch
):
    from surveys import report_views

    monkeypatch.setattr(report_views, "COMMENTS_PER_PAGE", 2)
    client.force_login(data.admin)
    response = client.get(URL, {"page": "2"})
    assert response.context["comments"].page == 2
    assert "Page 2 of 3" in response.text
    assert 'rel="prev"' in response.text and 'rel="next"' in response.text
    response = client.get(URL, {"page": "99"})
    assert response.context["comments"].page == 3
    assert len(response.context["comments"].comments) == 1
    assert "There is no page 99 of comments; this is the last page, 3." in response.text
    response = client.get(URL, {"page": "abc"})
    assert response.context["comments"].page == 1


def test_comment_search_keeps_the_filters(client, data, english):
    client.force_login(data.admin)
    html = client.get(URL, {"district": "banqiao", "q": "x"}).text
    search = html[html.index('role="search"') :]
    search = search[: search.index("</form>")]
    assert '<input type="hidden" name="district" value="banqiao">' in search


# --- exports --------------------------------------------------------------------------------


def _csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_has_the_figures_and_neutralises_formulas(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL + "export.csv", {"term": data.spring.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    disposition = response["Content-Disposition"]
    assert re.search(
        rf'filename="satisfaction-\d{{4}}-\d\d-\d\d-term-{data.spring.pk}\.csv"', disposition
    )
    rows = _csv_rows(response.content)
    assert ["Responses", "15"] in rows
    assert ["Response rate %", "83.3"] in rows  # 15 of 18 invited
    comment = next(row for row in rows if row and row[0].endswith(FORMULA))
    assert comment[:3] == ["'" + FORMULA, "長輩手機入門（板橋）", "Spring 2026"]
    assert not any(cell.startswith("=") for row in rows for cell in row)
    # Target groups other than seniors are small cells.
    indigenous = next(row for row in rows if row and row[0] == "Indigenous peoples")
    assert indigenous[1] == FEWER and FEWER in indigenous[4]


def test_xlsx_export_has_a_sheet_per_table_and_neutralises_formulas(client, data, english):
    client.force_login(data.admin)
    response = client.get(
        URL + "export.xlsx",
        {"term": data.spring.pk, "district": "banqiao", "target_group": "seniors"},
    )
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "banqiao-seniors.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:3] == ["Summary", "Questions", "Trend"]
    assert "Comments" in book.sheetnames
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Responses"] == 12
    assert summary["Overall satisfaction (4–5) %"] == pytest.approx(83.3)
    assert "District of the venue: Banqiao" in summary["Filters"]
    comments = [row[0] for row in book["Comments"].iter_rows(min_row=2, values_only=True)]
    assert "'" + FORMULA in comments and FORMULA not in comments
    groups = next(name for name in book.sheetnames if "target group" in name)
    values = list(book[groups].iter_rows(min_row=2, values_only=True))
    assert values == [("Seniors", 12, None, None, 83.3, pytest.approx(4.5))]


def test_suppressed_cells_say_fewer_than_ten_in_the_xlsx(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL + "export.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    groups = next(name for name in book.sheetnames if "target group" in name)
    rows = {row[0]: row for row in book[groups].iter_rows(min_row=2, values_only=True)}
    assert rows["Seniors"][1] == 12
    assert rows["Indigenous peoples"][1:] == (FEWER,) * 5
    response = client.get(URL + "export.xlsx", {"target_group": "new_immigrants"})
    summary = {
        row[0]: row[1]
        for row in load_workbook(io.BytesIO(response.content))["Summary"].iter_rows(
            values_only=True
        )
    }
    assert summary["Responses"] == FEWER and summary["Overall satisfaction (4–5) %"] == FEWER


def test_pdf_report_has_the_cover_figures_charts_and_comments(client, data, english):
    client.force_login(data.admin)
    response = client.get(
        URL + "report.pdf",
        {"term": data.spring.pk, "district": "banqiao", "target_group": "seniors"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.pages[0].mediabox.width == pytest.approx(595, abs=1)  # A4 portrait
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Satisfaction report",
        "Spring 2026",
        "Banqiao",
        "Seniors",
        "83.3%",
        "長輩手機入門（板橋）",  # a chart's label and its table
        "老師很有耐心",
        FEWER,  # the footer note on suppression
    ):
        assert expected in text, expected
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Noto" in font and "CJK" in font for font in fonts)


def test_pdf_of_a_small_group_prints_no_figures(client, data, english):
    client.force_login(data.admin)
    response = client.get(URL + "report.pdf", {"target_group": "indigenous"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert FEWER in text
    assert "老師很有耐心" not in text


def test_exports_with_bad_filters_go_back_to_the_dashboard(client, data):
    client.force_login(data.admin)
    for path in EXPORTS:
        response = client.get(URL + path, {"date_from": "nonsense"})
        assert response.status_code == 302
        assert response["Location"] == URL + "?date_from=nonsense"


# --- cost -----------------------------------------------------------------------------------


def test_dashboard_query_count_does_not_grow_with_responses(client, data):
    client.force_login(data.admin)
    client.get(URL)  # warm caches (content types, site)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, {"q": "x"}).status_code == 200
    course = data.zhonghe
    for _ in range(12):
        respond(course, 5, comment="很好", senior=True)
    CategoryFactory()
    report_summary_refresh()
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL, {"q": "x"}).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    # Wagtail's menu and permission checks make most of these; the report is about twenty.
    assert len(few.captured_queries) <= 60


# --- admin home panel -----------------------------------------------------------------------


def test_home_panel_shows_the_latest_term_to_administrators(client, data, english):
    client.force_login(data.admin)
    html = client.get("/admin/").text
    panel = html[html.index('id="satisfaction-report-section"') :]
    assert "Spring 2026" in panel
    assert "85.0%" in panel or "83.3%" in panel  # response rate 15/18
    assert f"/admin/surveys/reports/?term={data.spring.pk}" in panel


def test_home_panel_shows_an_instructor_their_own_courses(client, data, english):
    client.force_login(data.lin)
    html = client.get("/admin/").text
    panel = html[html.index('id="satisfaction-report-section"') :]
    assert ">3<" in panel.replace(" ", "")  # Lin's three answers, not seventeen
    assert "100.0%" in panel


def test_home_panel_is_absent_for_counter_staff_and_before_any_answer(client, data, english):
    client.force_login(counter_clerk())
    assert 'id="satisfaction-report-section"' not in client.get("/admin/").text
    client.force_login(InstructorFactory(username="newcomer"))
    assert 'id="satisfaction-report-section"' not in client.get("/admin/").text


def test_home_panel_costs_a_fixed_number_of_queries_and_none_when_reused(client, data):
    client.force_login(data.admin)
    client.get("/admin/")

    def home_queries(*, cold: bool) -> int:
        if cold:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/admin/").status_code == 200
        return len(queries.captured_queries)

    cold, warm = home_queries(cold=True), home_queries(cold=False)
    assert cold - warm <= 26  # the latest term, then that term's report
    for _ in range(12):
        respond(data.zhonghe, 5)
    report_summary_refresh()
    assert home_queries(cold=True) == cold
    assert home_queries(cold=False) == warm
