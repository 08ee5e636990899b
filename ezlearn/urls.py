from django.conf import settings
from django.urls import include, path, re_path
from django.views.i18n import set_language

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from courses.views import course_calendar
from ezlearn.api import api_router
from ezlearn.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    re_path(r"^(?P<path>(?:[\w\-]+/)+)calendar\.ics$", course_calendar, name="course_calendar"),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    path("accounts/", include("allauth.urls")),
    path("surveys/", include("surveys.urls")),
    path("certificates/", include("enrollment.certificate_urls")),
    path("", include("enrollment.urls")),
    path("", include(wagtail_urls)),
]
