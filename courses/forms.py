from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Category, District, Language, Level, TargetGroup, Term, Venue
from .selectors import TIME_OF_DAY_HOURS, CatalogueFilters

WEEKDAYS = [
    (1, _("Monday")),
    (2, _("Tuesday")),
    (3, _("Wednesday")),
    (4, _("Thursday")),
    (5, _("Friday")),
    (6, _("Saturday")),
    (7, _("Sunday")),
]
TIMES_OF_DAY = [
    ("morning", _("Morning (before 12:00)")),
    ("afternoon", _("Afternoon (12:00–18:00)")),
    ("evening", _("Evening (after 18:00)")),
]
assert {key for key, _label in TIMES_OF_DAY} == set(TIME_OF_DAY_HOURS)  # noqa: S101


class CatalogueFilterForm(forms.Form):
    """The catalogue's filters, read from the query string so any search can be shared."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. LINE, smartphone, anti-fraud")}
        ),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All districts"),
    )
    venue = forms.ModelChoiceField(
        label=_("Venue"),
        queryset=Venue.objects.select_related("district"),
        required=False,
        empty_label=_("All venues"),
    )
    category = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=Category.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    target_group = forms.ChoiceField(
        label=_("Designed for"),
        choices=[("", _("Anyone")), *TargetGroup.Code.choices],
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=[("", _("Any level")), *Level.choices], required=False
    )
    language = forms.ChoiceField(
        label=_("Taught in"), choices=[("", _("Any language")), *Language.choices], required=False
    )
    weekday = forms.TypedMultipleChoiceField(
        label=_("Day of the week"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    time_of_day = forms.ChoiceField(
        label=_("Time of day"), choices=[("", _("Any time")), *TIMES_OF_DAY], required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    term = forms.ModelChoiceField(
        label=_("Term"), queryset=Term.objects.all(), required=False, empty_label=_("All terms")
    )
    open_only = forms.BooleanField(label=_("Only courses I can still enroll in"), required=False)

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", _("The end date must be on or after the start date."))
        return cleaned

    def to_filters(self) -> CatalogueFilters:
        """Filters from the fields that are valid; a bad field is reported, not fatal."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        district, category = data.get("district"), data.get("category")
        venue, term = data.get("venue"), data.get("term")
        return CatalogueFilters(
            q=(data.get("q") or "").strip(),
            district=district.slug if district else "",
            venue=venue.pk if venue else None,
            category=category.slug if category else "",
            target_group=data.get("target_group") or "",
            level=data.get("level") or "",
            language=data.get("language") or "",
            weekdays=tuple(data.get("weekday") or ()),
            time_of_day=data.get("time_of_day") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            open_only=bool(data.get("open_only")),
            term=term.pk if term else None,
        )
