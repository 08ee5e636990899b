from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.functional import Promise

import pytest

from enrollment.phone import (
    LocmemSmsBackend,
    any_phone_normalise,
    landline_normalise,
    phone_display,
    phone_normalise,
    sms_send,
)
from enrollment.validators import person_name_normalise, validate_person_name

MOBILE = "+886912345678"


@pytest.mark.parametrize(
    "raw",
    [
        "0912-345-678",
        "0912345678",
        "0912 345 678",
        "+886 912 345 678",
        "+886-912-345-678",
        "+886912345678",
        "886912345678",
        "00886912345678",
        "+886 0912 345 678",  # trunk zero kept after the country code
        "(0912)345678",
        "(0912) 345-678",
        "0912.345.678",
        "０９１２３４５６７８",  # full-width digits from a Chinese input method
        "０９１２－３４５－６７８",  # full-width hyphens
        "＋８８６　９１２　３４５　６７８",  # full-width plus and ideographic spaces
        "（０９１２）３４５６７８",  # full-width brackets
        "0912—345—678",  # em dashes
        "  0912-345-678  ",
    ],
)
def test_phone_normalise_accepts_every_way_people_write_a_taiwanese_mobile(raw):
    assert phone_normalise(raw) == MOBILE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("02-2950-0000", "landline"),
        ("(02) 2950-0000", "landline"),
        ("０２－２９５０－００００", "landline"),
        ("+886 2 2950 0000", "landline"),
        ("04-2222-3333", "landline"),
        ("0912-345-67", "invalid"),  # one digit short
        ("0912-345-6789", "invalid"),  # one digit too many
        ("912345678", "invalid"),  # no leading zero: ambiguous
        ("+1 415 555 0100", "invalid"),  # not Taiwanese
        ("0912-ABC-678", "not_digits"),
        ("call me", "not_digits"),
    ],
)
def test_phone_normalise_refuses_anything_but_a_taiwanese_mobile(raw, code):
    with pytest.raises(ValidationError) as error:
        phone_normalise(raw)
    assert error.value.code == code


def test_landline_error_says_it_is_a_landline_in_the_visitors_language():
    with pytest.raises(ValidationError) as error:
        phone_normalise("02-2950-0000")
    message = error.value.message
    assert isinstance(message, Promise), "the message must be wrapped in gettext_lazy"
    with translation.override("en"):
        assert "landline" in str(message)


def test_phone_display_writes_the_number_the_taiwanese_way():
    assert phone_display(MOBILE) == "0912-345-678"
    assert phone_display("") == ""
    assert phone_display("+15551234") == "+15551234"


def test_sms_goes_through_the_configured_backend(settings):
    settings.EZLEARN_SMS_BACKEND = "enrollment.phone.LocmemSmsBackend"
    LocmemSmsBackend.outbox.clear()
    sms_send(to=MOBILE, body="hello")
    assert [(m.to, m.body) for m in LocmemSmsBackend.outbox] == [(MOBILE, "hello")]
    LocmemSmsBackend.outbox.clear()


def test_console_sms_backend_logs_the_message(settings, caplog):
    settings.EZLEARN_SMS_BACKEND = "enrollment.phone.ConsoleSmsBackend"
    with caplog.at_level("INFO", logger="enrollment.phone"):
        sms_send(to=MOBILE, body="code 123456")
    assert "code 123456" in caplog.text


# --- Names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "林美玲",
        "Yuraw‧Watan",  # Atayal, hyphenation point
        "瓦旦·達道",  # middle dot
        "Hla'alua",
        "Sakinu Ahronglong",  # space
        "Nguyễn Thị Lan",  # Vietnamese, precomposed
        "Nguye\u0302\u0303n Thi\u0323 Lan",  # Vietnamese, combining marks
        "Siti Nurhaliza binti Ahmad",
        "O’Neill",
        "Jean-Pierre",
        "A. Lin",
        "สมชาย ใจดี",  # Thai with combining vowels
        "Ｌｉｎ",  # full-width Latin letters are letters
        "林",
        "x" * 80,
    ],
)
def test_real_names_are_accepted(name):
    validate_person_name(person_name_normalise(name))


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("x" * 81, "max_length"),
        ("林" * 500, "max_length"),
        ("Lin\x00Mei", "control"),
        ("Lin\tMei", "control"),
        ("Lin\nMei", "control"),
        ("Lin\u202eMei", "control"),  # right-to-left override
        ("Lin\u200bMei", "control"),  # zero-width space
        ("\ue000林", "private_use"),
        ("12345", "digits"),
        ("Lin 2", "digits"),
        ("<script>", "symbols"),
        ("Lin > Mei", "symbols"),
        ("Lin@example", "symbols"),
        ("Lin 😀", "symbols"),
        ("‧'-", "no_letters"),
    ],
)
def test_nonsense_names_are_refused_with_a_reason(name, code):
    with pytest.raises(ValidationError) as error:
        validate_person_name(name)
    assert error.value.code == code
    assert isinstance(error.value.message, Promise)


def test_name_normalisation_composes_diacritics_and_collapses_spaces():
    assert person_name_normalise("  Nguye\u0302\u0303n \u3000 Thi\u0323  Lan ") == "Nguyễn Thị Lan"


def test_too_long_name_message_counts_the_characters():
    with pytest.raises(ValidationError) as error:
        validate_person_name("林" * 500)
    with translation.override("en"):
        assert "500" in str(error.value.messages[0]) and "80" in str(error.value.messages[0])


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        ("02-2950-0000", "+886229500000", "02-2950-0000"),
        ("(02)2950 0000", "+886229500000", "02-2950-0000"),
        ("+886 2 2950 0000", "+886229500000", "02-2950-0000"),
        ("０２－２９５０－００００", "+886229500000", "02-2950-0000"),
        ("07-123-4567", "+88671234567", "07-123-4567"),
        ("049-2345678", "+886492345678", "049-234-5678"),
    ],
)
def test_landlines_are_stored_in_e164_and_shown_as_written_in_taiwan(typed, stored, shown):
    assert landline_normalise(typed) == stored
    assert phone_display(stored) == shown
    assert any_phone_normalise(typed) == ("landline", stored)


def test_a_mobile_number_is_not_taken_as_a_landline():
    with pytest.raises(ValidationError) as error:
        landline_normalise("0912-345-678")
    assert error.value.code == "mobile"
    assert any_phone_normalise("0912-345-678") == ("mobile", "+886912345678")


@pytest.mark.parametrize("typed", ["", "12345", "02-29"])
def test_nonsense_is_not_a_landline(typed):
    with pytest.raises(ValidationError):
        landline_normalise(typed)
