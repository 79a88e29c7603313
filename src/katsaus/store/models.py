"""Database tables. Money is exact integer cents (BigIntegerField); never float."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords


class AuditFields(models.Model):
    """What every history record adds: the acting person's name, from the web or the CLI (--user). The
    services set it (katsaus.services.audit.acting); a record made outside them says "system"."""

    actor = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        abstract = True


def audited(**options) -> HistoricalRecords:
    """The history of a model that people change: every save is kept with who, when and the values."""
    return HistoricalRecords(bases=[AuditFields], **options)


class Organisation(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name_fi = models.CharField(max_length=255)
    name_sv = models.CharField(max_length=255, blank=True, default="")


class Unit(models.Model):
    code = models.CharField(max_length=64, unique=True)
    name_fi = models.CharField(max_length=255)
    name_sv = models.CharField(max_length=255, blank=True, default="")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position"]


class CostCentre(models.Model):
    code = models.CharField(max_length=64)
    name = models.CharField(max_length=255, blank=True, default="")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="cost_centres")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    position = models.IntegerField(default=0)

    class Meta:
        ordering = ["position"]
        indexes = [models.Index(fields=["code"])]


class ConfigDocument(models.Model):
    """A validated configuration file (organisation, scheme, template) kept as loaded."""

    kind = models.CharField(max_length=32)
    code = models.CharField(max_length=64)
    source = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64)
    content = models.JSONField()
    loaded_at = models.DateTimeField(auto_now=True)
    loaded_by = models.CharField(max_length=150, blank=True, default="")

    history = audited()
    class Meta:
        unique_together = [("kind", "code")]


class PlanVersion(models.Model):
    KINDS = [("budget", "budget"), ("forecast", "forecast")]
    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=KINDS)
    year = models.IntegerField()
    effective_date = models.DateField(null=True, blank=True)
    decision_ref = models.CharField(max_length=255, blank=True, default="")
    author = models.CharField(max_length=150, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    # forecasts: the reporting period (months 1..N) whose actuals the forecast was made from, e.g. "2025-06"
    made_at_period = models.CharField(max_length=7, blank=True, default="")
    history = audited()


class ImportBatch(models.Model):
    """One imported file or one write of forecast figures. Importing the same ledger file again replaces its
    batch; a budget or forecast figure written again supersedes the earlier one (kept as its history), so
    nothing counts twice and nothing entered is lost."""

    KINDS = [("ledger", "ledger"), ("budget", "budget"), ("forecast", "forecast")]
    kind = models.CharField(max_length=16, choices=KINDS)
    file_name = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64)
    rows = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.CharField(max_length=150)
    version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="batches")
    mapping = models.CharField(max_length=500, blank=True, default="")
    # a ledger import replaced by a later import of the same file: kept in the log, its balances deleted
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    history = audited()
    class Meta:
        indexes = [models.Index(fields=["kind", "file_name"]), models.Index(fields=["checksum"])]


class Balance(models.Model):
    """A monthly ledger balance in ledger sign (costs positive), exact cents."""

    # No index on batch: an import inserts hundreds of thousands of balances, and a second index makes that
    # markedly slower; replacing an import (the only query by batch) scans the aggregated table instead.
    # No foreign-key constraint in the database either: PostgreSQL checks it row by row at commit, 2.5–3 s of a
    # year's import of 600 000 balances (BENCHMARKS.md, "A county of a hundred units"). The reference holds by
    # construction: the batch is created in the import's own transaction, no batch is ever deleted (a replaced one
    # is marked), Django's CASCADE would delete its balances, and a restore refuses balances of no batch
    # (store.backup.restore).
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="balances", db_index=False,
                              db_constraint=False)
    year = models.IntegerField()
    month = models.SmallIntegerField()
    cost_centre = models.CharField(max_length=64)
    account = models.CharField(max_length=64)
    internal = models.BooleanField()
    cents = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["year", "month"])]


class PlanAmountQuerySet(models.QuerySet):
    def current(self) -> PlanAmountQuerySet:
        """The figures no later write has replaced: what reports, sheets and `show` count."""
        return self.filter(superseded_by__isnull=True)


class PlanAmount(models.Model):
    """A budget or forecast figure in statement sign, for a unit or cost centre and a line or account."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="amounts")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="plan_amounts")
    unit_code = models.CharField(max_length=64, null=True, blank=True)
    cost_centre = models.CharField(max_length=64, null=True, blank=True)
    line_code = models.CharField(max_length=64, null=True, blank=True)
    account = models.CharField(max_length=64, null=True, blank=True)
    month = models.SmallIntegerField(null=True, blank=True)
    cents = models.BigIntegerField()
    # where a forecast figure came from: a method (suggestion) or a person's reason (manual value)
    method = models.CharField(max_length=64, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    low_cents = models.BigIntegerField(null=True, blank=True)
    high_cents = models.BigIntegerField(null=True, blank=True)
    entered_by = models.CharField(max_length=150, blank=True, default="")
    explanation = models.JSONField(default=dict, blank=True)  # how a suggestion was made (core.forecast.Explanation)
    # the write that replaced this figure; None for a current figure. Replaced figures stay as the history.
    superseded_by = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="superseded_plan_amounts")

    objects = PlanAmountQuerySet.as_manager()


# --- goals, key results, the balancing programme and narratives (store/content.py) -------------------------
# Values of goals and key results are exact decimal text ("58.2"), so the precision entered is the precision
# printed; money is integer cents. Entries are never updated in place: a new value for a period is a new row,
# the latest row of a period is the current one, and the earlier rows are its history.

PERIOD_LENGTH = 7  # "2025-06"


class Definition(models.Model):
    """A content definition kept by code. One that a `content load --retire-missing` no longer finds in the
    files is retired, not deleted: its values stay as history, reports leave it out, loading it again brings
    it back."""

    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Metric(Definition):
    key = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=500)
    unit = models.CharField(max_length=64, blank=True, default="")
    mentions = models.JSONField(default=list)
    history = audited()


class StrategicGoal(Definition):
    code = models.CharField(max_length=64, unique=True)
    name = models.TextField()
    position = models.IntegerField(default=0)
    history = audited()


class UnitGoal(Definition):
    code = models.CharField(max_length=64, unique=True)
    strategic_goal = models.ForeignKey(StrategicGoal, on_delete=models.CASCADE, related_name="unit_goals")
    unit_code = models.CharField(max_length=64)
    text = models.TextField()
    position = models.IntegerField(default=0)
    history = audited()


class KeyResult(Definition):
    code = models.CharField(max_length=64, unique=True)
    unit_goal = models.ForeignKey(UnitGoal, on_delete=models.CASCADE, related_name="key_results")
    text = models.TextField()
    unit = models.CharField(max_length=64, blank=True, default="")
    target_kind = models.CharField(max_length=16, blank=True, default="")
    metric = models.CharField(max_length=64, blank=True, default="")
    position = models.IntegerField(default=0)
    history = audited()


class KeyResultValue(models.Model):
    """One of a key result's three separate fields (measured, target, confidence) for a period."""

    FIELDS = [("measured", "measured"), ("target", "target"), ("confidence", "confidence")]
    key_result = models.ForeignKey(KeyResult, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=PERIOD_LENGTH)
    field = models.CharField(max_length=16, choices=FIELDS)
    value = models.CharField(max_length=40)
    source = models.CharField(max_length=500, blank=True, default="")
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now_add=True)

    history = audited()
    class Meta:
        indexes = [models.Index(fields=["key_result", "field", "period"])]


class OperationalGoal(Definition):
    """A unit's operational goal; its rule, measures and presentation are structured JSON, not printed text."""

    code = models.CharField(max_length=64, unique=True)
    unit_code = models.CharField(max_length=64)
    year = models.IntegerField()
    indicator = models.TextField()
    measures = models.JSONField()
    rule = models.JSONField()
    wording = models.TextField(blank=True, default="")
    main = models.CharField(max_length=64, blank=True, default="")
    presentation = models.JSONField(default=dict)
    position = models.IntegerField(default=0)
    history = audited()


class GoalActual(models.Model):
    goal = models.ForeignKey(OperationalGoal, on_delete=models.CASCADE, related_name="actuals")
    period = models.CharField(max_length=PERIOD_LENGTH)
    values = models.JSONField(default=dict)  # measure key -> decimal text
    change_pct = models.CharField(max_length=40, blank=True, default="")
    measured_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True, default="")
    wording = models.TextField(blank=True, default="")  # a printed wording override
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now_add=True)
    history = audited()


class GoalStatusOverride(models.Model):
    """A person's status for a goal and period. The database refuses one without a reason."""

    goal = models.ForeignKey(OperationalGoal, on_delete=models.CASCADE, related_name="overrides")
    period = models.CharField(max_length=PERIOD_LENGTH)
    status = models.CharField(max_length=16)
    reason = models.TextField()
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now_add=True)

    history = audited()
    class Meta:
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="goal_override_needs_reason")]


class BalancingMeasure(Definition):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=500)
    owner_unit = models.CharField(max_length=64)
    year = models.IntegerField()
    target_cents = models.BigIntegerField()
    position = models.IntegerField(default=0)
    history = audited()


class BalancingValue(models.Model):
    measure = models.ForeignKey(BalancingMeasure, on_delete=models.CASCADE, related_name="values")
    period = models.CharField(max_length=PERIOD_LENGTH)
    actual_cents = models.BigIntegerField(null=True, blank=True)
    forecast_cents = models.BigIntegerField(null=True, blank=True)
    source = models.CharField(max_length=500, blank=True, default="")
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now_add=True)
    history = audited()


class Narrative(models.Model):
    """One version of a unit's text for a period and section; the latest version is the current one."""

    unit_code = models.CharField(max_length=64)
    period = models.CharField(max_length=PERIOD_LENGTH)
    section = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True, default="")
    markdown = models.TextField()
    position = models.IntegerField(default=0)
    source = models.CharField(max_length=500, blank=True, default="")
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now_add=True)

    history = audited()
    class Meta:
        indexes = [models.Index(fields=["unit_code", "period", "section"])]


class DeviationExplanation(models.Model):
    """One version of a unit's explanation of why a statement line's forecast differs from its budget, for a
    template's report of a period; the latest version is the current one (services.content.save_explanation)."""

    template_code = models.CharField(max_length=64)
    unit_code = models.CharField(max_length=64)
    period = models.CharField(max_length=PERIOD_LENGTH)
    line_code = models.CharField(max_length=64)
    text = models.TextField()
    source = models.CharField(max_length=500, blank=True, default="")
    entered_by = models.CharField(max_length=150, blank=True, default="")
    entered_at = models.DateTimeField(auto_now_add=True)

    history = audited()
    class Meta:
        indexes = [models.Index(fields=["template_code", "unit_code", "period", "line_code"])]

class ContentSetting(models.Model):
    """Presentation settings of the content: the goal tables' short unit names, the balancing table's title."""

    key = models.CharField(max_length=64, unique=True)
    value = models.JSONField()
    history = audited()


# --- the reporting round, its people and what it publishes (katsaus.services) ------------------------------


class RoleAssignment(models.Model):
    """One role of a user. controller: the whole organisation; director: `unit_code` and every unit below it;
    unit_manager: `unit_code` only; reader: published reports only. A user may hold several."""

    ROLES = [("controller", "controller"), ("director", "director"), ("unit_manager", "unit_manager"), ("reader", "reader")]
    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="katsaus_roles")
    role = models.CharField(max_length=16, choices=ROLES)
    unit_code = models.CharField(max_length=64, blank=True, default="")

    history = audited()
    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit_code"], name="one_role_per_user_and_unit")]


class ReportingRound(models.Model):
    """A reporting round: the report of one template for one period, made by the units that report."""

    organisation_code = models.CharField(max_length=64)
    template_code = models.CharField(max_length=64)
    period = models.CharField(max_length=PERIOD_LENGTH)
    deadline = models.DateField()
    opened_by = models.CharField(max_length=150)
    opened_at = models.DateTimeField(auto_now_add=True)

    history = audited()
    class Meta:
        constraints = [models.UniqueConstraint(fields=["template_code", "period"], name="one_round_per_template_and_period")]


class RoundUnit(models.Model):
    """A unit's status in a round: not_started → draft → submitted → returned (comment) → submitted → approved."""

    STATUSES = [("not_started", "not_started"), ("draft", "draft"), ("submitted", "submitted"),
                ("returned", "returned"), ("approved", "approved")]
    round = models.ForeignKey(ReportingRound, on_delete=models.CASCADE, related_name="units")
    unit_code = models.CharField(max_length=64)
    position = models.IntegerField(default=0)
    status = models.CharField(max_length=16, choices=STATUSES, default="not_started")
    comment = models.TextField(blank=True, default="")  # the director's comment when returned
    changed_by = models.CharField(max_length=150, blank=True, default="")
    changed_at = models.DateTimeField(auto_now=True)

    history = audited()
    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["round", "unit_code"], name="one_status_per_round_unit")]


class PublishedReport(models.Model):
    """One published version of a report, frozen: its files are written once and kept with their SHA-256.
    `key` is the stable address per organisation, template and period; a correction is a new version."""

    key = models.CharField(max_length=200)
    organisation_code = models.CharField(max_length=64)
    template_code = models.CharField(max_length=64)
    period = models.CharField(max_length=PERIOD_LENGTH)
    unit_code = models.CharField(max_length=64)
    version = models.IntegerField()
    public = models.BooleanField(default=False)
    correction_note = models.TextField(blank=True, default="")
    fingerprint = models.CharField(max_length=64)  # SHA-256 of its figures and texts (what a later change must keep)
    # the date its budget and forecast versions were taken as of (None: every version, when some are undated)
    as_of = models.DateField(null=True, blank=True)
    round = models.ForeignKey(ReportingRound, null=True, blank=True, on_delete=models.PROTECT, related_name="published")
    published_by = models.CharField(max_length=150)
    published_at = models.DateTimeField(auto_now_add=True)

    history = audited()
    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "version"], name="one_published_version")]


class PublishedFile(models.Model):
    report = models.ForeignKey(PublishedReport, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=16)
    name = models.CharField(max_length=255)
    media_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    content = models.BinaryField()


def register_user_history() -> None:
    """Users' history too (who was added, made inactive, renamed); never their password hashes."""
    from django.contrib.auth.models import User
    from simple_history import register

    if not hasattr(User, "history"):
        register(User, app="katsaus.store", bases=[AuditFields], excluded_fields=["password", "last_login"])


register_user_history()


# --- what the cached reports were computed from (katsaus.services.reports) ----------------------------------


class Generation(models.Model):
    """A token per kind of stored data ("figures": configuration, ledger, plans, forecasts; "content": texts and
    entries), replaced by a random one at the start of every write's transaction: a report computed from the
    data is kept under the tokens it read, so that no process shows a report of data that has changed since, and
    a write that is rolled back leaves no token behind that could come again."""

    key = models.CharField(max_length=80, primary_key=True)
    token = models.BigIntegerField()
