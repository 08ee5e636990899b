"""The admin side: surveys edited with their questions inline, paper forms keyed in by staff,
and who may do either."""

from wagtail.test.utils.form_data import inline_formset, nested_form_data

import pytest

from enrollment.models import Enrollment
from surveys.models import Invitation, Question, Response, Survey
from tests.enrollment.staff import counter_staff_user
from tests.factories import AdministratorFactory, InstructorFactory, UserFactory

from .conftest import invite, seat_holder

# These tests read English wording; the default interface is Traditional Chinese.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
Kind = Question.Kind

SURVEYS = "/admin/snippets/surveys/survey/"
PAPER = "/admin/surveys/paper/"


def question_data(**overrides) -> dict:
    data = {
        "kind": "likert",
        "topic": "overall",
        "text_zh_hant": "整體滿意嗎？",
        "text_en": "Satisfied overall?",
        "options_zh_hant": "",
        "options_en": "",
        "required": "on",
        "active": "on",
    }
    data.update(overrides)
    return data


def survey_form_data(questions=None, initial=0, **overrides) -> dict:
    data = {
        "title_zh_hant": "長輩問卷",
        "title_en": "Seniors survey",
        "intro_zh_hant": "",
        "intro_en": "",
        "anonymous": "on",
        "courses": [],
        "questions": inline_formset(
            questions if questions is not None else [question_data()], initial=initial
        ),
    }
    data.update(overrides)
    return nested_form_data(data)


def user_for(role):
    if role == "anonymous":
        return None
    return {
        "citizen": UserFactory,
        "instructor": InstructorFactory,
        "counter staff": counter_staff_user,
        "administrator": AdministratorFactory,
    }[role]()


def outcome(response) -> object:
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return "login"
    if response.status_code == 302 and response["Location"] == "/admin/":
        return "refused"
    return response.status_code


# --- who reaches what -----------------------------------------------------------------------

URLS = {
    "surveys": lambda i: SURVEYS,
    "add survey": lambda i: SURVEYS + "add/",
    "responses": lambda i: "/admin/surveys/responses/",
    "paper index": lambda i: PAPER,
    "paper course": lambda i: f"{PAPER}courses/{i.course_id}/",
    "paper entry": lambda i: f"{PAPER}invitations/{i.pk}/",
}
EXPECTED = {
    "anonymous": dict.fromkeys(URLS, "login"),
    "citizen": dict.fromkeys(URLS, "login"),
    "instructor": dict.fromkeys(URLS, "refused"),
    "counter staff": {
        "surveys": "refused",
        "add survey": "refused",
        "responses": "refused",
        "paper index": 200,
        "paper course": 200,
        "paper entry": 200,
    },
    "administrator": dict.fromkeys(URLS, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("name", list(URLS))
def test_url_role_matrix(client, completed, named_survey, role, name):
    invitation, _token = invite(completed, named_survey)
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    assert outcome(client.get(URLS[name](invitation))) == EXPECTED[role][name]


@pytest.mark.parametrize("role", ["anonymous", "citizen", "instructor"])
def test_only_staff_may_post_a_paper_form(client, completed, named_survey, role):
    invitation, _token = invite(completed, named_survey)
    user = user_for(role)
    if user is not None:
        client.force_login(user)
    likert = named_survey.questions.get(kind=Kind.LIKERT)
    response = client.post(f"{PAPER}invitations/{invitation.pk}/", {f"q{likert.pk}": "5"})
    assert outcome(response) in ("login", "refused")
    assert not Response.objects.exists()


def test_the_menu_shows_paper_entry_to_counter_staff_but_not_instructors(client, catalogue):
    client.force_login(counter_staff_user())
    assert PAPER in client.get("/admin/").content.decode()
    client.force_login(InstructorFactory())
    assert PAPER not in client.get("/admin/").content.decode()


# --- paper forms ----------------------------------------------------------------------------


def test_counter_staff_key_in_a_paper_form_marked_as_paper(client, ended_course, named_survey):
    enrollment = seat_holder(ended_course, Enrollment.Status.COMPLETED, email="")
    staff = counter_staff_user()
    client.force_login(staff)

    course_page = client.get(f"{PAPER}courses/{ended_course.pk}/")
    assert enrollment.learner.name in course_page.content.decode()
    started = client.post(f"{PAPER}courses/{ended_course.pk}/start/", {"enrollment": enrollment.pk})
    invitation = Invitation.objects.get(enrollment=enrollment)
    assert started["Location"] == f"{PAPER}invitations/{invitation.pk}/"

    likert = named_survey.questions.get(kind=Kind.LIKERT)
    text = named_survey.questions.get(kind=Kind.TEXT)
    # The learner left the other questions blank on paper.
    saved = client.post(started["Location"], {f"q{likert.pk}": "5", f"q{text.pk}": "老師很好"})

    assert saved.status_code == 302
    assert saved["Location"] == f"{PAPER}courses/{ended_course.pk}/"
    response = Response.objects.get()
    assert response.channel == Response.Channel.PAPER
    assert response.keyed_by == staff
    assert response.invitation == invitation
    listing = client.get(saved["Location"]).content.decode()
    assert "Answered on paper" in listing

    again = client.post(started["Location"], {f"q{likert.pk}": "3"})
    assert again.status_code == 302
    assert Response.objects.count() == 1


def test_an_empty_paper_form_is_not_saved(client, completed, named_survey):
    invitation, _token = invite(completed, named_survey)
    client.force_login(counter_staff_user())
    response = client.post(f"{PAPER}invitations/{invitation.pk}/", {})
    assert response.status_code == 200
    assert "Please answer at least one question." in response.content.decode()
    assert not Response.objects.exists()


def test_the_responses_listing_marks_paper_and_hides_anonymous_names(
    client, ended_course, default_survey
):
    from surveys.services import invitation_create, response_submit

    enrollment = seat_holder(ended_course, Enrollment.Status.COMPLETED, name="王小明")
    invitation, _created = invitation_create(enrollment=enrollment)
    answers = {q.pk: 4 for q in default_survey.questions.filter(kind=Kind.LIKERT)}
    admin = AdministratorFactory()
    response_submit(
        invitation=invitation, answers=answers, channel=Response.Channel.PAPER, keyed_by=admin
    )
    client.force_login(admin)

    html = client.get("/admin/surveys/responses/").content.decode()

    assert "Paper form (keyed in by staff)" in html
    assert "Anonymous" in html
    assert "王小明" not in html
    saved = Response.objects.get()
    assert client.get(f"/admin/surveys/responses/inspect/{saved.pk}/").status_code == 200
    assert client.get("/admin/surveys/responses/?channel=paper").status_code == 200
    # Read-only: nothing to add or change.
    assert outcome(client.get("/admin/surveys/responses/new/")) == "refused"
    assert outcome(client.get(f"/admin/surveys/responses/edit/{saved.pk}/")) == "refused"


# --- editing surveys ------------------------------------------------------------------------


def test_an_administrator_creates_a_survey_with_questions_inline(client, catalogue, default_survey):
    client.force_login(AdministratorFactory())
    data = survey_form_data(
        questions=[
            question_data(),
            question_data(
                kind="single",
                topic="other",
                text_zh_hant="怎麼知道這門課？",
                text_en="How did you hear of it?",
                options_zh_hant="朋友\n網路",
                options_en="Friends\nInternet",
            ),
        ]
    )
    response = client.post(SURVEYS + "add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    survey = Survey.objects.get(title_en="Seniors survey")
    assert [q.kind for q in survey.questions.order_by("sort_order")] == ["likert", "single"]


def test_choice_questions_need_their_answers_in_both_languages(client, catalogue, default_survey):
    client.force_login(AdministratorFactory())
    data = survey_form_data(
        questions=[question_data(kind="single", options_zh_hant="朋友\n網路", options_en="")]
    )
    response = client.post(SURVEYS + "add/", data)
    assert response.status_code == 200
    assert "Write as many English answers as Chinese ones" in response.content.decode()
    assert not Survey.objects.filter(title_en="Seniors survey").exists()


def test_an_answered_question_cannot_be_deleted_or_change_kind(client, completed, named_survey):
    from surveys.services import response_submit

    invitation, _token = invite(completed, named_survey)
    likert = named_survey.questions.get(kind=Kind.LIKERT)
    response_submit(
        invitation=invitation,
        answers={likert.pk: 4},
        channel="paper",
        keyed_by=AdministratorFactory(),
    )
    client.force_login(AdministratorFactory())
    questions = []
    for question in named_survey.questions.order_by("sort_order"):
        row = question_data(
            id=question.pk,
            kind=question.kind,
            topic=question.topic,
            text_zh_hant=question.text_zh_hant,
            text_en=question.text_en,
            options_zh_hant=question.options_zh_hant,
            options_en=question.options_en,
        )
        if question.pk == likert.pk:
            row["DELETE"] = "1"
        questions.append(row)
    data = survey_form_data(
        questions=questions, initial=len(questions), title_zh_hant=named_survey.title_zh_hant
    )
    del data["anonymous"]

    response = client.post(f"{SURVEYS}edit/{named_survey.pk}/", data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "has been answered, so it cannot be deleted" in html
    # The question is shown again (no longer marked for deletion), with the reason.
    assert '<input type="hidden" name="questions-0-DELETE" id="id_questions-0-DELETE">' in html
    assert Question.objects.filter(pk=likert.pk).exists()

    for row in questions:
        row.pop("DELETE", None)
        if row["id"] == likert.pk:
            row["kind"] = "recommend"
    data = survey_form_data(
        questions=questions, initial=len(questions), title_zh_hant=named_survey.title_zh_hant
    )
    del data["anonymous"]
    response = client.post(f"{SURVEYS}edit/{named_survey.pk}/", data)
    assert response.status_code == 200
    assert "its kind can no longer change" in response.content.decode()
    assert Question.objects.get(pk=likert.pk).kind == Kind.LIKERT


def test_a_survey_in_use_cannot_be_deleted(client, completed, named_survey, default_survey):
    invite(completed, named_survey)
    client.force_login(AdministratorFactory())
    for survey in (named_survey, default_survey):
        response = client.post(f"{SURVEYS}delete/{survey.pk}/")
        assert response.status_code == 302
        assert Survey.objects.filter(pk=survey.pk).exists()
