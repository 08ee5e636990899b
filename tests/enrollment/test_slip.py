"""The printed slip: read back from the PDF, not just checked for a header."""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from enrollment.attendance import enrollment_check_in_url
from enrollment.slips import enrollment_slip_html, enrollment_slip_pdf, qr_svg
from tests.enrollment.staff import counter_staff_user, course_with_sessions, enroll
from tests.factories import LearnerFactory, VenueFactory
from tests.factories.courses import taipei


def has_cjk_font() -> bool:
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return False
    return "Noto Sans CJK TC" in subprocess.run([fc_list], capture_output=True, text=True).stdout


pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not has_cjk_font(),
        reason='the "Noto Sans CJK TC" font is not installed (run `make fonts` as root)',
    ),
]

A5 = (419.5, 595.3)
A4 = (595.3, 841.9)


@pytest.fixture
def course(catalogue):
    venue = VenueFactory(
        name="板橋區公所 第二會議室", address="新北市板橋區中山路一段161號", phone="(02) 2960-3456"
    )
    return course_with_sessions(
        catalogue,
        title="長輩手機入門：LINE 視訊",
        venue=venue,
        what_to_bring="充好電的手機、老花眼鏡",
        capacity=1,
        # Tuesday and Thursday mornings, 09:30 Taipei.
        starts=[taipei(2026, 12, 1, 9, 30), taipei(2026, 12, 3, 9, 30)],
    )


def read(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in read(pdf).pages)


def font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in read(pdf).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            for descendant in font.get("/DescendantFonts", []):
                descendant = descendant.get_object()
                names.add(str(descendant["/BaseFont"]))
                assert "/FontFile" in str(descendant["/FontDescriptor"].get_object().keys()), (
                    "font not embedded"
                )
    return names


def page_size(pdf: bytes) -> tuple[float, float]:
    box = read(pdf).pages[0].mediabox
    return round(float(box.width), 1), round(float(box.height), 1)


def test_slip_names_the_learner_and_course_with_an_embedded_cjk_font(course):
    enrollment = enroll(course, name="林阿美", preferred_language="zh-hant")

    pdf = enrollment_slip_pdf(enrollment=enrollment)

    text = text_of(pdf)
    assert "林阿美" in text
    assert "長輩手機入門：LINE 視訊" in text
    assert enrollment.check_in_code in text
    assert "板橋區公所 第二會議室" in text
    assert "新北市板橋區中山路一段161號" in text
    assert "(02) 2960-3456" in text
    assert "充好電的手機、老花眼鏡" in text
    assert "09:30–11:30" in text
    # Subset names look like "QTDUJF+Noto-Sans-CJK-TC": the Traditional Chinese face.
    fonts = {name.replace("-", "").replace(" ", "") for name in font_names(pdf)}
    assert any("NotoSansCJKTC" in name for name in fonts), fonts
    assert len(pdf) < 300 * 1024
    assert page_size(pdf) == A5


def test_slip_in_english_has_weekdays_and_the_waitlist_position(course):
    enroll(course)
    enrollment = enroll(course, name="Nguyễn Thị Hoa", preferred_language="en")
    assert enrollment.status == "waitlisted"

    text = text_of(enrollment_slip_pdf(enrollment=enrollment, size="a4"))

    assert "Nguyễn Thị Hoa" in text
    assert "You are number 1 on the waiting list." in text
    assert "Tuesday" in text and "Thursday" in text


def test_slip_qr_code_carries_the_check_in_url(course):
    enrollment = enroll(course)
    html = enrollment_slip_html(enrollment=enrollment)
    url = enrollment_check_in_url(enrollment=enrollment)
    assert url.endswith(f"/admin/enrollment/check-in/{enrollment.check_in_code}/")
    assert qr_svg(url) in html
    assert 'font-family: "Noto Sans CJK TC"' in html


def test_slip_view_serves_a5_by_default_and_a4_on_request(client, course):
    enrollment = enroll(course, LearnerFactory(name="陳阿土"))
    client.force_login(counter_staff_user())
    url = f"/admin/enrollment/enrollments/{enrollment.pk}/slip.pdf"

    a5 = client.get(url)
    a4 = client.get(url, {"size": "a4"})

    assert a5["Content-Type"] == "application/pdf"
    assert "inline" in a5["Content-Disposition"]
    assert page_size(a5.content) == A5
    assert page_size(a4.content) == A4
    assert "陳阿土" in text_of(a4.content)
