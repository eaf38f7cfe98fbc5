"""The strings of focus areas as data, the side-by-side comparison and 'Wat is er veranderd' (issue 12),
merged into ``i18n.STRINGS`` (kept apart so i18n.py stays readable)."""

FOCUS_STRINGS: dict[str, dict[str, str]] = {
    "own_gemeente": {"nl": "Eigen gemeente", "en": "Own municipality"},
    "low_coverage_short": {
        "nl": "Lage dekking: bij {n} indicator(en) heeft minder dan de helft van de referentie ({ref}) een waarde.",
        "en": "Low coverage: for {n} indicator(s) fewer than half of the reference ({ref}) have a value.",
    },
    "present_focus_of": {"nl": "Focusgebied {i} van {n}", "en": "Focus area {i} of {n}"},
    "present_not_on_map": {
        "nl": "Niet in deze presentatie (hun gemeente is niet gekozen): {names}.",
        "en": "Not in this presentation (their municipality is not selected): {names}.",
    },
    "fa_title": {"nl": "Focusgebieden beheren", "en": "Manage focus areas"},
    "fa_help": {
        "nl": "Een focusgebied is een naam plus wijken of buurten (ook uit meer gemeenten). Wat u hier "
        "instelt staat in de link (parameter fa) en gaat mee als u die deelt.",
        "en": "A focus area is a name plus wijken or buurten (also from several municipalities). What you set "
        "here is in the link (parameter fa) and travels with it when shared.",
    },
    "fa_preset": {"nl": "Voorinstelling", "en": "Preset"},
    "fa_preset_source": {"nl": "Bron: {source}.", "en": "Source: {source}."},
    "fa_use_preset": {"nl": "Gebruik deze voorinstelling", "en": "Use this preset"},
    "fa_name": {"nl": "Naam", "en": "Name"},
    "fa_members": {"nl": "Wijken of buurten", "en": "Districts or neighbourhoods"},
    "choose_areas": {"nl": "Kies wijken of buurten", "en": "Choose districts or neighbourhoods"},
    "fa_delete": {"nl": "Weg", "en": "Delete"},
    "fa_apply": {"nl": "Wijzigingen toepassen", "en": "Apply changes"},
    "fa_new": {"nl": "Nieuw focusgebied", "en": "New focus area"},
    "fa_add": {"nl": "Toevoegen", "en": "Add"},
    "fa_add_selected": {"nl": "Geselecteerd gebied {area} toevoegen aan", "en": "Add the selected area {area} to"},
    "fa_add_selected_button": {"nl": "Voeg {area} toe", "en": "Add {area}"},
    "fa_export": {"nl": "Focusgebieden downloaden (JSON)", "en": "Download focus areas (JSON)"},
    "fa_import": {"nl": "Focusgebieden importeren (JSON)", "en": "Import focus areas (JSON)"},
    "fa_problem": {"nl": "Focusgebieden: {text}", "en": "Focus areas: {text}"},
    "fa_no_map": {
        "nl": "Voor {gemeenten} heeft de gegevensbron geen grenzen: vergelijking en profiel werken zonder kaart.",
        "en": "The data source has no boundaries for {gemeenten}: comparison and profile work without a map.",
    },
    "fa_other_level": {
        "nl": "Niet vergeleken (ander niveau dan {level}): {names}.",
        "en": "Not compared (another level than {level}): {names}.",
    },
    "side_by_side": {"nl": "Naast elkaar", "en": "Side by side"},
    "side_caption": {
        "nl": "Eén kolom per focusgebied; {refs} staan als vaste referentie erachter. Domeinen: rang "
        "0–100 van de domeinscore binnen de referentie van dat domein (100 = meest achtergesteld; "
        "≥ 80 = zwakste 20 %; welke referentie per domein: Buurtprofiel en Methode); "
        "indicatoren: waarde.",
        "en": "One column per focus area; {refs} follow as fixed references. Domains: rank 0–100 of the "
        "domain score within that domain's reference (100 = most disadvantaged; ≥ 80 = worst "
        "20 %; which reference per domain: Area profile and Method); indicators: value.",
    },
    "row_domain": {"nl": "Domein (plaats)", "en": "Domain (position)"},
    # the table export of Vergelijken: what the focus-area PDF refers to as "de tabelexport" (issue 21)
    "fx_csv": {"nl": "Tabelexport (CSV)", "en": "Table export (CSV)"},
    "fx_xlsx": {"nl": "Tabelexport (Excel)", "en": "Table export (Excel)"},
    "fx_help": {
        "nl": "Alle kerncijfers van de PDF en de plaats per domein, per focusgebied, gemeente en Nederland.",
        "en": "Every key figure of the PDF and the rank per domain, per focus area, municipality and the Netherlands.",
    },
    "fx_title": {"nl": "Stapelkaart: focusgebieden vergeleken", "en": "Stapelkaart: focus areas compared"},
    "fx_kind": {"nl": "Soort", "en": "Kind"},
    "fx_kind_focus": {"nl": "focusgebied", "en": "focus area"},
    "fx_kind_gemeente": {"nl": "gemeente", "en": "municipality"},
    "fx_kind_land": {"nl": "land", "en": "country"},
    "fx_domain_rank": {"nl": "{domain}: plaats (0–100)", "en": "{domain}: rank (0–100)"},
    "members": {"nl": "Leden", "en": "Members"},
    "profile_focus": {"nl": "Focusgebied: {name}", "en": "Focus area: {name}"},
    "profile_focus_caption": {
        "nl": "Opgeteld over {n} leden: som van de tellers gedeeld door som van de noemers "
        "(geen gemiddelde van percentages).",
        "en": "Summed over {n} members: sum of numerators over sum of denominators (no average of percentages).",
    },
    "add_to_focus": {"nl": "Voeg {area} toe aan focusgebied", "en": "Add {area} to focus area"},
    "changed_title": {"nl": "Wat is er veranderd", "en": "What changed"},
    "changed_one": {
        "nl": "De cache heeft één versie van deze tabel ({version}); na een verversing die een nieuwe "
        "CBS-versie brengt, staat hier wat er veranderde.",
        "en": "The cache holds one version of this table ({version}); after a refresh that brings a "
        "new CBS version, this lists what changed.",
    },
    "changed_version_label": {
        "nl": "CBS-versie {date} (opgehaald {fetched})",
        "en": "CBS version {date} (fetched {fetched})",
    },
    "changed_old": {"nl": "Oude versie", "en": "Old version"},
    "changed_new": {"nl": "Nieuwe versie", "en": "New version"},
    "changed_versions": {"nl": "Van {old} naar {new}.", "en": "From {old} to {new}."},
    "changed_none": {
        "nl": "Geen enkel cijfer van {area} verschilt tussen deze twee versies.",
        "en": "No figure of {area} differs between these two versions.",
    },
    "changed_stacking": {
        "nl": "Stapeling: {old} → {new} domeinen; samengestelde score {cold} → {cnew}.",
        "en": "Stacking: {old} → {new} domains; composite score {cold} → {cnew}.",
    },
    "changed_figures": {
        "nl": "{n} cijfers gewijzigd, nieuw of verdwenen",
        "en": "{n} figures changed, appeared or disappeared",
    },
    "changed_indicators": {
        "nl": "Indicatoren: waarde en plaats (+ = meer achterstand)",
        "en": "Indicators: value and position (+ = more disadvantaged)",
    },
    "view_version": {
        "nl": "Deze weergave leest de CBS-versie van {date} (niet de nieuwste).",
        "en": "This view reads the CBS version of {date} (not the newest).",
    },
    "use_version": {
        "nl": "Deze weergave terug naar de versie van {date}",
        "en": "Show this view with the version of {date}",
    },
    "use_current": {"nl": "Terug naar de nieuwste versie", "en": "Back to the newest version"},
    "col_variable": {"nl": "Variabele", "en": "Variable"},
    "col_status": {"nl": "Status", "en": "Status"},
    "col_old": {"nl": "Oud", "en": "Old"},
    "col_new": {"nl": "Nieuw", "en": "New"},
    "col_rank_move": {"nl": "Rang oud → nieuw (verschuiving)", "en": "Rank old → new (movement)"},
    "changed_mode": {"nl": "Vergelijk", "en": "Compare"},
    "changed_mode_versions": {"nl": "Twee versies van {year}", "en": "Two versions of {year}"},
    "changed_mode_years": {"nl": "Twee jaren", "en": "Two years"},
    "changed_old_year": {"nl": "Eerder jaar", "en": "Earlier year"},
    "changed_new_year": {"nl": "Later jaar", "en": "Later year"},
    "changed_year_order": {
        "nl": "Kies een eerder jaar links dan rechts.",
        "en": "Choose an earlier year on the left than on the right.",
    },
    "changed_year_rule": {
        "nl": "Alleen gebieden waarvan code en grenzen sinds {a} gelijk bleven (CBS "
        "Indelingswijziging 1 in elk jaar na {a}) worden vergeleken; een code die maar in één "
        "van beide indelingen bestaat is niet vergelijkbaar. Rangen gelden binnen de "
        "referentie van elk jaar.",
        "en": "Only areas whose code and boundaries stayed the same since {a} (CBS Indelingswijziging "
        "1 in every year after {a}) are compared; a code that exists in only one of the two "
        "divisions is not comparable. Ranks are within each year's reference.",
    },
    "changed_year_missing": {
        "nl": "KWB {year} kon niet worden geladen: {error}",
        "en": "KWB {year} could not be loaded: {error}",
    },
    "changed_none_years": {
        "nl": "Geen enkel cijfer van {area} verschilt tussen deze twee jaren.",
        "en": "No figure of {area} differs between these two years.",
    },
    "changed_not_comparable": {
        "nl": "{area}: niet vergelijkbaar, {reason}.",
        "en": "{area}: not comparable, {reason}.",
    },
    "changed_stacking_na": {
        "nl": "Stapeling en samengestelde score: niet berekend voor dit gebied op dit niveau.",
        "en": "Stacking and composite score: not computed for this area at this level.",
    },
}
