"""Enrollment at a counter: find or register a citizen by mobile number, consent on paper,
enroll (outside the online window too), errors shown in the form with what was typed kept."""

from datetime import timedelta

from django.utils import timezone

import pytest

from courses.models import District
from enrollment.attendance import (
    ConsentMissing,
    NewLearner,
    NoContact,
    SelfIdentificationAnswers,
    counter_enroll,
    learner_find_or_create_for_counter,
)
from enrollment.exceptions import TermLimitReached
from enrollment.models import CONSENT_VERSION, ConsentRecord, Enrollment, Learner
from tests.enrollment.staff import counter_staff_user, enroll
from tests.factories import (
    CoursePageFactory,
    InstructorFactory,
    LearnerFactory,
    TermFactory,
)

pytestmark = pytest.mark.django_db
COUNTER = "/admin/enrollment/counter/"


@pytest.fixture
def staff(catalogue):
    return counter_staff_user(username="counter_banqiao")


@pytest.fixture
def course(catalogue):
    return CoursePageFactory(parent=catalogue, title="長輩手機入門", capacity=2)


def new_learner_data(course, **overrides) -> dict:
    data = {
        "phone": "0912-345-678",
        "name": "林阿美",
        "alternate_name": "",
        "birth_year": "1952",
        "district": District.objects.get(slug="banqiao").pk,
        "preferred_language": "zh-hant",
        "email": "",
        "indigenous": "",
        "indigenous_nation": "",
        "new_immigrant": "",
        "origin_country": "",
        "disability": "",
        "course": course.pk,
    }
    data.update(overrides)
    return data


def test_counter_finds_a_learner_however_the_number_is_written(client, staff, course):
    learner = LearnerFactory(name="王美玲", phone="+886912345678")
    client.force_login(staff)
    for typed in ("0912-345-678", "+886 912 345 678", "０９１２３４５６７８"):
        response = client.get(COUNTER, {"phone": typed})
        assert response.context["learner"] == learner, typed
        assert "王美玲" in response.content.decode()


def test_unknown_number_offers_the_new_learner_form_with_the_number(client, staff, course):
    client.force_login(staff)
    response = client.get(COUNTER, {"phone": "0912 345 678"})
    assert response.context.get("learner") is None
    assert response.context["form"]["phone"].value() == "0912-345-678"
    assert course.title in response.content.decode()  # offered in the course choice


def test_an_unknown_landline_offers_the_new_learner_form_with_it_as_home_phone(
    client, staff, course
):
    client.force_login(staff)
    response = client.get(COUNTER, {"phone": "(02)2950 0000"})
    form = response.context["form"]
    assert form["landline"].value() == "02-2950-0000"
    assert not form["phone"].value()


def test_a_senior_with_only_a_landline_is_registered_and_enrolled(client, staff, course):
    client.force_login(staff)
    response = client.post(
        COUNTER, new_learner_data(course, phone="", landline="02 2950 0000", name="陳阿嬤")
    )
    assert response.status_code == 302, response.context["form"].errors
    learner = Learner.objects.get(name="陳阿嬤")
    assert (learner.phone, learner.landline, learner.email) == ("", "+886229500000", "")
    assert Enrollment.objects.get(learner=learner).course == course
    done = client.get(response["Location"]).content.decode()
    again = client.get(COUNTER, {"phone": "02-2950-0000", "learner": learner.pk})
    assert f"learner={learner.pk}" in done  # "Another course for this learner"
    assert again.context["learner"] == learner
    assert "02-2950-0000" in again.content.decode()


def test_a_citizen_with_no_phone_and_no_email_is_asked_how_to_reach_them(
    client, staff, course, english
):
    client.force_login(staff)
    response = client.post(COUNTER, new_learner_data(course, phone="", landline="", email=""))
    assert response.status_code == 200
    assert "a landline or an email address" in response.context["form"].errors["phone"][0]
    assert 'value="林阿美"' in response.content.decode()  # what was typed is kept
    assert not Learner.objects.exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("landline", "0912-345-678", "This is a mobile number"),
        ("landline", "12345", "area code"),
        ("phone", "02-2950-0000", "landline"),
    ],
)
def test_numbers_in_the_wrong_box_get_a_clear_message(
    client, staff, course, english, field, typed, message
):
    client.force_login(staff)
    data = new_learner_data(course, phone="", landline="")
    data[field] = typed
    response = client.post(COUNTER, data)
    assert message in response.context["form"].errors[field][0]
    assert not Learner.objects.exists()


def test_a_shared_landline_lets_staff_choose_who_is_at_the_counter(client, staff, course):
    grandma = LearnerFactory(name="陳阿嬤", phone="", email="", landline="+886229500000")
    grandpa = LearnerFactory(name="陳阿公", phone="", email="", landline="+886229500000")
    client.force_login(staff)
    response = client.get(COUNTER, {"phone": "02-2950-0000"})
    assert response.context["matches"] == [grandpa, grandma] or set(
        response.context["matches"]
    ) == {grandma, grandpa}
    assert response.context.get("form") is None
    response = client.get(COUNTER, {"phone": "02-2950-0000", "learner": grandpa.pk})
    assert response.context["learner"] == grandpa
    response = client.get(COUNTER, {"phone": "02-2950-0000", "new": "1"})
    assert response.context["form"]["landline"].value() == "02-2950-0000"


def test_a_learner_id_not_on_this_landline_is_not_shown(client, staff, course):
    LearnerFactory(name="陳阿嬤", phone="", email="", landline="+886229500000")
    stranger = LearnerFactory(name="王先生", phone="+886911000111")
    client.force_login(staff)
    response = client.get(COUNTER, {"phone": "02-2950-0000", "learner": stranger.pk})
    assert response.context.get("learner") is None
    assert "王先生" not in response.content.decode()


def test_registering_the_same_landline_person_twice_finds_the_first(staff, course):
    first, created = learner_find_or_create_for_counter(
        new_learner=NewLearner(name="陳阿嬤", birth_year=1944, landline="02-2950-0000"),
        actor=staff,
    )
    again, created_again = learner_find_or_create_for_counter(
        new_learner=NewLearner(name="陳阿嬤", birth_year=1944, landline="(02) 2950-0000"),
        actor=staff,
    )
    spouse, spouse_created = learner_find_or_create_for_counter(
        new_learner=NewLearner(name="陳阿公", birth_year=1942, landline="02-2950-0000"),
        actor=staff,
    )
    assert (created, created_again, spouse_created) == (True, False, True)
    assert again == first != spouse


def test_the_service_refuses_a_learner_nobody_can_reach(staff):
    with pytest.raises(NoContact):
        learner_find_or_create_for_counter(
            new_learner=NewLearner(name="陳阿嬤", birth_year=1944), actor=staff
        )


def test_new_learner_without_paper_consent_stores_no_self_identification(client, staff, course):
    client.force_login(staff)
    response = client.post(COUNTER, new_learner_data(course))

    learner = Learner.objects.get(phone="+886912345678")
    enrollment = Enrollment.objects.get(learner=learner)
    assert response.status_code == 302
    assert response["Location"] == f"/admin/enrollment/counter/enrollments/{enrollment.pk}/"
    assert (learner.name, learner.birth_year, learner.registered_by) == ("林阿美", 1952, staff)
    assert learner.consent_given_at is None
    assert not ConsentRecord.objects.exists()
    assert (learner.indigenous, learner.new_immigrant, learner.disability) == ("", "", "")
    assert (enrollment.channel, enrollment.created_by, enrollment.status) == (
        Enrollment.Channel.ASSISTED,
        staff,
        Enrollment.Status.CONFIRMED,
    )


def test_self_identification_without_the_consent_tick_is_refused_and_nothing_stored(
    client, staff, course
):
    client.force_login(staff)
    response = client.post(
        COUNTER,
        new_learner_data(course, indigenous="yes", indigenous_nation="atayal", name="Yuraw‧Watan"),
    )
    assert response.status_code == 200
    assert "paper_consent" in response.context["form"].errors
    assert response.context["form"]["name"].value() == "Yuraw‧Watan"  # typed values kept
    assert not Learner.objects.exists()
    assert not Enrollment.objects.exists()


def test_paper_consent_stores_answers_with_a_consent_record(client, staff, course):
    client.force_login(staff)
    client.post(
        COUNTER,
        new_learner_data(
            course,
            name="Yuraw‧Watan",
            paper_consent="on",
            indigenous="yes",
            indigenous_nation="atayal",
            disability="prefer_not",
        ),
    )
    learner = Learner.objects.get()
    record = ConsentRecord.objects.get(learner=learner)
    assert (record.action, record.channel, record.version, record.recorded_by) == (
        ConsentRecord.Action.GIVEN,
        ConsentRecord.Channel.PAPER,
        CONSENT_VERSION,
        staff,
    )
    assert CONSENT_VERSION in record.text
    assert learner.consent_given_at is not None
    assert learner.consent_version == CONSENT_VERSION
    assert (learner.indigenous, learner.indigenous_nation, learner.disability) == (
        "yes",
        "atayal",
        "prefer_not",
    )
    assert Enrollment.objects.get(learner=learner).channel == Enrollment.Channel.ASSISTED


def test_a_nation_without_indigenous_yes_is_not_stored(client, staff, course):
    client.force_login(staff)
    client.post(
        COUNTER,
        new_learner_data(course, paper_consent="on", indigenous="no", indigenous_nation="amis"),
    )
    assert Learner.objects.get().indigenous_nation == ""


def test_minguo_birth_year_is_understood(client, staff, course):
    client.force_login(staff)
    client.post(COUNTER, new_learner_data(course, birth_year="41"))
    assert Learner.objects.get().birth_year == 1952


def test_a_name_with_control_characters_is_refused(client, staff, course):
    client.force_login(staff)
    response = client.post(COUNTER, new_learner_data(course, name="林\u202e阿美"))
    assert "name" in response.context["form"].errors
    assert not Learner.objects.exists()


def test_existing_learner_is_enrolled_outside_the_online_window(client, staff, catalogue):
    closed = CoursePageFactory(
        parent=catalogue,
        registration_opens_at=timezone.now() - timedelta(days=20),
        registration_closes_at=timezone.now() - timedelta(days=1),
    )
    learner = LearnerFactory(phone="+886911111111")
    client.force_login(staff)

    response = client.post(COUNTER, {"learner": learner.pk, "course": closed.pk})

    enrollment = Enrollment.objects.get(learner=learner)
    assert response["Location"] == f"/admin/enrollment/counter/enrollments/{enrollment.pk}/"
    assert enrollment.channel == Enrollment.Channel.ASSISTED
    assert enrollment.created_by == staff


def test_waitlisted_citizen_sees_the_position_and_can_print_the_slip(client, staff, course):
    enroll(course)
    enroll(course)
    learner = LearnerFactory()
    client.force_login(staff)
    client.post(COUNTER, {"learner": learner.pk, "course": course.pk})
    enrollment = Enrollment.objects.get(learner=learner)
    assert enrollment.status == Enrollment.Status.WAITLISTED

    page = client.get(f"/admin/enrollment/counter/enrollments/{enrollment.pk}/")

    assert page.context["position"] == 1
    html = page.content.decode()
    assert f"/admin/enrollment/enrollments/{enrollment.pk}/slip.pdf" in html
    assert f"/admin/enrollment/enrollments/{enrollment.pk}/slip.pdf?size=a4" in html


def test_enrollment_error_is_shown_in_the_form_with_typed_values_kept(client, staff, catalogue):
    term = TermFactory(max_enrollments_per_learner=1)
    held = CoursePageFactory(parent=catalogue, term=term)
    wanted = CoursePageFactory(parent=catalogue, term=term, title="LINE 視訊")
    learner = LearnerFactory(phone="+886922222222")
    enroll(held, learner)
    client.force_login(staff)

    response = client.post(COUNTER, {"learner": learner.pk, "course": wanted.pk})

    assert response.status_code == 200
    assert str(TermLimitReached.message) in response.content.decode()
    assert response.context["form"]["course"].value() == str(wanted.pk)
    assert Enrollment.objects.filter(learner=learner).count() == 1


def test_a_refused_enrollment_leaves_no_new_learner_behind(staff, course, monkeypatch):
    def refuse(**kwargs):
        Learner.objects.get()  # the learner exists inside the transaction…
        raise TermLimitReached

    monkeypatch.setattr("enrollment.attendance.enrollment_create", refuse)
    with pytest.raises(TermLimitReached):
        counter_enroll(
            course=course,
            actor=staff,
            new_learner=NewLearner(name="林阿美", birth_year=1952, phone="0912345678"),
        )
    assert not Learner.objects.exists()  # …and is gone with it


def test_courses_that_have_ended_are_not_offered(client, staff, catalogue):
    past = CoursePageFactory(
        parent=catalogue,
        title="已結束的課",
        sessions=[
            (timezone.now() - timedelta(days=3), timezone.now() - timedelta(days=3, hours=-2))
        ],
    )
    client.force_login(staff)
    response = client.get(COUNTER, {"phone": "0933333333"})
    assert past.title not in response.content.decode()
    response = client.post(COUNTER, new_learner_data(past, phone="0933333333"))
    assert "course" in response.context["form"].errors
    assert not Learner.objects.exists()


def test_instructors_cannot_use_the_counter(client, catalogue, course):
    client.force_login(InstructorFactory())
    response = client.post(COUNTER, new_learner_data(course))
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert not Learner.objects.exists()


# --- the services directly ------------------------------------------------------------------


def test_self_identification_without_consent_is_refused_by_the_service(staff):
    with pytest.raises(ConsentMissing):
        learner_find_or_create_for_counter(
            new_learner=NewLearner(
                name="Nguyễn Thị Hoa",
                birth_year=1985,
                phone="0955555555",
                self_identification=SelfIdentificationAnswers(
                    new_immigrant="yes", origin_country="vn"
                ),
            ),
            actor=staff,
        )
    assert not Learner.objects.exists()


def test_the_same_number_finds_the_same_learner(staff):
    existing = LearnerFactory(phone="+886966666666", name="陳阿土")
    learner, created = learner_find_or_create_for_counter(
        new_learner=NewLearner(name="someone else", birth_year=1990, phone="0966-666-666"),
        actor=staff,
    )
    assert (learner, created) == (existing, False)
    assert learner.name == "陳阿土"  # their profile is theirs: nothing overwritten


def test_after_an_error_the_search_box_does_not_take_the_focus(client, staff, course):
    client.force_login(staff)
    data = new_learner_data(course)
    data["name"] = "<script>"
    response = client.post(COUNTER, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "autofocus" not in str(response.context["search"]["phone"])
