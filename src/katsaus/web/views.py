"""The views: thin. Each calls a service with the request's actor and renders what it returns.

Refusals are not caught here: the services raise the family's `Refused` (403 for what the actor may not do, 404
for what they may not see or what does not exist, 409 for what the state does not allow now, 400 for bad input),
and web/refusals.py answers — on the view's own page again where it names one (`@shown_again_by`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.forms import Form as DjangoForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from katsaus.render.messages import Shown, note_text, outcome_text, problem_line
from katsaus.services import audit as audit_service
from katsaus.services import content as content_service
from katsaus.services import forecasts as forecast_service
from katsaus.services import publish as publish_service
from katsaus.services import rounds as round_service
from katsaus.services import units as unit_service
from katsaus.services import uploads as upload_service
from katsaus.services import users as user_service
from katsaus.services.actors import Actor
from katsaus.services.errors import NotFound, Outcome, Problem, Refused, StaleEdit
from katsaus.services.permissions import (
    can_edit_unit,
    can_import,
    can_manage_users,
    can_open_round,
    can_publish,
    can_view_unit,
    require,
)
from katsaus.services.reports import stored_config
from katsaus.web import forms, pages
from katsaus.web.refusals import language, request_actor, shown_again_by


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def actor(request: HttpRequest) -> Actor:
    return request_actor(request)


def requires(allowed: Callable[[Actor], bool], operation: str) -> Callable[..., Any]:
    """A view for logged-in people whose roles pass `allowed` (a services predicate); anyone else is refused."""
    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(allowed(actor(request)), actor(request), operation)
            return view(request, *args, **kwargs)
        return checked
    return decorate


def valid(form: DjangoForm) -> dict[str, Any]:
    """The form's cleaned data, or Refused naming each field and what is wrong with it (400)."""
    if form.is_valid():
        return form.cleaned_data
    problems = [Problem(f"form.{error.code or 'invalid'}", {k: v for k, v in (error.params or {}).items()
                                                               if isinstance(v, int | str)},
                        key=name if name != "__all__" else None)
                for name, errors in form.errors.as_data().items() for error in errors]
    raise Refused(problems, outcome="outcome.nothing_saved")


def tell(request: HttpRequest, outcome: Outcome) -> None:
    """What a service did, as messages on the next page."""
    for line in outcome.notes:
        messages.info(request, note_text(line, language()))
    for warning in outcome.warnings:
        messages.warning(request, problem_line(warning, language()))


# --- finding what the actor may see -----------------------------------------------------------------------------


def visible_round(request: HttpRequest, round_id: int) -> Any:
    """The round, if the actor may see at least one of its units (404 otherwise, as if it did not exist)."""
    the_round = round_service.get_round(round_id)
    if not round_service.units_of(the_round, actor(request)):
        raise NotFound(Problem("round.not_found", {"round": round_id}))
    return the_round


def visible_unit(request: HttpRequest, round_id: int, unit_code: str, writes: bool = False) -> Any:
    """The round of a unit the actor may see and that reports in it (404 otherwise: what one may not see does not
    exist for them); with `writes`, one whose texts and entries the actor may write (403 otherwise)."""
    the_round = visible_round(request, round_id)
    if not can_view_unit(actor(request), unit_code):
        raise NotFound(Problem("unit.not_in_round", {"unit": unit_code}, unit=unit_code))
    round_service.round_unit(the_round, unit_code)
    if writes:
        require(can_edit_unit(actor(request), unit_code), actor(request), "edit_unit", unit_code)
    return the_round


# --- front page and rounds -------------------------------------------------------------------------------------


def health(request: HttpRequest) -> HttpResponse:
    """The smallest page the server answers (no database, no login): a load balancer's check, and the
    baseline of bench/web_load.py."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    rounds = [(r, round_service.units_of(r, actor(request))) for r in round_service.list_rounds()]
    return render(request, "web/home.html", {
        "rounds": [(r, units) for r, units in rounds if units],
        "can_open": can_open_round(actor(request)),
    })


def round_new_again(request: HttpRequest, exc: Refused, problems: list[Shown]) -> HttpResponse:
    form = forms.RoundForm(stored_config(), request.POST)
    return render(request, "web/round_new.html", {"form": form, "problems": problems})


@requires(can_open_round, "open_round")
@shown_again_by(round_new_again)
def round_new(request: HttpRequest) -> HttpResponse:
    form = forms.RoundForm(stored_config(), request.POST or None)
    if request.method == "POST":
        data = valid(form)
        the_round = round_service.open_round(data["period"], data["deadline"], actor(request), data["units"],
                                             data["template"])
        messages.success(request, _("The round is open."))
        return redirect("web:round", round_id=the_round.pk)
    return render(request, "web/round_new.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    the_round = visible_round(request, round_id)
    progress = round_service.round_progress(the_round, actor(request), language())
    return render(request, "web/round.html", {
        "round": the_round,
        "progress": progress,
        "units": progress.units,
        "can_publish": can_publish(actor(request)),
        "published": publish_service.round_versions(the_round),
        "publish_form": forms.PublishForm(),
    })


# --- a unit's page ---------------------------------------------------------------------------------------------


def unit_context(request: HttpRequest, page: unit_service.UnitPage, **extra: Any) -> dict[str, Any]:
    conflicts: dict[str, Any] = extra.get("conflict", {})
    narratives = []
    for entry in page.narratives:
        mine = conflicts.get(entry.section)
        text = mine["mine"] if mine else entry.current.markdown
        result = entry.preview if not mine else unit_service.preview(page.source, page.unit_code, entry.section, text)
        narratives.append({
            "section": entry.section,
            "current": entry.current,
            "form": forms.NarrativeForm(initial={"markdown": text, "base_version": entry.current.version},
                                        prefix=f"n-{entry.section}"),
            "preview": pages.preview_of(page.source, result, text) if result is not None and text else None,
            "conflict": mine,
            "history": entry.history,
        })
    refused_forms: dict[str, Any] = extra.get("explanation", {})
    deviations = [{
        "row": pages.deviation_row(page, d.deviation), "current": d.current, "history": d.history,
        "form": refused_forms.get(d.deviation.line_code) or forms.ExplanationForm(
            initial={"text": d.current.value.get("text", ""), "base_version": d.current.version},
            prefix=f"d-{d.deviation.line_code}"),
    } for d in page.deviations]
    return {
        "round": extra["the_round"],
        "unit": {"unit_code": page.unit_code, "status": page.status, "comment": page.comment},
        "unit_name": page.unit_name,
        "blocks": pages.figure_blocks(page),
        "narratives": narratives,
        "deviations": deviations,
        "amount_unit": pages.amount_unit(page),
        "findings": pages.shown_findings(page.findings),
        "entries": {"goals": pages.entry_rows(page.goals), "key_results": pages.entry_rows(page.key_results),
                    "measures": pages.entry_rows(page.measures)},
        "editable": page.may_edit,
        "can_submit": page.may_submit,
        "can_review": page.may_review,
        "status_history": page.status_history,
        "return_form": extra.get("return_form") or forms.ReturnForm(),
        "problems": [p.line for p in extra.get("problems", [])],
    }


def unit_page_response(request: HttpRequest, round_id: int, unit_code: str, status: int = 200,
                       **extra: Any) -> HttpResponse:
    the_round = visible_round(request, round_id)
    page = unit_service.unit_page(the_round, unit_code, actor(request), language())
    context = unit_context(request, page, the_round=the_round, **extra)
    return render(request, "web/unit.html", context, status=status)


def unit_again(request: HttpRequest, exc: Refused, problems: list[Shown], round_id: int, unit_code: str,
               **kwargs: Any) -> HttpResponse:
    """The unit's page again, with what was refused: a newer version beside one's own text, a form's errors,
    or the refusal's problems."""
    extra: dict[str, Any] = {"problems": problems}
    section, line_code = kwargs.get("section"), kwargs.get("line_code")
    if isinstance(exc, StaleEdit) and section:
        mine = request.POST.get(f"n-{section}-markdown", "")
        extra = {"conflict": {section: {"mine": mine, "theirs": exc.current}}}
    elif line_code:
        data = request.POST.copy()
        if isinstance(exc, StaleEdit):  # the form now starts from the other person's version
            data[f"d-{line_code}-base_version"] = str(exc.current.version or "")
        explanation = forms.ExplanationForm(data, prefix=f"d-{line_code}")
        if explanation.is_valid():  # what was refused is the field's error, beside it
            for problem in problems:
                explanation.add_error("text", problem.line)
        extra["explanation"] = {line_code: explanation}
    elif kwargs.get("action") == "return":
        returned = forms.ReturnForm(request.POST)
        returned.is_valid()
        extra["return_form"] = returned
    return unit_page_response(request, round_id, unit_code, exc.status, **extra)


@login_required
def unit_detail(request: HttpRequest, round_id: int, unit_code: str) -> HttpResponse:
    return unit_page_response(request, round_id, unit_code)


@login_required
@require_POST
def narrative_preview(request: HttpRequest, round_id: int, unit_code: str, section: str) -> HttpResponse:
    the_round = visible_unit(request, round_id, unit_code, writes=True)
    markdown = request.POST.get(f"n-{section}-markdown", "")
    source, result = unit_service.preview_narrative(the_round, unit_code, section, markdown, actor(request),
                                                     language())
    return render(request, "web/preview.html", {"preview": pages.preview_of(source, result, markdown),
                                                "section": section})


@login_required
@require_POST
@shown_again_by(unit_again)
def narrative_save(request: HttpRequest, round_id: int, unit_code: str, section: str) -> HttpResponse:
    the_round = visible_unit(request, round_id, unit_code, writes=True)
    data = valid(forms.NarrativeForm(request.POST, prefix=f"n-{section}"))
    content_service.save_narrative(unit_code, the_round.period, section, data["markdown"], data["base_version"],
                                   actor(request))
    messages.success(request, _("The text was saved."))
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


@login_required
@require_POST
@shown_again_by(unit_again)
def explanation_save(request: HttpRequest, round_id: int, unit_code: str, line_code: str) -> HttpResponse:
    the_round = visible_unit(request, round_id, unit_code, writes=True)
    if not unit_service.explanation_line_needed(the_round, unit_code, line_code, language()):
        raise NotFound(Problem("explanation.line_not_needed", {"line": line_code[:80]}, unit=unit_code))
    data = valid(forms.ExplanationForm(request.POST, prefix=f"d-{line_code}"))
    content_service.save_explanation(the_round.template_code, unit_code, the_round.period, line_code, data["text"],
                                     data["base_version"], actor(request))
    messages.success(request, _("The explanation was saved."))
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


@login_required
@require_POST
@shown_again_by(unit_again)
def unit_action(request: HttpRequest, round_id: int, unit_code: str, action: str) -> HttpResponse:
    the_round = visible_unit(request, round_id, unit_code)
    if action == "submit":
        round_service.submit_unit(the_round, unit_code, actor(request))
    elif action == "approve":
        round_service.approve_unit(the_round, unit_code, actor(request))
    elif action == "return":
        data = valid(forms.ReturnForm(request.POST))
        round_service.return_unit(the_round, unit_code, data["comment"], actor(request))
    else:
        raise NotFound(Problem("round.action_unknown", found=action[:40]))
    messages.success(request, {"submit": _("Submitted."), "approve": _("Approved."),
                               "return": _("Returned with the comment.")}[action])
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


@login_required
@require_POST
@shown_again_by(unit_again)
def entry_save(request: HttpRequest, round_id: int, unit_code: str, kind: str, code: str) -> HttpResponse:
    the_round = visible_unit(request, round_id, unit_code)
    if unit_service.entry_unit(kind, code) != unit_code:
        raise NotFound(Problem("entry.not_of_unit", {"code": code[:80]}, unit=unit_code))
    require(can_edit_unit(actor(request), unit_code), actor(request), "edit_unit", unit_code)
    content_service.save_entry(kind, code, the_round.period, request.POST, actor(request))
    messages.success(request, _("Saved."))
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


# --- publishing and the published reports ---------------------------------------------------------------------


def publish_again(request: HttpRequest, exc: Refused, problems: list[Shown], round_id: int) -> HttpResponse:
    for problem in exc.problems:
        messages.error(request, problem_line(problem, language()))
    messages.error(request, outcome_text(exc, language()))
    return redirect("web:round", round_id=round_id)


@login_required
@require_POST
@shown_again_by(publish_again)
def publish(request: HttpRequest, round_id: int) -> HttpResponse:
    the_round = visible_round(request, round_id)
    data = valid(forms.PublishForm(request.POST))
    published = publish_service.publish_report(actor(request), the_round=the_round, public=data["public"],
                                               correction_note=data["correction_note"], language=language())
    messages.success(request, _("Published as version %(version)s.") % {"version": published.version})
    return redirect("web:round", round_id=round_id)


def reports(request: HttpRequest) -> HttpResponse:
    """Every published report the actor may read (a visitor without login: the public ones)."""
    return render(request, "web/reports.html", {"reports": publish_service.list_published(actor(request))})


def published(request: HttpRequest, org: str, template: str, period: str, version: int | None = None) -> Any:
    return publish_service.get_published(publish_service.report_key(org, template, period), actor(request), version)


def report_page(request: HttpRequest, org: str, template: str, period: str, version: int | None = None) -> HttpResponse:
    report = published(request, org, template, period, version)
    return render(request, "web/report.html", {
        "report": report,
        "files": [(f, file_address(report, f.name)) for f in publish_service.published_files(report)],
        "latest": published(request, org, template, period),
        "versions": publish_service.published_versions(report),
    })


def file_address(report: Any, name: str) -> str:
    """A published file's address in its version: the open-data package's files below data/, the others by name."""
    at = {"org": report.organisation_code.lower(), "template": report.template_code, "period": report.period,
          "version": report.version}
    if name.startswith(publish_service.DATA):
        return reverse("web:report_data_version", kwargs=at | {"name": name.removeprefix(publish_service.DATA)})
    return reverse("web:report_file", kwargs=at | {"name": name})


@csp_replace({"style-src": ["'unsafe-inline'"], "script-src": ["'none'"]})  # type: ignore[arg-type]  # csp's hint
def report_file(request: HttpRequest, org: str, template: str, period: str, version: int, name: str) -> HttpResponse:
    """A published file as it was frozen; the web page is shown (its stylesheet is inline, no script), the
    others are downloads. The SHA-256 travels in a header, so a reader can compare it with the page's."""
    return published_response(request, org, template, period, version, name)


def report_data(request: HttpRequest, org: str, template: str, period: str, name: str,
                version: int | None = None) -> HttpResponse:
    """A file of the published open-data package (datapackage.json, a resource's CSV or JSON rows) at the report's
    stable address (its latest version) or a version's; nothing of an unpublished or unreadable report: 404."""
    return published_response(request, org, template, period, version, publish_service.DATA + name)


def published_response(request: HttpRequest, org: str, template: str, period: str, version: int | None,
                       name: str) -> HttpResponse:
    stored = publish_service.published_file(publish_service.report_key(org, template, period), name, actor(request),
                                            version)
    response = HttpResponse(bytes(stored.content), content_type=stored.media_type)
    disposition = "inline" if stored.format in ("html", "json", "md") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stored.name.rsplit("/", 1)[-1]}"'
    response["X-Content-SHA256"] = stored.sha256
    return response


# --- the controller's tools: users, audit log, uploads ---------------------------------------------------------


def users_again(request: HttpRequest, exc: Refused, problems: list[Shown]) -> HttpResponse:
    return render(request, "web/users.html", {"users": user_service.list_users(actor(request)),
                                              "form": forms.UserForm(stored_config(), request.POST),
                                              "problems": problems})


@requires(can_manage_users, "manage_users")
@shown_again_by(users_again)
def users(request: HttpRequest) -> HttpResponse:
    form = forms.UserForm(stored_config(), request.POST or None)
    if request.method == "POST":
        data = valid(form)
        user_service.add_user(data["name"], data["password"], [(data["role"], data["unit"] or "")], actor(request))
        messages.success(request, _("The user %(name)s was saved.") % {"name": data["name"]})
        return redirect("web:users")
    return render(request, "web/users.html", {"users": user_service.list_users(actor(request)), "form": form})


@requires(can_manage_users, "manage_users")
def audit_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="katsaus-audit.csv"'
    audit_service.export_audit_csv(response, actor(request))
    return response


def upload_again(request: HttpRequest, exc: Refused, problems: list[Shown]) -> HttpResponse:
    form = forms.UploadForm(request.POST, request.FILES)
    form.is_valid()
    return render(request, "web/upload.html", {"form": form, "problems": problems,
                                               "refused": [outcome_text(exc, language())], "omitted": exc.omitted})


@requires(can_import, "import")
@shown_again_by(upload_again)
def upload(request: HttpRequest) -> HttpResponse:
    """Ledger, budget and forecast files, imported as the CLI imports them."""
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        data = valid(form)
        tell(request, upload_service.import_uploads(
            data["kind"], data["files"], actor(request), data["version"].strip(), data["year"],
            data["effective_date"], data["decision_ref"], data["author"]))
        return redirect("web:upload")
    return render(request, "web/upload.html", {"form": form})


@requires(can_manage_users, "manage_users")
@require_POST
def user_change(request: HttpRequest, name: str, change: str) -> HttpResponse:
    """Deactivate or reactivate a user, or take away one of their roles (history kept by the services)."""
    if change == "deactivate":
        user_service.set_active(name, False, actor(request))
    elif change == "activate":
        user_service.set_active(name, True, actor(request))
    elif change == "remove-role":
        user_service.remove_role(name, request.POST.get("role", ""), request.POST.get("unit", ""), actor(request))
    else:
        raise NotFound(Problem("user.change_unknown", found=change[:40]))
    messages.success(request, _("The user %(name)s was saved.") % {"name": name})
    return redirect("web:users")


# --- the forecast round ------------------------------------------------------------------------------------------


def forecast_context(request: HttpRequest, **forms_given: Any) -> dict[str, Any]:
    """The forecast page: the view form, the chosen suggestion's table, the value and sheet forms."""
    versions = forecast_service.forecast_versions()
    view_form = forms.ForecastViewForm(versions, request.GET or None)
    initial = {key: request.GET[key] for key in ("unit", "line") if request.GET.get(key)}
    if request.GET.get("forecast"):
        initial["version"] = request.GET["forecast"]
    if request.GET.get("suggestion"):
        initial["period"] = forecast_service.made_at(request.GET["suggestion"])
    context: dict[str, Any] = {
        "view_form": view_form,
        "value_form": forms_given.get("value_form") or forms.ForecastValueForm(prefix="value", initial=initial),
        "sheet_form": forms_given.get("sheet_form") or forms.SheetUploadForm(prefix="sheet"),
    }
    if view_form.is_valid():
        table = forecast_service.forecast_round(view_form.cleaned_data["suggestion"],
                                                view_form.cleaned_data["forecast"] or None, actor(request),
                                                language())
        context["table"] = {"suggestion": table.suggestion, "made_at": table.made_at.key,
                            "budget_name": table.budget_name, "previous_name": table.previous_name,
                            "unit_label": "1 000 €" if table.conventions.amount_unit == 1000 else "€",
                            "lines": pages.round_lines(table)}
    return context


def forecast_again(request: HttpRequest, exc: Refused, problems: list[Shown]) -> HttpResponse:
    bound: dict[str, Any] = {}
    if "value-reason" in request.POST:
        bound["value_form"] = forms.ForecastValueForm(request.POST, prefix="value")
    elif request.method == "POST":
        bound["sheet_form"] = forms.SheetUploadForm(request.POST, request.FILES, prefix="sheet")
    for form in bound.values():
        form.is_valid()
    context = forecast_context(request, **bound)
    return render(request, "web/forecast.html", context | {
        "problems": problems, "refused": [outcome_text(exc, language())], "omitted": exc.omitted})


@requires(can_import, "import")
@shown_again_by(forecast_again)
def forecast(request: HttpRequest) -> HttpResponse:
    """The suggestion beside the controllers' forecast; one value with its reason; the sheet down and up."""
    if request.method == "POST":
        if "value-reason" in request.POST:
            data = valid(forms.ForecastValueForm(request.POST, prefix="value"))
            tell(request, forecast_service.set_value(data["version"], data["unit"], data["line"], data["reason"],
                                                     actor(request), value=data["value"],
                                                     period=data["period"] or None))
        else:
            data = valid(forms.SheetUploadForm(request.POST, request.FILES, prefix="sheet"))
            tell(request, upload_service.upload_forecast_sheet(data["sheet"], data["version"], actor(request)))
        return redirect(request.get_full_path())
    return render(request, "web/forecast.html", forecast_context(request))


def sheet_again(request: HttpRequest, exc: Refused, problems: list[Shown]) -> HttpResponse:
    for problem in exc.problems:
        messages.error(request, problem_line(problem, language()))
    return redirect("web:forecast")


@requires(can_import, "import")
@shown_again_by(sheet_again)
def forecast_sheet(request: HttpRequest) -> HttpResponse:
    name, data = forecast_service.sheet_bytes(request.GET.get("period", ""), request.GET.get("suggestion", ""),
                                              actor(request))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
