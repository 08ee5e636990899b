"""The learner profile at /my/profile/: details, and self-identification only with consent."""

from django.utils import translation

import pytest

from courses.models import District
from enrollment.forms import ProfileForm
from enrollment.models import CONSENT_VERSION, ConsentRecord, Learner
from enrollment.services import (
    CONSENT_TEXT,
    learner_consent_withdraw,
    learner_profile_save,
)
from tests.factories import LearnerFactory, UserFactory

pytestmark = pytest.mark.django_db
PROFILE = "/my/profile/"


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def user(client):
    user = UserFactory(email="lan@example.test", first_name="Nguyễn Thị Lan")
    client.force_login(user)
    return user


def profile_data(**overrides):
    data = {
        "name": "Nguyễn Thị Lan",
        "alternate_name": "阮氏蘭",
        "birth_year": "1984",
        "district": District.objects.get(slug="zhonghe").pk,
        "phone": "0912-345-678",
        "email": "lan@example.test",
        "preferred_language": "en",
        "indigenous": "no",
        "indigenous_nation": "",
        "new_immigrant": "yes",
        "origin_country": "vn",
        "disability": "prefer_not",
    }
    data.update(overrides)
    return data


def test_profile_needs_a_signed_in_visitor(client):
    assert client.get(PROFILE)["Location"].startswith("/accounts/login/")


def test_a_new_profile_starts_with_what_the_account_knows(client, user):
    response = client.get(PROFILE)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["name"] == "Nguyễn Thị Lan"
    assert form.initial["email"] == "lan@example.test"


def test_profile_shows_why_self_identification_is_asked_and_the_consent_version(client, user):
    page = client.get(PROFILE).content.decode()
    assert "never shown to instructors" in page
    assert str(CONSENT_TEXT)[:40] in page
    assert CONSENT_VERSION in page
    assert "Prefer not to say" in page


def test_profile_without_consent_creates_the_learner_but_stores_no_self_identification(
    client, user
):
    response = client.post(PROFILE, profile_data())
    assert response.status_code == 302
    learner = Learner.objects.get(user=user)
    assert (learner.name, learner.alternate_name, learner.birth_year) == (
        "Nguyễn Thị Lan",
        "阮氏蘭",
        1984,
    )
    assert learner.phone == "+886912345678"
    assert learner.district.slug == "zhonghe"
    assert (learner.new_immigrant, learner.origin_country, learner.disability) == ("", "", "")
    assert not learner.has_consent
    assert not ConsentRecord.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("were not saved" in m for m in messages)


def test_profile_with_consent_stores_answers_and_records_the_consent(client, user):
    client.post(PROFILE, profile_data(consent="on", indigenous_nation="atayal"))
    learner = Learner.objects.get(user=user)
    assert (learner.new_immigrant, learner.origin_country, learner.disability) == (
        "yes",
        "vn",
        "prefer_not",
    )
    # A follow-up answer counts only where it applies: not indigenous, so no nation.
    assert learner.indigenous == "no" and learner.indigenous_nation == ""
    assert learner.consent_version == CONSENT_VERSION
    record = ConsentRecord.objects.get()
    assert (record.action, record.version, record.channel) == ("given", CONSENT_VERSION, "online")
    assert record.text == str(CONSENT_TEXT)
    assert record.recorded_at == learner.consent_given_at


def test_saving_again_with_consent_records_it_once(client, user):
    client.post(PROFILE, profile_data(consent="on"))
    client.post(PROFILE, profile_data(consent="on", disability="no"))
    assert ConsentRecord.objects.count() == 1
    assert Learner.objects.get(user=user).disability == "no"


def test_unticking_consent_withdraws_it_and_deletes_the_answers(client, user):
    client.post(PROFILE, profile_data(consent="on"))
    client.post(PROFILE, profile_data())
    learner = Learner.objects.get(user=user)
    assert not learner.has_consent and learner.consent_version == ""
    assert [learner.new_immigrant, learner.origin_country, learner.disability] == ["", "", ""]
    assert list(ConsentRecord.objects.values_list("action", flat=True)) == ["given", "withdrawn"]


def test_an_indigenous_learner_with_consent_is_eligible_for_reserved_seats(client, user):
    client.post(
        PROFILE,
        profile_data(consent="on", indigenous="yes", indigenous_nation="atayal", birth_year="1968"),
    )
    learner = Learner.objects.get(user=user)
    assert learner.indigenous_nation == "atayal"
    assert {"indigenous", "seniors"} <= learner.target_group_codes()  # elder from 55


def test_a_mobile_number_used_by_another_learner_is_refused_clearly(client, user):
    LearnerFactory(phone="+886912345678")
    response = client.post(PROFILE, profile_data(phone="0912 345 678"))
    assert response.status_code == 200
    assert "already registered to another learner" in response.context["form"].errors["phone"][0]
    assert not Learner.objects.filter(user=user).exists()


def test_profile_needs_a_mobile_number_or_an_email(client, user):
    response = client.post(PROFILE, profile_data(phone="", email=""))
    errors = response.context["form"].errors
    assert errors["phone"] == errors["email"]


@pytest.mark.parametrize(
    ("birth_year", "stored"), [("1955", 1955), ("１９５５", 1955), ("44", 1955), ("民國44年", 1955)]
)
def test_birth_year_accepts_western_full_width_and_minguo_years(client, user, birth_year, stored):
    client.post(PROFILE, profile_data(birth_year=birth_year))
    assert Learner.objects.get(user=user).birth_year == stored


@pytest.mark.parametrize("birth_year", ["1899", "2027", "3000", "abc", ""])
def test_birth_year_outside_1900_to_this_year_is_refused(client, user, birth_year):
    response = client.post(PROFILE, profile_data(birth_year=birth_year))
    assert "birth_year" in response.context["form"].errors


def test_bad_input_keeps_every_typed_value_and_shows_errors_next_to_the_fields(client, user):
    typed = profile_data(
        name="<b>Lan</b>",
        alternate_name="x" * 500,
        birth_year="18",  # Minguo 18 = 1929: fine
        phone="02-2950-0000",
        email="lan@@example",
    )
    response = client.post(PROFILE, typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "alternate_name", "phone", "email"}
    page = response.content.decode()
    typed_back = ["&lt;b&gt;Lan&lt;/b&gt;", "x" * 500, 'value="18"', "02-2950-0000", "lan@@example"]
    for value in typed_back:
        assert value in page
    assert 'id="id_new_immigrant_0" checked' in page  # the radio answers are kept too
    assert 'id="id_disability_2" checked' in page
    assert "landline" in page and "at most 80 characters (this one has 500)" in page


def test_django_error_messages_are_in_traditional_chinese_by_default(client, user, settings):
    settings.LANGUAGE_CODE = "zh-hant"
    response = client.post(PROFILE, profile_data(email="lan@@example"))
    page = response.content.decode()
    assert "Enter a valid email address." not in page
    with translation.override("zh-hant"):
        expected = translation.gettext("Enter a valid email address.")
    assert expected != "Enter a valid email address." and expected in page


def test_every_error_message_of_the_profile_form_goes_through_gettext(monkeypatch, user):
    monkeypatch.setattr(translation._trans, "gettext", lambda message: f"«{message}»")
    form = ProfileForm(
        data=profile_data(
            name="Lan\x00",
            birth_year="1800",
            phone="02-2950-0000",
            email="@",
            preferred_language="xx",
        )
    )
    assert not form.is_valid()
    assert set(form.errors) == {"name", "birth_year", "phone", "email", "preferred_language"}
    messages = [message for errors in form.errors.values() for message in errors]
    assert all(message.startswith("«") for message in messages), messages


def test_learner_profile_save_clears_answers_without_consent():
    user = UserFactory()
    learner = learner_profile_save(
        user=user,
        data={
            "name": "Hla'alua",
            "birth_year": 1990,
            "phone": "+886912000111",
            "indigenous": "yes",
            "indigenous_nation": "hlaalua",
            "consent": False,
        },
    )
    learner.refresh_from_db()
    assert learner.indigenous == "" and learner.indigenous_nation == ""


def test_learner_consent_withdraw_without_consent_records_nothing():
    learner = LearnerFactory()
    assert learner_consent_withdraw(learner=learner) is None
    assert not ConsentRecord.objects.exists()
