"""One actor type: the command line's operator (an administrator), a configured person with roles, or nobody —
checked for every kind of operation, with no way around the roles by passing a name. The command line's two ways
of acting (as the operator, or `--as-user` as a configured person) are both tested."""

from __future__ import annotations

import pytest
from service_fixtures import PASSWORD, add_people, load_demo
from typer.testing import CliRunner

pytestmark = [pytest.mark.db, pytest.mark.django_db]

UNIT_OPERATIONS = ("can_view_unit", "can_edit_unit", "can_approve")
OPERATIONS = ("can_publish", "can_manage_users", "can_open_round", "can_import")


@pytest.fixture
def county(db, tmp_path):
    load_demo(tmp_path, content=False)
    return add_people()


def run(*args: str):
    return run_with_input("", *args)


def run_with_input(stdin: str, *args: str):
    from katsaus.cli import app

    return CliRunner().invoke(app, list(args), input=stdin)


def test_the_operator_may_do_every_operation(county):
    from katsaus.services import permissions
    from katsaus.services.actors import Operator

    operator = Operator("ylläpitäjä")
    assert all(getattr(permissions, name)(operator) for name in OPERATIONS)
    assert all(getattr(permissions, name)(operator, "PESOVA-LS") for name in UNIT_OPERATIONS)


def test_a_person_without_a_role_and_nobody_may_do_nothing(county):
    from django.contrib.auth.models import User

    from katsaus.services import permissions
    from katsaus.services.actors import Anonymous, Person

    nobody = User.objects.create_user("ei-roolia", password=PASSWORD)
    for actor in (Person(nobody), Anonymous()):
        assert not any(getattr(permissions, name)(actor) for name in OPERATIONS)
        assert not any(getattr(permissions, name)(actor, "PESOVA-LS") for name in UNIT_OPERATIONS)


def test_an_inactive_person_loses_their_roles(county):
    from katsaus.services import permissions
    from katsaus.services.actors import Person

    controller = county["kontrolleri"].user
    assert permissions.can_publish(Person(controller))
    controller.is_active = False
    assert not permissions.can_publish(Person(controller))


@pytest.mark.parametrize("name", OPERATIONS + UNIT_OPERATIONS)
def test_a_name_or_a_user_object_is_no_actor(county, name):
    """The old way round the roles (any string skipped every check) raises instead of allowing."""
    from katsaus.services import permissions

    args = ("PESOVA-LS",) if name in UNIT_OPERATIONS else ()
    for not_an_actor in ("kontrolleri", county["kontrolleri"].user, None):
        with pytest.raises(TypeError):
            getattr(permissions, name)(not_an_actor, *args)


def test_a_service_refuses_a_person_with_the_refusal_of_its_family(county):
    from katsaus.services import users
    from katsaus.services.errors import NotAllowed

    with pytest.raises(NotAllowed) as refused:
        users.add_user("uusi", PASSWORD, [("reader", "")], county["ls-paallikko"])
    assert refused.value.status == 403
    assert refused.value.codes == ("permission.denied",)
    assert refused.value.problems[0].params["who"] == "ls-paallikko"


def test_the_command_line_acts_as_the_operator_by_default(county):
    result = run("--user", "ylläpitäjä", "user", "add", "uusi-lukija", "--role", "reader", "--password-stdin")
    assert result.exit_code == 1  # no password on standard input: refused for that, not for a permission
    assert "[permission.denied]" not in result.output
    assert "[user.password_length]" in result.output
    result = run_with_input(PASSWORD + "\n", "--user", "ylläpitäjä", "user", "add", "uusi-lukija", "--role",
                            "reader", "--password-stdin")
    assert result.exit_code == 0, result.output
    from katsaus.services.audit import audit_log

    assert any(e.who == "ylläpitäjä" and e.item.startswith("uusi-lukija") for e in audit_log())


def test_the_command_line_acts_as_a_configured_person_with_their_roles(county):
    refused = run_with_input(PASSWORD + "\n", "--as-user", "ls-paallikko", "user", "add", "uusi-lukija", "--role",
                             "reader", "--password-stdin")
    assert refused.exit_code == 1
    assert "[permission.denied]" in refused.output
    assert "ls-paallikko" in refused.output
    allowed = run_with_input(PASSWORD + "\n", "--as-user", "kontrolleri", "user", "add", "uusi-lukija", "--role",
                             "reader", "--password-stdin")
    assert allowed.exit_code == 0, allowed.output
    from katsaus.services.audit import audit_log

    assert any(e.who == "kontrolleri" and e.item.startswith("uusi-lukija") for e in audit_log())


def test_the_command_line_refuses_an_unknown_or_inactive_person(county):
    result = run("--as-user", "ei-ketään", "user", "list")
    assert result.exit_code == 1
    assert "[user.not_found]" in result.output
