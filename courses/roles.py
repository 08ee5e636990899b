"""The people who work in the admin, by group name. One home for role checks."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

INSTRUCTORS = "Instructors"
ADMINISTRATORS = "Administrators"
# Staff and volunteers at service counters: enroll citizens, print slips, check learners in.
COUNTER_STAFF = "Counter staff"


def user_is_administrator(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.groups.filter(name=ADMINISTRATORS).exists()


def user_is_instructor(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.groups.filter(name=INSTRUCTORS).exists())


def user_is_counter_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.groups.filter(name=COUNTER_STAFF).exists()
    )
