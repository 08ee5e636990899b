"""Citizens' accounts (django-allauth): sign up and sign in with email or a mobile number."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

import pytest
from allauth.account.models import EmailAddress

from enrollment.models import Learner
from enrollment.phone import LocmemSmsBackend
from tests.factories import LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct horse battery staple"
SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
VERIFY_PHONE = "/accounts/phone/verify/"


@pytest.fixture(autouse=True)
def sms_outbox(settings):
    settings.EZLEARN_SMS_BACKEND = "enrollment.phone.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    yield LocmemSmsBackend.outbox
    LocmemSmsBackend.outbox.clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """allauth counts attempts in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


def signup_data(**overrides):
    data = {
        "name": "Yuraw‧Watan",
        "birth_year": "1956",
        "phone": "",
        "email": "",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def learner_with_account(*, phone="+886912345678", email="mei@example.test", verified=True):
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
    return LearnerFactory(
        user=user,
        phone=phone,
        email=email,
        phone_verified_at=timezone.now() if verified and phone else None,
    )


def texted_code(sms_outbox) -> str:
    return re.search(r"code is (\S+)\.", sms_outbox[-1].body).group(1)


def test_sign_up_by_email_creates_the_account_and_the_learner_and_sends_the_verification_mail(
    client,
):
    response = client.post(SIGNUP, signup_data(email="Yuraw@Example.test"))
    assert response.status_code == 302
    user = User.objects.get(email="yuraw@example.test")
    learner = Learner.objects.get(user=user)
    assert (learner.name, learner.birth_year, learner.email, learner.phone) == (
        "Yuraw‧Watan",
        1956,
        "yuraw@example.test",
        "",
    )
    assert learner.is_senior()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["yuraw@example.test"]
    # Signed in straight away: verification is optional.
    assert client.get("/my/").status_code == 200


def test_email_confirmation_link_verifies_the_address(client):
    client.post(SIGNUP, signup_data(email="lan@example.test"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="lan@example.test").verified


def test_sign_up_by_mobile_only_stores_the_number_in_e164_and_texts_a_code(client, sms_outbox):
    response = client.post(SIGNUP, signup_data(phone="０９１２－３４５－６７８"))
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == VERIFY_PHONE
    learner = Learner.objects.get()
    assert learner.phone == "+886912345678"
    assert learner.email == ""
    assert learner.phone_verified_at is None
    assert [m.to for m in sms_outbox] == ["+886912345678"]
    assert mail.outbox == []


def test_typing_back_the_texted_code_verifies_the_mobile_and_signs_in(client, sms_outbox):
    client.post(SIGNUP, signup_data(phone="0912345678"))
    response = client.post(VERIFY_PHONE, {"code": texted_code(sms_outbox)})
    assert response.status_code == 302
    assert Learner.objects.get().phone_verified_at is not None
    assert client.get("/my/").status_code == 200


def test_a_wrong_code_is_refused_and_nothing_is_verified(client, sms_outbox):
    client.post(SIGNUP, signup_data(phone="0912345678"))
    code = texted_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    response = client.post(VERIFY_PHONE, {"code": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert Learner.objects.get().phone_verified_at is None
    assert client.get("/my/").status_code == 302  # not signed in


def test_sign_up_returns_to_the_enrollment_it_started_from(client, sms_outbox):
    client.post(f"{SIGNUP}?next=/enroll/5/", signup_data(phone="0912345678"))
    response = client.post(VERIFY_PHONE, {"code": texted_code(sms_outbox)})
    assert response["Location"] == "/enroll/5/"


def test_sign_up_by_email_only_goes_straight_on(client):
    response = client.post(f"{SIGNUP}?next=/enroll/5/", signup_data(email="lan@example.test"))
    assert response["Location"] == "/enroll/5/"


def test_login_with_a_mobile_never_verified_asks_for_the_texted_code_first(client, sms_outbox):
    learner_with_account(phone="+886912345678", verified=False)
    response = client.post(LOGIN, {"login": "0912345678", "password": PASSWORD})
    assert response["Location"] == VERIFY_PHONE
    assert client.get("/my/").status_code == 302
    client.post(VERIFY_PHONE, {"code": texted_code(sms_outbox)})
    assert Learner.objects.get().phone_verified_at is not None
    assert client.get("/my/").status_code == 200


def test_changing_the_mobile_in_the_profile_makes_it_unverified_again():
    from enrollment.services import learner_profile_save

    learner = learner_with_account(phone="+886912345678")
    learner_profile_save(user=learner.user, data={"phone": "+886922333444"})
    learner.refresh_from_db()
    assert learner.phone_verified_at is None


def test_sign_up_needs_a_mobile_number_or_an_email_address(client):
    response = client.post(SIGNUP, signup_data())
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["phone"] == form.errors["email"]
    assert "mobile number or an email address" in form.errors["phone"][0]
    assert not User.objects.exists()


def test_sign_up_errors_are_shown_next_to_the_fields_and_keep_what_was_typed(client):
    response = client.post(
        SIGNUP,
        signup_data(name="Lin\u202eMei", birth_year="nineteen", phone="02-2950-0000"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert set(response.context["form"].errors) == {"name", "birth_year", "phone"}
    assert "landline" in page
    assert 'value="nineteen"' in page
    assert 'value="02-2950-0000"' in page
    assert not Learner.objects.exists()


def test_sign_up_accepts_a_minguo_birth_year(client):
    client.post(SIGNUP, signup_data(phone="0912345678", birth_year="民國45年"))
    assert Learner.objects.get().birth_year == 1956


def test_sign_up_with_a_registered_mobile_creates_nothing_and_texts_the_owner(client, sms_outbox):
    learner_with_account(phone="+886912345678")
    response = client.post(SIGNUP, signup_data(phone="0912 345 678"))
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert [m.to for m in sms_outbox] == ["+886912345678"]
    assert "already registered" in sms_outbox[0].body


def test_signing_up_again_and_again_with_a_registered_mobile_is_slowed_down_not_an_error(
    client, sms_outbox
):
    learner_with_account(phone="+886912345678")
    client.post(SIGNUP, signup_data(phone="0912345678"))
    response = Client().post(SIGNUP, signup_data(phone="0912345678"))  # another browser
    assert response.status_code == 429
    assert len(sms_outbox) == 1


def test_a_learner_registered_at_a_counter_claims_their_record_by_the_texted_code(
    client, sms_outbox, catalogue
):
    from enrollment.models import Enrollment
    from tests.factories import CoursePageFactory

    counter_learner = LearnerFactory(user=None, phone="+886912345678", name="陳阿嬤", email="")
    enrollment = Enrollment.objects.create(
        learner=counter_learner,
        course=CoursePageFactory(parent=catalogue),
        status=Enrollment.Status.CONFIRMED,
        seat_kind=Enrollment.SeatKind.GENERAL,
        channel=Enrollment.Channel.ASSISTED,
    )
    response = client.post(
        SIGNUP, signup_data(name="陳阿嬤", phone="0912-345-678", email="chen@example.test")
    )
    assert response["Location"] == VERIFY_PHONE
    assert Learner.objects.count() == 1
    assert Learner.objects.get().user is None  # not before the code is typed back
    assert [m.to for m in sms_outbox] == ["+886912345678"]

    response = client.post(VERIFY_PHONE, {"code": texted_code(sms_outbox)}, follow=True)
    counter_learner.refresh_from_db()
    assert counter_learner.user == User.objects.get(email="chen@example.test")
    assert counter_learner.phone_verified_at is not None
    assert counter_learner.email == "chen@example.test"
    assert "service counter" in response.content.decode()
    assert enrollment.course.title in client.get("/my/").content.decode()


def test_a_claim_abandoned_before_the_code_leaves_the_counter_learner_unclaimed(client, sms_outbox):
    counter_learner = LearnerFactory(user=None, phone="+886912345678")
    client.post(SIGNUP, signup_data(phone="0912345678"))
    # Someone else tries the same number at once, from another browser: slowed down.
    response = Client().post(SIGNUP, signup_data(phone="0912345678"))
    assert response.status_code == 429
    counter_learner.refresh_from_db()
    assert counter_learner.user is None
    assert Learner.objects.count() == 1


def test_a_wrong_code_never_hands_over_a_counter_learner(client, sms_outbox):
    counter_learner = LearnerFactory(user=None, phone="+886912345678")
    client.post(SIGNUP, signup_data(phone="0912345678"))
    code = texted_code(sms_outbox)
    for wrong in ("000000", "111111", "222222"):
        if wrong != code:
            client.post(VERIFY_PHONE, {"code": wrong})
    counter_learner.refresh_from_db()
    assert counter_learner.user is None


def test_login_by_email(client):
    learner_with_account(email="mei@example.test")
    response = client.post(LOGIN, {"login": "mei@example.test", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/my/"


@pytest.mark.parametrize("typed", ["0912-345-678", "+886 912 345 678", "０９１２３４５６７８"])
def test_login_by_mobile_number_however_it_is_typed(client, typed):
    learner_with_account(phone="+886912345678")
    response = client.post(f"{LOGIN}?next=/enroll/3/", {"login": typed, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/enroll/3/"


def test_login_with_a_wrong_password_fails(client):
    learner_with_account(phone="+886912345678")
    response = client.post(LOGIN, {"login": "0912345678", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_login_box_with_a_landline_says_it_is_not_a_mobile(client):
    response = client.post(LOGIN, {"login": "02-2950-0000", "password": PASSWORD})
    assert "landline" in response.context["form"].errors["login"][0]


def test_sign_in_by_a_code_sent_by_text_message(client, sms_outbox):
    learner_with_account(phone="+886912345678", verified=False)
    response = client.post("/accounts/login/code/", {"phone": "0912-345-678", "email": ""})
    assert response.status_code == 302
    code = re.search(r"code is (\S+)\.", sms_outbox[0].body).group(1)
    response = client.post(response["Location"], {"code": code})
    assert response.status_code == 302
    assert client.get("/my/").status_code == 200
    # Typing back a code texted to the number also proves the number.
    assert Learner.objects.get().phone_verified_at is not None


def test_password_reset_mail_is_sent_and_its_link_sets_a_new_password(client):
    learner_with_account(email="mei@example.test")
    response = client.post("/accounts/password/reset/", {"email": "mei@example.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mail.outbox[0].body)
    response = client.get(link.group(0), follow=True)
    new = "a brand new passphrase 42"
    response = client.post(response.redirect_chain[-1][0], {"password1": new, "password2": new})
    assert response.status_code == 302
    assert client.login(email="mei@example.test", password=new)


def test_my_pages_send_anonymous_visitors_to_the_citizens_login(client):
    response = client.get("/my/")
    assert response["Location"] == f"{LOGIN}?next=/my/"


def test_admin_still_has_its_own_login(client):
    assert "/admin/login/" in client.get("/admin/")["Location"]


def test_login_and_sign_up_pages_render_in_traditional_chinese(client, settings):
    settings.LANGUAGE_CODE = "zh-hant"
    page = client.get(SIGNUP).content.decode()
    assert 'lang="zh-hant"' in page
    assert "密碼" in page  # allauth's own translation of "Password"


def test_sign_up_errors_are_summed_up_at_the_top_with_a_link_to_each_field(client):
    response = client.post(SIGNUP, signup_data(birth_year="nineteen", phone="02-2950-0000"))
    page = response.content.decode()
    start = page.index('class="error-summary"')
    summary = page[start : page.index("</div>", start)]
    assert 'href="#id_birth_year"' in summary
    assert 'href="#id_phone"' in summary
    assert page.index('class="error-summary"') < page.index('id="id_name"')
