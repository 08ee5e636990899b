"""The satisfaction reports' figures, checked against a small dataset counted by hand.

Twelve responses to one survey in three courses (two terms, two districts, two topics, two
instructors); every expected number below is worked out in the comments from the table in
`RESPONSES`. The summary is refreshed through the real service before each report."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from courses.models import District, Term
from enrollment.models import Enrollment, Learner
from surveys.models import Question, Response
from surveys.report_selectors import (
    ReportFilters,
    report_filter_options,
    reportable_courses,
    suppress_small_cells,
    survey_comments,
    survey_report,
    user_can_read_reports,
)
from surveys.services import report_summary_refresh
from tests.enrollment.staff import counter_staff_user
from tests.factories import (
    AdministratorFactory,
    CategoryFactory,
    CoursePageFactory,
    InstructorFactory,
    InvitationFactory,
    QuestionFactory,
    SurveyFactory,
    UserFactory,
    VenueFactory,
)
from tests.factories.courses import taipei
from tests.factories.surveys import AnswerFactory, ResponseFactory

pytestmark = pytest.mark.django_db
Kind = Question.Kind

# course, channel, flags (S senior, I indigenous, N new immigrant), overall, instructor,
# single, multiple, recommend, comment. None: the question was left blank.
RESPONSES = [
    ("A", "online", "S", 5, 5, 1, [1, 2], 10, "老師很有耐心，謝謝！"),
    ("A", "online", "S", 4, 5, 1, [1], 8, ""),
    ("A", "paper", "S", 3, 4, 2, [2, 3], 6, "Too FAST for me"),
    ("A", "online", "", 5, 4, 3, [1], 9, ""),
    ("A", "online", "I", 2, 3, 1, [3], 4, "Cô giáo dạy rất dễ hiểu"),
    ("B", "online", "N", 4, 4, 2, [1, 3], 7, ""),
    ("B", "paper", "", 5, 5, 2, [2], 10, "電腦太舊了"),
    ("B", "online", "SN", 1, 2, 3, [1], 2, ""),
    ("B", "online", "", 4, None, None, [], None, ""),
    ("C", "online", "", 5, 5, 1, [1, 2, 3], 9, "Great course, too fast at the end"),
    ("C", "paper", "S", 4, 4, 1, [2], 8, ""),
    ("C", "online", "", 3, 4, 2, [1], 5, "Wi-Fi was slow"),
]
INVITED = {"A": 8, "B": 4, "C": 6}


class Dataset:
    """The courses, people and questions of the hand-counted dataset."""

    def __init__(self, catalogue):
        self.admin = AdministratorFactory()
        self.i1, self.i2 = (
            InstructorFactory(first_name="美玲", last_name="王"),
            InstructorFactory(first_name="Yuraw", last_name="Watan"),
        )
        self.spring = Term.objects.create(
            name="2025 春季班", name_en="Spring 2025", starts_on=date(2025, 2, 1),
            ends_on=date(2025, 6, 30),
        )  # fmt: skip
        self.autumn = Term.objects.create(
            name="2025 秋季班", name_en="Autumn 2025", starts_on=date(2025, 9, 1),
            ends_on=date(2026, 1, 31),
        )  # fmt: skip
        self.phones = CategoryFactory(slug="phones", name="手機", name_en="Phones")
        self.computers = CategoryFactory(slug="computers", name="電腦", name_en="Computers")
        banqiao = VenueFactory()
        wulai = VenueFactory(district=District.objects.get(slug="wulai"))
        self.courses = {
            "A": self._course("A", self.spring, banqiao, self.phones, self.i1, (2025, 3, 3)),
            "B": self._course("B", self.autumn, banqiao, self.computers, self.i2, (2025, 9, 15)),
            "C": self._course("C", self.autumn, wulai, self.phones, self.i1, (2025, 10, 6)),
        }
        self.survey = SurveyFactory(anonymous=True)
        self.overall = QuestionFactory(survey=self.survey, topic="overall", text_en="Overall?")
        self.instructor_q = QuestionFactory(survey=self.survey, topic="instructor")
        self.single = QuestionFactory(
            survey=self.survey,
            kind=Kind.SINGLE,
            options_zh_hant="里長廣播\n家人朋友\n網路",
            options_en="Community announcement\nFamily or friends\nInternet",
        )
        self.multiple = QuestionFactory(
            survey=self.survey,
            kind=Kind.MULTIPLE,
            options_zh_hant="LINE 視訊\n拍照\n查公車",
            options_en="LINE video calls\nPhotos\nBus times",
        )
        self.recommend = QuestionFactory(survey=self.survey, kind=Kind.RECOMMEND)
        self.comments = QuestionFactory(survey=self.survey, kind=Kind.TEXT, required=False)
        for key, count in INVITED.items():
            for _ in range(count):
                invite(self.courses[key], self.survey)
        first = taipei(2025, 11, 1, 10)
        for n, row in enumerate(RESPONSES):
            self.respond(*row, when=first + timedelta(days=n))
        report_summary_refresh()

    @staticmethod
    def _course(key, term, venue, category, instructor, day):
        start = taipei(*day, 9)
        return CoursePageFactory(
            title=f"課程 {key}",
            term=term,
            venue=venue,
            category=category,
            instructor=instructor,
            sessions=[(start, start + timedelta(hours=2))],
        )

    def respond(self, course, channel, flags, overall, instr, single, multiple, rec, text, when):
        response = ResponseFactory(
            survey=self.survey,
            course=self.courses[course],
            channel=channel,
            keyed_by=self.admin if channel == "paper" else None,
            submitted_at=when,
            senior="S" in flags,
            indigenous="I" in flags,
            new_immigrant="N" in flags,
        )
        for question, value in (
            (self.overall, overall),
            (self.instructor_q, instr),
            (self.single, single),
            (self.recommend, rec),
        ):
            if value is not None:
                AnswerFactory(response=response, question=question, value=value)
        for option in multiple:
            AnswerFactory(response=response, question=self.multiple, option=option, value=option)
        if text:
            AnswerFactory(response=response, question=self.comments, value=None, text=text)
        return response


def invite(course, survey):
    number = Learner.objects.count()
    learner = Learner.objects.create(
        name=f"學員{number}", birth_year=1980, phone=f"+8869{number:08d}"
    )
    enrollment = Enrollment.objects.create(
        learner=learner, course=course, status=Enrollment.Status.COMPLETED
    )
    return InvitationFactory(enrollment=enrollment, survey=survey)


@pytest.fixture
def data(catalogue, request):
    """The dataset, read in English (pages are created first: Wagtail makes them in the
    content language)."""
    dataset = Dataset(catalogue)
    request.getfixturevalue("english")
    return dataset


def report(user, **filters):
    return survey_report(user=user, filters=ReportFilters(**filters))


def breakdown(result, dimension):
    return {
        row.label: row
        for row in next(b for b in result.breakdowns if b.dimension == dimension).rows
    }


def question(result, q):
    return next(stats for stats in result.questions if stats.question_id == q.pk)


# --- figures ---------------------------------------------------------------------------------


def test_totals_response_rate_satisfaction_and_paper_match_hand_counts(data):
    result = report(data.admin)

    assert result.invited == 18  # 8 + 4 + 6
    assert result.responses == 12
    assert result.response_rate == 66.7  # 12 / 18
    # Overall answers 5,4,3,5,2 | 4,5,1,4 | 5,4,3: eight are 4 or 5, they add up to 45.
    assert result.satisfied_share == 66.7
    assert result.overall_mean == 3.75
    assert result.paper_responses == 3
    assert result.suppressed is False
    assert result.as_of is not None


def test_likert_question_has_distribution_mean_and_satisfied_share(data):
    stats = question(report(data.admin), data.instructor_q)

    # Eleven answered (one left it blank): 5 ×4, 4 ×5, 3 ×1, 2 ×1.
    assert stats.answers == 11
    assert stats.mean == 4.09  # 45 / 11
    assert stats.satisfied_share == 81.8  # 9 / 11
    assert [(d.value, d.label, d.count, d.share) for d in stats.distribution] == [
        (1, "1 Very dissatisfied", 0, 0.0),
        (2, "2 Dissatisfied", 1, 9.1),
        (3, "3 Neutral", 1, 9.1),
        (4, "4 Satisfied", 5, 45.5),
        (5, "5 Very satisfied", 4, 36.4),
    ]


def test_likert_labels_follow_the_active_language(catalogue):
    data = Dataset(catalogue)  # no `english` fixture: the default language, Chinese
    stats = question(report(data.admin), data.overall)
    assert stats.distribution[-1].label == "5 非常滿意"
    assert question(report(data.admin), data.single).distribution[0].label == "里長廣播"


def test_choice_questions_are_labelled_with_their_answers(data):
    single = question(report(data.admin), data.single)

    assert single.answers == 11
    assert single.mean is None and single.satisfied_share is None
    assert [(d.label, d.count, d.share) for d in single.distribution] == [
        ("Community announcement", 5, 45.5),
        ("Family or friends", 4, 36.4),
        ("Internet", 2, 18.2),
    ]


def test_multiple_choice_counts_respondents_and_each_ticked_answer(data):
    stats = question(report(data.admin), data.multiple)

    assert stats.answers == 11  # respondents, not the 16 ticks
    assert [(d.count, d.share) for d in stats.distribution] == [(7, 63.6), (5, 45.5), (4, 36.4)]


def test_recommend_question_has_a_mean_over_zero_to_ten(data):
    stats = question(report(data.admin), data.recommend)

    assert stats.answers == 11
    assert stats.mean == 7.09  # 78 / 11
    assert stats.satisfied_share is None
    assert [d.value for d in stats.distribution] == list(range(11))
    assert next(d for d in stats.distribution if d.value == 10).count == 2


def test_free_text_question_counts_comments_without_a_distribution(data):
    stats = question(report(data.admin), data.comments)
    assert stats.answers == 6
    assert stats.distribution == []


def test_questions_follow_the_survey_order(data):
    ids = [stats.question_id for stats in report(data.admin).questions]
    assert ids == [
        q.pk
        for q in (
            data.overall,
            data.instructor_q,
            data.single,
            data.multiple,
            data.recommend,
            data.comments,
        )
    ]


def test_trend_by_term_in_term_order(data):
    trend = report(data.admin).trend

    # Spring: A (5,4,3,5,2). Autumn: B and C (4,5,1,4,5,4,3): five of seven satisfied, 26 / 7.
    assert [(p.label, p.responses, p.satisfied_share, p.mean) for p in trend] == [
        ("Spring 2025", 5, 60.0, 3.8),
        ("Autumn 2025", 7, 71.4, 3.71),
    ]


def test_breakdown_by_course_sorted_by_responses(data):
    rows = list(breakdown(report(data.admin), "course").values())

    assert [
        (r.label, r.responses, r.invited, r.response_rate, r.satisfied_share, r.mean) for r in rows
    ] == [
        ("課程 A", 5, 8, 62.5, 60.0, 3.8),
        ("課程 B", 4, 4, 100.0, 75.0, 3.5),
        ("課程 C", 3, 6, 50.0, 66.7, 4.0),
    ]
    assert rows[0].key == str(data.courses["A"].pk)


def test_breakdowns_by_instructor_district_and_topic(data):
    result = report(data.admin)

    instructors = breakdown(result, "instructor")
    assert (instructors["王美玲"].responses, instructors["王美玲"].invited) == (8, 14)  # A + C
    assert instructors["王美玲"].satisfied_share == 62.5  # 5 of 8
    assert instructors["王美玲"].mean == 3.88  # 31 / 8
    assert instructors["Yuraw Watan"].responses == 4
    districts = breakdown(result, "district")
    assert list(districts) == ["Banqiao", "Wulai"]  # the city's order
    assert (districts["Banqiao"].responses, districts["Banqiao"].invited) == (9, 12)
    assert districts["Banqiao"].key == "banqiao"
    assert districts["Wulai"].response_rate == 50.0
    topics = breakdown(result, "category")
    assert (topics["Phones"].responses, topics["Computers"].responses) == (8, 4)


def test_target_group_breakdown_hides_groups_below_the_threshold(data, settings):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 2
    groups = breakdown(report(data.admin), "target_group")

    # Seniors: A1 A2 A3 B3 C2 (overall 5,4,3,1,4). Indigenous: A5 only. New immigrants: B1 B3.
    seniors = groups["Seniors"]
    assert (seniors.responses, seniors.satisfied_share, seniors.mean) == (5, 60.0, 3.4)
    assert seniors.invited is None and seniors.response_rate is None
    indigenous = groups["Indigenous peoples"]
    assert indigenous.suppressed
    assert (indigenous.responses, indigenous.satisfied_share, indigenous.mean) == (None, None, None)
    assert groups["New immigrants"].responses == 2


def test_with_the_default_threshold_every_small_group_is_hidden(data):
    groups = breakdown(report(data.admin), "target_group")
    assert all(row.suppressed and row.responses is None for row in groups.values())
    # The population itself is not a demographic cell.
    assert report(data.admin).responses == 12


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "responses", "invited"),
    [
        ({"district": "wulai"}, 3, 6),
        ({"category": "computers"}, 4, 4),
        ({"date_from": date(2025, 9, 15), "date_to": date(2025, 9, 15)}, 4, 4),  # B only
        ({"date_from": date(2025, 9, 16)}, 3, 6),  # C
        ({"date_to": date(2025, 9, 14)}, 5, 8),  # A
    ],
)
def test_filters_narrow_every_figure(data, filters, responses, invited):
    result = report(data.admin, **filters)
    assert (result.responses, result.invited) == (responses, invited)
    assert sum(row.responses for row in breakdown(result, "course").values()) == responses
    assert sum(point.responses for point in result.trend) == responses
    assert question(result, data.overall).answers == responses


def test_term_instructor_and_course_filters(data):
    assert report(data.admin, term=data.spring.pk).responses == 5
    assert report(data.admin, instructor=data.i1.pk).responses == 8
    assert report(data.admin, course=data.courses["B"].pk).responses == 4
    both = report(data.admin, term=data.autumn.pk, instructor=data.i1.pk)
    assert list(breakdown(both, "course")) == ["課程 C"]


def test_target_group_filter_counts_only_that_groups_answers(data, settings):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 5
    result = report(data.admin, target_group="seniors")

    assert result.suppressed is False
    assert result.responses == 5
    assert result.invited is None and result.response_rate is None
    assert result.satisfied_share == 60.0
    assert result.overall_mean == 3.4
    assert question(result, data.overall).answers == 5
    # Only two seniors wrote a comment: a small cell, hidden with its count.
    comments = question(result, data.comments)
    assert comments.suppressed and comments.answers is None
    assert [row.label for row in breakdown(result, "target_group").values()] == ["Seniors"]


def test_whole_report_is_suppressed_when_the_filtered_group_is_small(data):
    result = report(data.admin, target_group="seniors")  # 5 seniors, threshold 10

    assert result.suppressed is True
    assert (result.responses, result.invited, result.paper_responses) == (None, None, None)
    assert result.satisfied_share is None and result.overall_mean is None
    assert result.questions == [] and result.trend == [] and result.breakdowns == []
    comments = survey_comments(user=data.admin, filters=ReportFilters(target_group="seniors"))
    assert comments.comments == [] and comments.total is None


def test_complementary_suppression_under_a_target_group_filter(data, settings):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 2
    result = report(data.admin, target_group="seniors")

    # Seniors by instructor: 王美玲 4 (A1 A2 A3 C2), Yuraw Watan 1 (B3). Hiding the 1 alone
    # would not do: 5 − 4 gives it back, so the 4 goes too.
    instructors = breakdown(result, "instructor")
    assert all(row.suppressed and row.responses is None for row in instructors.values())
    # By course: A 3, B 1, C 1. B and C hidden together hold 2: enough, A stays.
    courses = breakdown(result, "course")
    assert courses["課程 A"].responses == 3
    assert courses["課程 B"].suppressed and courses["課程 C"].suppressed
    # By term: spring 3, autumn 2: both shown.
    assert [point.responses for point in result.trend] == [3, 2]
    assert result.responses == 5


def test_paper_count_is_hidden_when_it_would_reveal_a_small_group(data, settings):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 3
    # Seniors on paper: A3 and C2. Two is below three, and 5 − online would give it back.
    assert report(data.admin, target_group="seniors").paper_responses is None
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 2
    assert report(data.admin, target_group="seniors").paper_responses == 2


def test_unknown_target_group_is_refused(data):
    with pytest.raises(ValueError, match="Unknown target group"):
        report(data.admin, target_group="everyone")


# --- who sees what -----------------------------------------------------------------------------


def test_instructor_sees_only_their_own_courses(data):
    result = report(data.i2)

    assert (result.responses, result.invited) == (4, 4)
    assert list(breakdown(result, "course")) == ["課程 B"]
    assert list(breakdown(result, "instructor")) == ["Yuraw Watan"]
    assert [point.label for point in result.trend] == ["Autumn 2025"]
    assert list(reportable_courses(user=data.i2)) == [data.courses["B"]]


def test_instructor_asking_for_another_instructor_gets_empty_figures(data):
    for filters in ({"instructor": data.i1.pk}, {"course": data.courses["A"].pk}):
        result = report(data.i2, **filters)
        assert (result.responses, result.invited) == (0, 0)
        assert result.satisfied_share is None
        assert result.questions == []
        assert all(not b.rows or b.dimension == "target_group" for b in result.breakdowns)
        assert survey_comments(user=data.i2, filters=ReportFilters(**filters)).comments == []


def test_who_may_read_reports(data):
    learner_user = UserFactory()
    inactive = InstructorFactory(is_active=False)
    assert user_can_read_reports(data.admin)
    assert user_can_read_reports(data.i1)
    assert not user_can_read_reports(counter_staff_user())
    assert not user_can_read_reports(learner_user)
    assert not user_can_read_reports(inactive)
    assert not user_can_read_reports(AnonymousUser())
    for user in (learner_user, AnonymousUser()):
        assert not reportable_courses(user=user).exists()
        assert report(user).responses == 0
        assert survey_comments(user=user, filters=ReportFilters()).comments == []


def test_filter_options_are_limited_to_what_the_user_may_see(data):
    options = report_filter_options(user=data.admin)
    assert list(options["terms"]) == [data.autumn, data.spring]
    assert [d.slug for d in options["districts"]] == ["banqiao", "wulai"]
    assert set(options["categories"]) == {data.phones, data.computers}
    assert set(options["instructors"]) == {data.i1, data.i2}
    assert [code for code, _label in options["target_groups"]] == [
        "seniors",
        "indigenous",
        "new_immigrants",
    ]

    own = report_filter_options(user=data.i2)
    assert list(own["terms"]) == [data.autumn]
    assert [d.slug for d in own["districts"]] == ["banqiao"]
    assert list(own["categories"]) == [data.computers]
    assert not own["instructors"].exists()


# --- comments --------------------------------------------------------------------------------


def test_comments_newest_first_with_course_term_and_channel(data):
    page = survey_comments(user=data.admin, filters=ReportFilters())

    assert [c.text for c in page.comments] == [
        "Wi-Fi was slow",
        "Great course, too fast at the end",
        "電腦太舊了",
        "Cô giáo dạy rất dễ hiểu",
        "Too FAST for me",
        "老師很有耐心，謝謝！",
    ]
    assert page.total == 6 and page.has_next is False
    newest = page.comments[0]
    assert (newest.course_title, newest.term, newest.channel) == ("課程 C", "Autumn 2025", "online")
    assert newest.submitted_on == date(2025, 11, 12)
    assert page.comments[2].channel == "paper"


def test_comments_search_ignores_case_and_respects_filters(data):
    found = survey_comments(user=data.admin, filters=ReportFilters(), search="  too fast ")
    assert [c.text for c in found.comments] == [
        "Great course, too fast at the end",
        "Too FAST for me",
    ]
    narrowed = survey_comments(
        user=data.admin, filters=ReportFilters(term=data.spring.pk), search="fast"
    )
    assert [c.text for c in narrowed.comments] == ["Too FAST for me"]
    assert survey_comments(user=data.admin, filters=ReportFilters(), search="耐心").total == 1


def test_comments_are_paged(data):
    first = survey_comments(user=data.admin, filters=ReportFilters(), per_page=4)
    second = survey_comments(user=data.admin, filters=ReportFilters(), page=2, per_page=4)

    assert (len(first.comments), first.has_next, first.total) == (4, True, 6)
    assert (len(second.comments), second.has_next, second.total) == (2, False, 6)
    assert {c.text for c in first.comments}.isdisjoint(c.text for c in second.comments)


def test_comment_total_comes_from_the_summary_and_a_search_is_counted_live(data, monkeypatch):
    """Without a search the total is the summary's, exact whatever the count limit; a search is
    counted live up to the limit; a survey with two free-text questions is counted live too
    (the summary would count a respondent with two comments twice)."""
    from surveys import report_selectors

    monkeypatch.setattr(report_selectors, "COMMENTS_COUNT_LIMIT", 2)
    assert survey_comments(user=data.admin, filters=ReportFilters(), per_page=2).total == 6
    autumn = survey_comments(
        user=data.admin, filters=ReportFilters(term=data.autumn.pk), per_page=1
    )
    assert autumn.has_next and autumn.total == 3
    # "o": Wi-Fi was slow, Great course…, Cô giáo…, Too FAST…: four, more than the limit.
    searched = survey_comments(user=data.admin, filters=ReportFilters(), search="o", per_page=1)
    assert searched.has_next and searched.total is None

    second = QuestionFactory(survey=data.survey, kind=Kind.TEXT, required=False)
    response = Response.objects.filter(answers__text="Wi-Fi was slow").get()
    AnswerFactory(response=response, question=second, value=None, text="More power sockets")
    report_summary_refresh()
    assert survey_comments(user=data.admin, filters=ReportFilters(), per_page=2).total is None
    monkeypatch.setattr(report_selectors, "COMMENTS_COUNT_LIMIT", 1000)
    assert survey_comments(user=data.admin, filters=ReportFilters(), per_page=2).total == 6


def test_comments_never_name_the_respondent(data, catalogue):
    """Even on a named (not anonymous) survey: the comment page carries no name or link."""
    from surveys.services import response_submit

    named = SurveyFactory(anonymous=False)
    named.courses.add(data.courses["B"])
    named.save()
    text_q = QuestionFactory(survey=named, kind=Kind.TEXT)
    invitation = invite(data.courses["B"], named)
    learner = invitation.enrollment.learner
    learner.name = "陳阿明"
    learner.save()
    response_submit(invitation=invitation, answers={text_q.pk: "很好"})
    assert Response.objects.filter(invitation=invitation).exists()

    page = survey_comments(user=data.admin, filters=ReportFilters(), search="很好")
    assert [c.text for c in page.comments] == ["很好"]
    assert "陳阿明" not in repr(page)
    assert set(vars(page.comments[0])) == {
        "text",
        "course_title",
        "term",
        "submitted_on",
        "channel",
    }


# --- cost --------------------------------------------------------------------------------------


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


@pytest.mark.parametrize("narrowed", [False, True])
def test_report_query_count_does_not_grow_with_responses(catalogue, settings, narrowed):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 1
    data = Dataset(catalogue)
    filters = {"target_group": "seniors", "term": data.autumn.pk} if narrowed else {}

    def fresh_admin():  # a new user object, as each request has (role checks are cached on it)
        return type(data.admin).objects.get(pk=data.admin.pk)

    admin = fresh_admin()
    small = _queries(lambda: report(admin, **filters))
    # Ten times the responses, in a new course and term, with new groups and values.
    extra = data._course(
        "D", data.spring, VenueFactory(), CategoryFactory(), InstructorFactory(), (2025, 4, 1)
    )
    extra.term = data.autumn
    extra.save()
    data.courses["D"] = extra
    for n in range(110):
        data.respond("D", "paper" if n % 3 else "online", "SIN"[: n % 4], n % 5 + 1, 3, 2,
                     [1, 3], n % 11, f"意見 {n}", when=taipei(2025, 12, 1))  # fmt: skip
    report_summary_refresh()
    admin = fresh_admin()
    large = _queries(lambda: report(admin, **filters))

    # Role check, overall questions, totals (3), questions (2), trend (2), four breakdowns
    # (3 each; 2 under a target-group filter: no invitations), target groups (2).
    assert small == large == (19 if narrowed else 23)


def test_comment_page_query_count_is_fixed(data):
    filters = ReportFilters()
    with CaptureQueriesContext(connection) as captured:
        survey_comments(user=data.admin, filters=filters, per_page=2, page=2)
    assert len(captured) == 4  # role, the page's responses, the capped count, their comments


# --- the suppression rule ----------------------------------------------------------------------


def test_small_cells_are_hidden():
    result = suppress_small_cells({"a": 12, "b": 9, "c": 0}, threshold=10)
    assert result.cells == {"b", "c"}
    assert not result.total


def test_one_hidden_cell_of_a_shown_total_takes_the_next_smallest_with_it():
    # 30 − 12 − 15 would give c = 3 back.
    result = suppress_small_cells({"a": 12, "b": 15, "c": 3}, total=30, threshold=10)
    assert result.cells == {"c", "a"}
    assert not result.total


def test_hidden_cells_that_hold_enough_people_together_are_enough():
    result = suppress_small_cells({"a": 40, "b": 6, "c": 5}, total=51, threshold=10)
    assert result.cells == {"b", "c"}


def test_people_outside_the_listed_cells_count_as_hidden():
    # Eight respondents are in no listed cell (say, courses without a term): nothing to add.
    assert suppress_small_cells({"a": 30, "b": 4}, total=42, threshold=10).cells == {"b"}
    # One is: b (4) and the unlisted 1 make 5, so a goes too.
    assert suppress_small_cells({"a": 30, "b": 4}, total=35, threshold=10).cells == {"a", "b"}


def test_the_total_is_hidden_when_no_cell_is_left_to_hide():
    result = suppress_small_cells({"a": 3, "b": 2}, total=5, threshold=10)
    assert result.cells == {"a", "b"}
    assert result.total


def test_empty_hidden_cells_need_no_partner():
    assert suppress_small_cells({"a": 20, "b": 0}, total=20, threshold=10).cells == {"b"}


def test_overlapping_cells_without_a_total_get_primary_suppression_only():
    result = suppress_small_cells({"seniors": 40, "indigenous": 3}, threshold=10)
    assert result.cells == {"indigenous"}


def test_the_threshold_comes_from_the_setting(settings):
    settings.EZLEARN_SMALL_CELL_THRESHOLD = 5
    assert suppress_small_cells({"a": 5, "b": 4}).cells == {"b"}


def test_cells_cannot_hold_more_than_the_total():
    with pytest.raises(ValueError):
        suppress_small_cells({"a": 5, "b": 6}, total=10)


def test_comment_search_has_a_trigram_index_on_postgresql(on_postgresql):
    """`icontains` on free-text answers is served by a GIN trigram index (migration 0006)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'answer_text_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "upper(text)" in definition
