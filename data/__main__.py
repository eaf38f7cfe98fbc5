"""``python -m data``: fill and inspect the cache from the command line.

Why a CLI: to prepare a machine before a workshop (``fetch`` then ``export-snapshot``), to load a warm cache on
a machine without internet (``import-snapshot``), and to see what is cached and how old it is (``list``).

    python -m data fetch --gemeente GM0479 GM0363 --year 2024 [--level wijk buurt] [--refresh]
    python -m data list
    python -m data list-gemeenten --year 2024
    python -m data export-snapshot FILE.zip
    python -m data import-snapshot FILE.zip

Expected failures (unknown gemeente/year, no network and no cache, a bad snapshot) print one line
``fout: ...`` on stderr and exit with the error's code (2 input, 3 network, 4 cache), without traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.codes import LEVELS
from core.errors import StapelkaartError
from data import cache, http, snapshot

if TYPE_CHECKING:
    from tqdm import tqdm

LEVEL_NL = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}


def _age_text(days: float | None) -> str:
    if days is None:
        return "onbekende leeftijd"
    if days < 1 / 24:
        return f"{days * 1440:.0f} min oud"
    if days < 2:
        return f"{days * 24:.1f} uur oud"
    return f"{days:.0f} dagen oud"


def _source_text(src: dict) -> str:
    if src.get("stale"):
        return f"VEROUDERDE cache ({_age_text(src.get('age_days'))}; netwerk faalde)"
    if src.get("from_cache"):
        return f"cache ({_age_text(src.get('age_days'))})"
    return "netwerk (nu opgehaald)"


class _Bars:
    """One tqdm bar per label (table/collection), closed at the end."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bars: dict[str, tqdm] = {}

    def _bar(self, label: str, total: int | None, unit: str):
        from tqdm import tqdm

        bar = self.bars.get(label)
        if bar is None:
            bar = tqdm(total=total, desc=label, unit=unit, leave=True, file=sys.stderr, disable=not self.enabled)
            self.bars[label] = bar
        return bar

    def rows(self, done: int, total: int | None, label: str) -> None:
        """``data.cbs`` progress: rows done of total (None if unknown)."""
        bar = self._bar(label, total, "rij")
        if total is not None and bar.total != total:
            bar.total = total
        bar.update(done - bar.n)

    def fraction(self, label: str):
        """``data.pdok`` progress: fraction 0..1 plus a text."""

        def report(fraction: float, text: str) -> None:
            bar = self._bar(label, 100, "%")
            bar.set_postfix_str(text[-40:], refresh=False)
            bar.update(round(fraction * 100) - bar.n)

        return report

    def close(self) -> None:
        for bar in self.bars.values():
            bar.close()


def cmd_fetch(args: argparse.Namespace) -> int:
    from data import cbs

    levels = [lv for lv in LEVELS if lv in args.level]
    bars = _Bars(enabled=not args.quiet)
    t0 = time.monotonic()
    lines: list[str] = []
    try:
        with http.count_requests() as counter:
            stats = cbs.load_kwb(
                args.gemeente,
                args.year,
                levels=levels,
                refresh=args.refresh,
                progress=bars.rows,
                allow_fewer=args.allow_fewer,
            )
            src = stats.attrs["source"]
            lines.extend(f"let op: {n['nl']}" for n in src.get("notices") or ())
            codes = sorted(set(stats["gemeente_code"].dropna())) or sorted(args.gemeente)
            for lv in levels:
                n = int((stats["level"] == lv).sum())
                note = ""
                if n == 0:
                    note = f"  (CBS-tabel {src['table_id']} heeft geen {LEVEL_NL[lv]}cijfers voor deze selectie)"
                lines.append(f"statistiek {LEVEL_NL[lv]:9s} {src['table_id']}: {n:5d} rijen, {_source_text(src)}{note}")
            from data import pdok

            for lv in levels:
                label = f"PDOK {LEVEL_NL[lv]}"
                gdf = pdok.load_boundaries(codes, args.year, lv, refresh=args.refresh, progress=bars.fraction(label))
                gsrc = gdf.attrs.get("source", {})
                lines.append(
                    f"grenzen    {LEVEL_NL[lv]:9s} {gsrc.get('table_id', '')}: {len(gdf):5d} vlakken, "
                    f"{_source_text(gsrc)}"
                )
    finally:
        bars.close()
    for line in lines:
        print(line)
    print(f"klaar in {time.monotonic() - t0:.1f} s, {counter.count} HTTP-verzoeken; cache: {cache.cache_dir()}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    entries = cache.list_entries()
    if not entries:
        print(f"cache is leeg ({cache.cache_dir()})")
        return 0
    print(f"cache: {cache.cache_dir()}")
    for e in entries:
        m = e.manifest
        if e.status != "ok":
            print(f"  {e.slug}: ONBRUIKBAAR ({e.status}: {e.problem}) - wordt genegeerd en opnieuw opgehaald")
            continue
        print(
            f"  {e.slug}: {m.get('rows')} rijen, {m.get('table_id') or ''}, opgehaald {m.get('fetched_at')} "
            f"({_age_text(e.age_days)}), bron gewijzigd {m.get('modified') or '-'}"
        )
    return 0


def cmd_list_gemeenten(args: argparse.Namespace) -> int:
    from data import cbs

    frame = cbs.list_gemeenten(args.year, refresh=args.refresh)
    for code, name in zip(frame["code"], frame["name"]):
        print(f"{code}  {name}")
    print(f"{len(frame)} gemeenten in KWB {args.year} ({cbs.KWB_TABLES[args.year]})", file=sys.stderr)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    slugs = snapshot.export_snapshot(args.file)
    print(f"{len(slugs)} cache-items geschreven naar {args.file}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from data.snapshot import UPLOAD_LIMITS, SnapshotLimits

    limits = SnapshotLimits.for_megabytes(args.max_mb) if args.max_mb else UPLOAD_LIMITS
    report = snapshot.import_snapshot(args.file, overwrite_newer=args.force, limits=limits)
    print(f"{len(report.imported)} cache-items geïmporteerd uit {args.file}")
    for slug, why in report.skipped:
        print(f"  overgeslagen: {slug} ({why}; gebruik --force om toch te overschrijven)")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m data", description="Stapelkaart: gegevens ophalen en cache beheren.")
    p.add_argument("--lang", choices=("nl", "en"), default="nl", help="taal van foutmeldingen")
    p.add_argument("-v", "--verbose", action="store_true", help="log HTTP-pogingen en cachebeslissingen")
    sub = p.add_subparsers(dest="command", required=True)

    f = sub.add_parser("fetch", help="statistiek en grenzen ophalen en cachen")
    f.add_argument("--gemeente", nargs="+", required=True, help="GM-codes (GM0479) of namen (Zaanstad)")
    f.add_argument("--year", type=int, required=True)
    f.add_argument("--level", nargs="+", choices=LEVELS, default=["wijk", "buurt"])
    f.add_argument("--refresh", action="store_true", help="opnieuw ophalen, ook als het al in de cache staat")
    f.add_argument(
        "--allow-fewer",
        action="store_true",
        help="beheerder: bevestig dat CBS nu minder rijen heeft dan de bewaarde versie (anders geweigerd)",
    )
    f.add_argument("-q", "--quiet", action="store_true", help="geen voortgangsbalken")
    f.set_defaults(func=cmd_fetch)

    sub.add_parser("list", help="toon wat in de cache staat").set_defaults(func=cmd_list)

    g = sub.add_parser("list-gemeenten", help="gemeenten van een KWB-jaar")
    g.add_argument("--year", type=int, required=True)
    g.add_argument("--refresh", action="store_true")
    g.set_defaults(func=cmd_list_gemeenten)

    e = sub.add_parser("export-snapshot", help="cache naar een zip-bestand")
    e.add_argument("file")
    e.set_defaults(func=cmd_export)

    i = sub.add_parser("import-snapshot", help="zip-bestand in de cache laden")
    i.add_argument("file")
    i.add_argument("--force", action="store_true", help="ook nieuwere bestaande items overschrijven")
    i.add_argument(
        "--max-mb",
        type=float,
        default=None,
        help="grootste snapshot in MB (standaard de uploadgrens, 20; uitgepakt mag 10x zoveel)",
    )
    i.set_defaults(func=cmd_import)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.ERROR, format="%(levelname)s %(message)s")
    try:
        return args.func(args)
    except StapelkaartError as err:
        text = " ".join(err.text(args.lang).split())
        print(f"fout: {text}" if args.lang == "nl" else f"error: {text}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("fout: afgebroken", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `python -m data list-gemeenten | head`: the reader left, that is fine
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
