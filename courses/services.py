"""State changes of the catalogue: site set-up, roles and their rights, course ownership."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from .models import Category, CourseIndexPage, CoursePage, District, HomePage, Term, Venue
from .roles import ADMINISTRATORS, COUNTER_STAFF, INSTRUCTORS

COURSE_WORKFLOW_NAME = "Course approval"
SNIPPET_MODELS = (District, Venue, Category, Term)


@transaction.atomic
def site_setup(*, hostname: str = "localhost", port: int = 80) -> CourseIndexPage:
    """Create the page tree (home → /courses/), the default site, roles and the approval
    workflow. Idempotent: running it again changes nothing that is already there."""
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = HomePage(
            title="EZ-Learn 新北市民電腦課",
            slug="home",
            intro="<p>免費電腦課，幫您一步一步學會手機、LINE、防詐騙和更多。</p>",
        )
        # Wagtail's migration makes a welcome page (and a site on it); ours replaces both.
        for welcome in Page.objects.filter(depth=2, content_type__model="page"):
            welcome.delete()
        root.refresh_from_db()
        root.add_child(instance=home)
    site, _created = Site.objects.get_or_create(
        is_default_site=True,
        defaults={
            "hostname": hostname,
            "port": port,
            "root_page": home,
            "site_name": "EZ-Learn",
        },
    )
    if site.root_page_id != home.pk:
        site.root_page = home
        site.save(update_fields=["root_page"])

    catalogue = CourseIndexPage.objects.filter(slug="courses").first()
    if catalogue is None:
        catalogue = CourseIndexPage(
            title="課程查詢",
            slug="courses",
            intro="<p>找一門離您家近、時間方便的免費課程。</p>",
        )
        home.add_child(instance=catalogue)

    roles_setup(home=home, catalogue=catalogue)
    course_workflow_setup(catalogue=catalogue)
    return catalogue


def _model_permissions(models, actions) -> list[Permission]:
    permissions = []
    for model in models:
        content_type = ContentType.objects.get_for_model(model)
        for action in actions:
            permissions.append(
                Permission.objects.get(
                    content_type=content_type, codename=f"{action}_{model._meta.model_name}"
                )
            )
    return permissions


def _page_permissions(codenames) -> list[Permission]:
    content_type = ContentType.objects.get_for_model(Page)
    return [Permission.objects.get(content_type=content_type, codename=c) for c in codenames]


def _collection_permissions(codenames) -> list[Permission]:
    return [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in codenames
    ]


def roles_setup(*, home: HomePage, catalogue: CourseIndexPage) -> tuple[Group, Group]:
    """Groups Instructors, Administrators and Counter staff with exactly the rights their work
    needs.

    Instructors may add course pages under the catalogue and edit the ones they own; without
    "publish", their changes go through the approval workflow. Only administrators manage
    snippets, users and publishing. Counter staff only reach the admin: the counter, slip and
    check-in screens (enrollment app) check the group themselves and touch no page or snippet."""
    admin_access = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    root_collection = Collection.get_first_root_node()

    instructors, _ = Group.objects.get_or_create(name=INSTRUCTORS)
    instructors.permissions.add(admin_access, *_model_permissions(SNIPPET_MODELS, ["view"]))
    for permission in _page_permissions(["add_page"]):
        GroupPagePermission.objects.get_or_create(
            group=instructors, page=catalogue, permission=permission
        )
    for permission in _collection_permissions(
        [
            ("wagtailimages", "add_image"),
            ("wagtailimages", "choose_image"),
            ("wagtaildocs", "add_document"),
            ("wagtaildocs", "choose_document"),
        ]
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=instructors, collection=root_collection, permission=permission
        )

    administrators, _ = Group.objects.get_or_create(name=ADMINISTRATORS)
    user_permissions = Permission.objects.filter(
        content_type__app_label="auth", codename__in=["add_user", "change_user", "view_user"]
    )
    # Site settings of other apps, by name (the catalogue does not import them).
    settings_permissions = Permission.objects.filter(
        content_type__app_label="enrollment", codename="change_certificatesettings"
    )
    administrators.permissions.add(
        admin_access,
        *_model_permissions(SNIPPET_MODELS, ["add", "change", "delete", "view"]),
        *user_permissions,
        *settings_permissions,
    )
    for permission in _page_permissions(
        ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "bulk_delete_page"]
    ):
        GroupPagePermission.objects.get_or_create(
            group=administrators, page=home, permission=permission
        )
    for permission in _collection_permissions(
        [
            (app, f"{action}_{model}")
            for app, model in (("wagtailimages", "image"), ("wagtaildocs", "document"))
            for action in ("add", "change", "delete", "choose")
        ]
    ):
        GroupCollectionPermission.objects.get_or_create(
            group=administrators, collection=root_collection, permission=permission
        )

    counter_staff, _ = Group.objects.get_or_create(name=COUNTER_STAFF)
    counter_staff.permissions.add(admin_access)
    return instructors, administrators


def course_workflow_setup(*, catalogue: CourseIndexPage) -> Workflow:
    """Course pages are published only after an administrator approves them."""
    administrators = Group.objects.get(name=ADMINISTRATORS)
    workflow, _ = Workflow.objects.get_or_create(name=COURSE_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name="Administrator approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Administrator approval")
    task.groups.set([administrators])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=catalogue, defaults={"workflow": workflow})
    return workflow


def course_owner_sync(*, course: CoursePage) -> None:
    """The course's instructor owns its page, so Wagtail lets them (and no other instructor)
    edit it. Ownership is not page content: it is written directly, not through a revision."""
    if course.instructor_id and course.owner_id != course.instructor_id:
        CoursePage.objects.filter(pk=course.pk).update(owner_id=course.instructor_id)
        course.owner_id = course.instructor_id
