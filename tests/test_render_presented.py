"""How a forecast figure was made, in the reader's words (render.presented.explain), for every kind."""

from __future__ import annotations

import pytest

from katsaus.core.errors import Refused
from katsaus.core.forecast import Explanation
from katsaus.render.presented import explain, method_label

NBSP = "\u00a0"


@pytest.mark.parametrize(("explanation", "language", "words"), [
    (Explanation("single", method="profile"), "fi", "aiempien vuosien kausiprofiili"),
    (Explanation("actual", method="actual"), "sv", "hela årets utfall"),
    (Explanation("fallback", method="run_rate", fell_back_from=("profile",)), "fi",
     "toteumatahti (varamenetelmä: aiempien vuosien kausiprofiili ei ollut käytettävissä, koska tietoja ei ollut tarpeeksi)"),
    (Explanation("fallback", method="level", fell_back_from=("budget",)), "sv",
     "utjämnad månadsnivå (reservmetod: budget kunde inte användas, för lite uppgifter)"),
    (Explanation("combination", shares=(("recent", 70), ("rest", 30), ("level", 0)), own_years=2), "fi",
     f"ehdotus, menetelmien yhdistelmä: viimeisten kuukausien tahti 70{NBSP}%, loppuvuosi kuten aiempina vuosina "
     f"30{NBSP}%; painot sen mukaan, miten menetelmät osuivat aiempina vuosina (tämä sarja 2 v. ja kaikki sarjat)"),
    (Explanation("trimmed", shares=(("profile", 50), ("level", 50))), "sv",
     f"förslag, kombination av metoder: tidigare års säsongsprofil 50{NBSP}%, utjämnad månadsnivå 50{NBSP}%; "
     "vikterna efter denna series träffar tidigare år, extremerna utelämnade"),
    (Explanation("equal", shares=(("profile", 25), ("rest", 25))), "fi",
     f"ehdotus, menetelmien yhdistelmä tasapainoin (vain yksi aiempi vuosi): aiempien vuosien kausiprofiili 25{NBSP}%, "
     f"loppuvuosi kuten aiempina vuosina 25{NBSP}%"),
    (Explanation("alone", method="profile", runner_up="level_fast", error_tenths=14, runner_up_error_tenths=105), "fi",
     f"ehdotus: aiempien vuosien kausiprofiili yksin – sen mediaanivirhe aiempina vuosina kaikissa sarjoissa oli "
     f"1,4{NBSP}%, seuraavaksi parhaan (nopeasti tasoitettu kuukausitaso) 10,5{NBSP}%"),
    (Explanation("model", method="global", shares=(("global", 50), ("profile", 30), ("level", 20)), model_rows=900), "fi",
     f"ehdotus: kaikista sarjoista opittu malli 50{NBSP}%, aiempien vuosien kausiprofiili 30{NBSP}%, tasoitettu "
     f"kuukausitaso 20{NBSP}%; malli (gradienttitehostus) on opittu kaikkien sarjojen aiemmista vuosista, menetelmien "
     "painot niiden osumista aiempina vuosina"),
    (Explanation("model", method="global", shares=(("global", 100),), model_rows=900), "sv",
     f"förslag: modell inlärd av alla serier 100{NBSP}%; modellen (gradient boosting) är inlärd av alla seriers "
     "tidigare år, metodernas vikter efter hur de träffade tidigare år"),
])
def test_every_kind_of_explanation_is_worded(explanation, language, words):
    assert explain(explanation, language) == words


def test_an_unknown_kind_or_method_is_not_hidden():
    with pytest.raises(Refused) as refused:
        Explanation("guess")
    (problem,) = refused.value.problems
    assert problem.code == "forecast.explanation_kind" and problem.params["kind"] == "guess"
    assert {"single", "fallback"} <= set(problem.params["kinds"])
    assert method_label("crystal_ball", "fi") == "crystal_ball"  # printed as stored, not dropped
