"""Reads for certificates: by public code (verification), a learner's own, the ones still to
issue, and the masked name the public verification page shows."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from courses.models import CoursePage

from .models import (
    CERTIFICATE_ALPHABET,
    CERTIFICATE_CODE_LENGTH,
    Certificate,
    Enrollment,
)

Status = Certificate.Status

# Letters people mistake for digits when typing a code from paper (Crockford's rules).
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_.·・]+")


def certificate_code_normalise(code: str) -> str | None:
    """A typed or scanned code in its stored form, or None if it cannot be one: upper case,
    without spaces or dashes, O→0 and I/L→1."""
    code = unicodedata.normalize("NFKC", code or "")  # full-width letters from CJK keyboards
    code = _SEPARATORS.sub("", code).upper().translate(_LOOKALIKES)
    if len(code) != CERTIFICATE_CODE_LENGTH or any(c not in CERTIFICATE_ALPHABET for c in code):
        return None
    return code


def certificate_by_code(code: str) -> Certificate | None:
    """The certificate a (typed, scanned, grouped) code names, with what the verification page
    shows loaded; None for a malformed or unknown code."""
    normalised = certificate_code_normalise(code)
    if normalised is None:
        return None
    return (
        Certificate.objects.select_related("replaced_by", "enrollment__course")
        .filter(code=normalised)
        .first()
    )


def learner_certificates(*, user: AbstractBaseUser) -> QuerySet[Certificate]:
    """The signed-in learner's certificates, newest first: current ones (valid or revoked) and
    superseded ones, so a learner sees that an old paper copy was replaced. One query."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return (
        Certificate.objects.filter(enrollment__learner__user=user)
        .select_related("enrollment")
        .order_by("-issued_at", "-pk")
    )


def learner_certificate_get(*, user: AbstractBaseUser, pk: int) -> Certificate | None:
    """One of the user's own valid certificates (for download), or None — also for another
    learner's, a superseded or a revoked one."""
    return learner_certificates(user=user).filter(pk=pk, status=Status.VALID).first()


def enrollments_lacking_certificate(
    *, course: CoursePage | None = None, decided_before: datetime | None = None
) -> list[int]:
    """Ids of COMPLETED enrollments with no current (non-superseded) certificate, oldest
    decision first; of one course, or decided before a moment (for the periodic sweep)."""
    current = Certificate.objects.filter(enrollment=OuterRef("pk")).exclude(
        status=Status.SUPERSEDED
    )
    enrollments = Enrollment.objects.filter(status=Enrollment.Status.COMPLETED).filter(
        ~Exists(current)
    )
    if course is not None:
        enrollments = enrollments.filter(course=course)
    if decided_before is not None:
        enrollments = enrollments.filter(decided_at__lte=decided_before)
    return list(enrollments.order_by("decided_at", "pk").values_list("pk", flat=True))


def enrollments_for_certificate_sweep(*, grace: timedelta = timedelta(minutes=10)) -> list[int]:
    """What the sweep should issue: completions older than `grace` (the completion receiver
    has queued the fresh ones already) still without a certificate."""
    return enrollments_lacking_certificate(decided_before=timezone.now() - grace)


# --- masking names for the public page ------------------------------------------------------

_WORD_SEPARATORS = re.compile(r"([\s\-‐·・‧.,]+)")
_CJK_MASK = "○"
_LATIN_MASK = "**"


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "HANGUL", "HIRAGANA", "KATAKANA"))


def _mask_cjk_word(word: str) -> str:
    """王小明 → 王○明, 王明 → 王○, 歐陽小明 → 歐○○明 (first and last character kept)."""
    if len(word) <= 1:
        return word
    if len(word) == 2:
        return word[0] + _CJK_MASK
    return word[0] + _CJK_MASK * (len(word) - 2) + word[-1]


def _mask_word(word: str) -> str:
    """One word in the middle of a name: its first letter only (Thị → T**). The stars do not
    tell the length."""
    if any(_is_cjk(c) for c in word):
        return word[0] + _CJK_MASK * (len(word) - 1)
    return word[0] + _LATIN_MASK


def mask_name(name: str) -> str:
    """A name as the public verification page shows it: enough for the holder (or an
    employer with the paper in hand) to recognise, too little to learn it from a code.

    - A Chinese name without spaces keeps its first and last character: 王小明 → 王○明.
    - A name of several words keeps the first and last word and masks the ones between:
      Nguyễn Thị Lan → Nguyễn T** Lan; with two words the second is masked:
      Watan Tanga → Watan T**; 瓦旦・達尬 → 瓦旦・達○.
    - A single Latin word keeps its first and last letter: Ayung → A**g (Lee → L**).
    """
    name = " ".join((name or "").split())
    parts = _WORD_SEPARATORS.split(name)
    words = [i for i, part in enumerate(parts) if part and not _WORD_SEPARATORS.fullmatch(part)]
    if not words:
        return name
    if len(words) == 1:
        word = parts[words[0]]
        if any(_is_cjk(c) for c in word):
            return _mask_cjk_word(word)
        return word[0] + _LATIN_MASK + (word[-1] if len(word) > 3 else "")
    masked = list(parts)
    keep_last = len(words) >= 3
    for position, index in enumerate(words):
        if position == 0 or (keep_last and position == len(words) - 1):
            continue
        masked[index] = _mask_word(parts[index])
    return "".join(masked)
