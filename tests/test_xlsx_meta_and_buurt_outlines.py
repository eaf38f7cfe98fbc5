"""Issue 21: the XLSX export's Metadata sheet has a header row (veld/waarde; field/value in English), so plain
``pd.read_excel(..., sheet_name="Metadata")`` reads it as a table; focus areas (defined on wijken) are also
outlined on the buurt map: every buurt of a member wijk (from the raw PDOK buurten file in ../shared/data)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from render.export import CBS_ATTRIBUTION, ExportHeader, table_to_xlsx
from tests.conftest import SHARED_DATA
from tests.helpers_app import map_args, run_app

BUURTEN = SHARED_DATA / "derived" / "pdok_wbk2024" / "buurten.crs84.geojson"


@pytest.mark.parametrize(("lang", "cols"), [("nl", ["veld", "waarde"]), ("en", ["field", "value"])])
def test_metadata_sheet_reads_as_a_table(lang, cols):
    header = ExportHeader(
        title="Stapelkaart", year=2024, reference="3 393 wijken", sources=("CBS a", "CBS b"), lang=lang
    )
    xlsx = table_to_xlsx(pd.DataFrame({"code": ["WK047912"], "x": [1.5]}), header)
    meta = pd.read_excel(io.BytesIO(xlsx), sheet_name="Metadata")
    assert list(meta.columns) == cols
    rows = header.rows()
    assert len(meta) == len(rows)
    got = dict(zip(meta[cols[0]], meta[cols[1]]))
    assert got["Jaar" if lang == "nl" else "Year"] == 2024
    assert (
        list(meta.loc[meta[cols[1]].isin(["CBS a", "CBS b"]), cols[0]])
        == ["Bronnen" if lang == "nl" else "Sources"] * 2
    )
    assert CBS_ATTRIBUTION in set(meta[cols[0]]) | set(meta[cols[1]])
    assert list(pd.read_excel(io.BytesIO(xlsx)).columns) == ["code", "x"]  # the first sheet stays the table


def test_focus_areas_are_outlined_at_buurt_level(mirror, warm_cache):
    from pages._common import loaders_focus, loaders_map

    feats = json.loads(BUURTEN.read_text(encoding="utf-8"))["features"]
    wijk_of = {f["properties"]["buurtcode"]: f["properties"]["wijkcode"] for f in feats}
    at = run_app({"gm": "GM0479,GM0363", "level": "buurt"})
    args = map_args(at)
    members = {c for f in loaders_focus.view_focus_areas() for c in f.codes}
    drawn = set(loaders_map.map_geometry(("GM0363", "GM0479"), 2024, "buurt").codes)
    want = {b for b, w in wijk_of.items() if w in members and b in drawn}
    assert len(want) >= 10
    assert want <= set(args["outlines"]), sorted(want - set(args["outlines"]))[:10]
    assert set(args["outlines"]) <= want | {None}
