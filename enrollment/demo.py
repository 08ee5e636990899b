"""Demo learners, enrollments, waiting lists and attendance, so the site and the reports look
alive after `make run`. People, phone numbers and addresses are invented. Deterministic (one
seed) and idempotent: nothing is added once the demo learners exist.

Connected to `courses.demo.demo_data_seeded`; enrollments go through the real services, so
seats, waiting lists and the outbox are exactly what real use would produce."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import Count
from django.utils import timezone, translation

from courses.demo import SeedReport
from courses.models import CoursePage, CourseSeats, District, TargetGroup

from .attendance import attendance_meets_rule
from .certificates import certificate_issue
from .choices import IndigenousNation, OriginCountry, SelfIdentification
from .models import (
    CONSENT_TEXT,
    CONSENT_VERSION,
    Attendance,
    Certificate,
    ConsentRecord,
    Enrollment,
    Learner,
    Notification,
)
from .services import enrollment_cancel, enrollment_create

SEED = 2026
# Rendering a certificate takes about a tenth of a second: the demo issues a handful (the demo
# citizen's first), enough for /my/ and the verification page; `certificates_sweep` (Celery
# beat) or "Issue all" in the admin issues the rest.
DEMO_CERTIFICATES = 25
DEMO_CITIZEN_USERNAME = "learner"
DEMO_CITIZEN_PASSWORD = "ezlearn-learner"  # noqa: S105
DEMO_PHONE_PREFIX = "+88690055"  # invented numbers: +886 900 55x xxx
LEARNER_COUNT = 420

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高"
GIVEN = [
    "美玲",
    "淑芬",
    "秀英",
    "麗華",
    "玉蘭",
    "金鳳",
    "春嬌",
    "阿月",
    "志明",
    "建國",
    "文雄",
    "國華",
    "明德",
    "俊傑",
    "家豪",
    "怡君",
    "雅婷",
    "宗翰",
    "秋香",
    "添財",
    "福來",
    "寶珠",
]
INDIGENOUS_NAMES = [
    ("Yuraw Watan", "尤繞‧瓦旦", IndigenousNation.ATAYAL),
    ("Temu Nawi", "鐵木‧那威", IndigenousNation.ATAYAL),
    ("Panay Kacaw", "巴奈‧卡照", IndigenousNation.AMIS),
    ("Calaw Mayaw", "查勞‧瑪耀", IndigenousNation.AMIS),
    ("Sayun Hayung", "沙韻‧哈勇", IndigenousNation.ATAYAL),
    ("Ipay Kumu", "以拜‧估目", IndigenousNation.TRUKU),
    ("Tanivu Tapari", "達尼芙‧塔巴里", IndigenousNation.BUNUN),
    ("Lavakaw Ruvaniyaw", "拉瓦告‧魯瓦尼堯", IndigenousNation.PAIWAN),
]
IMMIGRANT_NAMES = [
    ("Nguyễn Thị Hoa", OriginCountry.VIETNAM),
    ("Trần Thị Mai", OriginCountry.VIETNAM),
    ("Lê Thị Thu", OriginCountry.VIETNAM),
    ("Phạm Ngọc Anh", OriginCountry.VIETNAM),
    ("Siti Rahayu", OriginCountry.INDONESIA),
    ("Dewi Lestari", OriginCountry.INDONESIA),
    ("Maria Santos", OriginCountry.PHILIPPINES),
    ("Somchai Boonmee", OriginCountry.THAILAND),
    ("陳小燕", OriginCountry.CHINA),
    ("Sokha Chan", OriginCountry.CAMBODIA),
]


def _learner_specs(rng: random.Random, districts: list[District]) -> list[dict]:
    today = timezone.localdate()
    specs = []
    for n in range(LEARNER_COUNT):
        kind = rng.choices(["local", "indigenous", "immigrant"], weights=[78, 8, 14])[0]
        senior = rng.random() < (0.55 if kind == "local" else 0.3)
        age = rng.randint(65, 86) if senior else rng.randint(24, 63)
        spec = {
            "birth_year": today.year - age,
            "district": rng.choice(districts),
            "phone": f"{DEMO_PHONE_PREFIX}{n:03d}",
            "email": f"learner{n}@ezlearn.example" if rng.random() < 0.7 else "",
            "preferred_language": "zh-hant",
            "consent": rng.random() < 0.7,
            "alternate_name": "",
        }
        if kind == "local":
            spec["name"] = rng.choice(SURNAMES) + rng.choice(GIVEN)
        elif kind == "indigenous":
            name, chinese, nation = rng.choice(INDIGENOUS_NAMES)
            spec.update(name=name, alternate_name=chinese, nation=nation, consent=True)
            if rng.random() < 0.5:  # elders from 55 count as seniors
                spec["birth_year"] = today.year - rng.randint(55, 75)
        else:
            name, country = rng.choice(IMMIGRANT_NAMES)
            spec.update(name=name, country=country, consent=rng.random() < 0.85)
            spec["preferred_language"] = "en" if rng.random() < 0.3 else "zh-hant"
        spec["kind"] = kind
        specs.append(spec)
    return specs


def demo_learners_setup(rng: random.Random, report: SeedReport) -> list[Learner]:
    existing = Learner.objects.filter(phone__startswith=DEMO_PHONE_PREFIX)
    if existing.exists():
        report.count("learners", created=False, number=existing.count())
        return list(existing)
    districts = list(District.objects.filter(venues__isnull=False).distinct())
    now = timezone.now()
    learners, consents = [], []
    with translation.override("zh-hant"):
        consent_text = str(CONSENT_TEXT)
    for spec in _learner_specs(rng, districts):
        learner = Learner(
            name=spec["name"],
            alternate_name=spec["alternate_name"],
            birth_year=spec["birth_year"],
            district=spec["district"],
            phone=spec["phone"],
            email=spec["email"],
            preferred_language=spec["preferred_language"],
        )
        if spec["consent"]:
            learner.consent_version, learner.consent_given_at = CONSENT_VERSION, now
            learner.indigenous = (
                SelfIdentification.YES if spec["kind"] == "indigenous" else SelfIdentification.NO
            )
            learner.indigenous_nation = spec.get("nation", "")
            learner.new_immigrant = (
                SelfIdentification.YES if spec["kind"] == "immigrant" else SelfIdentification.NO
            )
            learner.origin_country = spec.get("country", "")
            learner.disability = rng.choices(
                [SelfIdentification.NO, SelfIdentification.YES, SelfIdentification.PREFER_NOT],
                weights=[85, 7, 8],
            )[0]
        learners.append(learner)
    Learner.objects.bulk_create(learners)
    learners = list(Learner.objects.filter(phone__startswith=DEMO_PHONE_PREFIX))
    for learner in learners:
        if learner.consent_given_at:
            consents.append(
                ConsentRecord(
                    learner=learner,
                    action=ConsentRecord.Action.GIVEN,
                    version=CONSENT_VERSION,
                    text=consent_text,
                    channel=ConsentRecord.Channel.ONLINE
                    if learner.email
                    else ConsentRecord.Channel.PAPER,
                    recorded_at=now,
                )
            )
    ConsentRecord.objects.bulk_create(consents)
    report.count("learners", created=True, number=len(learners))
    return learners


def _candidates(course: CoursePage, learners: list[Learner], rng: random.Random) -> list[Learner]:
    """Learners likely to pick this course: its target groups first, then anyone."""
    groups = {g.code for g in course.target_groups.all()}
    fitting = [
        learner
        for learner in learners
        if (TargetGroup.Code.SENIORS in groups and learner.is_senior())
        or (TargetGroup.Code.INDIGENOUS in groups and learner.indigenous == SelfIdentification.YES)
        or (
            TargetGroup.Code.NEW_IMMIGRANTS in groups
            and learner.new_immigrant == SelfIdentification.YES
        )
    ]
    others = [learner for learner in learners if learner not in fitting]
    rng.shuffle(fitting)
    rng.shuffle(others)
    return fitting + others


def demo_enrollments_setup(rng: random.Random, learners: list[Learner], report: SeedReport) -> None:
    if Enrollment.objects.filter(learner__phone__startswith=DEMO_PHONE_PREFIX).exists():
        report.count("enrollments", created=False, number=Enrollment.objects.count())
        return
    now = timezone.now()
    staff = get_user_model().objects.filter(is_superuser=True).first()
    courses = (
        CoursePage.objects.live()
        .filter(registration_opens_at__lte=now)
        .select_related("term", "instructor")
        .prefetch_related("sessions", "target_groups")
        .order_by("pk")
    )
    created = 0
    for course in courses:
        demand = rng.choice([0.5, 0.8, 1.0, 1.2, 1.4])
        wanted = max(3, round(course.capacity * demand))
        chosen = _candidates(course, learners, rng)[:wanted]
        window_end = min(course.registration_closes_at, now)
        span = (window_end - course.registration_opens_at).total_seconds()
        moments = sorted(
            course.registration_opens_at + timedelta(seconds=rng.uniform(0, max(span, 1)))
            for _ in chosen
        )
        enrollments = []
        for learner, moment in zip(chosen, moments, strict=True):
            assisted = not learner.email
            enrollments.append(
                enrollment_create(
                    learner=learner,
                    course=course,
                    now=moment,
                    channel=Enrollment.Channel.ASSISTED if assisted else Enrollment.Channel.ONLINE,
                    actor=staff if assisted else None,
                )
            )
        created += len(enrollments)
        _demo_cancellations(rng, enrollments, window_end)
        _demo_attendance(rng, course, now)
        _demo_completion(course, now)
    # The demo's history is not news: nobody should receive these messages.
    Notification.objects.filter(sent_at__isnull=True).update(
        sent_at=now, skipped_reason="demo data"
    )
    report.count("enrollments", created=True, number=created)


def _demo_cancellations(rng: random.Random, enrollments: list[Enrollment], before: datetime):
    for enrollment in enrollments:
        if rng.random() < 0.06:
            moment = min(enrollment.created_at + timedelta(days=rng.randint(1, 5)), before)
            deadline = enrollment.course.cancellation_closes_at()
            if deadline is None or moment <= deadline:
                enrollment_cancel(enrollment=enrollment, now=moment)


def _demo_attendance(rng: random.Random, course: CoursePage, now: datetime) -> None:
    held = [s for s in course.session_list if s.end <= now]
    if not held:
        return
    confirmed = list(
        Enrollment.objects.filter(course=course, status=Enrollment.Status.CONFIRMED).select_related(
            "learner"
        )
    )
    habit = {e.pk: rng.choice([0.95, 0.9, 0.85, 0.6, 0.3]) for e in confirmed}
    Attendance.objects.bulk_create(
        Attendance(
            enrollment=enrollment,
            session=session,
            present=rng.random() < habit[enrollment.pk],
            recorded_at=session.end,
            recorded_by=course.instructor,
        )
        for session in held
        for enrollment in confirmed
    )


def _demo_completion(course: CoursePage, now: datetime) -> None:
    """Decide finished courses with the real rule, quietly: the `course_completed` signal
    would invite hundreds of demo learners by email (the surveys demo makes its own)."""
    sessions = course.session_list
    if not sessions or sessions[-1].end > now:
        return
    confirmed = Enrollment.objects.filter(course=course, status=Enrollment.Status.CONFIRMED)
    attended = {
        row["enrollment"]: row["n"]
        for row in Attendance.objects.filter(enrollment__in=confirmed, present=True)
        .values("enrollment")
        .annotate(n=Count("pk"))
    }
    completed, not_completed = [], []
    for enrollment_id in confirmed.values_list("pk", flat=True):
        meets = attendance_meets_rule(
            attended=attended.get(enrollment_id, 0),
            total=len(sessions),
            percent=course.completion_percent,
        )
        (completed if meets else not_completed).append(enrollment_id)
    decided_at = sessions[-1].end + timedelta(hours=1)
    Enrollment.objects.filter(pk__in=completed).update(
        status=Enrollment.Status.COMPLETED, decided_at=decided_at
    )
    Enrollment.objects.filter(pk__in=not_completed).update(
        status=Enrollment.Status.NOT_COMPLETED, decided_at=decided_at
    )
    CourseSeats.objects.filter(course=course).update(completion_decided_at=decided_at)


def demo_enrollment_seed(*, report: SeedReport, **kwargs) -> None:
    """Receiver of courses.demo.demo_data_seeded."""
    rng = random.Random(SEED)
    learners = demo_learners_setup(rng, report)
    demo_enrollments_setup(rng, learners, report)
    demo_certificates_setup(report)


def _demo_citizen(report: SeedReport) -> Learner | None:
    """A citizen's account (username `learner`) for a demo learner who completed a course, so
    /my/ shows certificates. Existing accounts keep their passwords."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_CITIZEN_USERNAME).first()
    if user is not None:
        report.count("citizen accounts", created=False)
        return Learner.objects.filter(user=user).first()
    learner = (
        Learner.objects.filter(
            phone__startswith=DEMO_PHONE_PREFIX,
            user__isnull=True,
            enrollments__status=Enrollment.Status.COMPLETED,
        )
        .exclude(email="")
        .order_by("pk")
        .first()
    )
    if learner is None:
        return None
    user = user_model.objects.create(
        username=DEMO_CITIZEN_USERNAME,
        email=learner.email,
        first_name=learner.name,
        password=make_password(DEMO_CITIZEN_PASSWORD),
    )
    learner.user = user
    # An invented number nobody can receive a code on: marked verified so sign-in works.
    learner.phone_verified_at = timezone.now()
    learner.save(update_fields=["user", "phone_verified_at"])
    report.count("citizen accounts", created=True)
    return learner


def demo_certificates_setup(report: SeedReport) -> None:
    """Certificates for the demo citizen's completed courses and a few other demo learners,
    issued through the real service (rendered and stored)."""
    citizen = _demo_citizen(report)
    demo_certificates = Certificate.objects.filter(
        enrollment__learner__phone__startswith=DEMO_PHONE_PREFIX
    )
    if demo_certificates.exists():
        report.count("certificates", created=False, number=demo_certificates.count())
        return
    completed = Enrollment.objects.filter(
        status=Enrollment.Status.COMPLETED,
        learner__phone__startswith=DEMO_PHONE_PREFIX,
        certificates__isnull=True,
    ).select_related("learner", "course")
    chosen = list(completed.filter(learner=citizen)) if citizen else []
    chosen += list(completed.exclude(learner=citizen).order_by("pk")[:DEMO_CERTIFICATES])
    issued = sum(certificate_issue(enrollment=enrollment)[1] for enrollment in chosen)
    report.count("certificates", created=True, number=issued)
