"""Focus areas as text: the ``fa`` URL parameter, the CLI ``--define``, the JSON file, and their checks.

Sharing (``fa`` URL parameter, see :func:`format_focus_param`)::

    Zaandam-Zuid:WK047911+WK047912;Oud-Oost:WK0363MB+WK0363MC

Focus areas are separated by ``;``, name and codes by the first ``:``, codes by ``+`` (a space, what ``+``
becomes after URL decoding, and ``,`` are accepted too). In a name the characters ``% : ; +`` and control
characters and ``< >`` are percent-encoded (``%3A``, ``%3C``...), so any Unicode name round-trips. Bounds: at most
``MAX_FOCUS_AREAS`` areas, ``MAX_NAME`` characters per name, ``MAX_MEMBERS`` members per area (``indicators.focus``),
at most ``MAX_PARAM`` characters in all. Files (export/import): :func:`focus_to_json` / :func:`focus_from_json`.
:func:`syntax_check` needs no data; :func:`validate` checks the members against the loaded data.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from urllib.parse import quote, unquote

from core.codes import is_valid_code, level_of_code
from indicators.focus import (
    MAX_FOCUS_AREAS,
    MAX_MEMBERS,
    FocusArea,
    _error,
    _raise,
    clean_name,
    slug,
    unique_ids,
)

MAX_PARAM = 8000
JSON_FORMAT = "stapelkaart-focusgebieden"
JSON_VERSION = 1
MAX_JSON_BYTES = 256_000
MAX_JSON_DEPTH = 8  # a focus-area file is 4 deep ({"focus_areas": [{"codes": [...]}]})
_ESCAPE = re.compile(r"[%:;+<>\x00-\x1f\x7f]")  # <> too: the link's fa= is refused with markup in it
_SPLIT_CODES = re.compile(r"[+\s,]+")


# ------------------------------------------------------------------------------------------ URL form
def _encode_name(name: str) -> str:
    return _ESCAPE.sub(lambda m: quote(m.group(0), safe=""), name)


def format_focus_param(areas: Sequence[FocusArea]) -> str:
    """The compact ``fa`` value: ``Name:CODE+CODE;Name2:CODE`` (names escaped, see the module docstring)."""
    return ";".join(f"{_encode_name(a.name)}:{'+'.join(a.codes)}" for a in areas)


def parse_focus_param(text: str, *, source: str = "zelf gedefinieerd") -> list[FocusArea]:
    """Focus areas from an ``fa`` value (the inverse of :func:`format_focus_param`); empty text -> ``[]``.

    Syntax problems (no ``:``, an empty name, a code that is no wijk/buurt code, too many areas or members,
    a value longer than ``MAX_PARAM``) raise one UserInputError naming every problem. Whether the codes
    exist is checked by :func:`validate` against the data.
    """
    text = (text or "").strip()
    if not text:
        return []
    if len(text) > MAX_PARAM:
        _raise(
            f"De focusgebieden in de link zijn te lang ({len(text)} tekens, maximaal {MAX_PARAM}).",
            f"The focus areas in the link are too long ({len(text)} characters, at most {MAX_PARAM}).",
        )
    chunks = [c for c in text.split(";") if c.strip()]
    if len(chunks) > MAX_FOCUS_AREAS:
        _raise(
            f"{len(chunks)} focusgebieden in de link; maximaal {MAX_FOCUS_AREAS}.",
            f"{len(chunks)} focus areas in the link; at most {MAX_FOCUS_AREAS}.",
        )
    problems: list[tuple[str, str]] = []
    areas = []
    for i, chunk in enumerate(chunks, 1):
        name_part, sep, codes_part = chunk.partition(":")
        name = clean_name(unquote(name_part))
        if not sep:
            problems.append(
                (
                    f"focusgebied {i} ('{name[:30]}') heeft geen ':' tussen naam en codes",
                    f"focus area {i} ('{name[:30]}') has no ':' between name and codes",
                )
            )
            continue
        if not name:
            problems.append((f"focusgebied {i} heeft geen naam", f"focus area {i} has no name"))
            continue
        codes = [c for c in _SPLIT_CODES.split(codes_part.strip()) if c]
        if len(codes) > MAX_MEMBERS:
            problems.append(
                (
                    f"'{name}' heeft {len(codes)} leden (maximaal {MAX_MEMBERS})",
                    f"'{name}' has {len(codes)} members (at most {MAX_MEMBERS})",
                )
            )
            continue
        areas.append(FocusArea.make(name, codes, source=source))
    if problems:
        _raise(
            "Focusgebieden in de link: " + "; ".join(p[0] for p in problems) + ".",
            "Focus areas in the link: " + "; ".join(p[1] for p in problems) + ".",
        )
    syntax_check(areas)
    return unique_ids(areas)


def syntax_check(areas: Sequence[FocusArea]) -> None:
    """Each area has members, all are wijk or buurt codes, and of one level (no data needed)."""
    problems = []
    for a in areas:
        if not a.codes:
            problems.append((f"'{a.name}' heeft geen leden", f"'{a.name}' has no members"))
            continue
        bad = [c for c in a.codes if not (is_valid_code(c) and level_of_code(c) in ("wijk", "buurt"))]
        if bad:
            problems.append(
                (
                    f"'{a.name}': {', '.join(bad[:10])} {'is geen' if len(bad) == 1 else 'zijn geen'} "
                    "wijk- of buurtcode (WK047912, BU04791201)",
                    f"'{a.name}': {', '.join(bad[:10])} {'is not a' if len(bad) == 1 else 'are not'} "
                    "wijk or buurt code(s) (WK047912, BU04791201)",
                )
            )
        elif a.level is None:
            wk = [c for c in a.codes if level_of_code(c) == "wijk"]
            bu = [c for c in a.codes if level_of_code(c) == "buurt"]
            problems.append(
                (
                    f"'{a.name}' mengt wijken ({', '.join(wk[:5])}) en buurten ({', '.join(bu[:5])}); kies één niveau",
                    f"'{a.name}' mixes wijken ({', '.join(wk[:5])}) and buurten "
                    f"({', '.join(bu[:5])}); choose one level",
                )
            )
    if problems:
        _raise(
            "Ongeldige focusgebieden: " + "; ".join(p[0] for p in problems) + ".",
            "Invalid focus areas: " + "; ".join(p[1] for p in problems) + ".",
        )


def parse_define(text: str) -> FocusArea:
    """One CLI ``--define "Name=CODE,CODE"`` (``+``/space also separate codes)."""
    name, sep, codes = str(text).partition("=")
    if not sep or not clean_name(name):
        _raise(
            f"--define '{str(text)[:60]}' heeft de vorm \"Naam=WK047911,WK047912\".",
            f"--define '{str(text)[:60]}' must look like \"Name=WK047911,WK047912\".",
        )
    area = FocusArea.make(name, [c for c in _SPLIT_CODES.split(codes.strip()) if c], source="zelf gedefinieerd")
    syntax_check([area])
    return area


def validate(
    areas: Sequence[FocusArea], known_codes_by_level: Mapping[str, Collection[str]], *, level: str | None = None
) -> None:
    """Check every member against the data: UserInputError naming each bad member, nothing dropped.

    ``known_codes_by_level``: e.g. ``{"wijk": {...}, "buurt": {...}}`` from the loaded KWB frames. Problems:
    an empty member list, a code that is no wijk/buurt code, mixed levels, a code unknown in the data, a
    code of another level than ``level`` (the level being scored, when given).
    """
    syntax_check(areas)
    if len(areas) > MAX_FOCUS_AREAS:
        _raise(
            f"{len(areas)} focusgebieden; maximaal {MAX_FOCUS_AREAS}.",
            f"{len(areas)} focus areas; at most {MAX_FOCUS_AREAS}.",
        )
    problems = []
    for a in areas:
        known = set(known_codes_by_level.get(a.level, ())) if a.level is not None else set()
        unknown = [c for c in a.codes if c not in known]
        if unknown:
            problems.append(
                (
                    f"'{a.name}': {', '.join(unknown)} niet gevonden in de gegevens ({a.level})",
                    f"'{a.name}': {', '.join(unknown)} not found in the data ({a.level})",
                )
            )
        if level is not None and a.level != level:
            problems.append(
                (
                    f"'{a.name}' bestaat uit {a.level}en ({', '.join(a.codes[:5])}), maar er wordt op "
                    f"{level}niveau gescoord",
                    f"'{a.name}' consists of {a.level} codes "
                    f"({', '.join(a.codes[:5])}) but scoring is at {level} level",
                )
            )
    if problems:
        _raise(
            "Ongeldige focusgebieden: " + "; ".join(p[0] for p in problems) + ".",
            "Invalid focus areas: " + "; ".join(p[1] for p in problems) + ".",
        )


# ------------------------------------------------------------------------------------------ files
def focus_to_json(areas: Sequence[FocusArea]) -> str:
    """A small JSON document for export (``format``, ``version``, ``focus_areas: [{id,name,codes,source}]``)."""
    return json.dumps(
        {
            "format": JSON_FORMAT,
            "version": JSON_VERSION,
            "focus_areas": [{"id": a.id, "name": a.name, "codes": list(a.codes), "source": a.source} for a in areas],
        },
        ensure_ascii=False,
        indent=1,
    )


def _json_depth(text: str, limit: int) -> int:
    """The nesting depth of ``[``/``{`` in JSON text (outside strings); stops counting once past ``limit``."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif ch in "]}":
            depth -= 1
    return deepest


def focus_from_json(data: str | bytes) -> list[FocusArea]:
    """Focus areas from :func:`focus_to_json` output; anything else -> UserInputError (nothing half-read)."""
    if len(data) > MAX_JSON_BYTES:
        _raise(
            f"Focusgebiedenbestand is te groot ({len(data)} bytes, maximaal {MAX_JSON_BYTES}).",
            f"Focus-area file is too large ({len(data)} bytes, at most {MAX_JSON_BYTES}).",
        )
    try:
        text = data.decode(json.detect_encoding(data)) if isinstance(data, (bytes, bytearray)) else str(data)
    except (UnicodeDecodeError, LookupError):
        _raise(
            "Focusgebiedenbestand is geen tekst (verwacht JSON in UTF-8).",
            "Focus-area file is not text (expected JSON in UTF-8).",
        )
    depth = _json_depth(text, MAX_JSON_DEPTH)
    if depth > MAX_JSON_DEPTH:
        _raise(
            f"Focusgebiedenbestand is dieper genest dan een focusgebiedenbestand kan zijn (meer dan "
            f"{MAX_JSON_DEPTH} niveaus); het is niet gelezen. Gebruik een bestand van 'Focusgebieden downloaden'.",
            f"Focus-area file is nested deeper than a focus-area file can be (more than {MAX_JSON_DEPTH} "
            "levels); it was not read. Use a file from 'Download focus areas'.",
        )
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise _error(
            f"Focusgebiedenbestand is geen geldige JSON ({exc}).", f"Focus-area file is not valid JSON ({exc})."
        ) from None
    items = doc.get("focus_areas") if isinstance(doc, dict) and doc.get("format") == JSON_FORMAT else None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        _raise(
            f'Geen Stapelkaart-focusgebiedenbestand (verwacht "format": "{JSON_FORMAT}" en een lijst "focus_areas").',
            f'Not a Stapelkaart focus-area file (expected "format": "{JSON_FORMAT}" and a list "focus_areas").',
        )
    if doc.get("version") != JSON_VERSION:
        _raise(
            f"Focusgebiedenbestand heeft versie {doc.get('version')!r}; deze Stapelkaart leest versie {JSON_VERSION}.",
            f"Focus-area file has version {doc.get('version')!r}; this Stapelkaart reads version {JSON_VERSION}.",
        )
    if len(items) > MAX_FOCUS_AREAS:
        _raise(
            f"{len(items)} focusgebieden in het bestand; maximaal {MAX_FOCUS_AREAS}.",
            f"{len(items)} focus areas in the file; at most {MAX_FOCUS_AREAS}.",
        )
    areas = []
    for i, item in enumerate(items, 1):
        codes = item.get("codes")
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes) or len(codes) > MAX_MEMBERS:
            _raise(
                f"Focusgebied {i} in het bestand: 'codes' moet een lijst van hoogstens {MAX_MEMBERS} codes zijn.",
                f"Focus area {i} in the file: 'codes' must be a list of at most {MAX_MEMBERS} codes.",
            )
        name = clean_name(item.get("name"))
        if not name:
            _raise(f"Focusgebied {i} in het bestand heeft geen naam.", f"Focus area {i} in the file has no name.")
        areas.append(
            FocusArea.make(
                name,
                codes,
                id=slug(str(item.get("id") or name)),
                source=clean_name(item.get("source") or "zelf gedefinieerd", 500),
            )
        )
    syntax_check(areas)
    return unique_ids(areas)
