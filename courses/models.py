"""The catalogue: course pages with their sessions, and the snippets they point at."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone, translation
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .admin_forms import CoursePageForm
from .blocks import CourseBodyBlock
from .people import person_name
from .search import cjk_index_text
from .serializers import CategorySerializer, TermSerializer, VenueSerializer


class BilingualNameMixin(models.Model):
    """A Chinese name with an optional English one, shown in the visitor's language."""

    name = models.CharField(
        _("name (Chinese)"), max_length=100, help_text=_("As citizens know it.")
    )
    name_en = models.CharField(
        _("name (English)"),
        max_length=100,
        blank=True,
        help_text=_("Shown on the English interface; the Chinese name is used if empty."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_en and translation.get_language() == "en":
            return self.name_en
        return self.name


class District(BilingualNameMixin, index.Indexed):
    slug = models.SlugField(
        _("slug"), max_length=40, unique=True, help_text=_("Used in catalogue links, e.g. banqiao.")
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Lower numbers come first in lists.")
    )
    is_remote = models.BooleanField(
        _("remote area"),
        default=False,
        help_text=_("Served by a Digital Opportunity Centre (mountain and coastal districts)."),
    )

    search_fields = [index.SearchField("name"), index.SearchField("name_en")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")


class Category(BilingualNameMixin, index.Indexed):
    slug = models.SlugField(_("slug"), max_length=60, unique=True, help_text=_("Used in links."))
    description = models.TextField(
        _("description"), blank=True, help_text=_("One or two plain sentences for citizens.")
    )
    sort_order = models.PositiveSmallIntegerField(
        _("sort order"), default=0, help_text=_("Lower numbers come first in lists.")
    )

    search_fields = [index.SearchField("name"), index.SearchField("name_en")]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")


class Venue(BilingualNameMixin, index.Indexed):
    class Kind(models.TextChoices):
        LIBRARY = "library", _("Library")
        COMMUNITY_COLLEGE = "community_college", _("Community college")
        DISTRICT_OFFICE = "district_office", _("District office")
        SENIOR_CENTRE = "senior_centre", _("Senior learning centre")
        DIGITAL_OPPORTUNITY_CENTRE = "doc", _("Digital Opportunity Centre")
        MOBILE_BUS = "mobile_bus", _("Mobile teaching bus")
        OTHER = "other", _("Other")

    kind = models.CharField(
        _("kind of venue"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.LIBRARY,
        help_text=_("Helps citizens recognise the place."),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("district"),
        help_text=_("The district the venue is in."),
    )
    address = models.CharField(
        _("address"), max_length=200, help_text=_("Full street address, as on a letter.")
    )
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("21.5")), MaxValueValidator(Decimal("26.5"))],
        help_text=_("For the map link, e.g. 25.012345. Leave empty to search by address."),
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("119")), MaxValueValidator(Decimal("122.5"))],
        help_text=_("For the map link, e.g. 121.456789."),
    )
    step_free = models.BooleanField(
        _("step-free access"),
        default=False,
        help_text=_("Wheelchairs and walkers can reach the classroom without steps."),
    )
    computers = models.PositiveSmallIntegerField(
        _("computers available"),
        default=0,
        help_text=_("Computers learners can use; 0 if they bring their own phone or laptop."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        help_text=_("Where citizens can ask, e.g. (02) 2950-0000."),
    )
    directions = models.TextField(
        _("how to get there"), blank=True, help_text=_("Bus stops, MRT exits, floor and room.")
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("district")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")]),
        FieldRowPanel([FieldPanel("step_free"), FieldPanel("computers")]),
        FieldPanel("phone"),
        FieldPanel("directions"),
    ]

    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_en"),
        index.SearchField("address"),
        index.FilterField("district"),
    ]

    class Meta:
        ordering = ["district__sort_order", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")

    @property
    def map_url(self) -> str:
        if self.latitude is not None and self.longitude is not None:
            return (
                "https://www.openstreetmap.org/?"
                + urlencode({"mlat": self.latitude, "mlon": self.longitude})
                + f"#map=18/{self.latitude}/{self.longitude}"
            )
        return "https://www.openstreetmap.org/search?" + urlencode({"query": self.address})


class Term(BilingualNameMixin):
    """A teaching term, e.g. 2026 autumn. Administrators open and close terms."""

    starts_on = models.DateField(_("starts on"), help_text=_("First day classes may be held."))
    ends_on = models.DateField(_("ends on"), help_text=_("Last day classes may be held."))
    max_enrollments_per_learner = models.PositiveSmallIntegerField(
        _("courses per learner"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "How many courses of this term one learner may hold at once (enrolled or waiting). "
            "Leave empty for no limit."
        ),
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("max_enrollments_per_learner"),
    ]

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("term")
        verbose_name_plural = _("terms")

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A term must end after it starts.")})


class TargetGroup(models.Model):
    """Who a course is designed for. A fixed list, created by a migration."""

    class Code(models.TextChoices):
        SENIORS = "seniors", _("Seniors")
        INDIGENOUS = "indigenous", _("Indigenous peoples")
        NEW_IMMIGRANTS = "new_immigrants", _("New immigrants")
        EVERYONE = "everyone", _("Everyone")

    code = models.CharField(_("code"), max_length=20, choices=Code.choices, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return str(self.get_code_display())


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner — never used one")
    BASIC = "basic", _("Basic — use it a little")
    INTERMEDIATE = "intermediate", _("Intermediate — use it every day")


class Language(models.TextChoices):
    MANDARIN = "mandarin", _("Mandarin")
    HOKKIEN = "hokkien", _("Taiwanese Hokkien")
    HAKKA = "hakka", _("Hakka")
    INDIGENOUS = "indigenous", _("Indigenous language")
    VIETNAMESE = "vietnamese", _("Vietnamese")
    INDONESIAN = "indonesian", _("Indonesian")
    THAI = "thai", _("Thai")
    ENGLISH = "english", _("English")


class HomePage(Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("A short welcome above the search box."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CourseIndexPage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_facets, course_upcoming_list

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = CourseIndexPage.objects.live().first()
        context["upcoming_courses"] = course_upcoming_list(limit=6)
        context["facets"] = catalogue_facets()
        return context


class CourseIndexPage(Page):
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link"],
        help_text=_("Shown above the course list."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["courses.HomePage", "courses.CourseIndexPage"]

    class Meta:
        verbose_name = _("course catalogue")

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, index_page=self))
        return context


class CoursePage(Page):
    summary = models.TextField(
        _("what you will learn"),
        max_length=600,
        help_text=_("Two or three plain sentences. Shown in the catalogue; avoid jargon."),
    )
    body = StreamField(
        CourseBodyBlock(),
        blank=True,
        verbose_name=_("course details"),
        help_text=_("Lesson plan, pictures, videos, handouts and common questions."),
    )
    term = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        null=True,
        related_name="courses",
        verbose_name=_("term"),
        help_text=_("The term this course belongs to."),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        related_name="courses",
        verbose_name=_("category"),
        help_text=_("The main topic, used by the catalogue filters."),
    )
    level = models.CharField(
        _("level"),
        max_length=20,
        choices=Level.choices,
        default=Level.BEGINNER,
        help_text=_("How much a learner should already know."),
    )
    target_groups = ParentalManyToManyField(
        TargetGroup,
        blank=True,
        related_name="courses",
        verbose_name=_("designed for"),
        help_text=_("Who the course is designed for. Leave empty, or tick Everyone, for all."),
    )
    language = models.CharField(
        _("language of instruction"),
        max_length=20,
        choices=Language.choices,
        default=Language.MANDARIN,
        help_text=_("The language the instructor teaches in."),
    )
    language_note = models.CharField(
        _("language note"),
        max_length=100,
        blank=True,
        help_text=_("E.g. which indigenous language (Atayal), or 'with Vietnamese interpreter'."),
    )
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        related_name="courses",
        verbose_name=_("venue"),
        help_text=_("Where the classes take place."),
    )
    instructor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="courses_taught",
        verbose_name=_("instructor"),
        help_text=_("The instructor teaches the course and may edit this page."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("seats"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many learners the room and equipment can take."),
    )
    reserved_seats = models.PositiveSmallIntegerField(
        _("seats reserved for target groups"),
        default=0,
        help_text=_(
            "Seats kept for learners of the groups this course is designed for (seniors, "
            "indigenous peoples, new immigrants). 0 for none."
        ),
    )
    reserved_release_days = models.PositiveSmallIntegerField(
        _("release reserved seats (days before)"),
        default=7,
        validators=[MaxValueValidator(90)],
        help_text=_(
            "Unused reserved seats open to everyone this many days before the first class."
        ),
    )
    cancellation_hours = models.PositiveSmallIntegerField(
        _("cancel until (hours before)"),
        default=24,
        validators=[MaxValueValidator(24 * 30)],
        help_text=_("Learners can cancel online until this many hours before the first class."),
    )
    completion_percent = models.PositiveSmallIntegerField(
        _("attendance needed to complete (%)"),
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of the sessions a learner must attend to complete the course."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), help_text=_("From when citizens can enroll (Taipei time).")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), help_text=_("Until when citizens can enroll (Taipei time).")
    )
    what_to_bring = models.TextField(
        _("what to bring"),
        blank=True,
        max_length=1000,
        help_text=_("E.g. your own smartphone, charged; reading glasses; your ID card."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("what_to_bring"),
    ]
    details_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("term"), FieldPanel("category")]),
                FieldRowPanel([FieldPanel("level"), FieldPanel("instructor")]),
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("language"), FieldPanel("language_note")]),
            ],
            heading=_("For whom"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("venue"),
                FieldRowPanel([FieldPanel("capacity"), FieldPanel("reserved_seats")]),
                FieldRowPanel(
                    [FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]
                ),
                FieldRowPanel(
                    [FieldPanel("reserved_release_days"), FieldPanel("cancellation_hours")]
                ),
                FieldPanel("completion_percent"),
            ],
            heading=_("Where, how many and the rules"),
        ),
        InlinePanel("sessions", min_num=1, label=_("Sessions"), heading=_("Sessions")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(details_panels, heading=_("Course details")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
        ]
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("search_words"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("what_to_bring"),
        index.SearchField("language_note"),
        index.RelatedFields("venue", [index.SearchField("name"), index.SearchField("address")]),
        index.RelatedFields("category", [index.SearchField("name"), index.SearchField("name_en")]),
    ]

    api_fields = [
        APIField("summary"),
        APIField("term", serializer=TermSerializer()),
        APIField("category", serializer=CategorySerializer()),
        APIField("level"),
        APIField("target_group_codes"),
        APIField("language"),
        APIField("language_note"),
        APIField("venue", serializer=VenueSerializer()),
        APIField("instructor_name"),
        APIField("capacity"),
        APIField("seats_left"),
        APIField("registration_opens_at"),
        APIField("registration_closes_at"),
        APIField("total_hours"),
        APIField("what_to_bring"),
        APIField("sessions"),
        APIField("body"),
    ]

    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def clean(self) -> None:
        super().clean()
        if self.capacity and self.reserved_seats > self.capacity:
            raise ValidationError(
                {"reserved_seats": _("Reserved seats cannot be more than the seats.")}
            )
        if (
            self.registration_opens_at
            and self.registration_closes_at
            and self.registration_closes_at <= self.registration_opens_at
        ):
            raise ValidationError(
                {"registration_closes_at": _("Registration must close after it opens.")}
            )

    # Reads below use the sessions already loaded (the catalogue prefetches them).
    @property
    def session_list(self) -> list[CourseSession]:
        return sorted(self.sessions.all(), key=lambda s: s.start)

    @property
    def first_session(self) -> CourseSession | None:
        sessions = self.session_list
        return sessions[0] if sessions else None

    @property
    def last_session(self) -> CourseSession | None:
        sessions = self.session_list
        return sessions[-1] if sessions else None

    @property
    def total_hours(self) -> float:
        seconds = sum((s.end - s.start).total_seconds() for s in self.sessions.all())
        return round(seconds / 3600, 1)

    @property
    def seats_left(self) -> int:
        """Free seats; reads the seats row the catalogue selects with the page."""
        try:
            taken = self.seats.taken
        except CourseSeats.DoesNotExist:
            taken = 0
        return max(self.capacity - taken, 0)

    @property
    def waitlist_length(self) -> int:
        try:
            return self.seats.waitlisted
        except CourseSeats.DoesNotExist:
            return 0

    @property
    def target_group_codes(self) -> list[str]:
        return [group.code for group in self.target_groups.all()]

    def search_words(self) -> str:
        """Chinese-searchable words of what a citizen might type (see courses/search.py)."""
        parts = [self.title, self.summary, self.what_to_bring, self.language_note]
        if self.body:
            parts.extend(self.body.stream_block.get_searchable_content(self.body))
        for related in (self.venue, self.category):
            if related is not None:
                parts.append(related.name)
        if self.venue_id and self.venue.district_id:
            parts.append(self.venue.district.name)
        return cjk_index_text(strip_tags(" ".join(str(part) for part in parts)))

    @property
    def instructor_name(self) -> str:
        if not self.instructor:
            return ""
        return person_name(self.instructor)

    def upcoming_sessions(self, now: datetime | None = None) -> list[CourseSession]:
        now = now or timezone.now()
        return [s for s in self.session_list if s.end >= now]

    def reserved_release_at(self) -> datetime | None:
        """When unused reserved seats open to everyone."""
        first = self.first_session
        return first.start - timedelta(days=self.reserved_release_days) if first else None

    def cancellation_closes_at(self) -> datetime | None:
        first = self.first_session
        return first.start - timedelta(hours=self.cancellation_hours) if first else None

    def registration_is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.registration_opens_at <= now <= self.registration_closes_at

    def registration_state(self, now: datetime | None = None) -> str:
        """'upcoming', 'open' or 'closed', for the badge on catalogue cards."""
        now = now or timezone.now()
        if now < self.registration_opens_at:
            return "upcoming"
        if now <= self.registration_closes_at:
            return "open"
        return "closed"

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_detail

        context = super().get_context(request, *args, **kwargs)
        # A preview shows unsaved sessions, so only saved, live pages are reloaded.
        previewing = getattr(request, "is_preview", False)
        context["course"] = self if previewing or not self.live else course_detail(course=self)
        return context


class CourseSession(Orderable):
    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="sessions")
    start = models.DateTimeField(_("starts"), help_text=_("Date and time the class starts."))
    end = models.DateTimeField(_("ends"), help_text=_("Date and time the class ends."))
    topic = models.CharField(
        _("topic"), max_length=200, blank=True, help_text=_("What this session covers.")
    )
    room = models.CharField(
        _("room"), max_length=100, blank=True, help_text=_("Room or floor, if not the usual one.")
    )
    # Taipei weekday (1 = Monday) and hour of the start, kept with the row so the catalogue's
    # day and time filters are plain indexed comparisons instead of per-row time-zone maths.
    weekday = models.PositiveSmallIntegerField(editable=False, default=1)
    start_hour = models.PositiveSmallIntegerField(editable=False, default=0)

    panels = [
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldRowPanel([FieldPanel("topic"), FieldPanel("room")]),
    ]
    api_fields = [APIField("start"), APIField("end"), APIField("topic"), APIField("room")]

    class Meta(Orderable.Meta):
        indexes = [models.Index(fields=["start"]), models.Index(fields=["weekday", "start_hour"])]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.page.title}: {timezone.localtime(self.start):%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.set_local_start_fields()
        super().save(*args, **kwargs)

    def set_local_start_fields(self) -> None:
        local = self.start.astimezone(ZoneInfo(settings.TIME_ZONE))
        self.weekday, self.start_hour = local.isoweekday(), local.hour

    def clean(self) -> None:
        if self.start and self.end:
            if self.end <= self.start:
                raise ValidationError({"end": _("A session must end after it starts.")})
            if self.end - self.start > timedelta(hours=12):
                raise ValidationError({"end": _("A session cannot last more than 12 hours.")})

    @property
    def hours(self) -> float:
        return round((self.end - self.start).total_seconds() / 3600, 1)


class CourseSeats(models.Model):
    """How many seats of a course are taken. A small row beside the page, never a page field:
    publishing an older revision would overwrite a count kept on the page. Enrollment locks
    this row for every change of seats, so its counts are always true."""

    course = models.OneToOneField(
        CoursePage, on_delete=models.CASCADE, primary_key=True, related_name="seats"
    )
    general_taken = models.PositiveIntegerField(default=0)
    reserved_taken = models.PositiveIntegerField(default=0)
    waitlisted = models.PositiveIntegerField(default=0)
    reserved_released_at = models.DateTimeField(null=True, blank=True)
    completion_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("seats of a course")
        verbose_name_plural = _("seats of courses")

    def __str__(self) -> str:
        return f"{self.course_id}: {self.taken}"

    @property
    def taken(self) -> int:
        return self.general_taken + self.reserved_taken
