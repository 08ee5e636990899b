"""Demo survey answers, so the surveys (and later the reports) look alive after `make run`.

For every finished demo course, the learners the rules invite (completed, or present at the
last session) are invited through the real service; about two in three answer, online or on a
paper form keyed in by staff, through the real `response_submit`. Answers lean the way real
ones do: instructors are praised most, seniors find the pace a little fast, learners still
learning Chinese find the pace harder and the course more useful, remote venues score lower on
equipment. Comments are mostly Chinese, a few English and Vietnamese. A second, named survey
with choice questions is attached to a few courses for seniors. Each instructor has a lean of
their own, so the dashboard's breakdown by instructor differs, and the report summary is
refreshed at the end so the dashboard shows the demo at once.

Deterministic (one seed) and idempotent: nothing is added once demo invitations exist. No
email is sent: the demo's invitations are recorded as sent when the course ended."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.utils import timezone

from courses.demo import ADMIN_USERNAME, SeedReport
from courses.models import CoursePage, TargetGroup, Venue
from enrollment.choices import OriginCountry, SelfIdentification
from enrollment.demo import DEMO_PHONE_PREFIX
from enrollment.models import Learner

from .models import Invitation, Question, Response, Survey
from .selectors import survey_questions
from .services import (
    default_survey_ensure,
    invitations_for_course,
    reminder_after,
    report_summary_refresh,
    report_summary_refresh_stale,
    response_submit,
)

SEED = 2027
Kind = Question.Kind
Topic = Question.Topic

SENIORS_SURVEY = {
    "title_zh_hant": "長輩手機生活問卷",
    "title_en": "Smartphone life survey for seniors",
    "intro_zh_hant": (
        "謝謝您來上課！想知道您怎麼知道這門課、上完課會用手機做什麼，幫我們把長輩課程辦得更好。"
    ),
    "intro_en": (
        "Thank you for coming! We would like to know how you heard of the course and what you "
        "will do with your phone now, to make our courses for seniors better."
    ),
    "anonymous": False,
}
SENIORS_QUESTIONS = [
    {
        "kind": Kind.LIKERT,
        "topic": Topic.OVERALL,
        "text_zh_hant": "整體來說，您對這門課滿意嗎？",
        "text_en": "Overall, how satisfied are you with this course?",
    },
    {
        "kind": Kind.LIKERT,
        "topic": Topic.INSTRUCTOR,
        "text_zh_hant": "講師講解得清楚、有耐心嗎？您滿意嗎？",
        "text_en": "How satisfied are you with how clearly and patiently the instructor taught?",
    },
    {
        "kind": Kind.SINGLE,
        "topic": Topic.OTHER,
        "text_zh_hant": "您是怎麼知道這門課的？",
        "text_en": "How did you hear about this course?",
        "options_zh_hant": "里長或社區廣播\n家人或朋友介紹\n圖書館或區公所公告\n網路或 LINE\n其他",
        "options_en": (
            "Neighbourhood chief or community announcement\nFamily or friends\n"
            "Library or district office notice\nInternet or LINE\nOther"
        ),
    },
    {
        "kind": Kind.MULTIPLE,
        "topic": Topic.USEFULNESS,
        "text_zh_hant": "上完課後，您會用手機做哪些事？",
        "text_en": "What will you do with your phone now?",
        "options_zh_hant": (
            "用 LINE 和家人視訊\n拍照和傳照片\n查公車或地圖\n網路掛號或查資料\n辨認詐騙訊息"
        ),
        "options_en": (
            "Video calls with family on LINE\nTake and send photos\nCheck buses or maps\n"
            "Book a doctor or look things up online\nSpot scam messages"
        ),
    },
    {
        "kind": Kind.RECOMMEND,
        "topic": Topic.RECOMMEND,
        "text_zh_hant": "您有多願意推薦這門課給其他長輩？",
        "text_en": "How likely are you to recommend this course to other seniors?",
    },
    {
        "kind": Kind.TEXT,
        "topic": Topic.COMMENTS,
        "required": False,
        "text_zh_hant": "還有什麼想告訴我們的嗎？",
        "text_en": "Anything else you would like to tell us?",
    },
]

COMMENTS = {
    "zh": {
        "good": [
            "老師很有耐心，一步一步教，我終於會用 LINE 視訊看孫子了！",
            "講義字很大，回家照著做就會，謝謝老師。",
            "上課很開心，認識了好多鄰居。希望還有進階班。",
            "學會辨認詐騙簡訊，家人都放心多了。",
            "助教很多，有問題馬上有人幫忙。",
            "以前都要叫兒子幫忙，現在自己會掛號了。",
            "希望下次可以教怎麼用手機付款。",
            "時間安排在早上很好，下午要顧孫子。",
        ],
        "mixed": [
            "上課速度有點快，希望可以多練習幾次。",
            "教室冷氣太冷，下次會帶外套。",
            "電腦有點舊，開機要等很久。",
            "內容很實用，但是一次教太多，回家就忘了。",
            "希望字可以再大一點，投影片後面看不清楚。",
            "網路常常斷線，練習的時候很困擾。",
            "教室在三樓沒有電梯，膝蓋不好走得很辛苦。",
        ],
    },
    "en": {
        "good": [
            "Very patient teacher. Now I can video call my family back home.",
            "Useful course, I learned to use the bus app by myself.",
            "Thank you! The handouts in English helped a lot.",
        ],
        "mixed": [
            "Good course but a bit fast for me, my Chinese is not so good yet.",
            "Please more courses in the evening, I work in the daytime.",
        ],
    },
    "vi": {
        "good": [
            "Cô giáo dạy rất dễ hiểu, cảm ơn nhiều!",
            "Khóa học rất bổ ích, bây giờ tôi biết đặt lịch khám bệnh trên mạng.",
        ],
        "mixed": [
            "Cô nói hơi nhanh, tôi chưa hiểu hết tiếng Trung.",
            "Mong có thêm lớp có phiên dịch tiếng Việt.",
        ],
    },
}


def _clip(value: float, low: int, high: int) -> int:
    return max(low, min(high, round(value)))


class Rater:
    """How one course's learners tend to answer, topic by topic."""

    def __init__(self, rng: random.Random, course: CoursePage, instructor_effect: float = 0.0):
        self.rng = rng
        groups = {g.code for g in course.target_groups.all()}
        venue = course.venue
        self.base = rng.gauss(4.15, 0.3)
        self.offset = dict.fromkeys(Topic.values, 0.0)
        # Some instructors are loved everywhere they teach, a few less so: it shows in the
        # instructor question most and in overall satisfaction too.
        self.offset[Topic.INSTRUCTOR] = 0.25 + instructor_effect + rng.gauss(0, 0.2)
        self.offset[Topic.OVERALL] = instructor_effect / 2
        self.offset[Topic.USEFULNESS] = 0.1
        if TargetGroup.Code.SENIORS in groups:
            self.offset[Topic.PACE] -= 0.35
            self.offset[Topic.USEFULNESS] += 0.1
        if TargetGroup.Code.NEW_IMMIGRANTS in groups:
            self.offset[Topic.PACE] -= 0.3
            self.offset[Topic.USEFULNESS] += 0.25
        if TargetGroup.Code.INDIGENOUS in groups:
            self.offset[Topic.CONTENT] += 0.1
        if venue is not None and (venue.district.is_remote or venue.kind == Venue.Kind.MOBILE_BUS):
            self.offset[Topic.VENUE] -= 0.45
        elif venue is not None and venue.computers == 0:
            self.offset[Topic.VENUE] -= 0.2

    def learner_mood(self) -> float:
        return self.rng.gauss(0, 0.55)

    def likert(self, topic: str, mood: float) -> int:
        offset = self.offset.get(topic, 0.0)
        return _clip(self.base + offset + mood + self.rng.gauss(0, 0.45), 1, 5)


def _comment_language(learner: Learner, rng: random.Random) -> str:
    if learner.new_immigrant == SelfIdentification.YES:
        if learner.origin_country == OriginCountry.VIETNAM and rng.random() < 0.4:
            return "vi"
        if learner.preferred_language == "en":
            return "en"
    return "zh"


def _answers(
    questions: list[Question], rater: Rater, learner: Learner, rng: random.Random, paper: bool
) -> dict[int, object]:
    mood = rater.learner_mood()
    answers: dict[int, object] = {}
    overall = None
    for question in questions:
        if question.kind == Kind.LIKERT:
            value = rater.likert(question.topic, mood)
            if question.topic == Topic.OVERALL:
                overall = value
            # Paper forms come back with the odd blank.
            answers[question.pk] = None if paper and rng.random() < 0.03 else value
        elif question.kind == Kind.RECOMMEND:
            level = overall if overall is not None else rater.likert(Topic.OVERALL, mood)
            answers[question.pk] = _clip(level * 2 + rng.gauss(0, 1.2) - 0.5, 0, 10)
        elif question.kind == Kind.SINGLE:
            answers[question.pk] = rng.choices(range(1, 6), weights=[30, 28, 22, 12, 8])[0]
        elif question.kind == Kind.MULTIPLE:
            chance = [0.8, 0.6, 0.45, 0.35, 0.55]
            ticked = [n for n, p in enumerate(chance, start=1) if rng.random() < p]
            answers[question.pk] = ticked or [1]
        elif question.kind == Kind.TEXT and rng.random() < (0.18 if paper else 0.3):
            pool = COMMENTS[_comment_language(learner, rng)]
            tone = "good" if (overall or 4) >= 4 and rng.random() < 0.75 else "mixed"
            answers[question.pk] = rng.choice(pool[tone])
    return answers


def _seniors_survey(courses: list[CoursePage]) -> Survey:
    survey = Survey.objects.filter(title_zh_hant=SENIORS_SURVEY["title_zh_hant"]).first()
    if survey is None:
        survey = Survey(**SENIORS_SURVEY)
        survey.save()
        Question.objects.bulk_create(
            Question(survey=survey, sort_order=n, **spec)
            for n, spec in enumerate(SENIORS_QUESTIONS)
        )
    for_seniors = [
        c for c in courses if TargetGroup.Code.SENIORS in {g.code for g in c.target_groups.all()}
    ]
    taken = set(Survey.courses.through.objects.values_list("coursepage_id", flat=True))
    chosen = [c for c in for_seniors if c.pk not in taken][:4]
    if chosen:
        Survey.courses.through.objects.bulk_create(
            [Survey.courses.through(survey=survey, coursepage=c) for c in chosen]
        )
    return survey


def _moment(rng: random.Random, start: datetime, days: float, now: datetime) -> datetime:
    return min(start + timedelta(hours=rng.uniform(1, days * 24)), now - timedelta(minutes=5))


def demo_surveys_seed(*, report: SeedReport, **kwargs) -> None:
    """Receiver of courses.demo.demo_data_seeded (after enrollment's demo seeder)."""
    default_survey_ensure()
    demo_invitations = Invitation.objects.filter(
        enrollment__learner__phone__startswith=DEMO_PHONE_PREFIX
    )
    if demo_invitations.exists():
        report.count("invitations", created=False, number=demo_invitations.count())
        report.count("responses", created=False, number=Response.objects.count())
        # A demo seeded before the reports existed gets its summary now.
        report_summary_refresh_stale()
        return
    rng = random.Random(SEED)
    now = timezone.now()
    courses = list(
        CoursePage.objects.annotate(last_end=Max("sessions__end"))
        .filter(last_end__lte=now, enrollments__learner__phone__startswith=DEMO_PHONE_PREFIX)
        .distinct()
        .select_related("venue__district")
        .prefetch_related("target_groups")
        .order_by("last_end", "pk")
    )
    if not courses:
        return  # no finished course with demo learners (e.g. --scale 0)
    _seniors_survey(courses)
    user_model = get_user_model()
    keyer = (
        user_model.objects.filter(username=ADMIN_USERNAME).first()
        or user_model.objects.filter(is_superuser=True).first()
    )
    invited = answered = 0
    instructor_effects: dict[int | None, float] = {}
    for course in courses:
        ended = course.last_end
        invitations = invitations_for_course(course=course, now=ended + timedelta(minutes=30))
        invited += len(invitations)
        if not invitations:
            continue
        if course.instructor_id not in instructor_effects:
            instructor_effects[course.instructor_id] = rng.gauss(0, 0.3)
        rater = Rater(rng, course, instructor_effects[course.instructor_id])
        # The courses that ended in the last days are still being answered.
        fresh = now - ended < timedelta(days=4)
        questions = survey_questions(survey=invitations[0].survey)
        for invitation in _with_learners(invitations):
            learner = invitation.enrollment.learner
            invitation.sent_at = invitation.created_at if learner.email else None
            paper_chance = 0.15 if learner.email else 0.7
            online_chance = 0.0 if not learner.email else (0.3 if fresh else 0.62)
            roll = rng.random()
            if keyer is not None and roll < paper_chance:
                when = _moment(rng, ended, 6, now)
                channel, by = Response.Channel.PAPER, keyer
            elif roll < paper_chance + online_chance:
                when = _moment(rng, ended, 9, now)
                channel, by = Response.Channel.ONLINE, None
            else:
                when = None
            if invitation.sent_at and (
                when is None or when - invitation.sent_at > reminder_after()
            ):
                reminded = invitation.sent_at + reminder_after()
                invitation.reminded_at = reminded if reminded <= now else None
            Invitation.objects.filter(pk=invitation.pk).update(
                sent_at=invitation.sent_at, reminded_at=invitation.reminded_at
            )
            if when is None:
                continue
            answers = _answers(questions, rater, learner, rng, channel == Response.Channel.PAPER)
            response_submit(
                invitation=invitation, answers=answers, channel=channel, keyed_by=by, now=when
            )
            answered += 1
    # The dashboard reads the report summary: count the demo's answers into it now (the
    # refresh queued by each response runs only once the seeding transaction commits).
    report_summary_refresh(course_ids=[course.pk for course in courses])
    report.count("invitations", created=True, number=invited)
    report.count("responses", created=True, number=answered)


def _with_learners(invitations: list[Invitation]) -> list[Invitation]:
    return list(
        Invitation.objects.filter(pk__in=[i.pk for i in invitations])
        .select_related("enrollment__learner")
        .order_by("pk")
    )
