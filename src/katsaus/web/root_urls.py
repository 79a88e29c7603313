"""The site's address space (ROOT_URLCONF): the language switch and the application."""

from katsaus.web.urls import root

urlpatterns = root
