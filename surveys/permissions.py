"""Who manages surveys in the Wagtail admin. The Administrators group does, without needing
Django model permissions granted to it (roles are set up by the courses app, which knows
nothing of surveys); other users only with permissions given to them explicitly."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from wagtail.permission_policies import BasePermissionPolicy, ModelPermissionPolicy

from courses.roles import ADMINISTRATORS, user_is_administrator


def _administrators():
    return get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=ADMINISTRATORS), is_active=True
    )


class AdministratorsManagePolicy(ModelPermissionPolicy):
    """Administrators may do everything; others what their Django permissions allow."""

    def user_has_permission(self, user, action):
        return user_is_administrator(user) or super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return user_is_administrator(user) or super().user_has_any_permission(user, actions)

    def users_with_any_permission(self, actions):
        others = super().users_with_any_permission(actions).values("pk")
        return (
            get_user_model()
            .objects.filter(Q(pk__in=others) | Q(pk__in=_administrators().values("pk")))
            .distinct()
        )


class AdministratorsViewOnlyPolicy(BasePermissionPolicy):
    """Responses are read, never added or changed in the admin: answers come from learners
    (online) or from the paper entry screen."""

    def user_has_permission(self, user, action):
        return action == "view" and user_is_administrator(user)

    def user_has_any_permission(self, user, actions):
        return "view" in actions and user_is_administrator(user)

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return get_user_model().objects.none()
        return _administrators().distinct()
