"""Certificates in the Wagtail admin: who reaches what (a URL × role matrix), issuing for a
whole course and for one learner, re-issuing after a name correction and revoking (each with
a required reason and an audit row), the design's preview, and printing at the counter."""

import io
from datetime import timedelta

from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page, Site

import pytest
from pypdf import PdfReader

from courses.roles import COUNTER_STAFF
from enrollment.certificates import certificate_issue, certificate_revoke
from enrollment.models import Certificate, CertificateEvent, CertificateSettings, Enrollment
from tests.enrollment.staff import counter_staff_user, course_with_sessions, enroll
from tests.factories import AdministratorFactory, InstructorFactory, LearnerFactory, UserFactory

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Status = Enrollment.Status
Action = CertificateEvent.Action
ADMIN = "/admin/enrollment/certificates/"


@pytest.fixture
def instructor(catalogue):
    return InstructorFactory(username="teacher_a")


@pytest.fixture
def other_instructor(catalogue):
    return InstructorFactory(username="teacher_b")


def finished_course(catalogue, **kwargs):
    """A course whose three sessions were held last month."""
    start = timezone.now().replace(microsecond=0) - timedelta(days=30)
    return course_with_sessions(
        catalogue, starts=[start, start + timedelta(weeks=1), start + timedelta(weeks=2)], **kwargs
    )


def decided(course, status=Status.COMPLETED, *, learner=None, **learner_kwargs) -> Enrollment:
    """An enrollment whose completion is decided (set directly: the completion rule and its
    signal are tested with attendance, and would issue certificates on their own)."""
    enrollment = enroll(course, learner, **learner_kwargs)
    Enrollment.objects.filter(pk=enrollment.pk).update(status=status, decided_at=timezone.now())
    enrollment.refresh_from_db()
    return enrollment


def certificate_row(enrollment, status=Certificate.Status.VALID) -> Certificate:
    """A certificate row without its PDF, for tests about who reaches what (rendering is
    tested where it matters)."""
    extra = {}
    if status == Certificate.Status.REVOKED:
        extra = {"revoked_at": timezone.now(), "revoked_reason": "test"}
    return Certificate.objects.create(
        enrollment=enrollment,
        status=status,
        learner_name=enrollment.learner.name,
        course_title=enrollment.course.title,
        hours="6",
        issuer_name="新北市政府",
        **extra,
    )


def course_url(course) -> str:
    return f"{ADMIN}{course.pk}/"


def learner_url(enrollment) -> str:
    return f"{course_url(enrollment.course)}learners/{enrollment.pk}/"


def certificate_url(certificate, action: str) -> str:
    course = certificate.enrollment.course
    return f"{course_url(course)}certificates/{certificate.pk}/{action}"


def counter_print_url(certificate) -> str:
    return f"/admin/enrollment/counter/certificates/{certificate.pk}/print/"


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- who reaches what -----------------------------------------------------------------------

URLS = {
    "index": lambda c: ADMIN,
    "preview": lambda c: f"{ADMIN}preview.pdf",
    "course": lambda c: course_url(c.enrollment.course),
    "issue all": lambda c: course_url(c.enrollment.course) + "issue/",
    "history": lambda c: learner_url(c.enrollment),
    "pdf": lambda c: certificate_url(c, "certificate.pdf"),
    "re-issue": lambda c: certificate_url(c, "reissue/"),
    "revoke": lambda c: certificate_url(c, "revoke/"),
}
# The course belongs to "owner". "refused": Wagtail sends the user back to the dashboard.
EXPECTED = {
    "anonymous": dict.fromkeys(URLS, "login"),
    "citizen": dict.fromkeys(URLS, "login"),
    "other instructor": {
        "index": 200,  # lists only their own courses (tested below)
        "preview": "refused",
        **dict.fromkeys(["course", "issue all", "history", "pdf", "re-issue", "revoke"], 404),
    },
    "owner": {
        **dict.fromkeys(["index", "course", "issue all", "history", "pdf"], 200),
        # Re-issuing, revoking and the design are for administrators.
        **dict.fromkeys(["preview", "re-issue", "revoke"], "refused"),
    },
    "counter staff": {
        **dict.fromkeys(["index", "preview"], "refused"),
        **dict.fromkeys(["course", "issue all", "history", "pdf", "re-issue", "revoke"], 404),
    },
    "administrator": dict.fromkeys(URLS, 200),
}


def user_for(role, owner):
    return {
        "anonymous": lambda: None,
        "citizen": UserFactory,  # an ordinary citizen's account: no admin access
        "other instructor": InstructorFactory,
        "owner": lambda: owner,
        "counter staff": counter_staff_user,
        "administrator": AdministratorFactory,
    }[role]()


def assert_answer(response, expected):
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
    elif expected == "refused":
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("name", list(URLS))
def test_url_role_matrix(client, catalogue, instructor, role, name):
    course = finished_course(catalogue, instructor=instructor, title="長輩 LINE 入門")
    certificate = certificate_row(decided(course))
    user = user_for(role, instructor)
    if user is not None:
        client.force_login(user)

    response = client.get(URLS[name](certificate))

    assert_answer(response, EXPECTED[role][name])
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert (course.title in response.content.decode()) == (role in ("owner", "administrator"))


@pytest.mark.parametrize(
    "role,expected",
    [
        ("anonymous", "login"),
        ("citizen", "login"),
        ("other instructor", 404),
        ("owner", 404),  # instructors do not print at the counter
        ("counter staff", 200),
        ("administrator", 200),
    ],
)
def test_counter_print_by_role(client, catalogue, instructor, role, expected):
    course = finished_course(catalogue, instructor=instructor)
    certificate, _created = certificate_issue(enrollment=decided(course))
    user = user_for(role, instructor)
    if user is not None:
        client.force_login(user)

    response = client.post(counter_print_url(certificate))

    assert_answer(response, expected)
    printed = CertificateEvent.objects.filter(certificate=certificate, action=Action.PRINTED)
    assert printed.exists() == (expected == 200)


def test_issuing_one_learner_is_refused_outside_ones_own_courses(
    client, catalogue, instructor, other_instructor
):
    enrollment = decided(finished_course(catalogue, instructor=other_instructor))
    for user in (instructor, counter_staff_user()):
        client.force_login(user)
        response = client.post(learner_url(enrollment) + "issue/")
        assert response.status_code == 404
    assert not Certificate.objects.exists()


def test_index_lists_only_the_instructors_finished_courses(
    client, catalogue, instructor, other_instructor
):
    mine = finished_course(catalogue, instructor=instructor, title="我的已結束課程")
    decided(mine)
    decided(mine, status=Status.NOT_COMPLETED)
    finished_course(catalogue, instructor=other_instructor, title="別人的課")
    start = timezone.now() + timedelta(days=3)
    course_with_sessions(catalogue, instructor=instructor, starts=[start], title="還沒開始的課")
    client.force_login(instructor)

    response = client.get(ADMIN)

    assert [c.title for c in response.context["courses"]] == ["我的已結束課程"]
    html = response.content.decode()
    assert "1 completed" in html
    assert "0 certificates" in html
    assert "Preview certificate" not in html  # the design is the administrators'


def test_index_finds_a_course_by_title_and_offers_the_preview_to_administrators(client, catalogue):
    finished_course(catalogue, title="長輩手機入門")
    finished_course(catalogue, title="Excel 基礎")
    client.force_login(AdministratorFactory())

    response = client.get(ADMIN, {"q": "手機"})

    assert [c.title for c in response.context["courses"]] == ["長輩手機入門"]
    html = response.content.decode()
    assert "Preview certificate" in html
    assert "/admin/settings/enrollment/certificatesettings/" in html


def test_index_reads_a_constant_number_of_queries(
    client, catalogue, instructor, django_assert_max_num_queries
):
    certificate_row(decided(finished_course(catalogue, instructor=instructor)))
    client.force_login(instructor)
    client.get(ADMIN)  # warm Wagtail's per-process caches
    with CaptureQueriesContext(connection) as few:
        client.get(ADMIN)
    for _ in range(5):
        course = finished_course(catalogue, instructor=instructor)
        certificate_row(decided(course))
        decided(course, status=Status.NOT_COMPLETED)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ADMIN)
    assert len(response.context["courses"]) == 6


def test_menu_shows_certificates_to_instructors_and_administrators_only(client, instructor):
    page = "/admin/enrollment/check-in/"  # any admin page: the menu is on each one
    client.force_login(instructor)
    assert ADMIN in client.get(page).content.decode()
    client.force_login(AdministratorFactory())
    assert ADMIN in client.get(page).content.decode()
    client.force_login(counter_staff_user())
    assert ADMIN not in client.get(page).content.decode()


def test_an_instructor_moved_to_the_counter_no_longer_reaches_their_courses(client, catalogue):
    former = InstructorFactory()
    course = finished_course(catalogue, instructor=former)
    former.groups.set([Group.objects.get(name=COUNTER_STAFF)])
    client.force_login(former)

    assert client.get(course_url(course)).status_code == 404
    assert_answer(client.get(ADMIN), "refused")


# --- the course page ------------------------------------------------------------------------


def test_course_page_shows_each_learners_certificate_status(client, catalogue, instructor):
    course = finished_course(catalogue, instructor=instructor)
    none_yet = decided(course, name="陳阿土")
    valid = decided(course, name="王美玲")
    revoked = decided(course, name="Nguyễn Thị Hoa")
    failed = decided(course, status=Status.NOT_COMPLETED, name="Yuraw‧Watan")
    valid_certificate = certificate_row(valid)
    certificate_row(revoked, status=Certificate.Status.REVOKED)
    client.force_login(instructor)

    response = client.get(course_url(course))

    rows = {row.name: row for row in response.context["rows"]}
    assert rows["陳阿土"].can_issue and rows["陳阿土"].current is None
    assert rows["王美玲"].holds_valid and not rows["王美玲"].can_issue
    assert rows["Nguyễn Thị Hoa"].current.status == Certificate.Status.REVOKED
    assert not rows["Nguyễn Thị Hoa"].can_issue  # a revoked certificate is not silently replaced
    assert not rows["Yuraw‧Watan"].completed and not rows["Yuraw‧Watan"].can_issue
    assert response.context["counts"] == {
        "completed": 3,
        "not_completed": 1,
        "valid": 1,
        "missing": 1,
        "revoked": 1,
    }
    html = response.content.decode()
    assert valid_certificate.display_code in html
    assert "Revoked" in html
    assert "no certificate yet" in html
    assert "did not complete" in html
    # Instructors issue; re-issuing and revoking are the administrators'.
    assert f"learners/{none_yet.pk}/issue/" in html
    assert f"learners/{failed.pk}/issue/" not in html
    assert "reissue/" not in html
    assert "revoke/" not in html


def test_course_page_shows_administrators_the_reissue_and_revoke_buttons(client, catalogue):
    course = finished_course(catalogue)
    certificate = certificate_row(decided(course))
    client.force_login(AdministratorFactory())
    html = client.get(course_url(course)).content.decode()
    assert certificate_url(certificate, "reissue/") in html
    assert certificate_url(certificate, "revoke/") in html


def test_course_page_reads_a_constant_number_of_queries(
    client, catalogue, instructor, django_assert_max_num_queries
):
    course = finished_course(catalogue, instructor=instructor)
    client.force_login(instructor)
    certificate_row(decided(course))
    decided(course, status=Status.NOT_COMPLETED)
    client.get(course_url(course))  # warm Wagtail's per-process caches

    with CaptureQueriesContext(connection) as few:
        client.get(course_url(course))
    for _ in range(6):
        certificate_row(decided(course))
        decided(course)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(course_url(course))


# --- issuing --------------------------------------------------------------------------------


def test_bulk_issue_asks_for_confirmation_first(client, catalogue, instructor):
    course = finished_course(catalogue, instructor=instructor)
    decided(course)
    decided(course)
    client.force_login(instructor)

    response = client.get(course_url(course) + "issue/")

    assert "2 learners completed the course and have no certificate yet" in (
        response.content.decode()
    )
    assert not Certificate.objects.exists()


def test_bulk_issue_queues_exactly_the_missing_ones(
    client, catalogue, instructor, django_capture_on_commit_callbacks
):
    course = finished_course(catalogue, instructor=instructor)
    missing = [decided(course), decided(course)]
    holder = decided(course)
    held = certificate_row(holder)
    revoked = certificate_row(decided(course), status=Certificate.Status.REVOKED)
    not_completed = decided(course, status=Status.NOT_COMPLETED)
    others = decided(finished_course(catalogue))
    client.force_login(instructor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(course_url(course) + "issue/", follow=True)

    assert "2 certificates are being issued" in response.content.decode()
    for enrollment in missing:
        certificate = enrollment.certificates.get()
        assert certificate.status == Certificate.Status.VALID
        assert certificate.pdf  # rendered and stored by the task (Celery runs eagerly)
        assert certificate.events.get().action == Action.ISSUED
    assert list(holder.certificates.all()) == [held]
    assert list(revoked.enrollment.certificates.all()) == [revoked]
    assert not not_completed.certificates.exists()
    assert not others.certificates.exists()
    assert Certificate.objects.count() == 4


def test_bulk_issue_says_so_when_there_is_nothing_to_issue(client, catalogue, instructor):
    course = finished_course(catalogue, instructor=instructor)
    certificate_row(decided(course))
    client.force_login(instructor)

    response = client.post(course_url(course) + "issue/", follow=True)

    assert "Everyone who completed the course already has one." in response.content.decode()
    assert Certificate.objects.count() == 1


def test_instructor_issues_one_learners_certificate_with_an_audit_row(
    client, catalogue, instructor
):
    course = finished_course(catalogue, instructor=instructor)
    enrollment = decided(course, name="陳阿土")
    client.force_login(instructor)

    response = client.post(learner_url(enrollment) + "issue/", follow=True)

    certificate = enrollment.certificates.get()
    assert certificate.learner_name == "陳阿土"
    assert certificate.issued_by == instructor
    event = certificate.events.get()
    assert (event.action, event.actor) == (Action.ISSUED, instructor)
    assert "Certificate issued for 陳阿土." in response.content.decode()


def test_issuing_for_a_learner_who_did_not_complete_is_refused(client, catalogue, instructor):
    course = finished_course(catalogue, instructor=instructor)
    enrollment = decided(course, status=Status.NOT_COMPLETED)
    client.force_login(instructor)

    response = client.post(learner_url(enrollment) + "issue/", follow=True)

    assert "only for a course the learner has completed" in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_learner_still_attending_has_no_certificate_row(client, catalogue, instructor):
    course = finished_course(catalogue, instructor=instructor)
    confirmed = enroll(course)
    client.force_login(instructor)
    assert client.post(learner_url(confirmed) + "issue/").status_code == 404
    assert client.get(learner_url(confirmed)).status_code == 404


def test_instructor_downloads_a_valid_certificate_but_not_a_revoked_one(
    client, catalogue, instructor
):
    course = finished_course(catalogue, instructor=instructor)
    certificate, _created = certificate_issue(enrollment=decided(course, name="Watan Tanga"))
    client.force_login(instructor)

    response = client.get(certificate_url(certificate, "certificate.pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert "Watan Tanga" in pdf_text(response.content)
    certificate_revoke(certificate=certificate, actor=None, reason="issued by mistake")
    assert client.get(certificate_url(certificate, "certificate.pdf")).status_code == 404


# --- re-issuing and revoking ----------------------------------------------------------------


@pytest.fixture
def administrator(catalogue):
    return AdministratorFactory(username="city_admin", first_name="林主任")


@pytest.fixture
def issued(catalogue, instructor):
    enrollment = decided(finished_course(catalogue, instructor=instructor), name="陳阿士")
    certificate, _created = certificate_issue(enrollment=enrollment)
    return certificate


@pytest.mark.parametrize("action", ["reissue/", "revoke/"])
@pytest.mark.parametrize("reason", ["", "   "])
def test_reissue_and_revoke_require_a_reason(client, administrator, issued, action, reason):
    client.force_login(administrator)

    response = client.post(certificate_url(issued, action), {"reason": reason})

    assert response.status_code == 200
    assert "Please give the reason. It is kept in the history." in response.content.decode()
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1
    assert list(issued.events.values_list("action", flat=True)) == [Action.ISSUED]


@pytest.mark.parametrize("action", ["reissue/", "revoke/"])
def test_a_refused_reason_is_kept_in_the_form(client, administrator, issued, action):
    client.force_login(administrator)
    typed = "姓名更正：陳阿士 → 陳阿土。" * 80  # over the 1,000 characters allowed

    response = client.post(certificate_url(issued, action), {"reason": typed})

    html = response.content.decode()
    assert "at most 1000 characters" in html
    assert typed in html
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1


def test_reissue_page_offers_the_name_on_record_for_correction(client, administrator, issued):
    client.force_login(administrator)

    response = client.get(certificate_url(issued, "reissue/"))

    assert response.context["form"]["name"].value() == "陳阿士"
    assert "as on the learner's ID card" in response.content.decode()


def test_reissue_with_a_corrected_name_fixes_the_record_and_supersedes_the_old_certificate(
    client, administrator, issued
):
    learner = issued.enrollment.learner
    client.force_login(administrator)
    reason = "Name corrected as on the ID card"

    response = client.post(
        certificate_url(issued, "reissue/"),
        {"name": " 陳阿土 ", "alternate_name": "Tali", "reason": reason},
        follow=True,
    )

    learner.refresh_from_db()
    assert (learner.name, learner.alternate_name) == ("陳阿土", "Tali")
    issued.refresh_from_db()
    new = issued.replaced_by
    assert issued.status == Certificate.Status.SUPERSEDED
    assert (new.status, new.learner_name, new.learner_other_name) == (
        Certificate.Status.VALID,
        "陳阿土",
        "Tali",
    )
    assert new.code != issued.code
    old_event = issued.events.get(action=Action.SUPERSEDED)
    new_event = new.events.get(action=Action.REISSUED)
    for event in (old_event, new_event):
        assert (event.actor, event.reason) == (administrator, reason)
    # Back on the learner's history: both certificates, who did it and why.
    assert response.request["PATH_INFO"] == learner_url(issued.enrollment)
    html = response.content.decode()
    assert new.display_code in html and issued.display_code in html
    assert "Superseded" in html and "Re-issued" in html
    assert "林主任" in html  # who did it
    assert reason in html
    assert "陳阿土" in pdf_text(new.pdf.open("rb").read())


@pytest.mark.parametrize("name", ["", "陳\x00阿土", "陳" * 300])
def test_reissue_with_a_bad_name_changes_nothing_and_keeps_the_reason(
    client, administrator, issued, name
):
    client.force_login(administrator)
    reason = "Name corrected as on the ID card"

    response = client.post(certificate_url(issued, "reissue/"), {"name": name, "reason": reason})

    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert reason in response.content.decode()
    issued.refresh_from_db()
    issued.enrollment.learner.refresh_from_db()
    assert issued.status == Certificate.Status.VALID
    assert issued.enrollment.learner.name == "陳阿士"
    assert Certificate.objects.count() == 1


def test_revoke_with_a_reason_shows_the_certificate_as_revoked(
    client, administrator, issued, instructor
):
    client.force_login(administrator)
    reason = "Issued by mistake: attendance was recorded for the wrong learner."

    client.post(certificate_url(issued, "revoke/"), {"reason": reason})

    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    assert (issued.revoked_by, issued.revoked_reason) == (administrator, reason)
    event = issued.events.get(action=Action.REVOKED)
    assert (event.actor, event.reason) == (administrator, reason)
    client.force_login(instructor)
    response = client.get(course_url(issued.enrollment.course))
    (row,) = response.context["rows"]
    assert row.current == issued and not row.holds_valid and not row.can_issue
    html = response.content.decode()
    assert "Revoked" in html
    assert reason in html


def test_a_revoked_certificate_cannot_be_reissued(client, administrator, issued):
    certificate_revoke(certificate=issued, actor=administrator, reason="mistake")
    client.force_login(administrator)

    response = client.post(
        certificate_url(issued, "reissue/"), {"name": "陳阿土", "reason": "name corrected"}
    )

    html = response.content.decode()
    assert "has been revoked and cannot be re-issued" in html
    issued.enrollment.learner.refresh_from_db()
    assert issued.enrollment.learner.name == "陳阿士"  # nothing half-done
    assert Certificate.objects.count() == 1
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED


@pytest.mark.parametrize("action", ["reissue/", "revoke/"])
def test_instructor_cannot_reissue_or_revoke_in_their_own_course(
    client, instructor, issued, action
):
    client.force_login(instructor)

    response = client.post(certificate_url(issued, action), {"reason": "because"})

    assert_answer(response, "refused")
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID
    assert Certificate.objects.count() == 1


def test_a_certificate_of_another_course_cannot_be_reached_through_this_course(
    client, catalogue, administrator, issued
):
    other_course = finished_course(catalogue)
    client.force_login(administrator)
    url = f"{course_url(other_course)}certificates/{issued.pk}/revoke/"

    assert client.post(url, {"reason": "x"}).status_code == 404
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.VALID


# --- the design's preview -------------------------------------------------------------------


def test_preview_renders_a_sample_certificate_for_the_current_site(client, administrator):
    client.force_login(administrator)

    response = client.get(f"{ADMIN}preview.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "王小明" in text  # the sample learner
    assert "新北市政府" in text  # the default issuer


def test_preview_uses_the_chosen_sites_settings(client, administrator):
    root = Page.objects.get(depth=1)
    other = Site.objects.create(hostname="library.example.test", root_page=root.get_children()[0])
    settings = CertificateSettings.for_site(other)
    settings.issuer_name = "新北市立圖書館"
    settings.save()
    client.force_login(administrator)

    text = pdf_text(client.get(f"{ADMIN}preview.pdf", {"site": other.pk}).content)

    assert "新北市立圖書館" in text
    assert client.get(f"{ADMIN}preview.pdf", {"site": "9999"}).status_code == 404
    assert client.get(f"{ADMIN}preview.pdf", {"site": "x"}).status_code == 404


# --- the counter ----------------------------------------------------------------------------


def test_counter_offers_to_print_valid_certificates_only(client, catalogue):
    learner = LearnerFactory(
        phone="+886912345678", indigenous_person=True, new_immigrant="yes", origin_country="vn"
    )
    valid, _created = certificate_issue(
        enrollment=decided(finished_course(catalogue), learner=learner)
    )
    revoked = certificate_row(decided(finished_course(catalogue), learner=learner))
    certificate_revoke(certificate=revoked, actor=None, reason="mistake")
    client.force_login(counter_staff_user())

    html = client.get("/admin/enrollment/counter/", {"phone": "0912-345-678"}).content.decode()

    assert "Print certificate" in html
    assert counter_print_url(valid) in html
    assert counter_print_url(revoked) not in html
    assert client.post(counter_print_url(revoked)).status_code == 404


def test_counter_print_returns_the_pdf_and_records_who_printed_it(client, catalogue):
    staff = counter_staff_user(username="counter_1")
    certificate, _created = certificate_issue(
        enrollment=decided(finished_course(catalogue), name="Nguyễn Thị Hoa")
    )
    client.force_login(staff)

    response = client.post(counter_print_url(certificate))

    assert response["Content-Type"] == "application/pdf"
    assert "Nguyễn Thị Hoa" in pdf_text(response.content)
    event = certificate.events.get(action=Action.PRINTED)
    assert event.actor == staff
    # A GET (a link preview, a prefetch) never records a print.
    assert client.get(counter_print_url(certificate)).status_code == 405
    assert certificate.events.filter(action=Action.PRINTED).count() == 1


def test_certificate_settings_page_explains_itself_and_links_to_the_preview(client, catalogue):
    client.force_login(AdministratorFactory())
    site = Site.objects.get(is_default_site=True)

    response = client.get(f"/admin/settings/enrollment/certificatesettings/{site.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/admin/enrollment/certificates/preview.pdf"' in html
    preview = client.get("/admin/enrollment/certificates/preview.pdf")
    assert preview["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ["instructor", "counter"])
def test_only_administrators_change_the_certificate_settings(client, catalogue, role):
    user = InstructorFactory() if role == "instructor" else counter_staff_user()
    client.force_login(user)
    site = Site.objects.get(is_default_site=True)
    response = client.get(f"/admin/settings/enrollment/certificatesettings/{site.pk}/")
    assert response.status_code == 302  # Wagtail sends them back to the dashboard
    assert response["Location"] == "/admin/"
