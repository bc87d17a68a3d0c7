"""``python -m passerelle``: a few commands through the bindings (no separate CLI binary).

Commands::

    python -m passerelle --version
    python -m passerelle validate DIR            # import an HSDS directory, print its report
    python -m passerelle search DIR --need "food bank" [--need ...] --lat 45.42 --lon -75.69
                                    [--limit 5] [--max-distance-km 10] [--lang fr] [--json]
    python -m passerelle search --sample --need "banque alimentaire" --lat 45.4292 --lon -75.692

``validate`` exits 1 when the import found errors. ``search --json`` prints the result as
``search_dict`` returns it. Nothing about the resident is logged or written anywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Optional, Sequence

from . import Navigator, PasserelleError, __version__, search_dict


def _open(args: argparse.Namespace) -> Navigator:
    if args.sample:
        return Navigator.sample()
    if not args.dir:
        raise SystemExit("passerelle: give a directory (DIR) or --sample")
    return Navigator.from_path(args.dir)


def _validate(args: argparse.Namespace) -> int:
    nav = _open(args)
    report = nav.import_report()
    info = nav.directory_info()
    loaded = ", ".join(f"{k} {v}" for k, v in sorted(report.loaded.items()))
    print(f"{info.name}: {loaded}")
    for p in report.problems:
        where = " ".join(
            x
            for x in (
                p.table,
                f"row {p.row}" if p.row is not None else None,
                f"id {p.record_id}" if p.record_id else None,
                f"field {p.field}" if p.field else None,
            )
            if x
        )
        print(f"{p.severity.name.lower()}: {where}: {p.kind}: {p.message}")
    print(f"{report.errors} errors, {report.warnings} warnings")
    return 1 if report.errors else 0


def _search(args: argparse.Namespace) -> int:
    nav = _open(args)
    query: dict = {"needs": [{"text": t} for t in args.need], "limit": args.limit}
    if args.lat is not None:
        query["lat"] = args.lat
    if args.lon is not None:
        query["lon"] = args.lon
    if args.max_distance_km is not None:
        query["max_distance_km"] = args.max_distance_km
    res = search_dict(nav, query)
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
        return 0
    for need in res["needs"]:
        i = need["need_index"]
        print(f"# {args.need[i] if 0 <= i < len(args.need) else i}")
        for m in need["matches"]:
            name = m["service_name"]
            text = (name.get("translations") or {}).get(args.lang) or name.get("value", "")
            dist = m.get("distance_m")
            far = f"{dist / 1000:.1f} km" if dist is not None else "remote"
            print(f"{m['rank']:>2}. {text} ({m['service_id']}, {far})")
        if not need["matches"]:
            print("   no match")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m passerelle", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"passerelle {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("validate", "search"):
        p = sub.add_parser(name)
        p.add_argument("dir", nargs="?", help="HSDS directory (JSON file, CSV or JSON folder)")
        p.add_argument("--sample", action="store_true", help="the embedded fictional sample")
        if name == "search":
            p.add_argument("--need", action="append", required=True, help="a need, in words")
            p.add_argument("--lat", type=float)
            p.add_argument("--lon", type=float)
            p.add_argument("--max-distance-km", type=float)
            p.add_argument("--limit", type=int, default=5)
            p.add_argument("--lang", default="en", help="language of the names printed")
            p.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args(argv)
    try:
        return _validate(args) if args.command == "validate" else _search(args)
    except PasserelleError as e:
        print(f"passerelle: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
