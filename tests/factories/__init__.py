from .courses import (
    AdministratorFactory,
    CategoryFactory,
    CoursePageFactory,
    InstructorFactory,
    TermFactory,
    UserFactory,
    VenueFactory,
)

__all__ = [
    "AdministratorFactory",
    "CategoryFactory",
    "CoursePageFactory",
    "InstructorFactory",
    "TermFactory",
    "UserFactory",
    "VenueFactory",
]
