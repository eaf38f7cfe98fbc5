"""Coverage simplification and focus outlines on real Amsterdam/Zaanstad PDOK boundaries (mirror, data.pdok)."""

from __future__ import annotations

import pytest
import shapely

from core.crs import RD_NEW, WGS84
from geo.layer import coverage_check, focus_outlines, max_displacement_m, simplify_coverage

TOL = 10.0
OUD_OOST = ["WK0363MB", "WK0363MC", "WK0363MD", "WK0363ME"]


@pytest.fixture(scope="module")
def boundaries(mirror_server, tmp_path_factory):
    """Real 2024 boundaries of Amsterdam (+ Zaanstad) from the mirror, loaded once per module."""
    from data.pdok import load_boundaries

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STAPELKAART_CACHE_DIR", str(tmp_path_factory.mktemp("geo-cache")))
        return {
            "ams_buurten": load_boundaries(["GM0363"], 2024, "buurt"),
            "ams_wijken": load_boundaries(["GM0363"], 2024, "wijk"),
            "both_buurten": load_boundaries(["GM0363", "GM0479"], 2024, "buurt"),
        }


@pytest.fixture(scope="module")
def simplified_buurten(boundaries):
    """Amsterdam's buurten simplified as the map prepares them (before quantisation)."""
    return simplify_coverage(boundaries["ams_buurten"], TOL)


def test_amsterdam_buurten_form_a_valid_coverage_and_use_shared_edges(boundaries, simplified_buurten):
    assert len(boundaries["ams_buurten"]) == 518
    _, report = simplified_buurten
    assert report.coverage_valid
    assert report.method == "edges"


def test_simplified_coverage_is_valid_and_complete(boundaries, simplified_buurten):
    shapes, _ = simplified_buurten
    assert len(shapes) == 518
    assert shapes.is_valid.all()
    assert shapes.crs == RD_NEW


def test_no_gaps_or_overlaps_introduced_between_neighbours(boundaries, simplified_buurten):
    before = coverage_check(boundaries["ams_buurten"])
    after = coverage_check(simplified_buurten[0])
    assert after.overlap_m2 - before.overlap_m2 < 1.0  # m², i.e. floating-point noise only
    assert after.gap_m2 - before.gap_m2 < 1.0


def test_displacement_stays_within_tolerance(boundaries, simplified_buurten):
    shapes, report = simplified_buurten
    measured = max_displacement_m(boundaries["ams_buurten"], shapes)
    assert 0 < measured <= TOL
    assert report.n_vertices_after < 0.5 * report.n_vertices_before


def test_invalid_coverage_falls_back_per_geometry_and_says_so(boundaries):
    # The mirror's Amsterdam wijk outlines were simplified by their source without topology: not a coverage.
    wijken = boundaries["ams_wijken"]
    shapes, report = simplify_coverage(wijken, TOL)
    assert not report.coverage_valid
    assert report.method == "per-geometry"
    assert any("not a valid coverage" in n for n in report.notes)
    assert max_displacement_m(wijken, shapes) <= TOL
    assert shapes.is_valid.all()


def test_two_gemeenten_from_unmatched_sources_are_simplified_per_gemeente(boundaries):
    both = boundaries["both_buurten"]
    simplified, report = simplify_coverage(both, 5.0)
    assert report.method == "edges"  # each gemeente is a valid coverage of its own
    assert any("per gemeente_code" in n for n in report.notes)
    assert len(simplified) == len(both) and simplified.is_valid.all()


def test_vw_method_uses_shapely_coverage_simplify(boundaries):
    simplified, report = simplify_coverage(boundaries["ams_buurten"], 5.0, method="vw")
    assert report.method == "vw"
    assert shapely.coverage_is_valid(simplified.values)


def test_metric_operations_refuse_degrees(boundaries):
    from core.errors import CoordinateError

    with pytest.raises(CoordinateError, match="EPSG:28992"):
        simplify_coverage(boundaries["ams_buurten"].to_crs(WGS84), TOL)


def test_focus_outline_is_the_dissolve_of_its_wijken(boundaries):
    wijken = boundaries["ams_wijken"]
    outlines = focus_outlines(wijken, {"oud_oost": [*OUD_OOST, "WK0363ZZ"]}, names={"oud_oost": "Oud-Oost"})
    row = outlines.iloc[0]
    members = wijken[wijken["code"].isin(OUD_OOST)]
    assert row["n_members"] == 4 and row["missing_codes"] == ("WK0363ZZ",)
    assert row.geometry.area == pytest.approx(shapely.union_all(members.geometry.values).area)
    assert outlines.crs == RD_NEW
