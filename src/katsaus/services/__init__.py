"""The application layer: what the CLI and the web application do, as plain functions.

Each service owns its validation, its transaction and its audit record, and takes the acting person
(`actor`): a Django `User` from the web (whose roles are checked), or a name `str` from the CLI's --user (the
person at the command line, who holds the database itself: recorded by name, no role checked). Services raise
the exceptions of `services.errors` (all `ServiceError`) or `core.errors.ProblemsError` (bad input: a list of
`Problem`s with file, row, column, expected, found); on any of them nothing was changed. Django must be set up
first (`katsaus.store.setup.setup()` or the web's settings). Import the modules, not this package's names.

Stable API (the web builds on it; additions only):

services.errors
    ServiceError                    base of every refusal
    NotAllowed(ServiceError)        the actor's roles do not allow it (web: 403)
    NotFound(ServiceError, LookupError)   no such round / unit / user / published report (web: 404)
    InvalidTransition(ServiceError) a status cannot go this way (e.g. approve a draft; edit a submitted unit)
    StaleEdit(ServiceError)         .what, .base_version, .current: CurrentVersion(version, text, entered_by,
                                    entered_at) — someone saved since the editor began; show .current.text
    PublishedPeriodLocked(ServiceError)   .reports: ["omahame/osavuosikatsaus/2025-06 (version 1)", …]

services.permissions (also re-exported by services.users) — roles follow the organisation tree
    ROLES = ("controller", "director", "unit_manager", "reader")
    can_view_unit(user, unit_code) -> bool      controller; director of it or a unit above; its unit manager
    can_edit_unit(user, unit_code) -> bool      controller; its unit manager
    can_approve(user, unit_code) -> bool        controller; director of it or a unit above
    can_publish(user), can_manage_users(user), can_open_round(user), can_import(user) -> bool   controller
    (imports, configuration and content loads and forecast writes need can_import)
    can_read_report(user, published_report) -> bool   public: anyone (also anonymous); else any role
    visible_units(user) -> list[str]
    rules permissions: user.has_perm("katsaus.view_unit" | "katsaus.edit_unit" | "katsaus.approve_unit", unit_code),
    "katsaus.publish", "katsaus.manage_users", "katsaus.open_round", ("katsaus.read_report", published_report)

services.users
    RoleSpec(role, unit_code=""), UserInfo(name, active, roles: tuple[RoleSpec, ...])
    add_user(name, password, roles: [RoleSpec | (role, unit)], actor) -> UserInfo   (adds roles to an existing user)
    remove_role(name, role, unit_code, actor) -> UserInfo;  set_active(name, active, actor) -> UserInfo
    list_users() -> list[UserInfo];  get_user(name) -> User (NotFound)

services.rounds — not_started → draft → submitted → returned → submitted → approved
    open_round(period "2025-06", deadline: date, actor, units=None (all), template_code=None) -> ReportingRound
    get_round(id), find_round(period, template_code=None) -> ReportingRound | None, list_rounds()
    round_unit(round, unit_code) -> RoundUnit (.status, .comment, .changed_by, .changed_at)
    units_of(round, actor) -> list[RoundUnit] the actor may see
    can_edit(actor, round_unit) -> bool          role and status (not_started, draft, returned)
    submit_unit(round, unit_code, actor), return_unit(round, unit_code, comment, actor),
    approve_unit(round, unit_code, actor) -> RoundUnit      (a unit's first save makes it a draft)
    round_progress(round, with_checks=True) -> RoundProgress(round_id, period, template_code, deadline,
        units: (UnitProgress(unit_code, name, status, comment, changed_by, changed_at, errors, warnings), …))
        .not_submitted, .failing, .all_approved

services.content — a unit's texts and entries; every save takes base_version (None: there was none)
    current_narrative(unit_code, period, section) -> NarrativeVersion(unit_code, period, section, title,
        markdown, version, entered_by, entered_at);  unit_narratives(unit_code, period) -> list[NarrativeVersion]
    save_narrative(unit_code, period, section, markdown, base_version, actor, title=None, correction=False)
    current_goal_actual(goal_code, period) / save_goal_actual(goal_code, period, {measure: "58,2"}, base_version,
        actor, change_pct=None, source="", wording="")
    current_key_result_value(code, period, field) / save_key_result_value(code, period, field ("measured",
        "target", "confidence" 0–100), value, base_version, actor, source="")
    current_balancing_value(code, period) / save_balancing_value(code, period, actual_cents, forecast_cents,
        base_version, actor, source="")
    -> EntryVersion(what, value: dict, version, entered_by, entered_at)
    Saves raise NotAllowed, InvalidTransition (unit submitted/approved), StaleEdit, PublishedPeriodLocked,
    ProblemsError, NotFound (unknown goal, key result, measure).

services.units
    unit_page(round, unit_code, actor, with_checks=True) -> UnitPage(round_id, period, template_code, unit_code,
        unit_name, status, comment, changed_by, may_edit, may_approve, report (core.model.Report, content attached),
        findings, narratives: (NarrativeVersion, …), goals: (GoalEntry(code, indicator, measures, current), …),
        key_results: (KeyResultEntry(code, text, measure_unit, measured, target, confidence), …),
        measures: (MeasureEntry(code, name, target_cents, current), …))     NotFound when the actor may not see it

services.reports — one computation for the CLI, unit pages and publishing
    full_report(period, unit=None, template_code=None, language="fi", as_of=None) -> core.model.Report
        (figures and content; the web renders its tables with the report's renderers)
    findings(period, unit, template_code=None) -> tuple[core.checks.Finding, ...]
    statement_report(...) -> (config, template, report);  parse_period(text) -> Period (ProblemsError)

services.publish
    publish_report(actor, period=None, template_code=None, the_round=None, public=False, correction_note="",
        language="fi") -> Published(key, version, public, correction_note, files: ((format, name, sha256, size),…), id)
        writes html, pdf, docx, xlsx and the figures as CSV once; a round must be all approved; a second
        version is a correction and needs a note
    list_published(user) -> list[Published];  get_published(key, user, version=None) -> PublishedReport (NotFound
        also when the user may not read it);  published_file(key, name_or_format, user, version=None) ->
        PublishedFile(name, media_type, sha256, size, content bytes)
    report_key(org_code, template_code, period) -> "omahame/osavuosikatsaus/2025-06"
    refuse_changes_to_published(from_period=None)   called by every changing service inside its transaction

services.imports, services.forecasts, services.content (load_content_files, override_goal_status) — what the
    CLI's commands do; each returns errors.Outcome(lines, warnings, value) and raises errors.Refused (a
    ProblemsError with .what: "nothing was stored", …). All take the actor and correction=False.
    imports.check_config(paths), load_config(paths, actor), import_ledger(files, mapping, add, actor,
        progress=None) (a command may open `with ledger_import_prepared(files, mapping):` around it, before the
        database opens: it starts the checksums and the first file's scan, which import_ledger takes over),
        import_plan(kind, path, version, year, sign, sheet, mapping, actor, effective_date=…, decision_ref=…,
        author=…)
    forecasts.suggest(period, version, actor, budget="in_force", years_back=5, replace_existing=False),
        set_value(version, unit, line, reason, actor, value=None | suggestion=None | budget=None, period=None,
        date_=None, author=""), write_sheet_file(period, suggestion, out_file=None, budget="in_force",
        previous=None), upload(file, version, actor, date_=None, author=""), version_figures(version, history)

services.audit
    acting(actor) context manager; audit_log(since=None, until=None) -> list[AuditEntry(when, who, kind, item,
        action, field, before, after)];  export_audit_csv(stream, since=None, until=None) -> int
    item_history(instance) -> list[AuditEntry]   (a narrative row: every version of that narrative)
"""
