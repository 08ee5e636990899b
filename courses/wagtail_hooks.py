from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Category, CoursePage, District, Term, Venue
from .services import course_owner_sync


class DistrictViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["name", "name_en", "slug", "is_remote"]
    list_filter = ["is_remote"]
    search_fields = ["name", "name_en"]
    ordering = ["sort_order", "name"]


class VenueViewSet(SnippetViewSet):
    model = Venue
    icon = "home"
    list_display = ["name", "district", "kind", "step_free", "computers"]
    list_filter = ["district", "kind", "step_free"]
    search_fields = ["name", "name_en", "address"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "tag"
    list_display = ["name", "name_en", "slug"]
    search_fields = ["name", "name_en"]


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "date"
    list_display = ["name", "starts_on", "ends_on"]


class CatalogueViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Catalogue")
    menu_icon = "list-ul"
    menu_order = 200
    items = (TermViewSet, CategoryViewSet, VenueViewSet, DistrictViewSet)


register_snippet(CatalogueViewSetGroup)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def give_course_to_its_instructor(request, page):
    if isinstance(page.specific, CoursePage):
        course_owner_sync(course=page.specific)
