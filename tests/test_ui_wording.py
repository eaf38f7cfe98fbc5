"""Issue 21, UI wording: names where codes stand ("Voeg Poelenburg toe", not "Voeg WK047912 toe"), and the
"zie de tabelexport" of the focus-area PDF made true (Vergelijken offers that table export)."""

from __future__ import annotations

import pandas as pd

from indicators import registry as reg
from pages._common import tables
from pages._common.i18n import label as lab
from tests.conftest import needs_shared
from tests.helpers_app import run_app

pytestmark = needs_shared


def test_add_the_selected_area_by_its_name(mirror, warm_cache):
    at = run_app(
        {"page": "vergelijken", "level": "wijk", "area": "WK047912", "fa": "Zaandam-Zuid:WK047911"}, "vergelijken"
    )
    # issue 21: "Name (code)" wherever an area is named in a notice or button
    assert at.button(key="b_fa_add_sel").label == "Voeg Poelenburg (WK047912) toe"
    assert at.selectbox(key="w_fa_target").label == "Geselecteerd gebied Poelenburg (WK047912) toevoegen aan"
    at.button(key="b_fa_add_sel").click().run()
    assert dict(at.query_params)["fa"] == "Zaandam-Zuid:WK047911+WK047912"


def test_vergelijken_offers_the_table_export_the_pdf_points_to(mirror, warm_cache):
    fa = "Poelenburg:WK047912;Oud-Oost:WK0363MB+WK0363MC"
    at = run_app({"fa": fa, "page": "vergelijken", "level": "wijk"}, "vergelijken")
    labels = [el.proto.label for el in at.get("download_button")]
    assert "Tabelexport (CSV)" in labels and "Tabelexport (Excel)" in labels
    # the same frame the buttons serve: every key figure the PDF lists (reg.scored_indicators), per focus area
    from pages._common import loaders_focus

    view = at.session_state["_view"]
    table = loaders_focus.focus_table(view, view.weight_map(tuple(reg.DOMAINS)), loaders_focus.view_focus_areas(view))
    frame = tables.focus_figures(table, "nl")
    assert frame["Gebied"].tolist()[:2] == ["Poelenburg", "Oud-Oost"]
    for ind in reg.scored_indicators():
        col = next(c for c in frame.columns if c.startswith(lab(ind, "nl") + " ("))
        for fid, row in zip(frame["code"], frame[col]):
            expected = pd.to_numeric(pd.Series([table.loc[fid].get(ind.id)]), errors="coerce").iloc[0]
            assert (pd.isna(row) and pd.isna(expected)) or row == expected, (ind.id, fid)  # full precision
    for d in reg.DOMAINS:  # each domain's rank, as a number
        col = f"{lab(reg.DOMAINS[d], 'nl')}: plaats (0–100)"
        assert frame[col].dtype == "float64"
        assert frame[col].tolist()[:1] == [table.loc["poelenburg"].get(f"domain__{d}__rank")] or pd.isna(
            table.loc["poelenburg"].get(f"domain__{d}__rank")
        )
