"""SQL metacharacters and other hostile text in every value a page reads from its address, query or form
(issue 13, web application): each answers with a refusal (400, 403, 404) or a page that shows the text escaped,
never a server error, and the database still holds what it held."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = [pytest.mark.db, pytest.mark.django_db, pytest.mark.slow]

PAYLOADS = ("' OR '1'='1", "1; DROP TABLE katsaus_importbatch;--", '"><script>alert(1)</script>', "%' --",
            "PESOVA-LS' UNION SELECT password FROM auth_user--")


def controller(world) -> Client:
    client = Client()
    client.force_login(world.people["kontrolleri"].user)
    return client


def addresses(payload: str, world) -> list[tuple[str, str, dict]]:
    from urllib.parse import quote

    text = quote(payload, safe="")
    return [
        ("get", f"/forecast/?suggestion={text}&forecast={text}", {}),
        ("get", f"/forecast/sheet/?period={text}&suggestion={text}", {}),
        ("get", f"/rounds/{world.draft.pk}/units/{text}/", {}),
        ("post", f"/rounds/{world.draft.pk}/units/PESOVA-LS/entries/goal/{text}/", {"base_version": ""}),
        ("post", f"/rounds/{world.draft.pk}/units/PESOVA-LS/entries/{text}/x/", {"base_version": ""}),
        ("post", f"/users/{text}/deactivate/", {}),
        ("post", "/users/ls-paallikko/remove-role/", {"role": payload, "unit": payload}),
        ("get", f"/r/{text}/", {}),
        ("get", f"/r/{world.published_key}/v1/{text}", {}),
        ("post", "/forecast/", {"value-version": payload, "value-unit": payload, "value-line": payload,
                                "value-reason": payload, "value-value": payload, "value-period": payload}),
    ]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_in_every_parameter_is_refused_or_shown_escaped(world, payload):
    from katsaus.store.models import ImportBatch

    client = controller(world)
    batches = ImportBatch.objects.count()
    for method, address, data in addresses(payload, world):
        response = client.get(address) if method == "get" else client.post(address, data)
        assert response.status_code < 500, (address, response.status_code)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            assert "<script>alert(1)</script>" not in response.content.decode(), address
    assert ImportBatch.objects.count() == batches
    assert client.get(f"/rounds/{world.draft.pk}/units/PESOVA-LS/").status_code == 200
