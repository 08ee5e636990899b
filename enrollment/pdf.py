"""What every PDF of the enrollment app shares: one WeasyPrint font configuration per process,
inline QR codes, and rendering HTML with static files reachable from a worker."""

from __future__ import annotations

from functools import cache

from django.conf import settings

import segno
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration


@cache
def font_configuration() -> FontConfiguration:
    """One per process: building it (fontconfig's font list) costs more than a page."""
    return FontConfiguration()


def qr_svg(data: str) -> str:
    """An inline SVG QR code that scales to the box CSS gives it."""
    return segno.make(data, error="m").svg_inline(scale=1, border=2, omitsize=True)


def html_to_pdf(html: str) -> bytes:
    """Render HTML to PDF bytes. There is no request in a worker: relative URLs resolve
    against the static folder on disk, and the fonts are the system's (fontconfig)."""
    document = HTML(string=html, base_url=str(settings.BASE_DIR / "static"))
    return document.write_pdf(font_config=font_configuration())
