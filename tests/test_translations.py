import subprocess
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale" / "zh_Hant" / "LC_MESSAGES" / "django.po"


def test_every_interface_string_has_a_traditional_chinese_translation():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
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
