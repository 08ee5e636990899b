"""Registration rush on PostgreSQL: real threads, real row locks, then count the rows."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, connections

import pytest

from courses.models import CourseSeats
from enrollment.models import Enrollment
from enrollment.services import enrollment_cancel, enrollment_create, waitlist_position
from tests.factories import CoursePageFactory, LearnerFactory

# serialized_rollback: the flush after each test would otherwise drop migration data
# (districts, target groups, the root page) for the tests that follow. The last flush still
# empties a kept test database: run with --create-db after these tests (make test does).
pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL row locks (set DATABASE_URL); SQLite serialises all writers",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
WORKERS = 40  # concurrent database connections (PostgreSQL allows 100 by default)


def run_concurrently(calls):
    """Run every call on a pool of threads that start together; each closes its connection."""
    barrier = threading.Barrier(min(WORKERS, len(calls)))

    def run(call):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(run, calls))


def test_200_simultaneous_enrollments_for_20_seats_never_oversell(catalogue):
    course = CoursePageFactory(parent=catalogue, capacity=20)
    learners = [LearnerFactory() for _ in range(200)]

    results = run_concurrently(
        [
            lambda learner=learner: enrollment_create(learner=learner, course=course)
            for learner in learners
        ]
    )

    assert len(results) == 200
    statuses = [e.status for e in Enrollment.objects.filter(course=course)]
    assert statuses.count(Enrollment.Status.CONFIRMED) == 20
    assert statuses.count(Enrollment.Status.WAITLISTED) == 180
    waiting = Enrollment.objects.filter(course=course, status=Enrollment.Status.WAITLISTED)
    positions = sorted(waitlist_position(enrollment=e) for e in waiting)
    assert positions == list(range(1, 181))  # gapless
    seats = CourseSeats.objects.get(course=course)
    assert (seats.general_taken, seats.waitlisted) == (20, 180)


def test_double_clicks_from_one_learner_create_one_enrollment(catalogue):
    course = CoursePageFactory(parent=catalogue, capacity=5)
    learner = LearnerFactory()
    results = run_concurrently(
        [lambda: enrollment_create(learner=learner, course=course) for _ in range(20)]
    )
    assert len({e.pk for e in results}) == 1
    assert Enrollment.objects.filter(course=course).count() == 1
    assert CourseSeats.objects.get(course=course).general_taken == 1


def test_cancellations_racing_enrollments_end_consistent(catalogue):
    course = CoursePageFactory(parent=catalogue, capacity=10)
    holders = [enrollment_create(learner=LearnerFactory(), course=course) for _ in range(10)]
    newcomers = [LearnerFactory() for _ in range(30)]
    calls = [lambda e=e: enrollment_cancel(enrollment=e) for e in holders[:5]]
    calls += [
        lambda learner=learner: enrollment_create(learner=learner, course=course)
        for learner in newcomers
    ]

    run_concurrently(calls)

    live = Enrollment.objects.filter(course=course)
    confirmed = live.filter(status=Enrollment.Status.CONFIRMED).count()
    waitlisted = live.filter(status=Enrollment.Status.WAITLISTED).count()
    assert confirmed == 10  # every freed seat was filled, none oversold
    assert waitlisted == 30 - 5
    seats = CourseSeats.objects.get(course=course)
    assert (seats.general_taken, seats.waitlisted) == (confirmed, waitlisted)
    assert connection.vendor == "postgresql"
