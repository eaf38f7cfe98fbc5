"""Command line: ``python -m indicators score|focus|list``.

    python -m indicators score --gemeente GM0479 GM0363 --year 2024 --level wijk [--reference nl|selection]
                               [--weights armoede=2,werk=1] [--format csv|json] [--income-file PATH]
                               [--user-file PATH ...] [--transform rank|exp] [--history N] [--full]
    python -m indicators focus --year 2024 [--define "Zaandam-Zuid=WK047911,WK047912"]... [--preset NAAM]...
                               [--format csv|json] [--income-file PATH] [--weights ...]
    python -m indicators hotspots --gemeente GM0363 --year 2024 --level wijk --indicator ID [--file PATH]
                               [--alpha 0.05] [--correction fdr|bonferroni|none] [--seed N] [--format csv|json]
    python -m indicators list [--format csv|json]

Rows go to stdout; warnings (e.g. an earlier KWB year that could not be loaded) to stderr. Errors are one
line ``fout: ...`` with exit code 2 (input) or 3 (network), never a traceback. This module is the only
part of ``indicators`` that calls the data loaders.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

import numpy as np
import pandas as pd

from core.errors import FetchError, StapelkaartError, UserInputError
from indicators.bounds import value_bounds
from indicators.engine import ScoreResult, make_reference, score_areas
from indicators.focus import PRESETS, FocusArea
from indicators.focusscore import score_focus
from indicators.rates import UserValues, user_values_from_file
from indicators.registry import DOMAINS, INDICATORS
from indicators.result import COMPOSITE, STACKING, domain_column, indicator_column
from indicators.scores import DOMAIN_IDS, validate_weights
from indicators.weights import parse_weights


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        print(f"fout: {message}", file=sys.stderr)
        raise SystemExit(2)


def _warn(text: str) -> None:
    print(f"waarschuwing: {text}", file=sys.stderr)


def cli_columns() -> list[str]:
    """The columns of ``score`` output: identification, per indicator value and rank (with the number of
    reference areas the rank used and, where one exists, the interval), per domain score, rank and band, totals
    with their n of m."""
    cols = ["code", "name", "level", "gemeente_code", "year", "reference"]
    for ind in INDICATORS.values():
        cols += [indicator_column(ind.id), indicator_column(ind.id, "rank")]
        cols.append(indicator_column(ind.id, "base_n" if ind.scored else "ref_value"))
        if ind.count_based:
            cols += [indicator_column(ind.id, "low"), indicator_column(ind.id, "high")]
    for d in DOMAIN_IDS:
        cols += [domain_column(d), domain_column(d, "rank"), domain_column(d, "band")]
    totals = [STACKING["k"], STACKING["n"], STACKING["which"], COMPOSITE["value"], COMPOSITE["n"], COMPOSITE["m"]]
    return [*cols, *totals, "suppressed"]


def _user_values(paths: Sequence[str]) -> list[UserValues]:
    from data.userfiles import load_indicator_file

    out: list[UserValues] = []
    for path in paths:
        uf = load_indicator_file(path, bounds=value_bounds())
        values = user_values_from_file(uf)
        if not values:
            raise UserInputError(
                f"'{uf.source}' bevat geen kolom die een indicator is; kolomnamen moeten indicator-ids zijn "
                f"(zie `python -m indicators list`): {', '.join(INDICATORS)}.",
                f"'{uf.source}' has no column that is an indicator; column names must be one of: {', '.join(INDICATORS)}.",
            )
        out += values
    return out


def _frames(
    gemeenten: Sequence[str], year: int, level: str, national: bool, history: int
) -> tuple[dict[int, pd.DataFrame], dict[int, pd.DataFrame]]:
    """KWB frames by year: the requested year (selection + national reference when asked) and up to
    ``history`` earlier years for the year fallback (a year that cannot be loaded is reported on stderr);
    and the national frames alone (the only source of the values of an "nl" reference)."""
    from data.cbs import load_kwb, load_kwb_national

    levels = ("gemeente", level)
    frames, nat = {}, {}
    for y in range(year, year - history - 1, -1):
        try:
            parts = [load_kwb(gemeenten, y, levels=levels)]
            if national:
                parts.append(load_kwb_national(y, level))
        except StapelkaartError as exc:
            if y == year:
                raise
            _warn(f"KWB {y} niet gebruikt voor terugvallen op eerdere jaren: {exc.message}")
            continue
        frame = pd.concat(parts, ignore_index=True).drop_duplicates("code")
        frame.attrs = parts[0].attrs
        frames[y] = frame
        if national:
            nat[y] = parts[1]
    return frames, nat


def _attributes(gemeenten: Sequence[str], year: int, level: str) -> dict[int, pd.DataFrame]:
    """PDOK Wijk- en Buurtkaart attributes (no geometry) of the selection, for the marked %-fallback, per
    gemeente: one without boundaries in the source (e.g. GM0772 in the mirror) is named on stderr and the
    scoring goes on without map attributes for it."""
    from data.pdok import load_boundaries

    parts = []
    for g in gemeenten:
        for lv in dict.fromkeys(("gemeente", level)):
            try:
                parts.append(pd.DataFrame(load_boundaries([g], year, lv).drop(columns="geometry")))
            except (FetchError, UserInputError) as exc:
                _warn(
                    f"geen PDOK-grenzen/kenmerken voor {g} ({lv}): vergelijking zonder kaart en zonder "
                    f"afgeleide aantallen uit %: {exc.message}"
                )
                break
    return {year: pd.concat(parts, ignore_index=True)} if parts else {}


def _sources(level: str) -> dict[str, pd.DataFrame | None]:
    """The second tables whose indicators have values at ``level`` (50150NED: buurt, gemeente), or None with a
    warning on stderr when the service lacks them (the domain is then absent: out of m)."""
    from data.health import health_or_absent

    out: dict[str, pd.DataFrame | None] = {}
    for ind in INDICATORS.values():
        if ind.source_id and level in ind.levels and ind.source_id not in out:
            frame, why = health_or_absent()
            if why is not None:
                _warn(f"{ind.domain} telt niet mee (afwezig): {why['nl']}")
            out[ind.source_id] = frame
    return out


def run_score(args) -> ScoreResult:
    from core.codes import normalise_gemeente, normalise_level

    gemeenten = [normalise_gemeente(g) for g in args.gemeente]
    level = normalise_level(args.level)
    weights = validate_weights(parse_weights(args.weights, DOMAIN_IDS)) if args.weights else None
    user = _user_values([*(args.user_file or []), *([args.income_file] if args.income_file else [])])
    frames, nat = _frames(gemeenten, args.year, level, args.reference == "nl", args.history)
    names = dict(zip(frames[args.year]["code"], frames[args.year]["name"]))
    ref_frame = nat[args.year] if args.reference == "nl" else frames[args.year]
    ref = make_reference(ref_frame, args.reference, level, args.year, gemeenten, names=names)
    return score_areas(
        frames,
        args.year,
        level=level,
        reference=ref,
        gemeenten=gemeenten,
        weights=weights,
        user_values=user,
        attributes=_attributes(gemeenten, args.year, level),
        transform=args.transform,
        min_population=args.min_population,
        national=nat or None,
        smoothing=getattr(args, "smoothing", "eb"),
        sources=_sources(level),
    )


def _json_value(value):
    """One cell for JSON: missing -> null, numpy scalars -> Python (floats keep all 17 digits: ``repr``)."""
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value) if np.isfinite(value) else None
    return value if isinstance(value, str) else str(value)


def json_records(frame: pd.DataFrame) -> list[dict]:
    """The rows as JSON-ready dicts at full double precision (``DataFrame.to_json`` cuts floats to 10 decimals)."""
    cols = list(frame.columns)
    return [{c: _json_value(v) for c, v in zip(cols, row)} for row in frame.itertuples(index=False, name=None)]


def _write(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        json.dump(json_records(frame), sys.stdout, ensure_ascii=False, indent=1, allow_nan=False)
        sys.stdout.write("\n")
    else:
        frame.to_csv(sys.stdout, index=False, lineterminator="\n")  # full precision: machine output


def cmd_score(args) -> None:
    result = run_score(args)
    table = result.table if args.full else result.table[cli_columns()]
    _write(table, args.format)


def _focus_set(args) -> list:
    """Focus areas of ``focus``: ``--preset`` sets and ``--define`` areas, in order; none -> the default set."""
    from indicators.focus import FOCUS_AREAS, preset, unique_ids
    from indicators.focuscodec import parse_define

    areas = [a for name in (args.preset or []) for a in preset(name).areas]
    areas += [parse_define(d) for d in (args.define or [])]
    if not areas:
        areas = list(FOCUS_AREAS.values())
    seen: dict[tuple, FocusArea] = {}
    for a in areas:  # the same area from two presets counts once
        seen.setdefault((a.name, a.codes), a)
    return unique_ids(list(seen.values()))


def cmd_focus(args) -> None:
    from data.cbs import list_gemeenten, load_kwb_national
    from indicators.focuscodec import validate

    areas = _focus_set(args)
    levels = sorted({a.level for a in areas})
    if len(levels) > 1:
        raise UserInputError(
            "Focusgebieden van verschillende niveaus: "
            + "; ".join(f"'{a.name}' ({a.level})" for a in areas)
            + ". Vergelijk wijken met wijken of buurten met buurten.",
            "Focus areas of different levels: "
            + "; ".join(f"'{a.name}' ({a.level})" for a in areas)
            + ". Compare wijken with wijken or buurten with buurten.",
        )
    gms = list(dict.fromkeys(g for a in areas for g in a.gemeenten))
    try:
        known_gm = set(list_gemeenten(args.year)["code"])
        gms_ok = [g for g in gms if g in known_gm] or gms[:1]  # the rest is reported per member below
    except FetchError:
        gms_ok = gms
    args.gemeente, args.level = gms_ok, levels[0]
    result = run_score(args)
    known = {args.level: set(result.universe.index[result.universe["level"] == args.level])}
    validate(areas, known, level=args.level)
    try:
        national = load_kwb_national(args.year, "gemeente")
    except FetchError as exc:
        _warn(f"landelijk gemeentebestand niet geladen; Nederland-rij alleen uit ingelezen bestanden: {exc.message}")
        national = None
    attributes = None
    if national is not None:
        from data.pdok import load_gemeente_attributes

        try:  # working-age groups of every gemeente (Wijk- en Buurtkaart) for the Nederland row of werk
            attributes = load_gemeente_attributes(args.year)
        except (FetchError, UserInputError) as exc:
            _warn(f"gemeentekenmerken (PDOK) niet geladen; Nederland-rij van werk niet beschikbaar: {exc.message}")
    user = _user_values([*(args.user_file or []), *([args.income_file] if args.income_file else [])])
    table = score_focus(result, areas, national=national, user_values=user, national_attributes=attributes)
    if not args.full:
        cols = ["id", "name", "kind", "members", "gemeenten", "level", "year", "reference", "population"]
        for ind in INDICATORS.values():
            cols += [indicator_column(ind.id), indicator_column(ind.id, "rank")]
        cols += [domain_column(d) for d in DOMAIN_IDS]
        totals = [STACKING["k"], STACKING["which"], COMPOSITE["value"], COMPOSITE["n"], COMPOSITE["m"]]
        table = table[[*cols, *totals]]
    _write(table, args.format)


def cmd_hotspots(args) -> None:
    """LISA of one indicator (registry id, ``composite``, or a column of ``--file``) with the stated rule."""
    from core.codes import normalise_gemeente, normalise_level
    from data.pdok import load_boundaries
    from indicators.hotspots import local_moran, rule_text

    gemeenten = [normalise_gemeente(g) for g in args.gemeente]
    level = normalise_level(args.level)
    if not 0 < args.alpha < 1:
        raise UserInputError(
            f"--alpha moet tussen 0 en 1 liggen, niet {args.alpha}.",
            f"--alpha must lie between 0 and 1, not {args.alpha}.",
        )
    if args.file:
        from data.userfiles import load_indicator_file

        uf = load_indicator_file(args.file, year=args.year, unknown_codes="skip", bounds=value_bounds())
        column = next((c for c, header in uf.columns.items() if args.indicator in (c, header)), None)
        if column is None:
            raise UserInputError(
                f"'{uf.source}' heeft geen kolom '{args.indicator}'; wel: {', '.join(uf.columns.values())}.",
                f"'{uf.source}' has no column '{args.indicator}'; must be one of: {', '.join(uf.columns.values())}.",
            )
        values = uf.frame[column]
    else:
        if args.indicator != "composite" and args.indicator not in INDICATORS:
            raise KeyError(
                f"{args.indicator!r} is not an indicator; must be one of: composite, {', '.join(INDICATORS)}"
            )
        args.level = level
        values = run_score(args).table[args.indicator]
    gdf = load_boundaries(gemeenten, args.year, level).to_crs("EPSG:28992")
    out = local_moran(
        gdf, values, seed=args.seed, alpha=args.alpha, correction=args.correction, permutations=args.permutations
    )
    _warn(f"regel: {out.attrs.get('rule') or rule_text(args.alpha, args.correction, permutations=args.permutations)}")
    _write(out[["code", "value", "lisa", "p_sim", "significant", "I", "quadrant"]], args.format)


def cmd_list(args) -> None:
    rows = [
        {
            "id": i.id,
            "domain": i.domain or "context",
            "scored": i.scored,
            "kind": i.kind,
            "numerator": "+".join(i.numerator),
            "denominator": "+".join(i.denominator),
            "direction": "hoger = slechter" if i.direction > 0 else "lager = slechter",
            "unit": i.unit["nl"],
            "min_denominator": i.min_denominator,
            "label_nl": i.label["nl"],
            "label_en": i.label["en"],
        }
        for i in INDICATORS.values()
    ]
    if args.format == "text":
        for d in DOMAINS.values():
            print(f"{d.id}: {d.label['nl']} / {d.label['en']}")
            for r in rows:
                if r["domain"] == d.id:
                    print(
                        f"  {r['id']:<28} {r['label_nl']} [{r['unit']}; {r['direction']}] = {r['kind']}"
                        f"({r['numerator'] or 'ingelezen bestand'} / {r['denominator']})"
                    )
        print("context (nooit in een score):")
        for r in rows:
            if r["domain"] == "context":
                print(f"  {r['id']:<28} {r['label_nl']} [{r['unit']}]")
    else:
        _write(pd.DataFrame(rows), args.format)


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="python -m indicators", description="Stapelkaart indicator engine")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(sp, gemeente: bool):
        if gemeente:
            sp.add_argument("--gemeente", nargs="+", required=True, help="GM0479 GM0363 ...")
            sp.add_argument("--level", default="wijk", help="wijk | buurt | gemeente")
        else:
            sp.add_argument("--level", default="wijk", help=argparse.SUPPRESS)
        sp.add_argument("--year", type=int, required=True)
        sp.add_argument("--reference", choices=("nl", "selection"), default="nl")
        sp.add_argument("--weights", help="armoede=2,werk=1 of armoede:2,werk:1 (ontbrekende domeinen: 1)")
        sp.add_argument("--format", choices=("csv", "json"), default="csv")
        sp.add_argument("--income-file", help="CBS-inkomensbestand (bv. ../shared/data/income/...clean.csv)")
        sp.add_argument("--user-file", action="append", help="ingelezen indicatorbestand (herhaalbaar)")
        sp.add_argument("--transform", choices=("rank", "exp"), default="rank")
        sp.add_argument(
            "--smoothing",
            choices=("eb", "none"),
            default="eb",
            help="empirisch Bayes voor percentages uit aantallen (standaard) of geen",
        )
        sp.add_argument("--min-population", type=float, default=200)
        sp.add_argument("--history", type=int, default=2, help="eerdere KWB-jaren om op terug te vallen")
        sp.add_argument("--full", action="store_true", help="alle kolommen (jaar/bron per waarde, n van m)")

    common(sub.add_parser("score", help="scores per gebied"), True)
    fp = sub.add_parser("focus", help="focusgebieden met gemeente en Nederland")
    common(fp, False)
    fp.add_argument(
        "--define",
        action="append",
        metavar="NAAM=CODE,CODE",
        help='eigen focusgebied, bv. "Zaandam-Zuid=WK047911,WK047912" (herhaalbaar)',
    )
    fp.add_argument(
        "--preset", action="append", metavar="NAAM", help="voorinstelling (herhaalbaar): " + ", ".join(PRESETS)
    )
    hp = sub.add_parser("hotspots", help="lokale Moran's I met correctie voor meervoudig toetsen")
    common(hp, True)
    hp.add_argument("--indicator", required=True, help="indicator-id, 'composite' of een kolom van --file")
    hp.add_argument("--file", help="indicatorbestand (CSV/XLSX met kolom code en de indicator)")
    hp.add_argument("--alpha", type=float, default=0.05)
    hp.add_argument("--correction", choices=("fdr", "bonferroni", "none"), default="fdr")
    hp.add_argument("--seed", type=int, default=12345)
    hp.add_argument("--permutations", type=int, default=999)
    lp = sub.add_parser("list", help="het indicatorregister")
    lp.add_argument("--format", choices=("text", "csv", "json"), default="text")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        {"score": cmd_score, "focus": cmd_focus, "hotspots": cmd_hotspots, "list": cmd_list}[args.command](args)
    except StapelkaartError as exc:
        print(f"fout: {exc.message}", file=sys.stderr)
        return 3 if isinstance(exc, FetchError) else 2
    except KeyError as exc:  # registry look-ups: "'x' is not an indicator; must be one of: ..."
        print(f"fout: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  (avoid a second error at interpreter exit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
