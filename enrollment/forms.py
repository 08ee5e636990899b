"""Citizens' forms: the learner profile and the fields the sign-up form shares with it.

Forms check and tidy what was typed; saving goes through enrollment.services."""

from __future__ import annotations

import re
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import District

from .choices import IndigenousNation, OriginCountry, SelfIdentification
from .models import Learner
from .phone import phone_display, phone_normalise
from .services import PHONE_TAKEN, SELF_IDENTIFICATION_FIELDS
from .validators import person_name_normalise, validate_person_name

MINGUO_OFFSET = 1911  # Minguo (民國) year 1 is 1912
NOT_ANSWERED = [("", _("Not answered"))]


class PersonNameField(forms.CharField):
    """A name in any script, stored in NFC with single spaces. No maxlength on the input:
    the browser would cut a pasted name silently, the validator says why it is too long."""

    default_validators = [validate_person_name]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "name"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return person_name_normalise(value) if value else value


class BirthYearField(forms.CharField):
    """A year of birth as seniors say it: 1952, １９５２, or the Minguo year 41 (民國41年)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "bday-year", "size": "6"}
            ),
        )
        kwargs.setdefault("label", _("Year of birth"))
        kwargs.setdefault(
            "help_text",
            _("For example 1955. A Minguo year works too: 44 is the same as 1955."),
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        text = unicodedata.normalize("NFKC", value)
        text = re.sub(r"^(民國|民国|西元|公元)|年$", "", text.strip()).strip()
        if not text.isascii() or not text.isdigit():
            raise ValidationError(
                _("Please write the year of birth in digits, for example 1955."), code="invalid"
            )
        year = int(text)
        this_year = timezone.localdate().year
        if 1 <= year <= this_year - MINGUO_OFFSET:
            year += MINGUO_OFFSET
        if not 1900 <= year <= this_year:
            raise ValidationError(
                _("Please enter a year of birth between 1900 and %(year)s."),
                code="range",
                params={"year": this_year},
            )
        return year


class MobilePhoneField(forms.CharField):
    """A Taiwanese mobile number, however it is typed; cleans to E.164 (+886912345678)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
        )
        kwargs.setdefault("label", _("Mobile number"))
        kwargs.setdefault("help_text", _("For example 0912-345-678."))
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        # Show a stored number as people write it; a typed value is shown as typed.
        return phone_display(value) if isinstance(value, str) and value.startswith("+") else value

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return ""
        return phone_normalise(value)


class NormalisedEmailField(forms.EmailField):
    """An email address typed with a Chinese input method (full-width ａｂｃ＠ｅｘａｍｐｌｅ．ｔｗ)
    is the same address in ASCII; stored in lower case."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return unicodedata.normalize("NFKC", value).lower() if value else value


def contact_required_errors(form: forms.Form) -> None:
    """A learner needs a mobile number or an email address: say so next to both fields."""
    data = form.cleaned_data
    if data.get("phone") or data.get("email") or "phone" in form.errors or "email" in form.errors:
        return
    message = _("Please give a mobile number or an email address, so that we can reach you.")
    form.add_error("phone", ValidationError(message, code="no_contact"))
    form.add_error("email", ValidationError(message, code="no_contact"))


def _answer_field(label, choices, *, radio: bool, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices if radio else [*NOT_ANSWERED, *choices],
        required=False,
        help_text=help_text,
        widget=forms.RadioSelect if radio else forms.Select,
    )


class ProfileForm(forms.Form):
    """Who the learner is, how to reach them, and optional self-identification stored only
    with consent."""

    name = PersonNameField(
        label=_("Your name"),
        help_text=_("As on your ID card, in any script, e.g. 林美玲, Yuraw‧Watan, Nguyễn Thị Lan."),
    )
    alternate_name = PersonNameField(
        label=_("Other name (optional)"),
        required=False,
        help_text=_("E.g. your traditional indigenous name, or your name in Chinese characters."),
    )
    birth_year = BirthYearField()
    district = forms.ModelChoiceField(
        label=_("District where you live (optional)"),
        queryset=District.objects.all(),
        required=False,
        empty_label=_("Not answered"),
        help_text=_("Helps the city plan classes near you."),
    )
    phone = MobilePhoneField(required=False)
    email = NormalisedEmailField(
        label=_("Email"),
        required=False,
        help_text=_("Give a mobile number, an email address, or both."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for our messages"), choices=settings.LANGUAGES
    )

    consent = forms.BooleanField(
        label=_("I agree, and I want to answer the questions below."), required=False
    )
    indigenous = _answer_field(_("Are you indigenous?"), SelfIdentification.choices, radio=True)
    indigenous_nation = _answer_field(
        _("If yes: which nation?"), IndigenousNation.choices, radio=False
    )
    new_immigrant = _answer_field(
        _("Are you a new immigrant?"),
        SelfIdentification.choices,
        radio=True,
        help_text=_("You came to live in Taiwan through marriage or work, from another country."),
    )
    origin_country = _answer_field(
        _("If yes: which country do you come from?"), OriginCountry.choices, radio=False
    )
    disability = _answer_field(
        _("Do you have a disability?"),
        SelfIdentification.choices,
        radio=True,
        help_text=_("So the venue can get ready for you, and the city can count who it reaches."),
    )

    BASIC_FIELDS = (
        "name",
        "alternate_name",
        "birth_year",
        "district",
        "phone",
        "email",
        "preferred_language",
    )

    def __init__(self, *args, learner: Learner | None = None, **kwargs):
        self.learner = learner
        if learner is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **{field: getattr(learner, field) for field in self.BASIC_FIELDS},
                **{field: getattr(learner, field) for field in SELF_IDENTIFICATION_FIELDS},
                "district": learner.district_id,
                "consent": learner.has_consent,
            }
        super().__init__(*args, **kwargs)

    @property
    def basic_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.BASIC_FIELDS]

    @property
    def self_identification_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SELF_IDENTIFICATION_FIELDS]

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        others = Learner.objects.filter(phone=phone)
        if self.learner is not None:
            others = others.exclude(pk=self.learner.pk)
        if phone and others.exists():
            raise ValidationError(PHONE_TAKEN, code="phone_taken")
        return phone

    def clean(self):
        data = super().clean()
        contact_required_errors(self)
        # Follow-up questions count only where they apply.
        if data.get("indigenous") != SelfIdentification.YES:
            data["indigenous_nation"] = ""
        if data.get("new_immigrant") != SelfIdentification.YES:
            data["origin_country"] = ""
        return data

    @property
    def answers_dropped(self) -> bool:
        """Self-identification was answered without consent, so it will not be stored."""
        data = self.cleaned_data
        return not data.get("consent") and any(
            data.get(field) for field in SELF_IDENTIFICATION_FIELDS
        )
