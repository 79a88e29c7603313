"""Forecast rounds in Katsaus: series from the stored facts, suggestions, and the controllers' Excel sheet.

The estimation itself is plain arithmetic in :mod:`katsaus.core.forecast`; this package connects it to the
organisation, the scheme and the facts, and reads and writes the sheet. No Django here either.
"""
