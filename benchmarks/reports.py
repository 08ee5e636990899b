"""Satisfaction reports with 10,000 and with 300,000 responses, in the same run.

The same 240 courses (four terms, 30 instructors, venues in 12 districts) and the default
survey's eight questions at both sizes; only the responses grow (about eight answers each, so
2.4 million answer rows at the larger size). The dashboard reads the report summary
(surveys.services.report_summary_refresh), so its cost should not follow the responses.

Target (issue 5): the dashboard page an administrator opens (GET /admin/surveys/reports/ through
Django's test client: report, charts, filter options, comments page 1 and the Wagtail admin
around them) costs at most MAX_TIME_RATIO times more at 300,000 responses than at 10,000, with
the same number of SQL queries; so do a filtered page and an instructor's page. The selectors
behind it (`survey_report`, `survey_comments`) and the summary refresh are reported as detail,
not targeted."""

from __future__ import annotations

import random
import time
from datetime import date, datetime, timedelta

from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone, translation

from benchmarks.common import measure, report

SMALL, LARGE = 10_000, 300_000
COURSES, TERMS, INSTRUCTOR_COUNT = 240, 4, 30
MAX_TIME_RATIO = 1.5
COMMENTS = [
    "老師很有耐心，謝謝！",
    "上課速度有點快。",
    "Very useful, thank you.",
    "Cô dạy rất dễ hiểu.",
]


def _catalogue() -> tuple[list, object, object]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from courses.models import Category, CoursePage, CourseSession, District, Term, Venue
    from courses.roles import ADMINISTRATORS, INSTRUCTORS
    from courses.services import site_setup

    catalogue = site_setup()
    users = get_user_model()
    admin = users.objects.create(username="bench-admin", is_active=True)
    admin.groups.add(Group.objects.get(name=ADMINISTRATORS))
    instructors = []
    for n in range(INSTRUCTOR_COUNT):
        user = users.objects.create(username=f"bench-instructor-{n}", first_name=f"講師{n}")
        user.groups.add(Group.objects.get(name=INSTRUCTORS))
        instructors.append(user)
    terms = [
        Term.objects.create(
            name=f"{2024 + n // 2} {'春' if n % 2 == 0 else '秋'}季班",
            starts_on=date(2024 + n // 2, 2 if n % 2 == 0 else 9, 1),
            ends_on=date(2024 + n // 2, 6 if n % 2 == 0 else 12, 30),
        )
        for n in range(TERMS)
    ]
    categories = [
        Category.objects.get_or_create(slug=f"bench-{n}", defaults={"name": f"主題{n}"})[0]
        for n in range(6)
    ]
    districts = list(District.objects.order_by("sort_order")[:12])
    venues = [
        Venue.objects.create(name=f"教室{n}", district=districts[n % 12], address="新北市")
        for n in range(24)
    ]
    courses = []
    for n in range(COURSES):
        term = terms[n % TERMS]
        opens = timezone.make_aware(datetime.combine(term.starts_on, datetime.min.time()))
        course = CoursePage(
            registration_opens_at=opens - timedelta(days=30),
            registration_closes_at=opens,
            title=f"手機入門 {n}",
            slug=f"bench-report-{n}",
            summary="學會用手機。",
            term=term,
            category=categories[n % 6],
            venue=venues[n % 24],
            instructor=instructors[n % INSTRUCTOR_COUNT],
            owner=instructors[n % INSTRUCTOR_COUNT],
        )
        catalogue.add_child(instance=course)
        start = timezone.make_aware(datetime.combine(term.starts_on, datetime.min.time()))
        start += timedelta(days=n % 60, hours=9)
        CourseSession.objects.create(page=course, start=start, end=start + timedelta(hours=2))
        courses.append(course)
    return courses, admin, instructors[0]


def _add_responses(count: int, courses: list, survey, rng: random.Random) -> None:
    """`count` responses written in bulk: answers lean by course, a quarter on paper."""
    from surveys.models import Question, Response

    questions = list(survey.questions.filter(active=True).order_by("sort_order", "pk"))
    lean = {course.pk: rng.gauss(0, 0.5) for course in courses}
    began = timezone.now() - timedelta(days=30)
    with transaction.atomic():
        for offset in range(0, count, 20_000):
            batch = [
                Response(
                    survey=survey,
                    course=rng.choice(courses),
                    channel="paper" if rng.random() < 0.25 else "online",
                    submitted_at=began + timedelta(seconds=rng.randrange(30 * 86_400)),
                    senior=rng.random() < 0.4,
                    indigenous=rng.random() < 0.04,
                    new_immigrant=rng.random() < 0.07,
                )
                for _ in range(min(20_000, count - offset))
            ]
            Response.objects.bulk_create(batch)
            rows = []
            for response in batch:
                mood = lean[response.course_id] + rng.gauss(0, 0.6)
                for question in questions:
                    if question.kind == Question.Kind.LIKERT:
                        value = max(1, min(5, round(4.1 + mood + rng.gauss(0, 0.5))))
                        rows.append((response.pk, question.pk, 0, value, ""))
                    elif question.kind == Question.Kind.RECOMMEND:
                        value = max(0, min(10, round(8 + 2 * mood + rng.gauss(0, 1))))
                        rows.append((response.pk, question.pk, 0, value, ""))
                    elif question.kind == Question.Kind.TEXT and rng.random() < 0.2:
                        rows.append((response.pk, question.pk, 0, None, rng.choice(COMMENTS)))
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO surveys_answer (response_id, question_id, option, value, text) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    rows,
                )


def _analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _page(user, url: str):
    """GET `url` as `user` (logged in once): the whole page, rendered."""
    client = Client()
    client.force_login(user)

    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}.")
        response.content  # noqa: B018 — render it all

    return get


def run() -> bool:
    from django.urls import reverse

    from surveys.report_selectors import ReportFilters, survey_comments, survey_report
    from surveys.services import default_survey_ensure, report_summary_refresh

    call_command("migrate", verbosity=0)
    rng = random.Random(2027)
    courses, admin, instructor = _catalogue()
    survey = default_survey_ensure()
    latest_term = courses[TERMS - 1].term_id
    dashboard = reverse("survey_reports:index")
    cases = {
        "page: dashboard (administrator)": _page(admin, dashboard),
        "page: one term, seniors": _page(
            admin, f"{dashboard}?term={latest_term}&target_group=seniors"
        ),
        "page: instructor's own": _page(instructor, dashboard),
    }
    extra = {
        "dashboard (administrator)": lambda: survey_report(user=admin, filters=ReportFilters()),
        "one term": lambda: survey_report(user=admin, filters=ReportFilters(term=latest_term)),
        "seniors only": lambda: survey_report(
            user=admin, filters=ReportFilters(target_group="seniors")
        ),
        "instructor's own": lambda: survey_report(user=instructor, filters=ReportFilters()),
        "comments, page 1": lambda: survey_comments(
            user=admin, filters=ReportFilters(), per_page=20
        ),
        "comments, search": lambda: survey_comments(
            user=admin, filters=ReportFilters(), search="thank", per_page=20
        ),
    }
    results: dict[str, dict[int, tuple[float, int]]] = {name: {} for name in cases | extra}
    refresh: dict[int, float] = {}
    size = 0
    with translation.override("zh-hant"):
        for target in (SMALL, LARGE):
            _add_responses(target - size, courses, survey, rng)
            size = target
            began = time.perf_counter()
            report_summary_refresh()
            refresh[target] = time.perf_counter() - began
            _analyze()
            for name, call in (cases | extra).items():
                results[name][target] = measure(call, repeat=9, warmup=2)

    ok = True
    rows = []
    for name, by_size in results.items():
        (t_small, q_small), (t_large, q_large) = by_size[SMALL], by_size[LARGE]
        ratio = t_large / t_small
        targeted = name in cases
        passed = not targeted or (q_small == q_large and ratio <= MAX_TIME_RATIO)
        ok &= passed
        verdict = ("ok" if passed else "OVER TARGET") if targeted else "(detail)"
        rows.append(
            (
                name,
                f"{SMALL:,}: {t_small:6.1f} ms {q_small:2d} queries | "
                f"{LARGE:,}: {t_large:6.1f} ms {q_large:2d} queries | "
                f"ratio {ratio:4.2f} {verdict}",
            )
        )
    rows.append(
        (
            "summary refresh, all courses",
            f"{SMALL:,}: {refresh[SMALL]:6.1f} s | {LARGE:,}: {refresh[LARGE]:6.1f} s "
            f"({1000 * refresh[LARGE] / COURSES:.0f} ms a course)",
        )
    )
    report(
        f"Satisfaction reports, {SMALL:,} vs {LARGE:,} responses in {COURSES} courses "
        f"(target: same queries, ratio ≤ {MAX_TIME_RATIO})",
        rows,
    )
    return ok
