"""Template filters of the web application: the words for a unit's status in the interface language."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

STATUS_WORDS = {
    "not_started": _("not started"),
    "draft": _("draft"),
    "submitted": _("submitted"),
    "returned": _("returned"),
    "approved": _("approved"),
}


@register.filter
def status_word(status: str) -> str:
    return str(STATUS_WORDS.get(status, status))
