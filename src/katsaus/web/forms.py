"""The application's forms. Every form ties its errors and help to the input (aria-describedby, aria-invalid), so a
screen reader announces what is wrong where it is wrong (WCAG 2.1 SC 3.3.1, 1.3.1)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class AccessibleMixin:
    """Sets aria-describedby (help and error ids, as templates/web/field.html writes them) and aria-invalid."""

    def describe_fields(self) -> None:
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            bound = self[name]  # type: ignore[index]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_help")
            if self.is_bound and name in self.errors:  # type: ignore[attr-defined]
                ids.append(f"{bound.auto_id}_errors")
                field.widget.attrs["aria-invalid"] = "true"
            if self.is_bound and self.non_field_errors():  # type: ignore[attr-defined]
                ids.append("form-errors")  # e.g. a wrong password: both fields are named by the message
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.describe_fields()


class Form(AccessibleMixin, forms.Form):
    pass


class LoginForm(AccessibleMixin, AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        self.describe_fields()
