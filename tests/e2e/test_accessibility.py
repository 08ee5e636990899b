"""WCAG 2.x A/AA and 2.2 AA checks with axe-core on the pages citizens use most."""

from pathlib import Path

from django.conf import settings

import pytest

from tests.factories import CoursePageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


@pytest.mark.skipif(not AXE.exists(), reason="axe-core not installed: run `npm ci` (make install)")
def test_citizen_pages_have_no_wcag_violations(page, catalogue):
    CoursePageFactory(parent=catalogue, slug="phone-basics", target_groups=["seniors"])
    for path in [
        "/",
        "/courses/",
        "/courses/?date_from=not-a-date",
        "/courses/?q=火星",
        "/courses/phone-basics/",
        "/accounts/login/",
        "/accounts/signup/",
    ]:
        page.goto(path)
        assert axe_violations(page) == [], path
