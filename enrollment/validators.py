"""Validation of what citizens type about themselves."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 80

# Punctuation that belongs in real names: apostrophes (Hla'alua, O’Neill), the middle dots
# Taiwan uses between an indigenous given name and family name (Yuraw‧Watan, 瓦旦·達道), hyphens
# and the full stop of an initial. Everything else that is not a letter, a combining mark or a
# space is refused.
NAME_PUNCTUATION = frozenset("'’‘ʼ`‧·・･.-‐‑")


def person_name_normalise(value: str) -> str:
    """The form in which a name is stored: NFC (so Vietnamese diacritics typed as combining
    marks and as precomposed letters are the same text), spaces trimmed and collapsed.
    Line breaks and tabs are kept, so that the validator can refuse them."""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(" " if unicodedata.category(char) == "Zs" else char for char in value)
    return " ".join(part for part in value.strip().split(" ") if part)


def validate_person_name(value: str) -> None:
    """A name as a person really has it: any script's letters and combining marks, spaces,
    apostrophes, middle dots and hyphens; 1 to 80 characters; no digits, symbols, control or
    invisible characters."""
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("Please enter a name."), code="required")
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A name can have at most %(limit)d characters (this one has %(count)d)."),
            code="max_length",
            params={"limit": NAME_MAX_LENGTH, "count": len(value)},
        )
    symbols: list[str] = []
    has_letter = False
    for char in value:
        category = unicodedata.category(char)
        # Nl: letter-like numerals such as 〇 and Ⅲ.
        if category[0] == "L" or category == "Nl":
            has_letter = True
        elif category[0] == "M" or category == "Zs" or char in NAME_PUNCTUATION:
            continue
        elif category in {"Cc", "Cf", "Cs", "Cn", "Zl", "Zp"}:
            raise ValidationError(
                _(
                    "The name contains an invisible or control character (for example a line "
                    "break or a tab). Please type the name again."
                ),
                code="control",
            )
        elif category == "Co":
            raise ValidationError(
                _(
                    "The name contains a character that only special fonts can show. Please "
                    "use the nearest common character."
                ),
                code="private_use",
            )
        elif category[0] == "N":
            raise ValidationError(_("A name cannot contain numbers."), code="digits")
        elif char not in symbols:
            symbols.append(char)
    if symbols:
        raise ValidationError(
            _("A name cannot contain these characters: %(characters)s"),
            code="symbols",
            params={"characters": " ".join(symbols)},
        )
    if not has_letter:
        raise ValidationError(_("A name needs at least one letter."), code="no_letters")
