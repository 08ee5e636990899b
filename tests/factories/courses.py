from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

import factory
import wagtail_factories

from courses.models import Category, CoursePage, CourseSession, District, TargetGroup, Term, Venue
from courses.roles import ADMINISTRATORS, INSTRUCTORS

TAIPEI = ZoneInfo("Asia/Taipei")


def taipei(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TAIPEI)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"使用者{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.test")
    password = factory.django.Password("correct horse battery staple")


class InstructorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"instructor{n}")
    first_name = factory.Sequence(lambda n: f"講師{n}")

    @factory.post_generation
    def in_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=INSTRUCTORS)[0])


class AdministratorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"administrator{n}")

    @factory.post_generation
    def in_group(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get_or_create(name=ADMINISTRATORS)[0])


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    name = factory.Sequence(lambda n: f"板橋第{n}教室")
    name_en = factory.Sequence(lambda n: f"Banqiao classroom {n}")
    district = factory.LazyFunction(lambda: District.objects.get(slug="banqiao"))
    address = "新北市板橋區中山路一段161號"
    step_free = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"主題{n}")
    name_en = factory.Sequence(lambda n: f"Topic {n}")


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term

    name = "2026 秋季班"
    name_en = "Autumn 2026"
    starts_on = date(2026, 9, 1)
    ends_on = date(2027, 1, 31)


class CoursePageFactory(wagtail_factories.PageFactory):
    """A live course under the catalogue. `sessions` is a list of (start, end) pairs; by default
    three weekly sessions starting a week from now at 09:00 Taipei time."""

    class Meta:
        model = CoursePage
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"手機入門 第{n}班")
    slug = factory.Sequence(lambda n: f"course-{n}")
    summary = "學會用手機打電話、拍照和傳 LINE。"
    category = factory.SubFactory(CategoryFactory)
    term = factory.SubFactory(TermFactory)
    venue = factory.SubFactory(VenueFactory)
    instructor = factory.SubFactory(InstructorFactory)
    owner = factory.SelfAttribute("instructor")
    capacity = 20
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=7))
    registration_closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=5))
    live = True

    @factory.post_generation
    def sessions(self, create, extracted, **kwargs):
        if extracted is None:
            first = timezone.localtime(timezone.now() + timedelta(days=7)).replace(
                hour=9, minute=0, second=0, microsecond=0
            )
            extracted = [
                (first + timedelta(weeks=i), first + timedelta(weeks=i, hours=3)) for i in range(3)
            ]
        for start, end in extracted:
            CourseSession.objects.create(page=self, start=start, end=end)
        if create:
            # Sessions are read through the cluster relation; drop the in-memory copy.
            self.refresh_from_db()

    @factory.post_generation
    def target_groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.target_groups.set(TargetGroup.objects.filter(code__in=extracted))
            self.save()
