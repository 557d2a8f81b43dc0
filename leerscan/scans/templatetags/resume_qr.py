"""The private link as a QR code, for the resume-link partial."""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString, mark_safe

from leerscan.scans.resume import resume_qr_svg

register = template.Library()


@register.simple_tag
def resume_qr(url: str) -> SafeString:
    """Inline SVG of the link; segno draws only modules, so no text of the link reaches the HTML."""
    return mark_safe(resume_qr_svg(url))  # noqa: S308
