"""The views: thin. Each checks the role with the services' predicates, calls a service and renders a template.

Refusals: what the user may not see answers 404 (its existence stays private); what they may see but not do
answers 403. A service's refusal of a valid request (a status that does not allow it, a newer version, a
published period) is shown on the page beside the form.
"""

from __future__ import annotations

from functools import wraps
from pathlib import Path
from typing import Any, Callable

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from csp.decorators import csp_replace
from katsaus.core.deviations import missing_explanations
from katsaus.core.errors import ProblemsError
from katsaus.services import audit as audit_service
from katsaus.services import content as content_service
from katsaus.services import forecasts as forecast_service
from katsaus.services import publish as publish_service
from katsaus.services import rounds as round_service
from katsaus.services import users as user_service
from katsaus.services.errors import InvalidTransition, NotAllowed, NotFound, PublishedPeriodLocked, StaleEdit
from katsaus.services.permissions import (
    can_approve, can_edit_unit, can_import, can_manage_users, can_open_round, can_publish, can_view_unit,
)
from katsaus.services.reports import stored_config
from katsaus.web import entries, forecast_page, forms, unit_page, uploads


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def requires(allowed: Callable[[Any], bool]) -> Callable:
    """A view for logged-in users whose roles pass `allowed` (a services predicate); anyone else gets 403."""
    def decorate(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return checked
    return decorate


def language() -> str:
    return "sv" if get_language() == "sv" else "fi"


def problem_lines(exc: Exception) -> list[str]:
    if isinstance(exc, ProblemsError):
        return [str(p) for p in exc.problems]
    return [str(exc)]


# --- finding what the user may see -----------------------------------------------------------------------------


def visible_round(request: HttpRequest, round_id: int):
    """The round, if the user may see at least one of its units (404 otherwise, as if it did not exist)."""
    try:
        the_round = round_service.get_round(round_id)
    except NotFound:
        raise Http404 from None
    if not round_service.units_of(the_round, request.user):
        raise Http404
    return the_round


def visible_unit(request: HttpRequest, round_id: int, unit_code: str):
    the_round = visible_round(request, round_id)
    if not can_view_unit(request.user, unit_code):
        raise Http404
    try:
        return the_round, round_service.round_unit(the_round, unit_code)
    except NotFound:
        raise Http404 from None


def editable_unit(request: HttpRequest, round_id: int, unit_code: str):
    """The unit, if the user may see it (else 404) and write its texts and entries (else 403)."""
    the_round, unit = visible_unit(request, round_id, unit_code)
    if not can_edit_unit(request.user, unit_code):
        raise PermissionDenied
    return the_round, unit


# --- front page and rounds -------------------------------------------------------------------------------------


def health(request: HttpRequest) -> HttpResponse:
    """The smallest page the server answers (no database, no login): a load balancer's check, and the
    baseline of bench/web_load.py."""
    return HttpResponse("ok", content_type="text/plain")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    rounds = [(r, round_service.units_of(r, request.user)) for r in round_service.list_rounds()]
    return render(request, "web/home.html", {
        "rounds": [(r, units) for r, units in rounds if units],
        "can_open": can_open_round(request.user),
    })


@requires(can_open_round)
def round_new(request: HttpRequest) -> HttpResponse:
    config = stored_config()
    form = forms.RoundForm(config, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            the_round = round_service.open_round(data["period"], data["deadline"], request.user, data["units"],
                                                 data["template"])
        except ProblemsError as exc:
            form.add_error(None, "; ".join(problem_lines(exc)))
        else:
            messages.success(request, _("The round is open."))
            return redirect("web:round", round_id=the_round.pk)
    return render(request, "web/round_new.html", {"form": form})


@login_required
def round_detail(request: HttpRequest, round_id: int) -> HttpResponse:
    the_round = visible_round(request, round_id)
    visible = {u.unit_code for u in round_service.units_of(the_round, request.user)}
    progress = round_service.round_progress(the_round)
    return render(request, "web/round.html", {
        "round": the_round,
        "progress": progress,
        "units": [u for u in progress.units if u.unit_code in visible],
        "can_publish": can_publish(request.user),
        "published": list(the_round.published.order_by("-version")),
        "publish_form": forms.PublishForm(),
    })


# --- a unit's page ---------------------------------------------------------------------------------------------


def unit_context(request: HttpRequest, the_round, unit, **extra: Any) -> dict[str, Any]:
    source = unit_page.unit_report(the_round.period, the_round.template_code, unit.unit_code, language())
    name = source.config.organisation.unit(unit.unit_code).name(language())
    user = request.user
    editable = round_service.can_edit(user, unit)
    narratives = []
    stored = {n.section: n for n in content_service.unit_narratives(unit.unit_code, the_round.period)}
    for section in unit_page.narrative_sections(source, unit.unit_code, list(stored)):
        current = stored.get(section) or content_service.current_narrative(unit.unit_code, the_round.period, section)
        mine = extra.get("conflict", {}).get(section)
        text = mine["mine"] if mine else current.markdown
        narratives.append({
            "section": section,
            "current": current,
            "form": forms.NarrativeForm(initial={"markdown": text, "base_version": current.version},
                                        prefix=f"n-{section}"),
            "preview": unit_page.preview(source, unit.unit_code, section, text) if text else None,
            "conflict": mine,
            "history": unit_page.narrative_history(unit.unit_code, the_round.period, section),
        })
    deviations, missing = deviation_context(the_round, unit.unit_code, source, extra)
    return {
        "round": the_round,
        "unit": unit,
        "unit_name": name,
        "blocks": unit_page.figure_blocks(source, unit.unit_code),
        "narratives": narratives,
        "deviations": deviations,
        "amount_unit": "1000 €" if source.document.conventions.amount_unit == 1000 else "€",
        "findings": unit_page.unit_findings(source, unit.unit_code, name) + missing,
        "entries": entries.unit_entries(unit.unit_code, the_round.period),
        "editable": editable,
        "can_submit": editable and unit.status in ("draft", "returned") and can_edit_unit(user, unit.unit_code),
        "can_review": unit.status == "submitted" and can_approve(user, unit.unit_code),
        "status_history": unit_page.status_history(unit),
        "return_form": extra.get("return_form") or forms.ReturnForm(),
        "problems": extra.get("problems", []),
    }


def deviation_context(the_round, unit_code: str, source: unit_page.UnitReport, extra: dict) -> tuple[list, list]:
    """Each line needing an explanation with its figures, its form (a refused save's text and errors kept) and
    current version; and a warning for each line without one."""
    needed = unit_page.needing_explanation(source, unit_code)
    stored = content_service.unit_explanations(the_round.template_code, unit_code, the_round.period)
    refused = extra.get("explanation", {})
    rows = []
    for deviation in needed:
        current = stored.get(deviation.line_code) or content_service.explanation_of(
            None, the_round.template_code, unit_code, the_round.period, deviation.line_code)
        form = refused.get(deviation.line_code) or forms.ExplanationForm(
            initial={"text": current.value.get("text", ""), "base_version": current.version},
            prefix=f"d-{deviation.line_code}")
        history = unit_page.explanation_history(the_round.template_code, unit_code, the_round.period,
                                                deviation.line_code)
        rows.append({"row": unit_page.deviation_row(source, deviation), "current": current, "form": form,
                     "history": history})
    explained = {line for line, version in stored.items() if version.value.get("text")}
    return rows, missing_explanations(needed, explained, unit_code)


def unit_again(request: HttpRequest, the_round, unit, status: int, **extra: Any) -> HttpResponse:
    """The unit's page again, with what was refused (problems, a conflict, a form's errors) and its status."""
    return render(request, "web/unit.html", unit_context(request, the_round, unit, **extra), status=status)


@login_required
def unit_detail(request: HttpRequest, round_id: int, unit_code: str) -> HttpResponse:
    the_round, unit = visible_unit(request, round_id, unit_code)
    return render(request, "web/unit.html", unit_context(request, the_round, unit))


@login_required
@require_POST
def narrative_preview(request: HttpRequest, round_id: int, unit_code: str, section: str) -> HttpResponse:
    the_round, unit = editable_unit(request, round_id, unit_code)
    markdown = request.POST.get(f"n-{section}-markdown", "")
    source = unit_page.unit_report(the_round.period, the_round.template_code, unit_code, language())
    return render(request, "web/preview.html", {"preview": unit_page.preview(source, unit_code, section, markdown),
                                                "section": section})


@login_required
@require_POST
def narrative_save(request: HttpRequest, round_id: int, unit_code: str, section: str) -> HttpResponse:
    the_round, unit = editable_unit(request, round_id, unit_code)
    form = forms.NarrativeForm(request.POST, prefix=f"n-{section}")
    if not form.is_valid():
        return unit_again(request, the_round, unit, 400, problems=[
            f"{k}: {' '.join(v)}" for k, v in form.errors.items()])
    try:
        content_service.save_narrative(unit_code, the_round.period, section, form.cleaned_data["markdown"],
                                       form.cleaned_data["base_version"], request.user)
    except StaleEdit as exc:
        conflict = {section: {"mine": form.cleaned_data["markdown"], "theirs": exc.current, "message": str(exc)}}
        return unit_again(request, the_round, unit, 409, conflict=conflict)
    except NotAllowed:
        raise PermissionDenied from None
    except (InvalidTransition, PublishedPeriodLocked, ProblemsError) as exc:
        return unit_again(request, the_round, unit, 409, problems=problem_lines(exc))
    messages.success(request, _("The text was saved."))
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


@login_required
@require_POST
def explanation_save(request: HttpRequest, round_id: int, unit_code: str, line_code: str) -> HttpResponse:
    the_round, unit = editable_unit(request, round_id, unit_code)
    source = unit_page.unit_report(the_round.period, the_round.template_code, unit_code, language())
    if line_code not in {d.line_code for d in unit_page.needing_explanation(source, unit_code)}:
        raise Http404
    form = forms.ExplanationForm(request.POST, prefix=f"d-{line_code}")
    if not form.is_valid():
        return unit_again(request, the_round, unit, 400, explanation={line_code: form})
    try:
        content_service.save_explanation(the_round.template_code, unit_code, the_round.period, line_code,
                                         form.cleaned_data["text"], form.cleaned_data["base_version"], request.user)
    except StaleEdit as exc:
        form.add_error("text", _("Someone else saved this explanation after you began: %(theirs)s (%(who)s, "
                                 "%(when)s). Yours was not saved; edit it and save again.") % {
            "theirs": exc.current.text, "who": exc.current.entered_by, "when": exc.current.entered_at})
        form.data = form.data.copy()
        form.data[f"d-{line_code}-base_version"] = exc.current.version or ""
        return unit_again(request, the_round, unit, 409, explanation={line_code: form})
    except NotAllowed:
        raise PermissionDenied from None
    except (InvalidTransition, PublishedPeriodLocked, ProblemsError) as exc:
        return unit_again(request, the_round, unit, 409, problems=problem_lines(exc))
    messages.success(request, _("The explanation was saved."))
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


@login_required
@require_POST
def unit_action(request: HttpRequest, round_id: int, unit_code: str, action: str) -> HttpResponse:
    the_round, unit = visible_unit(request, round_id, unit_code)
    try:
        if action == "submit":
            round_service.submit_unit(the_round, unit_code, request.user)
        elif action == "approve":
            round_service.approve_unit(the_round, unit_code, request.user)
        elif action == "return":
            form = forms.ReturnForm(request.POST)
            if not form.is_valid():
                return unit_again(request, the_round, unit, 400, return_form=form)
            round_service.return_unit(the_round, unit_code, form.cleaned_data["comment"], request.user)
        else:
            raise Http404
    except NotAllowed:
        raise PermissionDenied from None
    except (InvalidTransition, ProblemsError) as exc:
        return unit_again(request, the_round, unit, 409, problems=problem_lines(exc))
    messages.success(request, {"submit": _("Submitted."), "approve": _("Approved."),
                               "return": _("Returned with the comment.")}[action])
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


# --- publishing and the published reports ---------------------------------------------------------------------


@login_required
@require_POST
def publish(request: HttpRequest, round_id: int) -> HttpResponse:
    the_round = visible_round(request, round_id)
    if not can_publish(request.user):
        raise PermissionDenied
    form = forms.PublishForm(request.POST)
    if form.is_valid():
        try:
            published = publish_service.publish_report(
                request.user, the_round=the_round, public=form.cleaned_data["public"],
                correction_note=form.cleaned_data["correction_note"], language=language())
        except NotAllowed:
            raise PermissionDenied from None
        except (InvalidTransition, ProblemsError) as exc:
            for line in problem_lines(exc):
                messages.error(request, line)
        else:
            messages.success(request, _("Published as version %(version)s.") % {"version": published.version})
    return redirect("web:round", round_id=round_id)


def published_or_404(request: HttpRequest, org: str, template: str, period: str, version: int | None = None):
    try:
        return publish_service.get_published(publish_service.report_key(org, template, period), request.user, version)
    except NotFound:
        raise Http404 from None


def reports(request: HttpRequest) -> HttpResponse:
    """Every published report the user may read (a visitor without login: the public ones)."""
    return render(request, "web/reports.html", {"reports": publish_service.list_published(request.user)})


def report_page(request: HttpRequest, org: str, template: str, period: str, version: int | None = None) -> HttpResponse:
    report = published_or_404(request, org, template, period, version)
    latest = published_or_404(request, org, template, period)
    return render(request, "web/report.html", {
        "report": report,
        "files": [(f, file_address(report, f.name)) for f in
                  report.files.order_by("format", "name").only("format", "name", "sha256", "size", "media_type")],
        "latest": latest,
        "versions": list(type(report).objects.filter(key=report.key).order_by("-version")),
    })


def file_address(report, name: str) -> str:
    """A published file's address in its version: the open-data package's files below data/, the others by name."""
    at = {"org": report.organisation_code.lower(), "template": report.template_code, "period": report.period,
          "version": report.version}
    if name.startswith(publish_service.DATA):
        return reverse("web:report_data_version", kwargs=at | {"name": name.removeprefix(publish_service.DATA)})
    return reverse("web:report_file", kwargs=at | {"name": name})


@csp_replace({"style-src": ["'unsafe-inline'"], "script-src": ["'none'"]})
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
    try:
        stored = publish_service.published_file(publish_service.report_key(org, template, period), name, request.user,
                                                version)
    except NotFound:
        raise Http404 from None
    response = HttpResponse(bytes(stored.content), content_type=stored.media_type)
    disposition = "inline" if stored.format in ("html", "json", "md") else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{stored.name.rsplit("/", 1)[-1]}"'
    response["X-Content-SHA256"] = stored.sha256
    return response


# --- the controller's tools: users, audit log ----------------------------------------------------------------


@requires(can_manage_users)
def users(request: HttpRequest) -> HttpResponse:
    form = forms.UserForm(stored_config(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user_service.add_user(data["name"], data["password"], [(data["role"], data["unit"] or "")], request.user)
        except ProblemsError as exc:
            form.add_error(None, "; ".join(problem_lines(exc)))
        else:
            messages.success(request, _("The user %(name)s was saved.") % {"name": data["name"]})
            return redirect("web:users")
    return render(request, "web/users.html", {"users": user_service.list_users(), "form": form})


@requires(can_manage_users)
def audit_export(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="katsaus-audit.csv"'
    audit_service.export_audit_csv(response)
    return response


@login_required
@require_POST
def entry_save(request: HttpRequest, round_id: int, unit_code: str, kind: str, code: str) -> HttpResponse:
    the_round, unit = visible_unit(request, round_id, unit_code)
    if entries.entry_unit(kind, code) != unit_code:
        raise Http404
    if not can_edit_unit(request.user, unit_code):
        raise PermissionDenied
    try:
        entries.save_entry(kind, code, the_round.period, request.POST, request.user)
    except StaleEdit as exc:
        theirs = exc.current
        line = _("Someone else saved %(what)s after you began: their value %(theirs)s (%(who)s, %(when)s); "
                 "yours was not saved.") % {"what": code, "theirs": theirs.text, "who": theirs.entered_by,
                                            "when": theirs.entered_at}
        return unit_again(request, the_round, unit, 409, problems=[line])
    except NotAllowed:
        raise PermissionDenied from None
    except ValueError:
        return unit_again(request, the_round, unit, 400, problems=[
            _("%(code)s: an amount in euros, e.g. 1234,56") % {"code": code}])
    except (InvalidTransition, PublishedPeriodLocked, ProblemsError) as exc:
        return unit_again(request, the_round, unit, 409, problems=problem_lines(exc))
    messages.success(request, _("Saved."))
    return redirect("web:unit", round_id=round_id, unit_code=unit_code)


@requires(can_import)
def upload(request: HttpRequest) -> HttpResponse:
    """Ledger, budget and forecast files, imported as the CLI imports them."""
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            outcome = uploads.import_uploads(data["kind"], data["files"], request.user, data["version"].strip(),
                                             data["year"], data["effective_date"], data["decision_ref"], data["author"])
        except NotAllowed:
            raise PermissionDenied from None
        except PublishedPeriodLocked as exc:
            context["refused"], status = [str(exc)], 409
        except ProblemsError as exc:
            context["problems"] = getattr(exc, "shown", [])
            context["refused"] = [getattr(exc, "what", _("nothing was stored"))]
            context["omitted"] = exc.omitted
            status = 400
        else:
            for line in outcome.lines + outcome.warnings:
                messages.info(request, line)
            return redirect("web:upload")
    elif request.method == "POST":
        status = 400
    return render(request, "web/upload.html", context, status=status)


@requires(can_manage_users)
@require_POST
def user_change(request: HttpRequest, name: str, change: str) -> HttpResponse:
    """Deactivate or reactivate a user, or take away one of their roles (history kept by the services)."""
    try:
        if change == "deactivate":
            user_service.set_active(name, False, request.user)
        elif change == "activate":
            user_service.set_active(name, True, request.user)
        elif change == "remove-role":
            user_service.remove_role(name, request.POST.get("role", ""), request.POST.get("unit", ""), request.user)
        else:
            raise Http404
    except NotFound:
        raise Http404 from None
    messages.success(request, _("The user %(name)s was saved.") % {"name": name})
    return redirect("web:users")


# --- the forecast round ------------------------------------------------------------------------------------------


@requires(can_import)
def forecast(request: HttpRequest) -> HttpResponse:
    """The suggestion beside the controllers' forecast; one value with its reason; the sheet down and up."""
    versions = forecast_page.forecast_versions()
    view_form = forms.ForecastViewForm(versions, request.GET or None)
    value_form = forms.ForecastValueForm(request.POST if "value-reason" in request.POST else None, prefix="value",
                                         initial=forecast_page.value_initial(request.GET))
    sheet_form = forms.SheetUploadForm(request.POST if "sheet-upload" in request.POST else None,
                                       request.FILES or None, prefix="sheet")
    context: dict[str, Any] = {"view_form": view_form, "value_form": value_form, "sheet_form": sheet_form}
    status = 200
    if request.method == "POST":
        status = forecast_post(request, value_form, sheet_form, context)
        if status == 302:
            return redirect(request.get_full_path())
    if view_form.is_valid():
        try:
            context["table"] = forecast_page.round_table(view_form.cleaned_data["suggestion"],
                                                         view_form.cleaned_data["forecast"] or None, language())
        except ProblemsError as exc:
            context["refused"] = problem_lines(exc)
    return render(request, "web/forecast.html", context, status=status)


def forecast_post(request: HttpRequest, value_form, sheet_form, context: dict[str, Any]) -> int:
    """Set one value or store an uploaded sheet; 302 when done, else the page's status with what was refused."""
    form = value_form if value_form.is_bound else sheet_form
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    try:
        if form is value_form:
            outcome = forecast_service.set_value(data["version"], data["unit"], data["line"], data["reason"],
                                                 request.user, value=data["value"],
                                                 period=data["period"] or None)
        else:
            outcome = forecast_page.upload_sheet(data["sheet"], data["version"], request.user)
    except NotAllowed:
        raise PermissionDenied from None
    except PublishedPeriodLocked as exc:
        context["refused"] = [str(exc)]
        return 409
    except ProblemsError as exc:
        context["problems"] = getattr(exc, "shown", None) or uploads.shown(exc.problems, Path("/nonexistent"))
        context["refused"] = [getattr(exc, "what", _("nothing was stored"))]
        return 400
    for line in outcome.lines + outcome.warnings:
        messages.info(request, line)
    return 302


@requires(can_import)
def forecast_sheet(request: HttpRequest) -> HttpResponse:
    try:
        name, data = forecast_page.sheet_bytes(request.GET.get("period", ""), request.GET.get("suggestion", ""))
    except ProblemsError as exc:
        for line in problem_lines(exc):
            messages.error(request, line)
        return redirect("web:forecast")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
