"""The open-data licences: known SPDX identifiers pass, another is a problem (licence.unknown) naming the known
ones, also at config check."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from katsaus.core.errors import Refused
from katsaus.core.licences import DEFAULT_LICENCE, LICENCES, licence_problem

DEMO = Path(__file__).parents[1] / "configs" / "demo"


def test_the_default_is_cc_by_4_0_and_known():
    assert DEFAULT_LICENCE == "CC-BY-4.0" and licence_problem(DEFAULT_LICENCE) is None
    assert all(link.startswith("https://") for _, link in LICENCES.values())


@pytest.mark.parametrize("identifier", ["cc-by-4.0", "CC BY 4.0", "", "MIT"])
def test_other_identifiers_are_refused_naming_the_known_ones(identifier):
    problem = licence_problem(identifier)
    assert problem is not None and problem.code == "licence.unknown" and problem.found == identifier
    assert problem.params["licence"] == identifier
    assert "CC-BY-4.0" in problem.params["known"] and "CC0-1.0" in problem.params["known"]


def with_licence(tmp_path: Path, line: str) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    for name in ("organisation.toml", "scheme.toml", "template.toml"):
        shutil.copy(DEMO / name, config / name)
    template = config / "template.toml"
    text = template.read_text(encoding="utf-8").replace("[template.document]\n", f"[template.document]\n{line}\n", 1)
    template.write_text(text, encoding="utf-8")
    return config


def test_a_template_sets_its_licence(tmp_path):
    from katsaus.config.load import load_config_dir

    config = load_config_dir(with_licence(tmp_path, 'licence = "CC0-1.0"'))
    assert config.template().document.licence == "CC0-1.0"
    assert load_config_dir(DEMO).template().document.licence == "CC-BY-4.0"


def test_config_check_refuses_an_unknown_licence(tmp_path):
    from katsaus.config.load import load_config_dir

    with pytest.raises(Refused) as caught:
        load_config_dir(with_licence(tmp_path, 'licence = "CC-BY-5.0"'))
    (problem,) = [p for p in caught.value.problems if p.code == "licence.unknown"]
    assert (problem.key, problem.found, problem.params["licence"]) == ("template.document.licence", "CC-BY-5.0", "CC-BY-5.0")
