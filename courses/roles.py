"""The people who work in the admin, by group name. One home for role checks."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

INSTRUCTORS = "Instructors"
ADMINISTRATORS = "Administrators"
# Staff and volunteers at service counters: enroll citizens, print slips, check learners in.
COUNTER_STAFF = "Counter staff"


def _group_names(user: AbstractBaseUser) -> frozenset[str]:
    """The user's group names, read once per user object (i.e. once per request: admin menus
    ask several times on every page)."""
    names = getattr(user, "_ezlearn_group_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._ezlearn_group_names = names
    return names


def user_is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return ADMINISTRATORS in _group_names(user)


def user_is_instructor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and INSTRUCTORS in _group_names(user))


def user_is_counter_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and COUNTER_STAFF in _group_names(user))
