"""A citizen finds a senior-friendly smartphone course in Banqiao on a weekday morning,
reads its page and downloads its calendar — on a phone-sized screen, without JavaScript."""

import pytest
from icalendar import Calendar

from courses.models import District
from tests.factories import CategoryFactory, CoursePageFactory, VenueFactory
from tests.factories.courses import taipei

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_citizen_finds_a_course_and_downloads_its_calendar(page, catalogue):
    phones = CategoryFactory(slug="smartphone-basics", name="手機入門", name_en="Smartphone basics")
    CoursePageFactory(
        parent=catalogue,
        slug="senior-phone-banqiao",
        title="長輩智慧型手機入門（板橋）",
        category=phones,
        target_groups=["seniors"],
        sessions=[(taipei(2030, 12, 2, 9, 30), taipei(2030, 12, 2, 11, 30))],  # a Monday
    )
    CoursePageFactory(
        parent=catalogue,
        title="三重晚上的 Excel",
        venue=VenueFactory(district=District.objects.get(slug="sanchong")),
        sessions=[(taipei(2030, 12, 4, 19), taipei(2030, 12, 4, 21))],
    )

    page.goto("/courses/")
    page.get_by_text("選擇地點、星期和時間").click()  # filters fold away on a phone
    page.get_by_label("行政區").select_option("banqiao")
    page.get_by_label("適合對象").select_option("seniors")
    page.get_by_label("時段").select_option("morning")
    page.get_by_role("button", name="顯示課程").click()

    assert "district=banqiao" in page.url
    results = page.locator("article.course-card")
    assert results.count() == 1
    results.get_by_role("link", name="長輩智慧型手機入門（板橋）").click()

    assert page.get_by_role("heading", level=1).inner_text() == "長輩智慧型手機入門（板橋）"
    assert "2030/12/02" in page.content()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="加入我的行事曆").click()
    calendar = Calendar.from_ical(open(download_info.value.path(), "rb").read())  # noqa: SIM115
    assert len(list(calendar.walk("VEVENT"))) == 1
