"""Taiwanese mobile numbers: read them however people write them, store them as E.164, show
them the way Taiwanese people read them, and send them text messages.

People write 0912-345-678, 0912 345 678, (0912)345678, +886 912 345 678, +886-0912-345-678 or
type full-width digits with an IME (０９１２３４５６７８); all of them are one number, stored as
+886912345678. Landlines (02-2950-0000) cannot receive codes by text message: they are refused
as a learner's mobile number with a message that says so, and kept apart (Learner.landline) for
seniors who have no mobile phone and are registered at a counter.

Text messages go through a backend chosen by the EZLEARN_SMS_BACKEND setting, so production
can plug in a provider while development logs the message and tests collect it in a list."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar, Protocol

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# Separators people put between digit groups (after NFKC has turned full-width forms into
# ASCII): spaces, dots, slashes, brackets and every kind of hyphen or dash.
_SEPARATORS = re.compile(r"[\s.\-/()\[\]\u2010-\u2015\u2212\u30fc]+")
_MOBILE_NATIONAL = re.compile(r"09(\d{8})")
# +886 912…, 886 912…, 00886 912…, and the common mistake of keeping the trunk 0: +886 0912…
_MOBILE_INTERNATIONAL = re.compile(r"(?:\+|00)?8860?9(\d{8})")
_LANDLINE = re.compile(r"(?:0|(?:\+|00)?886)[2-8]\d{6,8}")


def phone_normalise(raw: str) -> str:
    """Return a Taiwanese mobile number in E.164 (+8869XXXXXXXX), or raise ValidationError
    with a message a citizen understands."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise ValidationError(_("Please enter a mobile number."), code="required")
    compact = _SEPARATORS.sub("", text)
    if match := _MOBILE_NATIONAL.fullmatch(compact) or _MOBILE_INTERNATIONAL.fullmatch(compact):
        return f"+8869{match.group(1)}"
    if _LANDLINE.fullmatch(compact):
        raise ValidationError(
            _(
                "This looks like a landline number. Please enter a mobile number: it has "
                "10 digits and starts with 09, e.g. 0912-345-678."
            ),
            code="landline",
        )
    if re.search(r"[^\d+]", compact):
        raise ValidationError(
            _("A mobile number has only digits, e.g. 0912-345-678."), code="not_digits"
        )
    raise ValidationError(
        _("Please enter a Taiwanese mobile number: 10 digits starting with 09, e.g. 0912-345-678."),
        code="invalid",
    )


def landline_normalise(raw: str) -> str:
    """Return a Taiwanese landline number in E.164 (+886 and the number without its trunk 0,
    e.g. 02-2950-0000 → +886229500000), or raise ValidationError with a clear message."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise ValidationError(_("Please enter a phone number."), code="required")
    compact = _SEPARATORS.sub("", text)
    if _MOBILE_NATIONAL.fullmatch(compact) or _MOBILE_INTERNATIONAL.fullmatch(compact):
        raise ValidationError(
            _("This is a mobile number: please enter it as the mobile number."), code="mobile"
        )
    if _LANDLINE.fullmatch(compact):
        national = re.sub(r"^(?:\+|00)?886|^0", "", compact)
        return f"+886{national.lstrip('0')}"
    raise ValidationError(
        _("Please enter a Taiwanese phone number with its area code, e.g. 02-2950-0000."),
        code="invalid",
    )


def any_phone_normalise(raw: str) -> tuple[str, str]:
    """("mobile", E.164) or ("landline", E.164) for what counter staff type into one box;
    ValidationError (phone_normalise's message) if it is neither."""
    try:
        return "mobile", phone_normalise(raw)
    except ValidationError as error:
        if error.code != "landline":
            raise
    return "landline", landline_normalise(raw)


def phone_display(e164: str) -> str:
    """+886912345678 → 0912-345-678 and +886229500000 → 02-2950-0000, the way numbers are
    written in Taiwan. Anything else unchanged."""
    if match := re.fullmatch(r"\+8869(\d{2})(\d{3})(\d{3})", e164 or ""):
        return "09{}-{}-{}".format(*match.groups())
    if match := re.fullmatch(r"\+886([2-8]\d{6,8})", e164 or ""):
        national = match.group(1)
        area = next(code for code in _AREA_CODES if national.startswith(code))
        local = national[len(area) :]
        return f"0{area}-{local[:-4]}-{local[-4:]}" if len(local) > 6 else f"0{area}-{local}"
    return e164 or ""


# Taiwanese area codes without the trunk 0, longest first (037 Miaoli, 049 Nantou, 082
# Kinmen, 0826 Wuqiu, 0836 Matsu, 089 Taitung).
_AREA_CODES = ("826", "836", "37", "49", "82", "89", "2", "3", "4", "5", "6", "7", "8")


# --- Text messages ------------------------------------------------------------------------


@dataclass(frozen=True)
class SmsMessage:
    to: str
    body: str


class SmsBackend(Protocol):
    def send(self, message: SmsMessage) -> None: ...


class ConsoleSmsBackend:
    """Development: the message is written to the log (the console with `make run`)."""

    def send(self, message: SmsMessage) -> None:
        logger.info("Text message to %s: %s", message.to, message.body)


class LocmemSmsBackend:
    """Tests: messages are kept in `LocmemSmsBackend.outbox`, like Django's mail.outbox."""

    outbox: ClassVar[list[SmsMessage]] = []

    def send(self, message: SmsMessage) -> None:
        self.outbox.append(message)


def sms_send(*, to: str, body: str) -> None:
    """Send a text message to an E.164 number through the configured backend."""
    backend: SmsBackend = import_string(settings.EZLEARN_SMS_BACKEND)()
    backend.send(SmsMessage(to=to, body=body))
