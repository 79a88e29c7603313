"""The demo's users, one per role, on the demo county (configs/demo): for `make serve` and the browser tests.

The passwords are printed by `make serve`; they protect nothing but a demo bound to 127.0.0.1."""

from __future__ import annotations

from dataclasses import dataclass

OPERATOR_NAME = "katsaus-demo"  # the name the audit records for the demo's setup


@dataclass(frozen=True)
class DemoUser:
    name: str
    password: str
    role: str
    unit: str = ""
    description: str = ""


DEMO_USERS = (
    DemoUser("controller", "controller-demo-2025", "controller", "", "controller (the whole county)"),
    DemoUser("johtaja", "johtaja-demo-2025", "director", "PESOVA", "director of the division PESOVA"),
    DemoUser("esihenkilo-ls", "esihenkilo-ls-demo-2025", "unit_manager", "PESOVA-LS", "unit manager of PESOVA-LS"),
    DemoUser("esihenkilo-vp", "esihenkilo-vp-demo-2025", "unit_manager", "PESOVA-VP", "unit manager of PESOVA-VP"),
    DemoUser("lukija", "lukija-demo-2025", "reader", "", "reader (published reports)"),
)


def create_demo_users() -> list[DemoUser]:
    """Create (or give back their roles and passwords to) the demo users through the users service."""
    from katsaus.services.actors import Operator
    from katsaus.services.users import add_user

    for user in DEMO_USERS:
        add_user(user.name, user.password, [(user.role, user.unit)], Operator(OPERATOR_NAME))
    return list(DEMO_USERS)
