"""Template tags for the citizen's side of enrollment.

The course page (courses app) must not import enrollment, so it asks through these tags:
`{% learner_enrollment course as enrollment %}` costs one query for a signed-in visitor and
none for an anonymous one."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

import segno

from ..attendance import enrollment_check_in_url
from ..learner_selectors import learner_course_enrollment
from ..models import Enrollment
from ..phone import phone_display

register = template.Library()


@register.simple_tag(takes_context=True)
def learner_enrollment(context, course) -> Enrollment | None:
    """The visitor's live enrollment in `course` (with `waitlist_position`), or None."""
    request = context.get("request")
    if request is None or course is None:
        return None
    return learner_course_enrollment(user=request.user, course_id=course.pk)


@register.simple_tag
def check_in_qr(enrollment: Enrollment) -> SafeString:
    """The enrollment's check-in QR code as inline SVG (the same URL as on the printed slip),
    scaled by CSS; its text alternative names the code staff can type instead."""
    qr = segno.make(enrollment_check_in_url(enrollment=enrollment), error="m")
    # segno writes only paths and numbers here: nothing from the visitor reaches the SVG.
    svg = mark_safe(qr.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr__image"))  # noqa: S308
    label = _("Check-in QR code. The code is %(code)s.") % {"code": enrollment.check_in_code}
    return format_html('<div class="qr" role="img" aria-label="{}">{}</div>', label, svg)


@register.filter
def phone(value: str) -> str:
    """+886912345678 → 0912-345-678."""
    return phone_display(value)
