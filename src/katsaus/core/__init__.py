"""Plain computation: no Django, no files, no formatting."""
