"""Request middleware of the enrollment app."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from allauth.core import ratelimit
from allauth.core.exceptions import RateLimited


class RateLimitedMiddleware:
    """allauth's limits (e.g. one text message per number every 30 seconds) can be reached
    in a login stage, after its views' own handling: answer "too many requests, try again in
    a moment" (allauth's 429 page) rather than a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimited):
            return ratelimit.respond_429(request)
        return None
