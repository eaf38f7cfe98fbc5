"""Dutch is complete and English is complete: every string in both, with the same placeholders."""

import re
import string

from pages._common.i18n import STRINGS, t


def test_every_string_has_nl_and_en_with_the_same_placeholders():
    fields = lambda s: {f for _, f, _, _ in string.Formatter().parse(s) if f}  # noqa: E731
    for key, entry in STRINGS.items():
        assert set(entry) == {"nl", "en"}, key
        assert entry["nl"].strip() and entry["en"].strip(), key
        assert fields(entry["nl"]) == fields(entry["en"]), key


def test_every_key_used_by_the_pages_exists():
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[1]
    used = set()
    for path in [root / "app.py", *(root / "pages").rglob("*.py")]:
        if path.name != "i18n.py":
            used |= set(re.findall(r"""\bt\(\s*["']([a-z_0-9]+)["']\s*[,)]""", path.read_text()))
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing, missing


def test_t_formats():
    assert t("n_shown", "en", n=3, total=10) == "3 of 10 areas"


def test_keys_built_from_allow_lists_exist():
    from pages._common.state import CLASSIFIERS, LEVELS, PAGES, REFERENCES

    keys = [f"page_{p}" for p in PAGES] + [f"level_{lv}" for lv in LEVELS] + [f"cls_{c}" for c in CLASSIFIERS]
    keys += [f"ref_{r}" for r in REFERENCES] + [f"ref_short_{r}" for r in REFERENCES] + ["buurt_no_data"]
    assert [k for k in keys if k not in STRINGS] == []
