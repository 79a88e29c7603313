"""`django-admin webdemo`: bring the database's schema up to date and create the demo users (make serve)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from katsaus.web.demo_users import create_demo_users


class Command(BaseCommand):
    help = "Migrate the database and create one demo user per role (printing their names and passwords)."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        self.stdout.write("Demo users (http://127.0.0.1:8000/login/):")
        for user in create_demo_users():
            self.stdout.write(f"  {user.name:<15} {user.password:<26} {user.description}")
