"""Adding users and roles: validated against the organisation, only by a controller (or at the CLI)."""

from __future__ import annotations

import pytest
from service_fixtures import PASSWORD, add_people, load_demo

from katsaus.services.actors import Operator

pytestmark = [pytest.mark.db, pytest.mark.django_db]


@pytest.fixture
def people(db, tmp_path):
    load_demo(tmp_path, content=False)
    return add_people()


def test_users_are_listed_with_their_roles_and_can_log_in(people):
    from django.contrib.auth import authenticate

    from katsaus.services.users import RoleSpec, list_users

    listed = {u.name: u.roles for u in list_users(Operator("admin"))}
    assert listed["johtaja"] == (RoleSpec("director", "PESOVA"),)
    assert listed["lukija"] == (RoleSpec("reader", ""),)
    assert authenticate(username="johtaja", password=PASSWORD) == people["johtaja"].user


@pytest.mark.parametrize("roles, password, field", [
    ([("director", "")], PASSWORD, "unit"),            # a director is named for a unit
    ([("director", "NOWHERE")], PASSWORD, "unit"),     # that exists
    ([("reader", "PESOVA")], PASSWORD, "unit"),        # a reader is not
    ([("boss", "")], PASSWORD, "role"),
    ([], PASSWORD, "role"),
    ([("reader", "")], "short", "password"),
])
def test_bad_roles_and_passwords_are_refused_naming_the_field(people, roles, password, field):
    from django.contrib.auth.models import User

    from katsaus.core.errors import Refused
    from katsaus.services.users import add_user

    with pytest.raises(Refused) as refused:
        add_user("uusi", password, roles, actor=Operator("admin"))
    assert [p.key for p in refused.value.problems] == [field]  # the CLI shows its option, the web its field
    assert not User.objects.filter(username="uusi").exists()


def test_only_a_controller_adds_users_in_the_web(people):
    from katsaus.services.errors import NotAllowed
    from katsaus.services.users import add_user, list_users

    with pytest.raises(NotAllowed):
        add_user("uusi", PASSWORD, [("reader", "")], actor=people["johtaja"])
    add_user("uusi", PASSWORD, [("reader", "")], actor=people["kontrolleri"])
    assert "uusi" in {u.name for u in list_users(people["kontrolleri"])}
