"""Katsaus: financial and performance monitoring and interim reports for Finnish public organisations."""

__version__ = "0.1.0"
