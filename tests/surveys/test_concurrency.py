"""Double submits and parallel senders on PostgreSQL: real threads, real row locks."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core import mail
from django.db import connections

import pytest

from enrollment.models import Enrollment
from surveys.exceptions import AlreadyAnswered
from surveys.models import Response
from surveys.services import invitation_create, invitation_email_send, response_submit

from .conftest import seat_holder

pytestmark = [
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="needs PostgreSQL row locks (set DATABASE_URL); SQLite serialises all writers",
    ),
    # serialized_rollback: keep migration data for the tests that follow the flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
THREADS = 8


def run_together(call, times: int) -> list:
    barrier = threading.Barrier(times)

    def run(_n):
        try:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=10)
            return call()
        except AlreadyAnswered as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(run, range(times)))


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "named"])
def test_simultaneous_submits_store_one_response(ended_course, default_survey, anonymous):
    default_survey.anonymous = anonymous
    default_survey.save()
    invitation, _created = invitation_create(
        enrollment=seat_holder(ended_course, Enrollment.Status.COMPLETED)
    )
    answers = {q.pk: 5 for q in default_survey.questions.filter(kind="likert")}
    answers.update({q.pk: 10 for q in default_survey.questions.filter(kind="recommend")})

    results = run_together(lambda: response_submit(invitation=invitation, answers=answers), THREADS)

    assert sum(isinstance(r, Response) for r in results) == 1
    assert sum(isinstance(r, AlreadyAnswered) for r in results) == THREADS - 1
    assert Response.objects.count() == 1


def test_parallel_senders_send_one_email(ended_course):
    invitation, _created = invitation_create(
        enrollment=seat_holder(ended_course, Enrollment.Status.COMPLETED)
    )

    results = run_together(lambda: invitation_email_send(invitation_id=invitation.pk), THREADS)

    assert results.count("sent") == 1
    # (The enrollment's own confirmation went out too: this test commits.)
    assert len([m for m in mail.outbox if "/surveys/" in m.body]) == 1
