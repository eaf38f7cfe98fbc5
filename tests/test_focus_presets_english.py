"""Issue 21/23: the focus-area presets (Tongelre, Gestel, Poelenburg, Oud-Oost, Zuidoost, De Aker, ...) had Dutch
names, sources and notes in the English UI. Every preset text now has its English, and the English screen shows
it (the Dutch words below never appear there)."""

from __future__ import annotations

import re

import pytest

from indicators import focus
from tests.helpers_app import run_app

DUTCH = re.compile(
    r"\b(en|gemeente|wijken|buurten|opgezocht|op naam|zelf gedefinieerd|voorbeeld|stadsdelen?|"
    r"inkomensbestand|indeling|horen|niet|heeft|gebieden|voorinstellingen|praktijkgebieden)\b",
    re.I,
)
PROPER = re.compile(r"Pelders- en Hoornseveld|Kansengelijkheid|WijkenEnBuurten|ontwikkelbuurten|GGW-gebied")


def _english(text: str) -> bool:
    return not DUTCH.search(PROPER.sub("", text))


@pytest.mark.parametrize("pid", list(focus.PRESETS))
def test_every_preset_text_has_its_english(pid):
    p = focus.PRESETS[pid]
    assert _english(p.label["en"]), p.label["en"]
    assert _english(focus.source_text(p.source, "en")), focus.source_text(p.source, "en")
    if p.note:
        assert _english(focus.source_text(p.note, "en")), p.note
    for a in p.areas:
        assert _english(a.label["en"]) and _english(focus.source_text(a.source, "en")), (a.id, a.source)
    assert focus.source_text(p.source, "nl") == p.source  # the Dutch UI keeps the Dutch


def test_the_english_focus_editor_shows_english_preset_texts(mirror, warm_cache):
    at = run_app({"lang": "en"}, page="vergelijken")
    box = at.selectbox(key="w_fa_preset")
    assert [o for o in box.options if not _english(o)] == [], box.options
    for pid in focus.PRESETS:
        box.set_value(pid).run()
        caption = next(c.value for c in at.caption if c.value.startswith("Source"))
        assert _english(caption.replace("\\", "")), caption
        assert "Tongelre and Gestel" in caption or pid != "eindhoven-tongelre-gestel", caption
