"""Buurtprofiel and Prioriteren say stale/degraded data themselves (loaders.data_notices as warnings), as the
Kaart does. Scenario of tests/test_data_notices.py: Zaanstad cached, then CBS/PDOK answer 503; the view asks
Zaanstad + Amsterdam with reference "gemeente"."""

from __future__ import annotations

import pytest

from tests.conftest import needs_shared
from tests.helpers_app import assert_ok as _ok
from tests.helpers_app import new_app as _app
from tests.helpers_data import prime_zaanstad as _prime_zaanstad

pytestmark = needs_shared


@pytest.mark.parametrize("page", ["buurtprofiel", "prioriteren"])
def test_page_shows_the_stale_notice(mirror, cache_dir, page, monkeypatch):
    from data import http

    monkeypatch.setenv("STAPELKAART_HTTP_RETRIES", "1")
    _prime_zaanstad()
    today = http.utc_now_iso()[:10]
    mirror.fault(status=503)
    at = _app({"gm": "GM0363,GM0479", "ref": "gemeente", "area": "WK047912"})
    at.switch_page(f"pages/{page}.py").run()
    _ok(at)
    shown = [w.value for w in at.warning]
    assert f"Gecachte gegevens van {today} worden getoond (ophalen lukte niet)." in shown, (
        shown,
        [e.value for e in at.error],
    )
