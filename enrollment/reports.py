"""Administrators' participation overview in the Wagtail admin, with CSV and XLSX exports."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import Category, District, Term
from courses.roles import user_is_administrator

from .exports import csv_bytes, xlsx_bytes
from .selectors import (
    ParticipationFilters,
    ParticipationSummary,
    participation_summary,
    small_cell_threshold,
)


class ParticipationFilterForm(forms.Form):
    term = forms.ModelChoiceField(
        label=_("Term"), queryset=Term.objects.all(), required=False, empty_label=_("All terms")
    )
    district = forms.ModelChoiceField(
        label=_("District of the venue"),
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )

    def to_filters(self) -> ParticipationFilters:
        data = self.cleaned_data if self.is_valid() else {}
        term, district, category = data.get("term"), data.get("district"), data.get("category")
        return ParticipationFilters(
            term=term.pk if term else None,
            district=district.slug if district else "",
            category=category.slug if category else "",
        )


def _columns() -> list[str]:
    return [
        str(_("Group")),
        str(_("Learners")),
        str(_("Enrollments")),
        str(_("Waiting")),
        str(_("Cancelled")),
        str(_("Attendance %")),
        str(_("Completed")),
        str(_("Completion %")),
    ]


def _cells(row) -> list[object]:
    if row.suppressed:
        hidden = str(_("fewer than %(n)s") % {"n": small_cell_threshold()})
        return [row.label, hidden, "", "", "", "", "", ""]
    return [
        row.label,
        row.learners,
        row.enrollments,
        row.waitlisted,
        row.cancelled,
        row.attendance_rate,
        row.completed,
        row.completion_rate,
    ]


def summary_sheets(summary: ParticipationSummary):
    yield str(_("Total")), _columns(), [_cells(summary.total)]
    for table in summary.tables:
        yield str(table.title), _columns(), [_cells(row) for row in table.rows]


class ParticipationReportView(WagtailAdminTemplateMixin, TemplateView):
    page_title = _("Participation")
    header_icon = "table"
    template_name = "enrollment/reports/participation.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not user_is_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self.form = ParticipationFilterForm(request.GET or None)
        self.summary = participation_summary(filters=self.form.to_filters())
        export = request.GET.get("export")
        if export in {"csv", "xlsx"}:
            return self.export(export)
        return super().get(request, *args, **kwargs)

    def export(self, kind: str) -> HttpResponse:
        stamp = timezone.localdate().isoformat()
        if kind == "csv":
            rows = []
            for title, _header, table_rows in summary_sheets(self.summary):
                rows.extend([title, *cells] for cells in table_rows)
            content = csv_bytes(header=[str(_("Table")), *_columns()], rows=rows)
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        else:
            content = xlsx_bytes(sheets=summary_sheets(self.summary))
            response = HttpResponse(
                content,
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="participation-{stamp}.{kind}"'
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("export", None)
        context.update(
            form=self.form,
            summary=self.summary,
            columns=_columns(),
            threshold=small_cell_threshold(),
            querystring=query.urlencode(),
        )
        return context
