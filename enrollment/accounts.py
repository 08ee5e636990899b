"""Citizens' accounts with django-allauth: sign up and sign in with an email address or a
Taiwanese mobile number.

The mobile number of an account is the learner's (Learner.phone, E.164): one number per
person, unique among learners, the same one counter staff find them by. Sign-up therefore asks
for the two things a learner cannot be without, name and year of birth, and creates the
learner with the account. Text messages (sign-in codes) leave through enrollment.phone."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import RequestLoginCodeForm as AllauthRequestLoginCodeForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.utils import user_email, user_field
from allauth.core import ratelimit
from allauth.core.exceptions import RateLimited

from .forms import BirthYearField, MobilePhoneField, PersonNameField, contact_required_errors
from .models import Learner
from .phone import phone_normalise, sms_send
from .services import learner_claim, learner_phone_set, learner_profile_save

logger = logging.getLogger(__name__)

# The session remembers an account that is claiming a learner registered at a counter, until
# the code texted to the learner's number is typed back (see AccountAdapter.save_user).
CLAIM_SESSION_KEY = "ezlearn_learner_claim"


def _learner_of(user: AbstractBaseUser) -> Learner | None:
    if user is None or user.pk is None:
        return None
    return Learner.objects.filter(user=user).first()


def _site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def user_display(user: AbstractBaseUser) -> str:
    """How allauth names the person ("Signed in as …"): their name, not a generated username."""
    learner = _learner_of(user)
    if learner is not None:
        return learner.name
    return user.get_full_name() or user_email(user) or user.get_username()


class AccountAdapter(DefaultAccountAdapter):
    """Keeps the account's mobile number on the learner and sends codes by text message."""

    def phone_form_field(self, **kwargs):
        return MobilePhoneField(**kwargs)

    def get_user_by_phone(self, phone: str) -> AbstractBaseUser | None:
        try:
            phone = phone_normalise(phone)
        except ValidationError:
            return None
        learner = (
            Learner.objects.filter(phone=phone, user__isnull=False).select_related("user").first()
        )
        return learner.user if learner else None

    def _claim(self, user: AbstractBaseUser) -> dict | None:
        """The counter learner this browser's new account is claiming, if any."""
        request = getattr(self, "request", None)
        claim = request.session.get(CLAIM_SESSION_KEY) if request is not None else None
        if claim and user is not None and claim.get("user") == user.pk:
            return claim
        return None

    def get_phone(self, user: AbstractBaseUser) -> tuple[str, bool] | None:
        learner = _learner_of(user)
        if learner is None:
            claim = self._claim(user)
            return (claim["phone"], False) if claim else None
        if not learner.phone:
            return None
        return learner.phone, learner.phone_verified_at is not None

    def set_phone(self, user: AbstractBaseUser, phone: str, verified: bool) -> None:
        learner = _learner_of(user)
        if learner is None:
            # An account without a learner (e.g. staff) has nowhere to keep a number; the
            # profile form creates the learner with it.
            logger.warning("No learner for user %s; phone not stored.", user.pk)
            return
        learner_phone_set(learner=learner, phone=phone_normalise(phone), verified=verified)

    def set_phone_verified(self, user: AbstractBaseUser, phone: str) -> None:
        """A code sent to `phone` was typed back (at sign-up, at login or when changing the
        number). A new account claiming a counter learner gets that learner now."""
        claim = self._claim(user)
        if claim is not None and _learner_of(user) is None:
            self.request.session.pop(CLAIM_SESSION_KEY, None)
            learner = learner_claim(
                user=user,
                phone=phone_normalise(phone),
                email=claim.get("email", ""),
                preferred_language=claim.get("language", ""),
            )
            if learner is not None:
                messages.success(
                    self.request,
                    gettext(
                        "Welcome, %(name)s! We found you: the courses you signed up for at the "
                        "service counter are in My courses."
                    )
                    % {"name": learner.name},
                )
            return
        self.set_phone(user, phone, True)

    def send_verification_code_sms(
        self, user: AbstractBaseUser, phone: str, code: str, **kwargs
    ) -> None:
        sms_send(
            to=phone,
            body=gettext(
                "EZ-Learn: your code is %(code)s. Do not give this code to anyone, not even "
                "to someone who says they are staff."
            )
            % {"code": code},
        )

    def send_account_already_exists_sms(self, phone: str) -> None:
        sms_send(
            to=phone,
            body=gettext(
                "EZ-Learn: someone tried to sign up with this mobile number, but it is already "
                "registered. To sign in, choose 'Send me a sign-in code' at %(url)s. If you "
                "registered at a service counter, ask the staff there to help you."
            )
            % {"url": f"{_site_url()}/accounts/login/"},
        )

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        sms_send(
            to=phone,
            body=gettext(
                "EZ-Learn: a sign-in code was asked for this mobile number, but no account uses "
                "it. To create one, go to %(url)s. If it was not you, ignore this message."
            )
            % {"url": f"{_site_url()}/accounts/signup/"},
        )

    def save_user(self, request, user: AbstractBaseUser, form, commit: bool = True):
        """Create the account and its learner together (allauth's own save_user would store
        the phone before a learner exists to hold it)."""
        data = form.cleaned_data
        if "birth_year" not in data:
            return super().save_user(request, user, form, commit)
        with transaction.atomic():
            user_email(user, data.get("email") or "")
            user_field(user, "first_name", data["name"])
            user.set_password(data["password1"])
            self.populate_username(request, user)
            user.save()
            if getattr(form, "claims_counter_learner", False):
                # The number belongs to a learner registered at a counter: the account gets
                # that learner once the code texted to the number is typed back, never before
                # (anyone could type someone else's number).
                request.session[CLAIM_SESSION_KEY] = {
                    "user": user.pk,
                    "phone": data["phone"],
                    "email": data.get("email") or "",
                    "language": current_language(),
                }
                return user
            learner_profile_save(
                user=user,
                data={
                    "name": data["name"],
                    "birth_year": data["birth_year"],
                    "phone": data.get("phone") or "",
                    "email": data.get("email") or "",
                    "preferred_language": current_language(),
                },
            )
        return user


def current_language() -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


class LoginForm(AllauthLoginForm):
    """One box for an email address or a mobile number, with a precise message when the
    box holds neither."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Email or mobile number")
        login.help_text = _("The one you signed up with, e.g. 0912-345-678.")
        login.widget.attrs.update({"placeholder": "", "autocomplete": "username"})
        if "password" in self.fields:
            self.fields["password"].widget.attrs["placeholder"] = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _(
                "Keep me signed in on this device (not on a shared computer)"
            )

    def clean_login(self) -> str:
        login = super().clean_login()
        if "@" in login:
            validate_email(login)
            return login
        return phone_normalise(login)


class RequestLoginCodeForm(AllauthRequestLoginCodeForm):
    """The mobile number first: most seniors have a phone, fewer read email."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["phone", "email"])
        self.fields["email"].label = _("Or your email")
        self.fields["email"].widget.attrs["placeholder"] = ""


class SignupForm(AllauthSignupForm):
    """Account and learner in one screen: name, year of birth, mobile and/or email, password."""

    name = PersonNameField(
        label=_("Your name"),
        help_text=_("As on your ID card, in any script, e.g. 林美玲, Yuraw‧Watan, Nguyễn Thị Lan."),
    )
    birth_year = BirthYearField()

    field_order = ["name", "birth_year", "phone", "email", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].label = _("Mobile number")
        self.fields["email"].label = _("Email")
        self.fields["email"].help_text = _(
            "Give a mobile number, an email address, or both. With an email address you can "
            "reset a forgotten password."
        )
        self.fields["email"].widget.attrs["placeholder"] = ""
        for name in ("password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs["placeholder"] = ""
        if "password1" in self.fields:
            # Django's own help is an HTML list of four rules; one plain sentence reads better.
            self.fields["password1"].help_text = _(
                "At least 8 characters, not only digits, and not a common password such as "
                "12345678."
            )

    def clean(self):
        data = super().clean()
        contact_required_errors(self)
        phone = data.get("phone")
        self.claims_counter_learner = False
        if phone and not self.account_already_exists:
            # Registered at a counter, without an account: the new account claims that
            # learner after proving, by a texted code, that it holds the number.
            self.claims_counter_learner = Learner.objects.filter(
                phone=phone, user__isnull=True
            ).exists()
        return data

    def try_save(self, request):
        # A repeated sign-up with a registered number within allauth's limit for texting it
        # raises RateLimited inside allauth's view: answer "too many requests", not an error.
        try:
            return super().try_save(request)
        except RateLimited:
            return None, ratelimit.respond_429(request)
