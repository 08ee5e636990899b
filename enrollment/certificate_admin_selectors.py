"""Reads for the certificate screens in the admin.

Who reaches what is decided here, never in a template: an instructor reaches the certificates
of the courses they teach, an administrator every course; counter staff reach a learner's
valid certificates to print them at the counter, nothing else. Views look objects up inside
these querysets, so anything outside them answers 404, like something that does not exist."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import (
    Count,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from courses.models import CoursePage, CourseSession
from courses.roles import user_is_administrator, user_is_instructor

from .models import Certificate, CertificateEvent, Enrollment, Learner
from .staff_selectors import User, courses_for_roster, user_may_use_counter

Status = Enrollment.Status
CertificateStatus = Certificate.Status

# Enrollments whose completion has been decided: the rows of a course's certificate page.
DECIDED = (Status.COMPLETED, Status.NOT_COMPLETED)


def user_may_issue_certificates(*, user: User) -> bool:
    """Instructors (for their own courses) and administrators issue certificates."""
    return user_is_administrator(user) or (user.is_active and user_is_instructor(user))


def user_may_manage_certificates(*, user: User) -> bool:
    """Re-issuing, revoking and previewing the design are for administrators only: they
    change what a citizen holds, and the design is the city's, not a course's."""
    return user_is_administrator(user)


def courses_for_certificates(*, user: User) -> QuerySet[CoursePage]:
    """Courses whose certificates the user may see and issue: as for the roster (an
    instructor's own courses, every course for an administrator)."""
    if not user_may_issue_certificates(user=user):
        return CoursePage.objects.none()
    return courses_for_roster(user=user)


def _count_per_course(rows: QuerySet, course_field: str) -> Coalesce:
    """The number of `rows` of the outer course, as a subquery (no join multiplies rows)."""
    counted = rows.order_by().values(course_field).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def certificate_course_list(
    *, user: User, search: str = "", now: datetime | None = None
) -> QuerySet[CoursePage]:
    """The user's courses that have something to certify: the last session has ended or
    completion is decided for someone. Most recently finished first; each course carries
    its number of completed learners and of valid certificates. One query, however many
    courses and learners."""
    now = now or timezone.now()
    last_end = (
        CourseSession.objects.filter(page=OuterRef("pk"))
        .order_by()
        .values("page")
        .annotate(last=Max("end"))
        .values("last")[:1]
    )
    completed = Enrollment.objects.filter(course=OuterRef("pk"), status=Status.COMPLETED)
    valid = Certificate.objects.filter(
        enrollment__course=OuterRef("pk"), status=CertificateStatus.VALID
    )
    courses = courses_for_certificates(user=user).annotate(
        last_end=Subquery(last_end),
        completed_count=_count_per_course(completed, "course"),
        certified_count=_count_per_course(valid, "enrollment__course"),
    )
    if search := search.strip():
        courses = courses.filter(title__icontains=search)
    return courses.filter(Q(last_end__lt=now) | Q(completed_count__gt=0)).order_by(
        F("last_end").desc(nulls_last=True), "-pk"
    )


@dataclass
class CertificateRow:
    """A learner whose completion is decided, with the certificate they hold now (valid or
    revoked; None if never issued) and how many earlier ones were superseded."""

    enrollment_id: int
    name: str
    other_name: str
    completed: bool
    current: Certificate | None = None
    superseded: list[Certificate] = field(default_factory=list)

    @property
    def can_issue(self) -> bool:
        return self.completed and self.current is None

    @property
    def holds_valid(self) -> bool:
        return self.current is not None and self.current.status == CertificateStatus.VALID


def certificate_rows_for_course(*, course: CoursePage) -> list[CertificateRow]:
    """Every learner of the course whose completion is decided (completed first, then not
    completed, by name) with their certificates. Two queries whatever the course's size;
    only names are read from the learner."""
    enrollments = (
        Enrollment.objects.filter(course=course, status__in=DECIDED)
        .order_by("learner__name", "pk")
        .values("pk", "status", "learner__name", "learner__alternate_name")
    )
    rows = {
        e["pk"]: CertificateRow(
            enrollment_id=e["pk"],
            name=e["learner__name"],
            other_name=e["learner__alternate_name"],
            completed=e["status"] == Status.COMPLETED,
        )
        for e in enrollments
    }
    certificates = Certificate.objects.filter(enrollment_id__in=list(rows)).order_by(
        "-issued_at", "-pk"
    )
    for certificate in certificates:
        row = rows[certificate.enrollment_id]
        if certificate.status == CertificateStatus.SUPERSEDED:
            row.superseded.append(certificate)
        else:
            row.current = certificate
    return sorted(rows.values(), key=lambda row: not row.completed)


def certificate_counts(*, rows: list[CertificateRow]) -> dict[str, int]:
    return {
        "completed": sum(1 for row in rows if row.completed),
        "not_completed": sum(1 for row in rows if not row.completed),
        "valid": sum(1 for row in rows if row.holds_valid),
        "missing": sum(1 for row in rows if row.can_issue),
        "revoked": sum(
            1 for row in rows if row.current and row.current.status == CertificateStatus.REVOKED
        ),
    }


def enrollments_for_certificates(*, course: CoursePage) -> QuerySet[Enrollment]:
    """The course's enrollments whose completion is decided (the certificate page's rows)."""
    return Enrollment.objects.filter(course=course, status__in=DECIDED).select_related("learner")


def certificates_of_course(*, course: CoursePage) -> QuerySet[Certificate]:
    return Certificate.objects.filter(enrollment__course=course).select_related(
        "enrollment__learner"
    )


def certificate_history(*, enrollment: Enrollment) -> list[Certificate]:
    """Every certificate of an enrollment, newest first, each with its events (oldest first)
    and who did them. Two queries."""
    events = CertificateEvent.objects.select_related("actor").order_by("at", "pk")
    return list(
        Certificate.objects.filter(enrollment=enrollment)
        .select_related("replaced_by")
        .prefetch_related(Prefetch("events", queryset=events))
        .order_by("-issued_at", "-pk")
    )


def certificates_for_counter(*, user: User) -> QuerySet[Certificate]:
    """Certificates counter staff and administrators may print for a learner at the counter:
    valid ones only (a revoked or superseded certificate is never handed out again)."""
    if not user_may_use_counter(user=user):
        return Certificate.objects.none()
    return Certificate.objects.filter(status=CertificateStatus.VALID)


def learner_valid_certificates(*, learner: Learner) -> list[Certificate]:
    """A learner's valid certificates, newest first, for the counter. What they show is the
    certificate's own snapshot, so no course or learner row is read."""
    return list(
        Certificate.objects.filter(enrollment__learner=learner, status=CertificateStatus.VALID)
        .only("pk", "code", "course_title", "issued_at", "learner_name", "status")
        .order_by("-issued_at", "-pk")
    )
