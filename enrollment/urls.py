"""A citizen's addresses: /enroll/<course id>/ and everything under /my/."""

from django.urls import path

from . import views

app_name = "enrollment"

urlpatterns = [
    path("enroll/<int:course_id>/", views.enroll, name="enroll"),
    path("my/", views.my_courses, name="my_courses"),
    path("my/profile/", views.profile, name="profile"),
    path("my/enrollments/<int:pk>/", views.enrollment_detail, name="detail"),
    path("my/enrollments/<int:pk>/cancel/", views.enrollment_cancel_view, name="cancel"),
    path(
        "my/certificates/<int:pk>/certificate.pdf",
        views.certificate_download,
        name="certificate_download",
    ),
]
