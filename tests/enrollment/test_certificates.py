"""Certificates: issuing, re-issuing, revoking, the PDF read back, tasks and the sweep."""

from __future__ import annotations

import io
import threading
from datetime import UTC, datetime
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from wagtail.models import Site

import pytest
from pypdf import PdfReader

from enrollment import tasks
from enrollment.attendance import attendance_record, course_completion_decide
from enrollment.certificate_selectors import enrollments_lacking_certificate
from enrollment.certificates import (
    certificate_html,
    certificate_issue,
    certificate_pdf,
    certificate_print_recorded,
    certificate_reissue,
    certificate_revoke,
    certificate_sample_pdf,
    certificate_settings_for,
    certificates_issue_for_course,
    enrollment_attended,
    hours_display,
)
from enrollment.exceptions import (
    CertificateNotAvailable,
    CertificateReasonRequired,
    CertificateRevoked,
    CertificateSuperseded,
)
from enrollment.models import Certificate, CertificateEvent, CertificateSettings, Enrollment
from enrollment.pdf import qr_svg
from tests.enrollment.staff import course_with_sessions, enroll
from tests.enrollment.test_slip import font_names, has_cjk_font, page_size, text_of
from tests.factories import AdministratorFactory, VenueFactory
from tests.factories.courses import taipei

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not has_cjk_font(),
        reason='the "Noto Serif CJK TC" font is not installed (run `make fonts` as root)',
    ),
]

Status = Certificate.Status
Action = CertificateEvent.Action
A4_LANDSCAPE = (841.9, 595.3)
# Three two-hour sessions in October 2026 (Taipei), then the decision.
SESSIONS = [taipei(2026, 10, 6, 9, 30), taipei(2026, 10, 13, 9, 30), taipei(2026, 10, 20, 9, 30)]
AFTER = taipei(2026, 10, 27)


@pytest.fixture
def course(catalogue):
    venue = VenueFactory(name="板橋區公所 第二會議室", name_en="Banqiao District Office")
    return course_with_sessions(
        catalogue, title="長輩手機入門：LINE 視訊", venue=venue, starts=SESSIONS, hours=2
    )


def completed(course, *, present: int = 3, **learner_kwargs) -> Enrollment:
    """An enrollment marked present at the first `present` sessions and decided COMPLETED
    quietly (no signal), so each test issues the certificate itself."""
    enrollment = enroll(course, **learner_kwargs)
    sessions = list(course.sessions.order_by("start"))
    for index, session in enumerate(sessions):
        attendance_record(
            enrollment=enrollment, session=session, present=index < present, now=AFTER
        )
    Enrollment.objects.filter(pk=enrollment.pk).update(
        status=Enrollment.Status.COMPLETED, decided_at=AFTER
    )
    enrollment.refresh_from_db()
    return enrollment


def pdf_of(certificate: Certificate) -> bytes:
    with certificate.pdf.open("rb") as stored:
        return stored.read()


def normalised_fonts(pdf: bytes) -> set[str]:
    return {name.replace("-", "").replace(" ", "") for name in font_names(pdf)}


# --- the PDF --------------------------------------------------------------------------------


def test_certificate_shows_a_chinese_name_exactly_with_an_embedded_traditional_chinese_font(
    course,
):
    enrollment = completed(course, name="王曉明")

    certificate, created = certificate_issue(enrollment=enrollment)

    assert created
    pdf = pdf_of(certificate)
    text = text_of(pdf)
    assert "王曉明" in text
    assert "長輩手機入門：LINE 視訊" in text
    assert "結業證書" in text and "Certificate of Completion" in text
    assert certificate.display_code in text
    assert "6 小時" in text and "6 hours" in text
    assert "2026 年 10 月 6 日 至 2026 年 10 月 20 日" in text
    assert "板橋區公所 第二會議室" in text
    fonts = normalised_fonts(pdf)  # font_names also asserts every font is embedded
    assert any("NotoSerifCJKTC" in name for name in fonts), fonts
    assert not any("JP" in name for name in fonts), fonts
    assert len(pdf) < 500 * 1024
    assert page_size(pdf) == A4_LANDSCAPE
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize(
    ("name", "other_name"),
    [("Watan Tanga", "瓦旦・達尬"), ("Nguyễn Thị Lan", "阮氏蘭"), ("Sakinu Ya'ronglong", "")],
)
def test_certificate_shows_indigenous_and_vietnamese_names_without_missing_glyphs(
    course, name, other_name
):
    enrollment = completed(course, name=name, alternate_name=other_name)

    certificate, _ = certificate_issue(enrollment=enrollment)

    pdf = pdf_of(certificate)
    text = text_of(pdf)
    assert name in text
    assert other_name in text
    assert "\ufffd" not in text  # a glyph with no character behind it (.notdef)
    assert len(pdf) < 500 * 1024


def test_certificate_qr_code_leads_to_the_public_verification_page(course, settings):
    certificate, _ = certificate_issue(enrollment=completed(course))
    issuer = certificate_settings_for(Site.objects.get(is_default_site=True))

    html = certificate_html(certificate=certificate, issuer=issuer)

    assert certificate.verify_url == (
        f"http://testserver/certificates/verify/{certificate.display_code}/"
    )
    assert qr_svg(certificate.verify_url) in html
    assert 'font-family: "Noto Serif CJK TC"' in html


def test_certificate_prints_the_sites_issuer_wording_and_signatory(course):
    site = Site.objects.get(is_default_site=True)
    CertificateSettings.objects.update_or_create(
        site=site,
        defaults={
            "issuer_name": "新北市立圖書館",
            "issuer_name_en": "New Taipei City Library",
            "wording_above": "茲證明",
            "wording_above_en": "We hereby certify that",
            "signatory_name": "林美華",
            "signatory_title": "館長",
        },
    )

    certificate, _ = certificate_issue(enrollment=completed(course))

    text = text_of(pdf_of(certificate))
    assert certificate.issuer_name == "新北市立圖書館"
    for words in ("新北市立圖書館", "New Taipei City Library", "茲證明", "館長 林美華"):
        assert words in text
    assert "We hereby certify" in text


def test_sample_certificate_uses_the_site_settings_and_is_not_stored(catalogue):
    site = Site.objects.get(is_default_site=True)
    CertificateSettings.objects.update_or_create(site=site, defaults={"issuer_name": "測試機關"})

    pdf = certificate_sample_pdf(site=site)

    text = text_of(pdf)
    assert "王小明" in text and "Watan Tanga" in text
    assert "測試機關" in text
    assert "SAMPLE" in text
    assert Certificate.objects.count() == 0
    assert any("NotoSerifCJKTC" in name for name in normalised_fonts(pdf))


def test_hours_count_only_sessions_the_learner_was_present_at(course):
    enrollment = completed(course, present=2)

    attended = enrollment_attended(enrollment=enrollment)

    assert attended.hours == Decimal("4.00")
    assert (attended.first_day.isoformat(), attended.last_day.isoformat()) == (
        "2026-10-06",
        "2026-10-20",
    )


@pytest.mark.parametrize(
    ("hours", "shown"), [("6.00", "6"), ("7.50", "7.5"), ("1.25", "1.25"), ("10", "10")]
)
def test_hours_are_shown_without_trailing_zeros(hours, shown):
    assert hours_display(Decimal(hours)) == shown


def test_a_lost_pdf_file_is_rendered_again_from_the_snapshot(course):
    certificate, _ = certificate_issue(enrollment=completed(course, name="陳阿土"))
    certificate.pdf.storage.delete(certificate.pdf.name)

    pdf = certificate_pdf(certificate)

    assert "陳阿土" in text_of(pdf)
    assert certificate.pdf.storage.exists(certificate.pdf.name)


# --- issuing ----------------------------------------------------------------------------------


def test_issuing_twice_returns_the_same_certificate_and_changes_nothing(course):
    enrollment = completed(course)
    first, created = certificate_issue(enrollment=enrollment)

    again, created_again = certificate_issue(enrollment=enrollment)

    assert created and not created_again
    assert again.pk == first.pk
    assert Certificate.objects.count() == 1
    assert list(first.events.values_list("action", flat=True)) == [Action.ISSUED]


@pytest.mark.parametrize("status", ["confirmed", "not_completed", "cancelled", "waitlisted"])
def test_only_a_completed_enrollment_gets_a_certificate(course, status):
    enrollment = enroll(course)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=status)

    with pytest.raises(CertificateNotAvailable):
        certificate_issue(enrollment=enrollment)
    assert Certificate.objects.count() == 0


def test_the_database_refuses_a_second_current_certificate(course):
    certificate, _ = certificate_issue(enrollment=completed(course))
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            enrollment=certificate.enrollment,
            learner_name="x",
            course_title="x",
            hours=1,
            issuer_name="x",
        )


def test_codes_are_twenty_crockford_characters_shown_in_groups_of_four(course):
    certificate, _ = certificate_issue(enrollment=completed(course))

    assert len(certificate.code) == 20
    assert set(certificate.code) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert certificate.display_code.replace("-", "") == certificate.code
    assert [len(group) for group in certificate.display_code.split("-")] == [4] * 5


def test_completing_a_course_issues_the_certificates_of_those_who_completed(
    course, django_capture_on_commit_callbacks
):
    passed = enroll(course, name="林阿美")
    failed = enroll(course)
    sessions = list(course.sessions.order_by("start"))
    for session in sessions:
        attendance_record(enrollment=passed, session=session, present=True, now=AFTER)
    attendance_record(enrollment=failed, session=sessions[0], present=True, now=AFTER)

    with django_capture_on_commit_callbacks(execute=True):
        course_completion_decide(course=course, now=AFTER)  # Celery runs eagerly in tests

    certificate = Certificate.objects.get()
    assert certificate.enrollment_id == passed.pk
    assert "林阿美" in text_of(pdf_of(certificate))


# --- re-issuing, revoking, printing ---------------------------------------------------------


def test_reissue_after_a_name_correction_supersedes_the_old_certificate(course):
    admin = AdministratorFactory()
    enrollment = completed(course, name="王小名")
    old, _ = certificate_issue(enrollment=enrollment)
    enrollment.learner.name = "王小明"
    enrollment.learner.save()

    new = certificate_reissue(certificate=old, actor=admin, reason="Name misspelt at the counter")

    old.refresh_from_db()
    assert old.status == Status.SUPERSEDED and old.superseded_at is not None
    assert old.replaced_by_id == new.pk
    assert new.status == Status.VALID and new.code != old.code
    assert new.learner_name == "王小明" and old.learner_name == "王小名"
    assert "王小明" in text_of(pdf_of(new))
    assert list(old.events.values_list("action", "reason", "actor")) == [
        (Action.ISSUED, "", None),
        (Action.SUPERSEDED, "Name misspelt at the counter", admin.pk),
    ]
    assert list(new.events.values_list("action", "reason", "actor")) == [
        (Action.REISSUED, "Name misspelt at the counter", admin.pk)
    ]


def test_a_superseded_certificate_cannot_be_reissued_or_revoked_again(course):
    old, _ = certificate_issue(enrollment=completed(course))
    certificate_reissue(certificate=old, actor=None, reason="typo")

    with pytest.raises(CertificateSuperseded):
        certificate_reissue(certificate=old, actor=None, reason="typo")
    with pytest.raises(CertificateSuperseded):
        certificate_revoke(certificate=old, actor=None, reason="typo")
    assert Certificate.objects.count() == 2


def test_revoking_needs_a_reason_and_is_recorded(course):
    admin = AdministratorFactory()
    certificate, _ = certificate_issue(enrollment=completed(course))

    with pytest.raises(CertificateReasonRequired):
        certificate_revoke(certificate=certificate, actor=admin, reason="   ")
    certificate.refresh_from_db()
    assert certificate.status == Status.VALID

    revoked = certificate_revoke(certificate=certificate, actor=admin, reason="Attendance forged")

    assert revoked.status == Status.REVOKED
    assert revoked.revoked_by == admin and revoked.revoked_reason == "Attendance forged"
    assert revoked.events.filter(action=Action.REVOKED, actor=admin).exists()


def test_a_revoked_certificate_cannot_be_reissued_nor_issued_again(course):
    certificate, _ = certificate_issue(enrollment=completed(course))
    certificate_revoke(certificate=certificate, actor=None, reason="Attendance forged")

    with pytest.raises(CertificateRevoked):
        certificate_reissue(certificate=certificate, actor=None, reason="please")
    again, created = certificate_issue(enrollment=certificate.enrollment)
    assert not created and again.status == Status.REVOKED
    assert enrollments_lacking_certificate() == []


def test_reissuing_needs_a_reason(course):
    certificate, _ = certificate_issue(enrollment=completed(course))
    with pytest.raises(CertificateReasonRequired):
        certificate_reissue(certificate=certificate, actor=None, reason="")
    assert Certificate.objects.count() == 1


def test_printing_is_recorded_in_the_history(course):
    staff = AdministratorFactory()
    certificate, _ = certificate_issue(enrollment=completed(course))

    certificate_print_recorded(certificate=certificate, actor=staff)

    assert certificate.events.filter(action=Action.PRINTED, actor=staff).count() == 1


# --- tasks and the sweep --------------------------------------------------------------------


def test_issue_task_is_idempotent(course):
    enrollment = completed(course)

    assert tasks.certificate_issue_task.delay(enrollment.pk).get() is True
    assert tasks.certificate_issue_task.delay(enrollment.pk).get() is False
    assert tasks.certificate_issue_task.delay(999_999).get() is False
    assert Certificate.objects.filter(enrollment=enrollment).count() == 1


def test_issue_task_retries_on_transient_errors_and_acks_late():
    task = tasks.certificate_issue_task
    assert task.acks_late is True
    assert OSError in task.autoretry_for
    assert task.max_retries >= 3


def test_sweep_issues_certificates_a_lost_task_never_made(course, monkeypatch):
    done = completed(course)
    certificate_issue(enrollment=done)
    lost = completed(course)
    fresh = completed(course)
    Enrollment.objects.filter(pk=fresh.pk).update(decided_at=timezone.now())

    swept = tasks.certificates_sweep.delay().get()

    # The fresh completion is left to the receiver's own task for a few minutes.
    assert swept == 1
    assert Certificate.objects.filter(enrollment=lost).count() == 1
    assert not Certificate.objects.filter(enrollment=fresh).exists()
    assert Certificate.objects.filter(enrollment=done).count() == 1


def test_a_dead_broker_loses_no_certificate(
    course, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    enrollment = completed(course)

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.certificate_issue_task, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            queued = certificates_issue_for_course(course=course)
    assert queued == 1
    assert not Certificate.objects.exists()
    assert "sweep will issue it" in caplog.text

    tasks.certificates_sweep.delay().get()
    assert Certificate.objects.filter(enrollment=enrollment, status=Status.VALID).count() == 1


def test_issue_for_course_queues_after_commit_only_those_without_a_certificate(
    course, django_capture_on_commit_callbacks
):
    has_one = completed(course)
    certificate_issue(enrollment=has_one)
    completed(course)
    completed(course)
    enroll(course)  # still confirmed

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queued = certificates_issue_for_course(course=course)
    assert queued == 2
    assert Certificate.objects.count() == 1  # nothing before the commit

    for callback in callbacks:
        callback()
    assert Certificate.objects.filter(status=Status.VALID).count() == 3


# --- concurrency (PostgreSQL) ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_issuing_the_same_enrollment_make_one_certificate(on_postgresql, catalogue):
    course = course_with_sessions(catalogue, starts=SESSIONS)
    enrollment = completed(course, name="Watan Tanga")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def work():
        try:
            barrier.wait()
            results.append(certificate_issue(enrollment=enrollment))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(created for _, created in results) == [False, True]
    assert {certificate.pk for certificate, _ in results} == {
        Certificate.objects.get(enrollment=enrollment).pk
    }
    assert CertificateEvent.objects.filter(action=Action.ISSUED).count() == 1


def test_issue_date_is_printed_in_taipei_time(course):
    certificate, _ = certificate_issue(enrollment=completed(course))
    # 23:30 UTC on 31 Dec is already 1 January in Taipei.
    certificate.issued_at = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    html = certificate_html(
        certificate=certificate,
        issuer=certificate_settings_for(Site.objects.get(is_default_site=True)),
    )
    assert "2027 年 1 月 1 日" in html


def test_a_long_course_title_and_names_still_fit_on_one_page(catalogue):
    title = (
        "銀髮族智慧型手機進階應用：網路購物、行動支付、防詐騙與雲端相簿整理實作班"
        "（第二期，Smartphone skills for seniors）"
    )
    course = course_with_sessions(catalogue, title=title, starts=SESSIONS)
    enrollment = completed(course, name="Nguyễn Thị Thanh Hương", alternate_name="阮氏清香")

    certificate, _ = certificate_issue(enrollment=enrollment)

    pdf = pdf_of(certificate)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Nguyễn Thị Thanh Hương" in text_of(pdf)
