"""The application's forms. Every form ties its errors and help to the input (aria-describedby, aria-invalid), so a
screen reader announces what is wrong where it is wrong (WCAG 2.1 SC 3.3.1, 1.3.1)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest
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


def choices(field: forms.Field, options: list[tuple[str, str]]) -> None:
    """Set a choice field's options (they come from the stored configuration, known only when the form is made)."""
    assert isinstance(field, forms.ChoiceField)
    field.choices = options


class LoginForm(AccessibleMixin, AuthenticationForm):
    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")
        # no autofocus: the page starts from its top, so the skip link is the first stop of the Tab key
        self.fields["username"].widget.attrs.pop("autofocus", None)
        self.describe_fields()


class NarrativeForm(Form):
    markdown = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 12}),
                               help_text=_("Markdown. A figure of the report is written as a placeholder, e.g. "
                                           "{{ luku: . / toimintakate / tot | milj }} (the dot is this unit); the "
                                           "preview shows it as the report prints it."))
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)



class ExplanationForm(Form):
    text = forms.CharField(label=_("Explanation"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write why the forecast differs from the budget.")})
    base_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

class ReturnForm(Form):
    comment = forms.CharField(label=_("Comment to the unit"), widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What must be fixed before the unit submits again."))


class RoundForm(Form):
    period = forms.RegexField(label=_("Period"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", help_text=_("YYYY-MM, e.g. 2025-06"),
                              error_messages={"invalid": _("Write the period as YYYY-MM, e.g. 2025-06.")})
    template = forms.ChoiceField(label=_("Report template"))
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    units = forms.MultipleChoiceField(label=_("Units that report"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self.fields["template"], [(t.code, t.code) for t in config.templates.values()])
        choices(self.fields["units"], [(u.code, f"{u.code} – {u.name_fi}") for u in config.organisation.units])
        self.fields["units"].initial = [u.code for u in config.organisation.units]


class PublishForm(Form):
    public = forms.BooleanField(label=_("Public: readable without login"), required=False)
    correction_note = forms.CharField(label=_("What a new version corrects"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}),
                                      help_text=_("Needed when the report was published before."))


class UserForm(Form):
    name = forms.CharField(label=_("User name"), max_length=150)
    password = forms.CharField(label=_("Password"), required=False, widget=forms.PasswordInput(render_value=False),
                               help_text=_("At least 8 characters; leave empty to add a role to an existing user."))
    role = forms.ChoiceField(label=_("Role"), choices=[("controller", _("controller")), ("director", _("director")),
                                                        ("unit_manager", _("unit manager")), ("reader", _("reader"))])
    unit = forms.ChoiceField(label=_("Unit"), required=False,
                             help_text=_("For a director or a unit manager: the unit they are named for."))

    def __init__(self, config: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self.fields["unit"], [("", "–")] + [(u.code, f"{u.code} – {u.name_fi}") for u in config.organisation.units])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        return [single(d, initial) for d in data] if isinstance(data, (list, tuple)) else [single(data, initial)]


class UploadForm(Form):
    kind = forms.ChoiceField(label=_("What the files are"), choices=[
        ("ledger", _("ledger export")), ("budget", _("budget")), ("forecast", _("forecast"))])
    # a field named `files`: the form's metaclass moves it into base_fields, so it does not hide BaseForm.files
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Files"), help_text=_("Ledger: one or more CSV or Excel files; budget and forecast: one file."))
    version = forms.CharField(label=_("Version"), required=False, max_length=100,
                              help_text=_("Budget and forecast: the version's name, e.g. TA 2025 or TPE 2025."))
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100,
                              help_text=_("If the version's name does not say it."))
    effective_date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                     help_text=_("Budget: the day it took effect; forecast: the day it was made."))
    decision_ref = forms.CharField(label=_("Decision"), required=False, max_length=255)
    author = forms.CharField(label=_("Author"), required=False, max_length=150)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") in ("budget", "forecast"):
            if not data.get("version", "").strip():
                self.add_error("version", forms.ValidationError(_("A budget or a forecast needs its version's name."),
                                                                code="plan_version_missing"))
            if len(data.get("files") or []) > 1:
                self.add_error("files", forms.ValidationError(_("A budget or a forecast is one file."),
                                                              code="plan_one_file"))
        return data


class ForecastViewForm(Form):
    suggestion = forms.ChoiceField(label=_("Suggestion"))
    forecast = forms.ChoiceField(label=_("Forecast version beside it"), required=False)

    def __init__(self, versions: list[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self.fields["suggestion"], [(v, v) for v in versions])
        choices(self.fields["forecast"], [("", "–")] + [(v, v) for v in versions])


class ForecastValueForm(Form):
    version = forms.CharField(label=_("Forecast version"), max_length=100)
    period = forms.RegexField(label=_("Period"), regex=r"^\d{4}-(0[1-9]|1[0-2])$", required=False,
                              help_text=_("For a new version: the period it is made at, e.g. 2025-06."))
    unit = forms.CharField(label=_("Unit"), max_length=64)
    line = forms.CharField(label=_("Statement line"), max_length=64)
    value = forms.CharField(label=_("Value for the whole year (€)"), max_length=40,
                            help_text=_("In the statement's sign: costs negative, e.g. -41000000,00"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Every forecast figure needs a reason."))


class SheetUploadForm(Form):
    version = forms.CharField(label=_("Forecast version"), max_length=100)
    sheet = forms.FileField(label=_("Filled-in sheet (.xlsx)"))
