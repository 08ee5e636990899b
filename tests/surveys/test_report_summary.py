"""The report summary: equal to a direct count of the responses after random data, rebuilt
idempotently, refreshed after each response (once per transaction, never at the learner's
expense), caught up by beat and the management command, and safe under concurrent refreshes
(PostgreSQL)."""

from __future__ import annotations

import logging
import random
import threading
from collections import Counter
from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.db import close_old_connections, connection
from django.db.models import Count, Q
from django.utils import timezone

import pytest

from courses.models import TargetGroup
from enrollment.demo import DEMO_PHONE_PREFIX
from enrollment.models import Attendance, Enrollment, Learner
from ezlearn.celery import app
from surveys import tasks
from surveys.demo import demo_surveys_seed
from surveys.models import (
    AUDIENCE_FLAGS,
    Answer,
    AnswerSummary,
    Audience,
    CourseSummary,
    Invitation,
    Question,
    QuestionSummary,
    Response,
    ResponseSummary,
)
from surveys.report_selectors import (
    ReportFilters,
    report_summary_stale_course_ids,
    survey_report,
)
from surveys.services import (
    default_survey_ensure,
    report_summary_refresh,
    report_summary_refresh_stale,
    response_submit,
)
from tests.enrollment.staff import course_with_sessions
from tests.factories import AdministratorFactory, CoursePageFactory, QuestionFactory, SurveyFactory
from tests.factories.courses import taipei

from .test_report_selectors import invite

Kind = Question.Kind
AUDIENCES = [Audience.ALL, *AUDIENCE_FLAGS]


def audience_q(audience: str, prefix: str = "") -> Q:
    if audience == Audience.ALL:
        return Q()
    return Q(**{f"{prefix}{AUDIENCE_FLAGS[audience]}": True})


def random_responses(rng: random.Random, courses, surveys, count: int) -> None:
    """`count` responses with random respondents, channels, blanks and ticks, written in
    bulk (as many as a term brings)."""
    questions = {
        survey.pk: list(survey.questions.order_by("sort_order", "pk")) for survey in surveys
    }
    start = taipei(2025, 10, 1)
    responses = [
        Response(
            survey=rng.choice(surveys),
            course=rng.choice(courses),
            channel="paper" if rng.random() < 0.25 else "online",
            submitted_at=start + timedelta(hours=n),
            senior=rng.random() < 0.4,
            indigenous=rng.random() < 0.1,
            new_immigrant=rng.random() < 0.15,
        )
        for n in range(count)
    ]
    responses = Response.objects.bulk_create(responses)
    answers = []
    for response in responses:
        for question in questions[response.survey_id]:
            if rng.random() < 0.1:
                continue  # left blank
            if question.kind == Kind.TEXT:
                answers.append(
                    Answer(response=response, question=question, text=f"意見 {rng.random()}")
                )
            elif question.kind == Kind.MULTIPLE:
                for option in rng.sample(list(question.allowed_values), rng.randint(1, 3)):
                    answers.append(
                        Answer(response=response, question=question, option=option, value=option)
                    )
            else:
                value = rng.choice(list(question.allowed_values))
                answers.append(Answer(response=response, question=question, value=value))
    Answer.objects.bulk_create(answers)


@pytest.fixture
def courses(catalogue):
    return [CoursePageFactory(parent=catalogue) for _ in range(4)]


@pytest.fixture
def surveys(db):
    default = default_survey_ensure()
    own = SurveyFactory()
    QuestionFactory(survey=own, topic="overall")
    QuestionFactory(
        survey=own,
        kind=Kind.MULTIPLE,
        options_zh_hant="一\n二\n三\n四",
        options_en="One\nTwo\nThree\nFour",
    )
    QuestionFactory(
        survey=own, kind=Kind.SINGLE, options_zh_hant="甲\n乙\n丙", options_en="A\nB\nC"
    )
    QuestionFactory(survey=own, kind=Kind.TEXT, required=False)
    return [default, own]


def summary_rows() -> set[tuple]:
    return (
        set(ResponseSummary.objects.values_list("course", "audience", "channel", "responses"))
        | set(QuestionSummary.objects.values_list("course", "question", "audience", "respondents"))
        | set(
            AnswerSummary.objects.values_list("course", "question", "audience", "value", "answers")
        )
        | set(CourseSummary.objects.values_list("course", "invited", "responses"))
    )


def assert_summary_equals_live() -> None:
    for audience in AUDIENCES:
        live_responses = Counter(
            {
                (row["course"], row["channel"]): row["n"]
                for row in Response.objects.filter(audience_q(audience))
                .values("course", "channel")
                .annotate(n=Count("pk"))
            }
        )
        stored = Counter(
            {
                (row.course_id, row.channel): row.responses
                for row in ResponseSummary.objects.filter(audience=audience)
            }
        )
        assert stored == live_responses, audience

        answers = Answer.objects.filter(audience_q(audience, "response__"))
        live_values = Counter(
            {
                (row["response__course"], row["question"], row["value"]): row["n"]
                for row in answers.filter(value__isnull=False)
                .values("response__course", "question", "value")
                .annotate(n=Count("pk"))
            }
        )
        stored_values = Counter(
            {
                (row.course_id, row.question_id, row.value): row.answers
                for row in AnswerSummary.objects.filter(audience=audience)
            }
        )
        assert stored_values == live_values, audience

        live_respondents = Counter(
            {
                (row["response__course"], row["question"]): row["n"]
                for row in answers.values("response__course", "question").annotate(
                    n=Count("response", distinct=True)
                )
            }
        )
        stored_respondents = Counter(
            {
                (row.course_id, row.question_id): row.respondents
                for row in QuestionSummary.objects.filter(audience=audience)
            }
        )
        assert stored_respondents == live_respondents, audience
    for summary in CourseSummary.objects.all():
        assert summary.responses == Response.objects.filter(course=summary.course_id).count()
        assert summary.invited == Invitation.objects.filter(course=summary.course_id).count()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_equals_the_live_count_after_random_data(courses, surveys, seed, settings):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 1
    rng = random.Random(seed)
    random_responses(rng, courses, surveys, 150)
    for course in courses[:2]:
        for _ in range(rng.randint(1, 5)):
            invite(course, surveys[0])

    assert report_summary_refresh() == 4
    assert_summary_equals_live()

    # And the dashboard's figures equal a direct count.
    admin = AdministratorFactory()
    for audience in ("", *AUDIENCE_FLAGS):
        result = survey_report(user=admin, filters=ReportFilters(target_group=audience))
        respondents = Response.objects.filter(audience_q(audience or Audience.ALL))
        assert result.responses == respondents.count()
        assert result.paper_responses == respondents.filter(channel="paper").count()
        overall = Answer.objects.filter(
            audience_q(audience or Audience.ALL, "response__"),
            question__kind=Kind.LIKERT,
            question__topic="overall",
        )
        satisfied = overall.filter(value__gte=4).count()
        assert result.satisfied_share == round(100 * satisfied / overall.count(), 1)
        for stats in result.questions:
            live = Answer.objects.filter(
                audience_q(audience or Audience.ALL, "response__"), question=stats.question_id
            )
            assert stats.answers == live.values("response").distinct().count()
            for bar in stats.distribution:
                assert bar.count == live.filter(value=bar.value).count()


def test_refreshing_twice_gives_the_same_rows(courses, surveys):
    random_responses(random.Random(7), courses, surveys, 60)
    report_summary_refresh()
    first = summary_rows()

    assert report_summary_refresh() == 4
    assert report_summary_refresh(course_ids=[courses[0].pk, courses[0].pk]) == 1
    assert summary_rows() == first
    assert (
        sum(ResponseSummary.objects.filter(audience="all").values_list("responses", flat=True))
        == 60
    )


def test_refresh_records_when_and_counts_invitations(courses, surveys):
    invite(courses[0], surveys[0])
    moment = timezone.now() - timedelta(minutes=3)
    report_summary_refresh(course_ids=[courses[0].pk], now=moment)

    summary = CourseSummary.objects.get(course=courses[0])
    assert (summary.invited, summary.responses, summary.refreshed_at) == (1, 0, moment)
    assert survey_report(user=AdministratorFactory(), filters=ReportFilters()).as_of == moment


def test_refresh_ignores_courses_that_do_not_exist(surveys):
    assert report_summary_refresh(course_ids=[987654]) == 0
    assert not CourseSummary.objects.exists()


# --- after each response -------------------------------------------------------------------


@pytest.fixture
def ended(catalogue, surveys):
    last = timezone.now() - timedelta(days=1)
    return course_with_sessions(catalogue, starts=[last - timedelta(weeks=1), last])


def overall_answers(survey) -> dict:
    questions = survey.questions.filter(active=True)
    return {
        q.pk: (4 if q.kind == Kind.LIKERT else 8 if q.kind == Kind.RECOMMEND else "")
        for q in questions
    }


def test_a_response_refreshes_its_course_after_commit(
    ended, surveys, django_capture_on_commit_callbacks
):
    invitation = invite(ended, surveys[0])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response_submit(invitation=invitation, answers=overall_answers(surveys[0]))

    assert len(callbacks) == 1
    summary = CourseSummary.objects.get(course=ended)
    assert (summary.responses, summary.invited) == (1, 1)
    assert_summary_equals_live()


def test_many_responses_in_one_transaction_queue_one_refresh(
    ended, catalogue, surveys, django_capture_on_commit_callbacks
):
    other = course_with_sessions(catalogue, starts=[timezone.now() - timedelta(days=2)])
    invitations = [invite(ended, surveys[0]), invite(ended, surveys[0]), invite(other, surveys[0])]
    with (
        mock.patch.object(tasks.report_summary_refresh_courses, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
    ):
        for invitation in invitations:
            response_submit(invitation=invitation, answers=overall_answers(surveys[0]))

    assert len(callbacks) == 1
    delay.assert_called_once_with(sorted([ended.pk, other.pk]))


def test_a_broker_failure_loses_no_response_and_beat_catches_up(
    ended, surveys, django_capture_on_commit_callbacks, caplog
):
    invitation = invite(ended, surveys[0])
    with (
        mock.patch.object(
            tasks.report_summary_refresh_courses, "delay", side_effect=ConnectionError("down")
        ),
        caplog.at_level(logging.WARNING, logger="surveys.services"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = response_submit(invitation=invitation, answers=overall_answers(surveys[0]))

    assert Response.objects.filter(pk=response.pk).exists()
    assert "beat will" in caplog.text
    assert report_summary_stale_course_ids() == [ended.pk]

    assert tasks.report_summaries_refresh_stale.delay().get() == 1
    assert report_summary_stale_course_ids() == []
    assert CourseSummary.objects.get(course=ended).responses == 1


def test_stale_courses_are_found_by_their_counts(courses, surveys):
    random_responses(random.Random(3), courses[:2], surveys, 20)
    assert set(report_summary_stale_course_ids()) == {c.pk for c in courses[:2]}
    report_summary_refresh()
    assert report_summary_stale_course_ids() == []

    invite(courses[2], surveys[0])  # a new invitation
    assert report_summary_stale_course_ids() == [courses[2].pk]
    assert report_summary_refresh_stale() == 1

    # Invitations deleted with their learner: the summary goes back down.
    Invitation.objects.filter(course=courses[2]).delete()
    assert report_summary_stale_course_ids() == [courses[2].pk]
    report_summary_refresh_stale()
    assert CourseSummary.objects.get(course=courses[2]).invited == 0


def test_management_command_refreshes_stale_all_or_given_courses(courses, surveys):
    random_responses(random.Random(5), courses, surveys, 30)
    report_summary_refresh(course_ids=[courses[0].pk])
    out = StringIO()

    call_command("survey_report_refresh", stdout=out)
    assert "of 3 courses" in out.getvalue()
    call_command("survey_report_refresh", stdout=out)
    assert "of 0 courses" in out.getvalue()
    call_command("survey_report_refresh", "--all", stdout=out)
    assert "of 4 courses" in out.getvalue()
    call_command("survey_report_refresh", "--course", str(courses[1].pk), stdout=out)
    assert "of 1 courses" in out.getvalue()
    assert_summary_equals_live()


def test_beat_runs_the_stale_summary_sweep(settings):
    app.loader.import_default_modules()
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-report-summaries-refresh-stale"]
    assert entry["task"] in app.tasks
    assert entry["task"] == tasks.report_summaries_refresh_stale.name


# --- the demo --------------------------------------------------------------------------------


def test_demo_responses_are_in_the_summary(catalogue, surveys):
    AdministratorFactory(username="admin")
    last = timezone.now().replace(microsecond=0) - timedelta(days=10)
    course = course_with_sessions(
        catalogue,
        starts=[last - timedelta(weeks=1), last],
        target_groups=[TargetGroup.Code.SENIORS],
    )
    for n in range(15):
        learner = Learner.objects.create(
            name=f"示範{n}",
            birth_year=1950 if n % 2 else 1985,
            phone=f"{DEMO_PHONE_PREFIX}{n:03d}",
            email=f"d{n}@example.test" if n % 3 else "",
        )
        enrollment = Enrollment.objects.create(
            learner=learner,
            course=course,
            status=Enrollment.Status.CONFIRMED,
            seat_kind=Enrollment.SeatKind.GENERAL,
        )
        Attendance.objects.create(enrollment=enrollment, session=course.last_session, present=True)

    from courses.demo import SeedReport

    demo_surveys_seed(report=SeedReport())

    assert Response.objects.filter(course=course).exists()
    assert CourseSummary.objects.get(course=course).responses == Response.objects.count()
    assert_summary_equals_live()


# --- concurrency (PostgreSQL) -------------------------------------------------------------------


# serialized_rollback: the flush after the test would otherwise drop migration data (the root
# page, the default survey) that later tests rely on.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_refreshes_of_a_course_never_count_twice(on_postgresql, catalogue):
    """Without the course's lock, a second refresh deletes the rows it can see while the
    first inserts new ones: the unique constraints would fail, or rows would be counted
    twice."""
    survey = default_survey_ensure()
    course = CoursePageFactory(parent=catalogue)
    random_responses(random.Random(11), [course], [survey], 80)
    errors: list[BaseException] = []

    def run(threads: list[threading.Thread]) -> None:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        close_old_connections()

    def in_thread(barrier: threading.Barrier, work) -> threading.Thread:
        def target() -> None:
            try:
                barrier.wait()
                work()
            except Exception as error:  # noqa: BLE001 (collected for the assertion below)
                errors.append(error)
            finally:
                connection.close()

        return threading.Thread(target=target)

    def refresh_three_times() -> None:
        for _ in range(3):
            report_summary_refresh(course_ids=[course.pk])

    # Refreshes racing each other and new responses…
    barrier = threading.Barrier(6)
    run(
        [in_thread(barrier, refresh_three_times) for _ in range(5)]
        + [in_thread(barrier, lambda: random_responses(random.Random(12), [course], [survey], 20))]
    )
    # …then only each other, after the last response committed.
    barrier = threading.Barrier(6)
    run([in_thread(barrier, refresh_three_times) for _ in range(6)])

    assert errors == []
    assert_summary_equals_live()
    assert CourseSummary.objects.get(course=course).responses == 100
