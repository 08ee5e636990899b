import pytest

from courses.services import site_setup


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded and generated files go to a temporary folder, never the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def catalogue(db):
    """The page tree (home → /courses/), the roles and the approval workflow."""
    return site_setup()


@pytest.fixture
def on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL); SQLite cannot show this behaviour")


def pytest_collection_modifyitems(items):
    """Tests that use the live server (browser journeys) get the `browser` mark. `make test`
    runs them in a pytest run of their own: on PostgreSQL, after a live-server test the
    serialized rollback of the next transactional test did not restore Wagtail's root page
    (pytest-django 4.14), and the other way round; separate runs keep every test independent."""
    for item in items:
        if "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def english(settings, client):
    """The interface in English, for tests that read English wording (the default is
    Traditional Chinese; tests of the default language do not use this)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
