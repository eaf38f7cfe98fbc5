"""The strings of issue 21: export columns and buttons, why a value or rank is missing, the method's
availability rules; merged into ``i18n.STRINGS`` (kept apart so i18n.py stays under the line limit)."""

REPORT_STRINGS: dict[str, dict[str, str]] = {
    "export_png_make": {"nl": "Kaart als PNG maken", "en": "Make the map as PNG"},
    "export_png_download": {"nl": "Kaart-PNG downloaden", "en": "Download the map PNG"},
    "why_missing": {"nl": "Waarom ontbreekt een waarde of rang?", "en": "Why is a value or rank missing?"},
    "why_suppressed": {
        "nl": "geen rang: het gebied is onderdrukt ({reason})",
        "en": "no rank: the area is suppressed ({reason})",
    },
    "why_den_small": {
        "nl": "niet gepubliceerd: noemer kleiner dan {min}",
        "en": "not published: denominator below {min}",
    },
    "why_boundary_changed": {
        "nl": "waarde van een eerder jaar of ingelezen bestand niet gebruikt: code of grenzen van "
        "dit gebied zijn sindsdien gewijzigd (KWB IndelingswijzigingGemeenteWijkBuurt)",
        "en": "value of an earlier year or imported file not used: this area's code or boundaries "
        "changed since (KWB IndelingswijzigingGemeenteWijkBuurt)",
    },
    "why_no_value": {"nl": "geen waarde in de gegevens", "en": "no value in the data"},
    "why_members": {
        "nl": "geen waarde: de leden met een waarde hebben samen {pct} % van de basis, minimaal {min} % "
        "nodig; zonder waarde: {members}",
        "en": "no value: the members with a value hold {pct}% of the base together, at least {min}% is "
        "needed; without a value: {members}",
    },
    "why_base_small": {
        "nl": "geen rang: van {gemeente} hebben maar {n} {level} een waarde; minimaal {min}",
        "en": "no rank: only {n} {level} of {gemeente} have a value; at least {min}",
    },
    "why_no_base": {
        "nl": "geen rang: de referentie heeft minder dan {min} gebieden met een waarde",
        "en": "no rank: the reference has fewer than {min} areas with a value",
    },
    "export_note": {
        "nl": "De CSV staat in een zip naast een metadatabestand (titel, jaar, referentie, gewichten, "
        "bronnen); in Excel staat dat op het tweede blad. Waarden met volle precisie.",
        "en": "The CSV comes in a zip beside a metadata file (title, year, reference, weights, sources); "
        "in Excel it is on the second sheet. Values at full precision.",
    },
    "export_col_code": {"nl": "Code", "en": "Code"},
    "export_col_gm_code": {"nl": "Gemeentecode", "en": "Municipality code"},
    "export_col_population": {"nl": "Inwoners", "en": "Population"},
    "export_col_dom_score": {"nl": "{domain}: score", "en": "{domain}: score"},
    "export_col_dom_rank": {"nl": "{domain}: rang", "en": "{domain}: rank"},
    "export_col_dom_band": {
        "nl": "{domain}: in zwakste {band} % (1 = ja)",
        "en": "{domain}: in worst {band}% (1 = yes)",
    },
    "export_col_dom_base_n": {"nl": "{domain}: rang t.o.v. aantal gebieden", "en": "{domain}: rank vs number of areas"},
    "export_col_dom_base": {"nl": "{domain}: rang t.o.v.", "en": "{domain}: rank vs"},
    "method_availability": {
        "nl": "Wanneer er een waarde, rang, domeinscore of samengestelde score is",
        "en": "When there is a value, rank, domain score or composite score",
    },
    "composite_withheld": {
        "nl": "Geen samengestelde score: {n} van de minimaal {need} domeinen met een gewicht boven 0 "
        "bekend (van {m} gewogen domeinen; de methodepagina noemt de regel).",
        "en": "No composite score: {n} of the at least {need} domains with a weight above 0 known "
        "(of {m} weighted domains; the method page states the rule).",
    },
    "export_col_need": {"nl": "Score op: minimaal nodig", "en": "Score on: minimum needed"},
    "export_pdf_make": {"nl": "PDF per focusgebied maken", "en": "Make the PDF per focus area"},
    "export_pdf_download": {"nl": "PDF per focusgebied downloaden", "en": "Download the PDF per focus area"},
}
