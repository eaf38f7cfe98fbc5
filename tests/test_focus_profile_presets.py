"""Issue 21, the crash: the Buurtprofiel of every focus area of every preset opens without an exception, and a
flagged domain's line shows the domain RANK with its base (it raised KeyError: 'base' and showed the score)."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO, needs_shared

pytestmark = needs_shared


def _presets():
    from indicators.focus import PRESETS

    return list(PRESETS)


@pytest.mark.parametrize("preset_id", _presets())
def test_focus_profile_of_every_preset_area_opens(preset_id, mirror, warm_cache):
    import streamlit as st

    from indicators.focus import PRESETS
    from indicators.focuscodec import format_focus_param, parse_focus_param

    st.cache_data.clear()
    st.cache_resource.clear()
    fa = format_focus_param(PRESETS[preset_id].areas)
    areas = parse_focus_param(fa)  # the ids the page gives them (slugs of the names)
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=240)
    at.query_params.update({"fa": fa, "fopen": areas[0].id, "page": "buurtprofiel"})
    at.run()
    at.switch_page("pages/buurtprofiel.py").run()
    for i, area in enumerate(areas):
        if i:
            at.selectbox(key="w_profile_area").select(f"fa:{area.id}").run()
        assert not at.exception, (area.id, [e.value for e in at.exception])
        assert not at.error, (area.id, [e.value for e in at.error])  # the app's "foutcode …" box
        assert any(area.name in h.value.replace("\\", "") for h in at.header), area.id
        lines = [m.value for m in at.markdown if "domeinrang" in m.value]
        stacked = next(m.value for m in at.metric if m.label == "Aantal gestapelde domeinen")
        assert len(lines) == (int(stacked) if stacked.isdigit() else 0), (area.id, stacked, lines)
        for line in lines:  # "**Werk** (domeinrang 93, t.o.v. …) door: …": a rank in the worst band
            rank = float(re.search(r"domeinrang (\d+)", line).group(1))
            assert rank >= 80 - 0.5, line
            assert re.search(r"t\\?\.o\\?\.v\\?\. \d+ ", line), line  # the base and its size are named
