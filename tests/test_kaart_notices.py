"""The Kaart says what the data layer reported for its own view (loaders.data_notices): a gemeente of ``gm=``
without PDOK boundaries (GM0772 Eindhoven in the mirror) is named in a warning on the Kaart, not only on the
other pages; the map still draws the gemeenten that have boundaries."""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared
from tests.helpers_app import run_app as _app

pytestmark = needs_shared


@pytest.mark.parametrize(
    ("lang", "head"),
    [
        ("nl", "Geen grenzen voor GM0772; de kaart toont GM0363, GM0479."),
        ("en", "No boundaries for GM0772; the map shows GM0363, GM0479."),
    ],
)
def test_a_gemeente_without_boundaries_is_named_on_the_kaart(mirror, cache_dir, lang, head):
    at = _app({"gm": "GM0363,GM0479,GM0772", "lang": lang})
    assert not at.error, [e.value for e in at.error]
    warnings = [w.value.replace("\\", "") for w in at.warning]  # fmt.md escapes; the text as shown
    named = [w for w in warnings if "GM0772" in w]
    assert len(named) == 1, warnings
    assert named[0].startswith(head), named
