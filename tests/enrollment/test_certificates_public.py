"""Certificates in public and on /my/: codes, masked names, the verification pages, the rate
limit and the learner's download."""

from __future__ import annotations

from django.core.cache import cache

import pytest

from enrollment.certificate_selectors import (
    certificate_by_code,
    certificate_code_normalise,
    learner_certificates,
    mask_name,
)
from enrollment.certificates import certificate_issue, certificate_reissue, certificate_revoke
from enrollment.models import Certificate
from tests.enrollment.test_certificates import completed
from tests.enrollment.test_certificates import course as course
from tests.enrollment.test_slip import has_cjk_font, text_of
from tests.factories import LearnerFactory, UserFactory

pytestmark = [pytest.mark.django_db]

needs_cjk_font = pytest.mark.skipif(
    not has_cjk_font(), reason='the "Noto Serif CJK TC" font is not installed'
)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def holder():
    return UserFactory()


@pytest.fixture
def certificate(course, holder) -> Certificate:
    learner = LearnerFactory(user=holder, name="王小明", alternate_name="Watan Tanga")
    issued, _ = certificate_issue(enrollment=completed(course, learner=learner))
    return issued


# --- codes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("7K3M-Q9XA-2BCD-HJ4P-ZW8R", "7K3MQ9XA2BCDHJ4PZW8R"),
        ("7k3m q9xa 2bcd hj4p zw8r", "7K3MQ9XA2BCDHJ4PZW8R"),
        (" 7K3MQ9XA2BCDHJ4PZW8R\n", "7K3MQ9XA2BCDHJ4PZW8R"),
        ("OOOO-IIII-LLLL-oooo-1111", "00001111111100001111"),
        ("７Ｋ３Ｍ－Ｑ９ＸＡ－２ＢＣＤ－ＨＪ４Ｐ－ＺＷ８Ｒ", "7K3MQ9XA2BCDHJ4PZW8R"),  # full width
        ("7K3M–Q9XA–2BCD–HJ4P–ZW8R", "7K3MQ9XA2BCDHJ4PZW8R"),  # en dashes
    ],
)
def test_typed_codes_are_normalised(typed, stored):
    assert certificate_code_normalise(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "7K3M-Q9XA", "7K3M-Q9XA-2BCD-HJ4P-ZW8RX", "UUUU-Q9XA-2BCD-HJ4P-ZW8R", "<script>"]
)
def test_malformed_codes_name_no_certificate(typed):
    assert certificate_code_normalise(typed) is None
    assert certificate_by_code(typed) is None


def test_a_certificate_is_found_by_its_code_however_it_is_typed(certificate):
    typed = certificate.display_code.lower().replace("-", " ")
    assert certificate_by_code(typed) == certificate


# --- masked names ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王小明", "王○明"),
        ("王明", "王○"),
        ("歐陽小明", "歐○○明"),
        ("Nguyễn Thị Lan", "Nguyễn T** Lan"),
        ("Nguyen Thi Kim Lan", "Nguyen T** K** Lan"),
        ("Watan Tanga", "Watan T**"),
        ("瓦旦・達尬", "瓦旦・達○"),
        ("Sakinu Ya'ronglong", "Sakinu Y**"),
        ("Ayung", "A**g"),
        ("Lee", "L**"),
        ("  Watan   Tanga ", "Watan T**"),
        ("", ""),
    ],
)
def test_mask_name_hides_enough_to_protect_and_keeps_enough_to_recognise(name, masked):
    assert mask_name(name) == masked


def test_learner_certificates_are_only_the_learners_own(certificate, holder, course):
    other = UserFactory()
    certificate_issue(enrollment=completed(course, learner=LearnerFactory(user=other)))

    assert list(learner_certificates(user=holder)) == [certificate]
    assert learner_certificates(user=other).get().pk != certificate.pk


# --- the public pages -----------------------------------------------------------------------


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


@needs_cjk_font
def test_a_valid_certificate_is_confirmed_with_the_name_masked(client, english, certificate):
    response = client.get(certificate.get_verify_url())

    assert response.status_code == 200
    body = response.content.decode()
    assert "This certificate was issued by EZ-Learn and is valid." in body
    assert "王○明" in body and "Watan T**" in body
    assert "王小明" not in body and "Tanga" not in body
    assert "長輩手機入門：LINE 視訊" in body
    assert certificate.display_code in body
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


@needs_cjk_font
def test_the_qr_code_address_works_without_dashes_or_in_lower_case(client, certificate):
    response = client.get(f"/certificates/verify/{certificate.code.lower()}/")
    assert response.status_code == 200


@needs_cjk_font
def test_a_revoked_certificate_says_so(client, english, certificate):
    certificate_revoke(certificate=certificate, actor=None, reason="Attendance forged")

    body = client.get(certificate.get_verify_url()).content.decode()

    assert "was revoked on" in body and "no longer valid" in body
    assert "is valid." not in body
    assert "Attendance forged" not in body  # the reason is internal


@needs_cjk_font
def test_a_superseded_certificate_says_it_was_replaced(client, english, certificate):
    certificate_reissue(certificate=certificate, actor=None, reason="Name corrected")

    body = client.get(certificate.get_verify_url()).content.decode()

    assert "was replaced by a corrected one" in body
    assert "is valid." not in body


@needs_cjk_font
def test_made_up_or_altered_codes_answer_the_same_404(client, english, certificate):
    altered = ("1" if certificate.code[0] != "1" else "2") + certificate.code[1:]
    pages = [
        client.get(f"/certificates/verify/{altered}/"),
        client.get("/certificates/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/"),
        client.get("/certificates/verify/not-a-code/"),
    ]

    assert [page.status_code for page in pages] == [404, 404, 404]
    bodies = {main_of(page) for page in pages}
    assert len(bodies) == 1
    assert "No certificate has this code." in bodies.pop()
    assert pages[0]["X-Robots-Tag"] == "noindex, nofollow"


def test_the_form_sends_a_typed_code_to_its_page(client):
    response = client.get("/certificates/verify/", {"code": "7k3m q9xa 2bcd hj4p zw8o"})

    assert response.status_code == 302
    assert response["Location"] == "/certificates/verify/7K3M-Q9XA-2BCD-HJ4P-ZW80/"


def test_the_form_explains_a_malformed_code_and_keeps_what_was_typed(client, english):
    empty = client.get("/certificates/verify/")
    wrong = client.get("/certificates/verify/", {"code": "7K3M-Q9"})

    assert empty.status_code == 200 and "errorlist" not in empty.content.decode()
    assert wrong.status_code == 400
    body = wrong.content.decode()
    assert "A certificate code has 20 letters and digits" in body
    assert 'value="7K3M-Q9"' in body
    assert empty["X-Robots-Tag"] == "noindex, nofollow"


def test_the_verification_pages_are_in_traditional_chinese_by_default(client):
    response = client.get("/certificates/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/")
    assert response.status_code == 404
    assert '<html lang="zh-hant">' in response.content.decode()


def test_verification_is_rate_limited_per_client_address(client, english, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = (3, 60)
    url = "/certificates/verify/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/"

    answers = [client.get(url, REMOTE_ADDR="203.0.113.7").status_code for _ in range(3)]
    limited = client.get("/certificates/verify/", REMOTE_ADDR="203.0.113.7")
    someone_else = client.get(url, REMOTE_ADDR="203.0.113.8")

    assert answers == [404, 404, 404]
    assert limited.status_code == 429
    assert "Please wait a minute and try again." in limited.content.decode()
    assert limited["Retry-After"] == "60"
    assert someone_else.status_code == 404


def test_behind_a_proxy_the_forwarded_address_is_limited(client, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = (1, 60)
    settings.CERTIFICATES_VERIFY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    url = "/certificates/verify/"

    first = client.get(url, HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.1")
    # A client cannot escape by making up the left part of the header.
    spoofed = client.get(url, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.1")
    other = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert [first.status_code, spoofed.status_code, other.status_code] == [200, 429, 200]


def test_the_rate_limit_can_be_switched_off(client, settings):
    settings.CERTIFICATES_VERIFY_RATE_LIMIT = (0, 60)
    assert {client.get("/certificates/verify/").status_code for _ in range(5)} == {200}


# --- the learner's download -----------------------------------------------------------------


@needs_cjk_font
def test_a_learner_downloads_their_certificate_from_my_courses(
    client, english, certificate, holder
):
    client.force_login(holder)

    page = client.get("/my/").content.decode()
    download_url = f"/my/certificates/{certificate.pk}/certificate.pdf"
    assert "My certificates" in page and download_url in page
    response = client.get(download_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"certificate-{certificate.display_code}.pdf" in response["Content-Disposition"]
    assert "王小明" in text_of(response.content)


@needs_cjk_font
def test_another_learners_certificate_answers_404(client, certificate):
    client.force_login(UserFactory())
    assert client.get(f"/my/certificates/{certificate.pk}/certificate.pdf").status_code == 404


@needs_cjk_font
def test_downloading_needs_a_login(client, certificate):
    response = client.get(f"/my/certificates/{certificate.pk}/certificate.pdf")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@needs_cjk_font
def test_revoked_and_superseded_certificates_are_listed_but_not_downloadable(
    client, english, certificate, holder
):
    new = certificate_reissue(certificate=certificate, actor=None, reason="Name corrected")
    certificate_revoke(certificate=new, actor=None, reason="Attendance forged")
    client.force_login(holder)

    page = client.get("/my/").content.decode()

    assert "Replaced by a newer certificate" in page and "Revoked" in page
    assert "certificate.pdf" not in page
    for pk in (certificate.pk, new.pk):
        assert client.get(f"/my/certificates/{pk}/certificate.pdf").status_code == 404
