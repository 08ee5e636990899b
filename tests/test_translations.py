import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import translation

import pytest

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("locale", ["zh_Hant", "vi"])
def test_every_interface_string_has_a_translation(locale):
    po_file = LOCALE / locale / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr, result.stderr
    assert "fuzzy" not in result.stderr, result.stderr


def test_interface_is_traditional_chinese_by_default_and_english_on_request():
    assert settings.LANGUAGE_CODE == "zh-hant"
    with translation.override("zh-hant"):
        assert translation.gettext("Search") == "搜尋"
    with translation.override("en"):
        assert translation.gettext("Search") == "Search"


def test_vietnamese_is_offered_for_new_immigrants():
    assert "vi" in dict(settings.LANGUAGES)
    with translation.override("vi"):
        assert translation.gettext("Search") != "Search"
