"""Public certificate verification, no login: /certificates/verify/ (type the code from a
paper certificate) and /certificates/verify/<code>/ (where the QR code leads).

The page says valid, superseded or revoked, with the name partly masked. A malformed, altered
or unknown code answers the same 404 page, which reveals nothing. Both pages are rate limited
per client address (Django's cache) and kept out of search engines."""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .certificate_selectors import (
    certificate_by_code,
    certificate_code_normalise,
    mask_name,
)
from .certificates import hours_display
from .models import certificate_code_group


def client_ip(request: HttpRequest) -> str:
    """The client's address. Behind a reverse proxy set CERTIFICATES_VERIFY_IP_HEADER (e.g.
    HTTP_X_FORWARDED_FOR): its right-most entry, the one our own proxy added, is used, since
    anything to its left is whatever the client chose to send."""
    header = settings.CERTIFICATES_VERIFY_IP_HEADER
    if header and (value := request.META.get(header, "")):
        return value.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


def rate_limited(request: HttpRequest) -> bool:
    """Count this request against its address's fixed window; True once over the limit."""
    limit, window = settings.CERTIFICATES_VERIFY_RATE_LIMIT
    if not limit:
        return False
    key = f"certificates-verify:{client_ip(request)}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return count > limit


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"  # the code is in the address
    return response


def verification_page(view):
    """Rate limit, never cache, never index."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if rate_limited(request):
            response = render(request, "enrollment/certificate_verify_limited.html", status=429)
            response["Retry-After"] = str(settings.CERTIFICATES_VERIFY_RATE_LIMIT[1])
        else:
            response = view(request, *args, **kwargs)
        return _noindex(response)

    return never_cache(wrapper)


@require_GET
@verification_page
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type the code printed on a certificate; a well-formed code goes to its page."""
    typed = request.GET.get("code", "")
    error = None
    if "code" in request.GET:
        code = certificate_code_normalise(typed)
        if code is not None:
            return redirect("certificates:verify", code=certificate_code_group(code))
        error = _(
            "A certificate code has 20 letters and digits, e.g. 7K3M-Q9XA-2BCD-HJ4P-ZW8R. "
            "Please check it and try again."
        )
    return render(
        request,
        "enrollment/certificate_verify_form.html",
        {"typed": typed[:60], "error": error},
        status=400 if error else 200,
    )


@require_GET
@verification_page
def verify(request: HttpRequest, code: str) -> HttpResponse:
    certificate = certificate_by_code(code)
    if certificate is None:
        return render(request, "enrollment/certificate_verify_unknown.html", status=404)
    return render(
        request,
        "enrollment/certificate_verify.html",
        {
            "certificate": certificate,
            "masked_name": mask_name(certificate.learner_name),
            "masked_other_name": mask_name(certificate.learner_other_name),
            "hours": hours_display(certificate.hours),
        },
    )
