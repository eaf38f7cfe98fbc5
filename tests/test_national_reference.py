"""Issue 23: a rank "t.o.v. Nederland" names its real base where only a few gemeenten have values.

In national mode 85984NED has the deprivation and housing-stock variables only for Amsterdam and 5 Zaanstad wijken
(``../shared/cbs-mirror`` README, National mode). A rank of social housing "t.o.v. Nederland" is then a rank
among the wijken of two cities; the label said "t.o.v. 113 wijken met gegevens (3 % van Nederland)" and now
also names where those wijken lie. Recomputed from the mirror's rows: the gemeenten of every wijk with a value.
"""

from __future__ import annotations

import gzip
import json

import pytest

from indicators.reference import ref_label
from tests.conftest import MIRROR_BIN, SHARED_DATA

NAT = SHARED_DATA / "derived-national"
pytestmark = pytest.mark.skipif(not MIRROR_BIN.exists(), reason="../shared/cbs-mirror is absent")


def _wijken_with(key: str) -> dict[str, str]:
    """wijk code -> gemeente name of every national 85984NED wijk row with a value for ``key``."""
    with gzip.open(NAT / "odata" / "85984NED" / "TypedDataSet.json.gz", "rt", encoding="utf-8") as fh:
        rows = json.load(fh)
    return {
        r["WijkenEnBuurten"].strip(): r["Gemeentenaam_1"].strip()
        for r in rows
        if r["WijkenEnBuurten"].startswith("WK") and r.get(key) is not None
    }


@pytest.mark.parametrize("gemeenten", [("GM0772",), ("NL",)])
def test_national_rank_of_social_housing_names_amsterdam_and_zaanstad(nat_warm, gemeenten):
    from pages._common import loaders_frames

    raw = _wijken_with("InBezitWoningcorporatie_49")
    assert set(raw.values()) == {"Amsterdam", "Zaanstad"} and len(raw) == 113
    s = loaders_frames.scored(gemeenten, 2024, "wijk", "nl")
    base = s.result.ref_sorted.bases["sociale_huur"].bases["ref"]
    assert base.n <= len(raw) and not base.national
    share = round(100 * base.n / 3393)
    assert base.label == {
        "nl": f"t.o.v. {base.n} wijken met gegevens ({share} % van Nederland), landelijk alleen in Amsterdam en Zaanstad",
        "en": f"vs {base.n} districts with data ({share} % of the Netherlands), nationally only in Amsterdam and "
        "Zaanstad",
    }
    ranked = s.table["sociale_huur__rank"].notna()
    if gemeenten == ("NL",):  # nationally: exactly the Amsterdam and Zaanstad wijken are ranked, with that label
        assert ranked.sum() > 0 and {c[:6] for c in s.table.index[ranked]} == {"WK0363", "WK0479"}
        assert (s.table.loc[ranked, "sociale_huur__ref"] == base.label["nl"]).all()
    else:  # Eindhoven has no social-housing values: no rank, no label that could mislead
        assert not ranked.any()
    # WOZ: 3 000+ wijken in 300+ gemeenten: a national base, named as such
    woz = s.result.ref_sorted.bases["woz_waarde"].bases["ref"]
    assert woz.n >= 3000 and woz.national and "van Nederland met gegevens" in woz.label["nl"]


def test_label_names_gemeenten_only_for_a_low_base_in_few_gemeenten():
    nl = type("R", (), {"kind": "nl", "level": "wijk", "n_areas": 3393, "label": {}})()
    assert ref_label(nl, 114, ("Zaanstad", "Amsterdam"))[0]["nl"] == (
        "t.o.v. 114 wijken met gegevens (3 % van Nederland), landelijk alleen in Amsterdam en Zaanstad"
    )
    assert ref_label(nl, 20, ("Eindhoven",))[0]["en"] == (
        "vs 20 districts with data (1 % of the Netherlands), nationally only in Eindhoven"
    )
    four = ("Amsterdam", "Eindhoven", "Utrecht", "Zaanstad")
    assert ref_label(nl, 114, four)[0] == ref_label(nl, 114)[0]  # many gemeenten: the share says it
    assert "alleen" not in ref_label(nl, 3002, ("Amsterdam",))[0]["nl"]  # a national base: no such words
