"""Database tables. Money is exact integer cents (BigIntegerField); never float."""

from __future__ import annotations

from django.db import models


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


class ImportBatch(models.Model):
    """One imported file. Importing the same file again replaces its batch, so nothing counts twice."""

    KINDS = [("ledger", "ledger"), ("budget", "budget"), ("forecast", "forecast")]
    kind = models.CharField(max_length=16, choices=KINDS)
    file_name = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64)
    rows = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.CharField(max_length=150)
    version = models.ForeignKey(PlanVersion, null=True, blank=True, on_delete=models.CASCADE, related_name="batches")
    mapping = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["kind", "file_name"]), models.Index(fields=["checksum"])]


class Balance(models.Model):
    """A monthly ledger balance in ledger sign (costs positive), exact cents."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="balances")
    year = models.IntegerField()
    month = models.SmallIntegerField()
    cost_centre = models.CharField(max_length=64)
    account = models.CharField(max_length=64)
    internal = models.BooleanField()
    cents = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["year", "month"])]


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
