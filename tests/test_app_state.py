"""The URL is the state: round trips, and tampered parameters never survive validation."""

import pytest

from pages._common.state import ViewState, parse_weights, share_url


def test_default_view_is_the_brief():
    s = ViewState.from_params({})
    assert s.gemeenten == ("GM0363", "GM0479") and s.year == 2024 and s.level == "wijk"
    assert s.reference == "nl" and s.lang == "nl" and not s.present and s.problems == ()


def test_round_trip_reproduces_the_view():
    s = ViewState().with_(
        gemeenten=("GM0479",),
        year=2023,
        level="buurt",
        colour="domain:armoede",
        classes="natural_breaks",
        k=6,
        weights={"armoede": 2, "werk": 0.5, "wonen": 1},
        area="WK047912",
        page="buurtprofiel",
        lang="en",
        present=True,
        hotspots=True,
        focus=2,
    )
    again = ViewState.from_params(s.to_params())
    assert again == s and again.problems == ()
    assert s.weight_map(("armoede", "werk", "wonen")) == {"armoede": 2.0, "werk": 0.5, "wonen": 1.0}


def test_every_setting_a_link_can_carry_comes_back_without_a_warning():
    """A view with every setting away from its default: its own link names only known settings and reopens it
    with no "unknown setting" (the national view's nl=1 once counted as unknown)."""
    from pages._common.links import PARAM_NAMES

    s = ViewState().with_(
        gemeenten=("GM0479", "GM0363"),
        year=2023,
        level="buurt",
        reference="gemeente",
        colour="domain:armoede",
        classes="natural_breaks",
        k=6,
        weights={"armoede": 2},
        area="BU04790000",
        focus=1,
        hotspots=True,
        page="kaart",
        lang="en",
        present=True,
        files=("3fa9c2d41b07",),
        fa="Noord:WK036301+WK036302",
        fopen="noord",
        kv="2024-06-01T00:00:00",
        national=True,
    )
    params = s.to_params()
    assert set(params) == set(PARAM_NAMES)  # every setting is in this link, each under a known name
    again = ViewState.from_params(params)
    assert again.problems == () and again == s


@pytest.mark.parametrize(
    "name,value",
    [
        ("year", "1900"),
        ("year", "2024; DROP"),
        ("page", "../../etc/passwd"),
        ("page", "admin"),
        ("w", "armoede:-1"),
        ("w", "armoede:1e9"),
        ("w", "armoede:nan"),
        ("gm", "GM0479' or 1 eq 1"),
        ("gm", "<script>alert(1)</script>"),
        ("area", "WK047912')"),
        ("level", "x" * 10_000),
        ("colour", 'ind:"><img src=x>'),
        ("lang", "de"),
        ("present", "yes please"),
        ("k", "99"),
    ],
)
def test_tampered_params_fall_back_to_default_with_a_problem(name, value):
    s = ViewState.from_params({name: value})
    assert name in s.problems
    default = ViewState()
    field = {"gm": "gemeenten", "w": "weights"}.get(name, name)
    assert getattr(s, field) == getattr(default, field)


def test_unknown_param_is_reported_not_used():
    s = ViewState.from_params({"evil": "1", "year": "2024"})
    assert s.problems == ("evil",) and s.year == 2024


def test_allow_lists_from_the_registry():
    assert ViewState.from_params({"w": "armoede:2"}, domains=("armoede",)).weights == (("armoede", 2.0),)
    assert "w" in ViewState.from_params({"w": "onbekend:2"}, domains=("armoede",)).problems
    assert "colour" in ViewState.from_params({"colour": "ind:nope"}, colour_ids=("composite",)).problems


def test_weights_parse():
    assert parse_weights("armoede:1,werk:1") == ()
    # a weight of 0 means "not counted" and is kept (this test used to say any all-zero *given* weights were refused,
    # which turned w=armoede:0 back into 1); only every domain at 0 makes no composite
    from indicators.registry import DOMAINS

    assert parse_weights("armoede:0") == (("armoede", 0.0),)
    assert parse_weights("armoede:0,werk:0") == (("armoede", 0.0), ("werk", 0.0))
    assert parse_weights(",".join(f"{d}:0" for d in DOMAINS)) is None
    v = ViewState.from_params({"w": "armoede:0"}, domains=tuple(DOMAINS))
    assert v.weights == (("armoede", 0.0),) and v.problems == () and v.to_params()["w"] == "armoede:0"
    assert v.weight_map(tuple(DOMAINS))["armoede"] == 0.0
    assert parse_weights("armoede:2.5") == (("armoede", 2.5),)


def test_share_url_has_page_path_and_only_changes():
    s = ViewState().with_(page="vergelijken", year=2023)
    assert share_url("http://localhost:8501/", s) == "http://localhost:8501/vergelijken?year=2023"


def test_every_offered_classifier_is_a_working_scheme():
    """A classifier in the URL allow-list (and the Kaart select box) is one geo.classify really runs."""
    from geo.classify import SCHEMES
    from pages._common.state import CLASSIFIERS

    assert set(CLASSIFIERS) <= set(SCHEMES)
    s = ViewState.from_params({"classes": "fisher_jenks"})  # natural_breaks is Fisher-Jenks; no silent alias
    assert s.classes == "quantiles" and "classes" in s.problems


def test_years_and_weight_limits_come_from_their_one_source():
    from data.cbs import KWB_TABLES
    from indicators.weights import WEIGHT_MAX
    from pages._common.state import YEARS

    assert tuple(sorted(KWB_TABLES)) == YEARS
    assert parse_weights(f"armoede:{WEIGHT_MAX:g}") == (("armoede", WEIGHT_MAX),)
    assert parse_weights(f"armoede:{WEIGHT_MAX + 0.5:g}") is None  # beyond the slider's end
    assert parse_weights("armoede=2") == (("armoede", 2.0),)  # the CLI form reads the same


def test_one_unknown_gemeente_is_named_and_dropped_and_the_rest_kept():
    v = ViewState.from_params({"gm": "GM0479,GM9999"}, gemeenten={"GM0479", "GM0363"})
    assert v.gemeenten == ("GM0479",) and v.dropped == ("GM9999",) and v.problems == ()
    bad = ViewState.from_params({"gm": "GM0479,[x](https://evil.example)"}, gemeenten={"GM0479"})
    assert bad.gemeenten == ("GM0479",) and bad.dropped == () and bad.problems == ("gm",)  # malformed: not echoed


def test_files_are_part_of_the_state_and_only_digests_pass():
    v = ViewState.from_params({"files": "3fa9c2d41b07,00aa11bb22cc"})
    assert v.files == ("3fa9c2d41b07", "00aa11bb22cc") and v.to_params()["files"] == "3fa9c2d41b07,00aa11bb22cc"
    from data.userstore import DIGEST_LEN

    assert len(v.files[0]) == DIGEST_LEN
    for bad in ("../x", "3FA9C2D41B07", "3fa9c2", "<b>x</b>"):
        w = ViewState.from_params({"files": bad})
        assert w.files == () and "files" in w.problems
