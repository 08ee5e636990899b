"""Thin views for the catalogue: read the request, call a selector, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse

from wagtail.models import Site

from .forms import CatalogueFilterForm
from .ics import course_sessions_ics
from .models import CourseIndexPage, CoursePage
from .selectors import course_catalogue

COURSES_PER_PAGE = 12


def catalogue_context(request: HttpRequest, *, index_page: CourseIndexPage) -> dict:
    form = CatalogueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    filters = form.to_filters()
    paginator = Paginator(course_catalogue(filters=filters), COURSES_PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "filter_form": form,
        "filters": filters,
        "page_obj": page_obj,
        "courses": page_obj.object_list,
        "filter_querystring": query.urlencode(),
    }


def course_calendar(request: HttpRequest, path: str) -> HttpResponse:
    """/courses/<slug>/calendar.ics: the course's upcoming sessions as an .ics file to add to
    a phone's calendar. Routed through the page tree, so it follows wherever the page lives."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    page, _args, _kwargs = site.root_page.localized.specific.route(
        request, [part for part in path.split("/") if part]
    )
    course = page.specific
    if not isinstance(course, CoursePage) or course.get_view_restrictions().exists():
        raise Http404
    ics = course_sessions_ics(course=course, sessions=course.upcoming_sessions())
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}.ics"'
    return response
