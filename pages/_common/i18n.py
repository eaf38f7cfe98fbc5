"""Every user-facing string of the pages, in Dutch (default) and English.

``t("key", lang, **values)``; a missing key raises (tests check both languages are complete).
Domain/indicator labels come from the indicator registry (``label={"nl", "en"}``), not from here.
"""

from __future__ import annotations

from pages._common.i18n_data import DATA_STRINGS
from pages._common.i18n_focus import FOCUS_STRINGS
from pages._common.i18n_health import HEALTH_STRINGS
from pages._common.i18n_reports import REPORT_STRINGS

STRINGS: dict[str, dict[str, str]] = {
    # --- shell / navigation ---
    "app_title": {"nl": "Stapelkaart", "en": "Stapelkaart"},
    "app_tagline": {"nl": "Waar stapelen achterstanden zich op?", "en": "Where do disadvantages stack up?"},
    "page_kaart": {"nl": "Kaart", "en": "Map"},
    "page_vergelijken": {"nl": "Vergelijken", "en": "Compare"},
    "page_buurtprofiel": {"nl": "Buurtprofiel", "en": "Area profile"},
    "page_prioriteren": {"nl": "Prioriteren", "en": "Prioritise"},
    "page_methode": {"nl": "Methode & bronnen", "en": "Method & sources"},
    "page_gegevens": {"nl": "Gegevens", "en": "Data"},
    "lang_label": {"nl": "Taal / Language", "en": "Taal / Language"},
    "present_toggle": {"nl": "Presentatiemodus", "en": "Presentation mode"},
    "present_exit": {"nl": "Presentatiemodus verlaten", "en": "Leave presentation mode"},
    "present_next": {"nl": "Volgend focusgebied", "en": "Next focus area"},
    "present_prev": {"nl": "Vorig focusgebied", "en": "Previous focus area"},
    "share_title": {"nl": "Kopieer link", "en": "Copy link"},
    "share_help": {
        "nl": "Deze link opent precies deze weergave (gemeenten, jaar, niveau, kleuring, gewichten, selectie).",
        "en": "This link opens exactly this view (municipalities, year, level, colouring, weights, selection).",
    },
    "bad_params": {
        "nl": "Niet alle instellingen uit de link waren geldig ({names}); daarvoor worden de standaardwaarden gebruikt.",
        "en": "Not all settings in the link were valid ({names}); defaults are used for those.",
    },
    "attribution": {
        "nl": "Bron: CBS (Kerncijfers wijken en buurten, CC BY 4.0); grenzen: CBS/Kadaster via PDOK.",
        "en": "Source: CBS (Key figures districts and neighbourhoods, CC BY 4.0); boundaries: CBS/Kadaster via PDOK.",
    },
    # --- sidebar controls ---
    "gemeenten": {"nl": "Gemeenten", "en": "Municipalities"},
    "gemeenten_choose": {"nl": "Gemeenten kiezen", "en": "Choose municipalities"},
    "gemeenten_help": {
        "nl": "Kies een of meer gemeenten (standaard Amsterdam en Zaanstad).",
        "en": "Choose one or more municipalities (default Amsterdam and Zaanstad).",
    },
    "gemeenten_empty": {
        "nl": "Kies minstens één gemeente; Amsterdam en Zaanstad worden getoond.",
        "en": "Choose at least one municipality; Amsterdam and Zaanstad are shown.",
    },
    "year": {"nl": "Jaar", "en": "Year"},
    "level": {"nl": "Niveau", "en": "Level"},
    "level_wijk": {"nl": "Wijken", "en": "Districts (wijken)"},
    "level_buurt": {"nl": "Buurten", "en": "Neighbourhoods (buurten)"},
    "reference": {"nl": "Referentie", "en": "Reference"},
    "ref_nl": {"nl": "Nederland (de basis staat bij elke rang)", "en": "The Netherlands (each rank names its base)"},
    "ref_gemeente": {"nl": "Gekozen gemeenten", "en": "Selected municipalities"},
    "ref_short_nl": {"nl": "Nederland", "en": "the Netherlands"},
    "ref_short_gemeente": {"nl": "de gekozen gemeenten", "en": "the selected municipalities"},
    "colour": {"nl": "Kleur naar", "en": "Colour by"},
    "colour_composite": {"nl": "Samengestelde score", "en": "Composite score"},
    "colour_stacking": {"nl": "Aantal gestapelde domeinen", "en": "Number of stacked domains"},
    "colour_domain": {"nl": "Domein: {label}", "en": "Domain: {label}"},
    "colour_ind": {"nl": "Indicator: {label}", "en": "Indicator: {label}"},
    "classes": {"nl": "Klassenindeling", "en": "Classification"},
    "k": {"nl": "Aantal klassen", "en": "Number of classes"},
    "cls_quantiles": {"nl": "Kwantielen (even grote groepen)", "en": "Quantiles (equal-sized groups)"},
    "cls_natural_breaks": {"nl": "Natuurlijke grenzen", "en": "Natural breaks"},
    "cls_equal_interval": {"nl": "Gelijke intervallen", "en": "Equal intervals"},
    "cls_fixed": {"nl": "Vaste grenzen (0-20-40-60-80-100)", "en": "Fixed breaks (0-20-40-60-80-100)"},
    "hotspots": {"nl": "Toon hotspots (LISA)", "en": "Show hotspots (LISA)"},
    "hotspots_help": {
        "nl": "Lokale Moran's I: clusters van hoge (of lage) scores naast elkaar.",
        "en": "Local Moran's I: clusters of high (or low) scores next to each other.",
    },
    "settings": {"nl": "Weergave", "en": "View"},
    # --- loading / errors ---
    "loading": {"nl": "Gegevens laden…", "en": "Loading data…"},
    "loading_kwb": {"nl": "Kerncijfers wijken en buurten {year} ophalen…", "en": "Fetching key figures {year}…"},
    "loading_geo": {"nl": "Grenzen ophalen (PDOK)…", "en": "Fetching boundaries (PDOK)…"},
    "loading_score": {"nl": "Scores berekenen…", "en": "Computing scores…"},
    "loaded": {"nl": "Gegevens geladen", "en": "Data loaded"},
    "load_failed": {"nl": "Laden mislukt", "en": "Loading failed"},
    # first screen without connection and without the view's data in the cache (pages/_common/firstscreen.py)
    "offline_title": {"nl": "Geen verbinding met {services}", "en": "No connection to {services}"},
    "offline_and": {"nl": " en ", "en": " and "},
    "offline_intro": {
        "nl": "Deze weergave heeft gegevens nodig die niet in de cache staan ({n} onderdelen ontbreken), en "
        "van {services} kwam geen antwoord (gecontroleerd in {seconds} s). Er wordt daarom niets opgehaald. Wat wel werkt:",
        "en": "This view needs data that is not in the cache ({n} parts missing), and no answer came "
        "from {services} (checked in {seconds} s). So nothing is being fetched. What does work:",
    },
    "offline_cached_title": {"nl": "Gemeenten in de cache", "en": "Municipalities in the cache"},
    "offline_cached_text": {
        "nl": "Deze zijn zonder verbinding te openen (kerncijfers en grenzen staan in de cache):",
        "en": "These open without a connection (key figures and boundaries are in the cache):",
    },
    "offline_cached_none": {
        "nl": "Er staan nog geen gegevens in de cache van deze server.",
        "en": "The cache holds no data yet on this server.",
    },
    "offline_cached_link": {"nl": "{name} ({code}) · {year} · {levels}", "en": "{name} ({code}) · {year} · {levels}"},
    "offline_snapshot_title": {"nl": "Een snapshot importeren (beheerder)", "en": "Import a snapshot (administrator)"},
    "offline_snapshot_text": {
        "nl": "Op een computer mét internet de gemeenten ophalen en er een snapshot van maken:",
        "en": "On a computer with internet, fetch the municipalities and make a snapshot of them:",
    },
    "offline_snapshot_import": {
        "nl": "Op deze server importeert de beheerder het bestand met de opdrachtregel (met dezelfde "
        "STAPELKAART_CACHE_DIR als de app), of in de app op de pagina Gegevens met het beheerderstoken "
        "(STAPELKAART_ADMIN_TOKEN). {admin}",
        "en": "On this server the administrator imports the file from the command line (with the same "
        "STAPELKAART_CACHE_DIR as the app), or in the app on the Data page with the admin token "
        "(STAPELKAART_ADMIN_TOKEN). {admin}",
    },
    "offline_admin_on": {
        "nl": "Beheeracties staan op deze server aan.",
        "en": "Admin actions are enabled on this server.",
    },
    "offline_admin_off": {
        "nl": "Beheeracties staan op deze server uit (STAPELKAART_ADMIN_TOKEN is niet gezet): alleen de "
        "opdrachtregel werkt.",
        "en": "Admin actions are off on this server (STAPELKAART_ADMIN_TOKEN is not set): only the command line works.",
    },
    "offline_emulator_title": {"nl": "Uitproberen met de emulator", "en": "Try it out with the emulator"},
    "offline_emulator_text": {
        "nl": "Voor een proefrit zonder internet: start de CBS/PDOK-emulator uit de Stapelkaart-werkplek "
        "(../shared/cbs-mirror, met echte CBS- en PDOK-gegevens; grenzen van Amsterdam en Zaanstad, met "
        "`--national` van heel Nederland) en start de app opnieuw, naar de emulator wijzend:",
        "en": "For a try-out without internet: start the CBS/PDOK emulator of the Stapelkaart workplace "
        "(../shared/cbs-mirror, with real CBS and PDOK data; boundaries of Amsterdam and Zaanstad, with "
        "`--national` of the whole Netherlands) and restart the app pointing at it:",
    },
    "gm_part_dropped": {
        "nl": "Een deel van de gemeenten in de link (gm) is geen gemeentecode van {year} en is "
        "weggelaten; de andere worden getoond.",
        "en": "Part of the municipalities in the link (gm) is no municipality code of {year} and was "
        "left out; the others are shown.",
    },
    "gm_suggest": {"nl": "Bedoelde u misschien: {names}?", "en": "Did you perhaps mean: {names}?"},
    "gm_pick": {"nl": "Gemeente kiezen", "en": "Choose a municipality"},
    "choose_one": {"nl": "Kies een optie", "en": "Choose an option"},  # not Streamlit's English placeholder
    "gm_pick_placeholder": {"nl": "Typ of kies een gemeente…", "en": "Type or choose a municipality…"},
    "not_ready": {
        "nl": "Dit onderdeel is nog niet beschikbaar: {what}.",
        "en": "This part is not available yet: {what}.",
    },
    "basis_label": {"nl": "Inkomen per", "en": "Income per"},
    "basis_households": {"nl": "huishouden", "en": "household"},
    "basis_persons": {"nl": "persoon", "en": "person"},
    "low_coverage": {
        "nl": "Lage dekking van de referentie ({ref}): {items}. Die rangen zijn alleen t.o.v. de gebieden "
        "met een waarde; zie Methode & bronnen.",
        "en": "Low coverage of the reference ({ref}): {items}. Those ranks are only relative to the areas "
        "with a value; see Method & sources.",
    },
    "low_coverage_item": {"nl": "{label} {n} van {total}", "en": "{label} {n} of {total}"},
    "stale": {
        "nl": "Gecachte gegevens van {date} worden getoond (ophalen lukte niet).",
        "en": "Cached data from {date} is shown (fetching failed).",
    },
    "from_cache": {"nl": "Uit de cache, opgehaald {date}.", "en": "From cache, fetched {date}."},
    "unexpected": {
        "nl": "Er ging iets mis bij {what}. Probeer het opnieuw of kies andere instellingen.",
        "en": "Something went wrong while {what}. Try again or choose other settings.",
    },
    # --- map ---
    "map_title": {"nl": "Waar stapelen achterstanden zich op?", "en": "Where do disadvantages stack up?"},
    "map_alt": {
        "nl": "Kaart van {n} {level} in {gemeenten}, gekleurd naar {colour}.",
        "en": "Map of {n} {level} in {gemeenten}, coloured by {colour}.",
    },
    "legend_title": {"nl": "Legenda", "en": "Legend"},
    "legend_caption": {
        "nl": "{colour} · {year} · referentie: {ref} · n = aantal gebieden per klasse",
        "en": "{colour} · {year} · reference: {ref} · n = areas per class",
    },
    "no_data_class": {"nl": "geen gegevens / onderdrukt", "en": "no data / suppressed"},
    "focus_outline": {
        "nl": "Dikke donkere rand = wijk van een focusgebied, of het gekozen gebied",
        "en": "Bold dark outline = district of a focus area, or the selected area",
    },
    "map_loading": {"nl": "Kaart laden…", "en": "Loading map…"},
    "map_lost": {"nl": "De kaart kon niet opnieuw getekend worden.", "en": "The map could not be drawn again."},
    "map_reload": {"nl": "Opnieuw laden", "en": "Reload"},
    "national": {"nl": "Heel Nederland", "en": "All of the Netherlands"},
    "national_caption": {"nl": "Heel Nederland ({n} gemeenten)", "en": "All of the Netherlands ({n} municipalities)"},
    "national_help": {
        "nl": "Alle wijken of buurten van Nederland op één kaart, gekleurd t.o.v. heel Nederland.",
        "en": "Every district or neighbourhood of the Netherlands on one map, relative to the whole country.",
    },
    "national_coverage": {
        "nl": "Grenzen beschikbaar voor {n} van {m} {level}; alleen die zijn getekend.",
        "en": "Boundaries available for {n} of {m} {level}; only those are drawn.",
    },
    "map_nederland": {"nl": "heel Nederland", "en": "the whole of the Netherlands"},
    "buurt_no_data": {
        "nl": "Voor buurten heeft deze bron in {year} geen kerncijfers; alle buurten staan daarom als "
        "'geen gegevens' op de kaart. Kies 'Wijken' voor scores.",
        "en": "This source has no key figures for neighbourhoods in {year}; all neighbourhoods therefore "
        "show as 'no data'. Choose 'Districts' for scores.",
    },
    "select_area": {"nl": "Gebied bekijken", "en": "View area"},
    "select_area_none": {"nl": "(geen)", "en": "(none)"},
    "open_profile": {"nl": "Open buurtprofiel van {name}", "en": "Open the profile of {name}"},
    "tooltip_value": {"nl": "Waarde", "en": "Value"},
    "tooltip_rank": {"nl": "Plaats", "en": "Rank"},
    "tooltip_stacking": {"nl": "Gestapeld", "en": "Stacked"},
    "tooltip_stacking_n": {"nl": "Gestapelde domeinen (aantal)", "en": "Stacked domains (number)"},
    "hotspot_hh": {"nl": "hotspot (hoog-hoog)", "en": "hotspot (high-high)"},
    "hotspot_ll": {"nl": "coldspot (laag-laag)", "en": "coldspot (low-low)"},
    "hotspot_hl": {"nl": "uitschieter (hoog-laag)", "en": "outlier (high-low)"},
    "hotspot_lh": {"nl": "uitschieter (laag-hoog)", "en": "outlier (low-high)"},
    "hotspot_ns": {"nl": "niet significant", "en": "not significant"},
    "hotspot_caption": {
        "nl": "Hotspots: lokale Moran's I op de samengestelde score, 999 permutaties; significant bij "
        "een false discovery rate van 0,05 (Benjamini-Hochberg over alle getoonde gebieden).",
        "en": "Hotspots: local Moran's I on the composite score, 999 permutations; significant at a "
        "false discovery rate of 0.05 (Benjamini-Hochberg over all areas shown).",
    },
    "areas_table": {"nl": "Gebieden in tabelvorm", "en": "Areas as a table"},
    "export_png": {"nl": "Kaart als PNG", "en": "Map as PNG"},
    "export_pdf": {"nl": "PDF per focusgebied", "en": "PDF per focus area"},
    # --- compare ---
    "compare_intro": {
        "nl": "Focusgebieden naast hun gemeente en Nederland. Plaats 0–100: 100 = meest achtergesteld; "
        "het gearceerde deel is de zwakste {band} %.",
        "en": "Focus areas next to their municipality and the Netherlands. Rank 0–100: 100 = most "
        "disadvantaged; the shaded part is the worst {band}%.",
    },
    "focus_areas": {"nl": "Focusgebieden", "en": "Focus areas"},
    "profile_chart_alt": {"nl": "Domeinprofiel van {name}", "en": "Domain profile of {name}"},
    "domain": {"nl": "Domein", "en": "Domain"},
    "rank": {"nl": "Plaats (0–100)", "en": "Rank (0–100)"},
    "area": {"nl": "Gebied", "en": "Area"},
    "indicator": {"nl": "Indicator", "en": "Indicator"},
    "value": {"nl": "Waarde", "en": "Value"},
    "unit": {"nl": "Eenheid", "en": "Unit"},
    "source": {"nl": "Bron", "en": "Source"},
    "reference_col": {"nl": "Referentie", "en": "Reference"},
    "per_households": {"nl": "Huishoudens", "en": "Households"},
    "per_persons": {"nl": "Personen", "en": "Persons"},
    "unit_pct": {"nl": "Percentage", "en": "Percentage"},
    "unit_abs": {"nl": "Absoluut", "en": "Absolute"},
    "population_basis": {"nl": "Eenheid van telling", "en": "Unit of count"},
    "persons": {"nl": "personen", "en": "persons"},
    "count_of": {"nl": "aantal {subject}", "en": "number of {subject}"},
    "display_as": {"nl": "Toon als", "en": "Show as"},
    "worst_band": {"nl": "zwakste {band} %", "en": "worst {band}%"},
    "nederland": {"nl": "Nederland", "en": "The Netherlands"},
    "no_focus": {
        "nl": "Geen focusgebieden in de gekozen gemeenten.",
        "en": "No focus areas in the selected municipalities.",
    },
    # --- profile ---
    "profile_pick": {"nl": "Kies een wijk of buurt", "en": "Choose a district or neighbourhood"},
    "why_flagged": {"nl": "Waarom valt dit gebied op?", "en": "Why is this area flagged?"},
    "not_flagged": {
        "nl": "Geen enkel domein ligt in de zwakste {band} % van {ref}.",
        "en": "No domain lies in the worst {band}% of {ref}.",
    },
    "flag_domain": {
        "nl": "**{domain}** (domeinrang {rank}, {base}) door: {indicators}",
        "en": "**{domain}** (domain rank {rank}, {base}) because of: {indicators}",
    },
    "all_indicators": {"nl": "Alle indicatoren", "en": "All indicators"},
    "stacking_domains": {"nl": "Gestapelde domeinen", "en": "Stacked domains"},
    "stacking_none": {"nl": "geen (van de bekende)", "en": "none (of the known)"},
    "stacking_count": {"nl": "Aantal gestapelde domeinen", "en": "Number of stacked domains"},
    "composite": {"nl": "Samengestelde score", "en": "Composite score"},
    "rank_interval": {
        "nl": "Plaats in de rangorde bij gevarieerde gewichten (90 %-interval, 1000 trekkingen): {lo}–{hi} (nu {now})",
        "en": "Position in the ranking under varied weights (90% interval, 1,000 draws): {lo}–{hi} (now {now})",
    },
    "rank_interval_na": {
        "nl": "Gevoeligheid voor gewichten is niet te berekenen voor dit gebied.",
        "en": "Sensitivity to weights cannot be computed for this area.",
    },
    "trend": {"nl": "Ontwikkeling", "en": "Trend"},
    "trend_one_year": {
        "nl": "Alleen {year} is beschikbaar; een ontwikkeling over de jaren is nog niet te tonen.",
        "en": "Only {year} is available; a trend over the years cannot be shown yet.",
    },
    "trend_boundaries": {
        "nl": "Alleen jaren waarin de grenzen van dit gebied niet veranderden.",
        "en": "Only years in which the boundaries of this area did not change.",
    },
    "suppressed": {"nl": "Onderdrukt: {reason}", "en": "Suppressed: {reason}"},
    "supp_population": {"nl": "minder dan {min} inwoners", "en": "fewer than {min} inhabitants"},
    "supp_population_unknown": {"nl": "inwonertal onbekend", "en": "number of inhabitants unknown"},
    "supp_den_small": {"nl": "{indicator}: noemer kleiner dan {min}", "en": "{indicator}: denominator below {min}"},
    "no_area": {"nl": "Kies hierboven een gebied.", "en": "Pick an area above."},
    # --- prioritise ---
    "weights": {"nl": "Gewichten per domein", "en": "Weights per domain"},
    "weights_used": {"nl": "Gebruikte gewichten: {weights}", "en": "Weights used: {weights}"},
    "weights_equal": {"nl": "gelijk (standaard)", "en": "equal (default)"},
    "weights_reset": {"nl": "Gewichten terugzetten", "en": "Reset weights"},
    "weights_all_zero": {
        "nl": "Alle gewichten zijn 0; gelijke gewichten worden gebruikt.",
        "en": "All weights are 0; equal weights are used.",
    },
    "filter_gemeente": {"nl": "Gemeente", "en": "Municipality"},
    "min_population": {"nl": "Minimaal aantal inwoners", "en": "Minimum population"},
    "min_stacking": {"nl": "Minimaal aantal gestapelde domeinen", "en": "Minimum number of stacked domains"},
    "n_shown": {"nl": "{n} van {total} gebieden", "en": "{n} of {total} areas"},
    "export_csv": {"nl": "Download CSV (zip, met metadata)", "en": "Download CSV (zip, with metadata)"},
    "export_xlsx": {"nl": "Download Excel", "en": "Download Excel"},
    "export_failed": {"nl": "Exporteren lukte niet: {error}", "en": "Export failed: {error}"},
    # --- method ---
    "method_intro": {
        "nl": "Deze pagina wordt gegenereerd uit het indicatorregister; wat hier staat is wat wordt berekend.",
        "en": "This page is generated from the indicator registry; what is written here is what is computed.",
    },
    "formula": {"nl": "Formule", "en": "Formula"},
    "numerator": {"nl": "Teller", "en": "Numerator"},
    "denominator": {"nl": "Noemer", "en": "Denominator"},
    "suppression": {"nl": "Onderdrukking", "en": "Suppression"},
    "direction": {"nl": "Richting", "en": "Direction"},
    "table_id": {"nl": "CBS-tabel", "en": "CBS table"},
    "stacking_rule": {"nl": "Stapelregel", "en": "Stacking rule"},
    "stacking_rule_text": {
        "nl": "Een domein telt als 'gestapeld' wanneer de domeinscore in de zwakste {band} % van de referentie "
        "ligt (plaats ≥ {cut}). Een gebied krijgt pas een samengestelde score met ten minste {min} "
        "beschikbare domeinen.",
        "en": "A domain counts as 'stacked' when its domain score lies in the worst {band}% of the "
        "reference (rank ≥ {cut}). An area gets a composite score only with at least {min} available domains.",
    },
    "min_population_rule": {
        "nl": "Gebieden met minder dan {n} inwoners krijgen geen rang, geen stapeling en geen "
        "samengestelde score (onderdrukt); hun CBS-cijfers blijven zichtbaar.",
        "en": "Areas with fewer than {n} inhabitants get no rank, no stacking and no composite "
        "(suppressed); their CBS figures stay visible.",
    },
    "composite_rule": {"nl": "Samengestelde score", "en": "Composite score"},
    "composite_text": {
        "nl": "Gewogen gemiddelde van de domeinscores: Σ wᵢ·dᵢ / Σ wᵢ over de beschikbare domeinen met gewicht > 0 (minimum: zie hierboven). Gewichten nu: {weights}.",
        "en": "Weighted mean of the domain scores: Σ wᵢ·dᵢ / Σ wᵢ over the available domains with weight > 0 (minimum: see above). Weights now: {weights}.",
    },
    "not_scored": {"nl": "Bewust niet gescoord", "en": "Deliberately not scored"},
    "not_scored_text": {
        "nl": "Migratieachtergrond (herkomst) wordt niet als achterstand gescoord: herkomst is geen "
        "achterstand maar een kenmerk van mensen; het scoren ervan zou wijken stigmatiseren en "
        "verhult de eigenlijke oorzaken (inkomen, werk, onderwijs, wonen) die wél gemeten worden.",
        "en": "Migration background is not scored as a disadvantage: origin is a characteristic of people, "
        "not a disadvantage; scoring it would stigmatise neighbourhoods and hide the actual causes "
        "(income, work, education, housing), which are measured.",
    },
    "freshness": {"nl": "Actualiteit van de gegevens", "en": "Data freshness"},
    "licence": {"nl": "Licentie en bronvermelding", "en": "Licence and attribution"},
    "licence_text": {
        "nl": "Cijfers van het CBS worden gebruikt onder CC BY 4.0 — Bron: CBS. Grenzen: CBS/Kadaster (PDOK), CC BY 4.0.",
        "en": "CBS figures are used under CC BY 4.0 — Source: CBS. Boundaries: CBS/Kadaster (PDOK), CC BY 4.0.",
    },
    "reference_text": {
        "nl": "Gekozen referentie: {ref}. Elke indicator wordt als percentielrang 0–100 uitgedrukt (100 = meest "
        "achtergesteld) tegen die referentie, of, waar die te weinig waarden heeft, tegen de "
        "genoemde terugval (zie Referentie hieronder).",
        "en": "Chosen reference: {ref}. Each indicator is expressed as a percentile rank 0–100 (100 = most "
        "disadvantaged) against that reference or, where it has too few values, against the named "
        "fallback (see Reference below).",
    },
    "nothing_cached": {"nl": "Nog niets in de cache.", "en": "Nothing cached yet."},
    # --- the measure in words (issue 10: n and m everywhere, rules from indicators.method) ---
    "composite_base": {"nl": "{n} van {m} domeinen", "en": "{n} of {m} domains"},
    "composite_none": {
        "nl": "geen score: niet genoeg gegevens ({base} bekend)",
        "en": "no score: not enough data ({base} known)",
    },
    "composite_on": {"nl": "Score op", "en": "Score on"},
    "incomplete": {"nl": "onvolledig", "en": "incomplete"},
    "not_enough_data": {"nl": "niet genoeg gegevens", "en": "not enough data"},
    "stacking_col": {"nl": "Gestapeld (k van n bekend, m domeinen)", "en": "Stacked (k of n known, m domains)"},
    "stacking_known_col": {"nl": "Bekende domeinen (n)", "en": "Known domains (n)"},
    "stacking_m_col": {"nl": "Domeinen (m)", "en": "Domains (m)"},
    "min_stacking_known": {
        "nl": "Minimaal aantal gestapelde domeinen (telt alleen bekende domeinen)",
        "en": "Minimum number of stacked domains (counts known domains only)",
    },
    "stacking_filter_note": {
        "nl": "Filter ≥ {k} gestapeld: telt alleen domeinen met een domeinrang; {unknown} van de "
        "getoonde gebieden hebben niet alle {m} domeinen bekend (kolom n).",
        "en": "Filter ≥ {k} stacked: counts only domains with a domain rank; {unknown} of the "
        "areas shown do not have all {m} domains known (column n).",
    },
    "composite_legend": {
        "nl": "Samengestelde score: gewogen gemiddelde van de bekende domeinscores; de tooltip noemt "
        "op hoeveel domeinen (n van m met gewicht).",
        "en": "Composite score: weighted mean of the known domain scores; the tooltip says on how many "
        "domains (n of m with weight).",
    },
    "hotspot_rule_line": {"nl": "Hotspots: {rule}.", "en": "Hotspots: {rule}."},
    # the composite and the stacking count when, for every area, fewer domains than carry weight have data
    # (issue 23: nationally only Wonen; wording.composite_basis_line), + composite_basis_min when below the minimum
    "composite_basis_one": {
        "nl": "Alleen het domein {domains} heeft in deze referentie ({ref}) genoeg gegevens: de samengestelde "
        "score en het aantal gestapelde domeinen rusten hier op dat ene domein van de {m}",
        "en": "Only the domain {domains} has enough data in this reference ({ref}): the composite score and the "
        "number of stacked domains rest on that one domain of {m} here",
    },
    "composite_basis_some": {
        "nl": "Alleen {n} van de {m} domeinen ({domains}) hebben in deze referentie ({ref}) genoeg gegevens: de "
        "samengestelde score en het aantal gestapelde domeinen rusten hier op hooguit die {n}",
        "en": "Only {n} of the {m} domains ({domains}) have enough data in this reference ({ref}): the composite "
        "score and the number of stacked domains rest on at most those {n} here",
    },
    "composite_basis_min": {
        "nl": ", niet op de {min} die de regel vraagt als er genoeg zijn.",
        "en": ", not on the {min} the rule asks for when there are enough.",
    },
    # the map's composite where there is none: which rule, how many known of how many needed (wording.py)
    "composite_withheld_legend": {
        "nl": "Geen samengestelde score (grijs) waar minder dan {need} van de {m} domeinen met een gewicht boven 0 "
        "bekend zijn (de regel: minimaal {min}, of zoveel als er domeinen met gewicht gegevens hebben): {counts}.",
        "en": "No composite score (grey) where fewer than {need} of the {m} domains with a weight above 0 are "
        "known (the rule: at least {min}, or as many as the weighted domains with data): {counts}.",
    },
    "composite_withheld_count": {
        "nl": "{areas}: {n} van minimaal {need} bekend",
        "en": "{areas}: {n} of at least {need} known",
    },
    "composite_suppressed_legend": {
        "nl": "Ook geen score (grijs) voor onderdrukte gebieden: {counts}.",
        "en": "No score (grey) for suppressed areas either: {counts}.",
    },
    "n_areas_one": {"nl": "{n} gebied", "en": "{n} area"},
    "n_areas_many": {"nl": "{n} gebieden", "en": "{n} areas"},
    "why_no_composite": {"nl": "Waarom geen score", "en": "Why no score"},
    "why_no_composite_withheld": {
        "nl": "{n} van minimaal {need} domeinen met gewicht bekend (van {m})",
        "en": "{n} of at least {need} domains with a weight known (of {m})",
    },
    "why_no_composite_suppressed": {"nl": "onderdrukt: {reason}", "en": "suppressed: {reason}"},
    "method_smoothing": {
        "nl": "Kleine gebieden: intervallen en empirisch-Bayes",
        "en": "Small areas: intervals and empirical Bayes",
    },
    "method_bijstand": {"nl": "Bijstand één keer geteld", "en": "Social assistance counted once"},
    "method_context": {"nl": "Context zonder rang", "en": "Context without rank"},
    "context_text": {
        "nl": "Contextindicatoren (zoals migratieachtergrond) krijgen geen rang en tellen niet mee in "
        "domein, stapeling of samengestelde score; ze staan als waarde naast de waarde van de referentie.",
        "en": "Context indicators (such as migration background) get no rank and do not count in a domain, "
        "stacking or the composite score; they are shown as a value next to the reference's value.",
    },
    "stacking_line": {"nl": "Gestapeld: {text}", "en": "Stacked: {text}"},
    "rank_interval_data": {
        "nl": "Plaats in de rangorde bij gevarieerde gewichten én onzekerheid in de gegevens "
        "(90 %-interval, 1000 trekkingen; telgegevens: afronding en Poisson): {lo}–{hi} (nu {now})",
        "en": "Position in the ranking under varied weights and data uncertainty (90% interval, "
        "1,000 draws; counts: rounding and Poisson): {lo}–{hi} (now {now})",
    },
    "rank_base": {"nl": "Rang t.o.v.", "en": "Rank vs"},
    "value_eb": {"nl": "Geschat (EB)", "en": "Estimated (EB)"},
    "interval_95": {"nl": "95 %-interval", "en": "95% interval"},
    "ref_value_col": {"nl": "Waarde referentie", "en": "Reference value"},
    "context_no_rank": {"nl": "context: geen rang", "en": "context: no rank"},
    "ref_value_na": {
        "nl": "referentiewaarde niet beschikbaar (te weinig gebieden met deze waarde)",
        "en": "reference value not available (too few areas with this value)",
    },
    "none": {"nl": "geen", "en": "none"},
    "yes": {"nl": "ja", "en": "yes"},
    "no": {"nl": "nee", "en": "no"},
}
STRINGS.update(FOCUS_STRINGS)
STRINGS.update(DATA_STRINGS)
STRINGS.update(REPORT_STRINGS)
STRINGS.update(HEALTH_STRINGS)


def t(key: str, lang: str = "nl", **values: object) -> str:
    """The string ``key`` in ``lang`` with ``values`` filled in."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["nl"]
    return text.format(**values) if values else text


def label(obj: object, lang: str = "nl") -> str:
    """Label of a registry object with ``label={"nl","en"}`` (or a plain string)."""
    lab = getattr(obj, "label", obj)
    if isinstance(lab, dict):
        return str(lab.get(lang) or lab.get("nl") or next(iter(lab.values()), ""))
    return str(lab)
