"""Public read API for city apps: /api/v2/courses/ lists live course pages with their
sessions, venue and category (Wagtail API v2)."""

from wagtail.api.v2.views import PagesAPIViewSet

from .models import CoursePage


class CoursesAPIViewSet(PagesAPIViewSet):
    name = "courses"
    model = CoursePage
    listing_default_fields = [
        *PagesAPIViewSet.listing_default_fields,
        "summary",
        "category",
        "venue",
        "level",
        "target_group_codes",
        "language",
        "capacity",
        "seats_left",
        "registration_opens_at",
        "registration_closes_at",
        "total_hours",
        "sessions",
    ]

    def get_queryset(self):
        return (
            CoursePage.objects.filter(
                pk__in=self.get_base_queryset().type(CoursePage).values_list("pk", flat=True)
            )
            .select_related("venue__district", "category", "term", "instructor", "seats")
            .prefetch_related("target_groups", "sessions")
            .order_by("pk")
        )
