"""Forms of the staff screens: check-in by code and enrollment at a counter."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, District

from .attendance import NewLearner, NoContact, SelfIdentificationAnswers
from .choices import IndigenousNation, OriginCountry, SelfIdentification
from .models import Learner
from .phone import any_phone_normalise, landline_normalise, phone_normalise
from .staff_selectors import courses_open_for_counter
from .validators import person_name_normalise, validate_person_name

MINGUO_OFFSET = 1911  # Minguo year 1 is 1912
NOT_SAID = [("", _("Not answered"))]


class CheckInCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=20,
        help_text=_("The 8 letters and digits printed under the QR code, e.g. K7QM4XRT."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "autocorrect": "off",
                "spellcheck": "false",
                "autofocus": True,
                "class": "ez-code-input",
            }
        ),
    )


class PhoneSearchForm(forms.Form):
    """One box for a mobile number or, for citizens without one, a home landline."""

    phone = forms.CharField(
        label=_("Mobile or home phone number"),
        max_length=30,
        help_text=_("As the citizen says it, e.g. 0912-345-678 or 02-2950-0000."),
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "off", "autofocus": True}
        ),
    )

    def __init__(self, *args, **kwargs):
        # Its own ids: the registration form on the same page also has a "phone" field.
        kwargs.setdefault("auto_id", "search_%s")
        super().__init__(*args, **kwargs)

    kind = ""  # "mobile" or "landline", once valid

    def clean_phone(self) -> str:
        self.kind, number = any_phone_normalise(self.cleaned_data["phone"])
        return number


def _course_label(course: CoursePage) -> str:
    first = course.first_start
    when = (
        formats.date_format(timezone.localtime(first), "SHORT_DATE_FORMAT")
        if isinstance(first, datetime)
        else ""
    )
    if course.seats_left:
        seats = gettext("%(n)s seats left") % {"n": course.seats_left}
    else:
        seats = gettext("full, %(n)s waiting") % {"n": course.waitlist_length}
    venue = course.venue.display_name if course.venue_id else ""
    return gettext("%(title)s — %(venue)s, from %(date)s (%(seats)s)") % {
        "title": course.title,
        "venue": venue,
        "date": when,
        "seats": seats,
    }


class CourseChoiceField(forms.TypedChoiceField):
    """Open courses grouped by the venue's district; cleans to the CoursePage itself."""

    def __init__(self, **kwargs):
        super().__init__(coerce=int, **kwargs)
        self.courses: dict[int, CoursePage] = {}

    def load(self) -> None:
        groups: dict[str, list[tuple[int, str]]] = {}
        for course in courses_open_for_counter():
            self.courses[course.pk] = course
            district = course.venue.district.display_name if course.venue_id else ""
            groups.setdefault(district, []).append((course.pk, _course_label(course)))
        self.choices = [("", _("Choose a course")), *groups.items()]

    def clean(self, value):
        pk = super().clean(value)
        return self.courses[pk]


class CounterEnrollForm(forms.Form):
    """Enroll a learner who is already registered."""

    course = CourseChoiceField(label=_("Course"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].load()


def _model_field(name: str, **kwargs) -> forms.Field:
    return Learner._meta.get_field(name).formfield(**kwargs)


def _choice(label, choices, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=[*NOT_SAID, *choices], required=False, help_text=help_text
    )


class CounterNewLearnerForm(CounterEnrollForm):
    """Register a citizen at the counter, then enroll them. Self-identification is copied
    from the paper form only when the citizen signed its consent."""

    name = _model_field("name", help_text=_("As the citizen writes it, in any script."))
    alternate_name = _model_field("alternate_name")
    birth_year = forms.IntegerField(label=_("Year of birth"))  # bounded in __init__
    district = forms.ModelChoiceField(
        label=_("District where they live"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Not answered"),
    )
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=30,
        required=False,
        help_text=_("Leave empty if the citizen has no mobile phone."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    landline = forms.CharField(
        label=_("Home phone (landline)"),
        max_length=30,
        required=False,
        help_text=_("Only for a citizen without a mobile phone, e.g. 02-2950-0000."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=settings.LANGUAGES, initial="zh-hant"
    )

    paper_consent = forms.BooleanField(
        label=_("The citizen signed the paper consent form for self-identification"),
        required=False,
        help_text=_(
            "Only then are the answers below stored. Without a signature, leave them empty: "
            "nothing about identity is kept."
        ),
    )
    indigenous = _choice(_("Indigenous"), SelfIdentification.choices)
    indigenous_nation = _choice(
        _("Indigenous nation"), IndigenousNation.choices, _("Only if indigenous.")
    )
    new_immigrant = _choice(_("New immigrant"), SelfIdentification.choices)
    origin_country = _choice(
        _("Country of origin"), OriginCountry.choices, _("Only if a new immigrant.")
    )
    disability = _choice(_("Disability"), SelfIdentification.choices)

    field_order = [
        "phone",
        "landline",
        "name",
        "alternate_name",
        "birth_year",
        "district",
        "preferred_language",
        "email",
        "paper_consent",
        "indigenous",
        "indigenous_nation",
        "new_immigrant",
        "origin_country",
        "disability",
        "course",
    ]
    SELF_IDENTIFICATION = (
        "indigenous",
        "indigenous_nation",
        "new_immigrant",
        "origin_country",
        "disability",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["birth_year"] = forms.IntegerField(
            label=_("Year of birth"),
            min_value=1,
            max_value=timezone.localdate().year,
            help_text=_("Western or Minguo year: 1952 or 41 are the same year."),
        )

    def clean_birth_year(self) -> int:
        year = self.cleaned_data["birth_year"]
        if year <= timezone.localdate().year - MINGUO_OFFSET:
            year += MINGUO_OFFSET  # many seniors give their Minguo (民國) year
        if year < 1900:
            raise ValidationError(_("Enter a year of birth such as 1952."), code="birth_year")
        return year

    def clean_name(self) -> str:
        name = person_name_normalise(self.cleaned_data["name"])
        validate_person_name(name)
        return name

    def clean_alternate_name(self) -> str:
        name = person_name_normalise(self.cleaned_data["alternate_name"])
        if name:
            validate_person_name(name)
        return name

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        return phone_normalise(phone) if phone.strip() else ""

    def clean_landline(self) -> str:
        landline = self.cleaned_data["landline"]
        return landline_normalise(landline) if landline.strip() else ""

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in ("phone", "landline", "email")) and not any(
            name in self.errors for name in ("phone", "landline", "email")
        ):
            self.add_error("phone", NoContact.message)
        if data.get("indigenous") != SelfIdentification.YES:
            data["indigenous_nation"] = ""
        if data.get("new_immigrant") != SelfIdentification.YES:
            data["origin_country"] = ""
        answered = any(data.get(name) for name in self.SELF_IDENTIFICATION)
        if answered and not data.get("paper_consent"):
            self.add_error(
                "paper_consent",
                _(
                    "Self-identification is stored only with the signed paper consent. Tick "
                    "this box, or leave the answers empty."
                ),
            )
        return data

    def to_new_learner(self) -> NewLearner:
        data = self.cleaned_data
        consent = bool(data["paper_consent"])
        answers = (
            SelfIdentificationAnswers(**{name: data[name] for name in self.SELF_IDENTIFICATION})
            if consent
            else SelfIdentificationAnswers()
        )
        return NewLearner(
            name=data["name"],
            alternate_name=data["alternate_name"],
            birth_year=data["birth_year"],
            district=data["district"],
            phone=data["phone"],
            landline=data["landline"],
            email=data["email"],
            preferred_language=data["preferred_language"],
            self_identification=answers,
            paper_consent=consent,
        )
