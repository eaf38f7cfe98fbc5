"""indicators.weights: the one weight parser of the share link and the CLI."""

import pytest

from core.errors import UserInputError
from indicators.registry import DOMAINS
from indicators.weights import WEIGHT_MAX, format_weights, normalise_weights, parse_weights


@pytest.mark.parametrize("text", ["armoede=2,werk=1", "armoede:2,werk:1", " armoede = 2 , werk:1 ,"])
def test_cli_and_url_forms_give_the_same_weights(text):
    assert parse_weights(text, tuple(DOMAINS)) == {"armoede": 2.0, "werk": 1.0}


@pytest.mark.parametrize(
    "text,match",
    [
        ("armoede", "domein=getal"),
        ("veiligheid=1", "moet een van"),
        ("armoede=-1", "niet-negatief"),
        ("armoede=1e9", "niet-negatief"),
        ("armoede=nan", "niet-negatief"),
        ("armoede=inf", "niet-negatief"),
    ],
)
def test_bad_weights_name_the_part(text, match):
    with pytest.raises(UserInputError, match=match):
        parse_weights(text, tuple(DOMAINS))


def test_unknown_domain_lists_the_registry_domains_in_english():
    with pytest.raises(UserInputError) as err:
        parse_weights("armoede=2,veiligheid=1", tuple(DOMAINS))
    assert "must be one of: " + ", ".join(DOMAINS) in err.value.message_en


def test_maximum_is_only_enforced_when_asked():
    assert parse_weights("armoede=8", tuple(DOMAINS)) == {"armoede": 8.0}  # CLI: no upper limit
    with pytest.raises(UserInputError, match="tussen"):
        parse_weights("armoede:8", tuple(DOMAINS), maximum=WEIGHT_MAX)


def test_format_round_trips_both_separators():
    w = normalise_weights({"armoede": 2, "werk": 1, "wonen": 0.5})
    assert w == (("armoede", 2.0), ("wonen", 0.5))
    for sep in (":", "="):
        assert normalise_weights(parse_weights(format_weights(w, sep), tuple(DOMAINS))) == w
