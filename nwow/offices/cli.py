"""`nwow offices near PLACE` and `nwow offices province NAME`: what the bot would answer, for ambassadors."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nwow.language import LANGS
from nwow.offices.loader import OFFICES_FILE, load_offices
from nwow.offices.model import OfficeDirectory, OfficeMatch
from nwow.offices.places import default_place_index
from nwow.offices.ranking import in_province, nearest
from nwow.paths import default_faq_dir


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    offices = subparsers.add_parser(
        "offices",
        help="find satellite offices as the bot would",
        description="Satellite offices (the offices file is described in faq/README.md).",
    )
    commands = offices.add_subparsers(dest="offices_command", metavar="SUBCOMMAND")
    commands.required = True

    near = commands.add_parser(
        "near",
        help="the nearest offices to a place (exit 1 when the place is unknown or ambiguous)",
        description=(
            "Resolve PLACE (a municipality or sub-municipality in Dutch, French or German, or a postal code) "
            "and list the nearest offices with their straight-line distance."
        ),
    )
    near.add_argument("place", metavar="PLACE", help="e.g. Luik, Liège, Lüttich, 3000, 'Sint-Niklaas'")
    near.add_argument("-n", type=int, default=3, help="how many offices (default 3)")
    _common(near)
    near.set_defaults(func=_near)

    province = commands.add_parser(
        "province",
        help="every office in a province (or Brussels)",
        description="List the offices in a province, named in Dutch, French or German, or in Brussels.",
    )
    province.add_argument(
        "province", metavar="PROVINCE", help="e.g. Oost-Vlaanderen, Hainaut, Lüttich, Brussel"
    )
    _common(province)
    province.set_defaults(func=_province)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--offices",
        type=Path,
        default=None,
        help=f"the offices file (default: the shipped faq/{OFFICES_FILE})",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--lang", choices=LANGS, default="nl", help="language of the office names (default nl)"
    )


def _directory(path: Path | None) -> OfficeDirectory | None:
    source = path if path is not None else default_faq_dir() / OFFICES_FILE
    directory, problems = load_offices(source)
    for problem in problems:
        print(problem, file=sys.stderr)
    if directory is None:
        print(f"cannot use {source}: fix the errors above (nwow faq check)", file=sys.stderr)
    return directory


def _emit(args: argparse.Namespace, payload: dict[str, Any], lines: list[str]) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print("\n".join(lines))


def _office_json(match: OfficeMatch, lang: str) -> dict[str, Any]:
    return {
        "id": match.office.id,
        "name": match.office.name(lang),
        "distance_km": round(match.distance_km, 2),
        "open_now": match.open_now,
        "today_hours": [str(r) for r in match.today_hours],
    }


def _near(args: argparse.Namespace) -> int:
    directory = _directory(args.offices)
    if directory is None:
        return 2
    index = default_place_index()
    resolution = index.resolve(args.place)
    named = index.province(args.place) if resolution.place is None else None
    if named is not None:
        hint = f"nwow offices province {named.id}"
        failure = {"error": "a province, not a place", "query": args.place, "province": named.id, "try": hint}
        _emit(args, failure, [f"{args.place!r} is {named.name(args.lang)}: try `{hint}`"])
        return 1
    if resolution.place is None:
        error = "ambiguous place" if resolution.status == "ambiguous" else "unknown place"
        failure = {"error": error, "query": resolution.query, "suggestions": list(resolution.suggestions)}
        lines = [f"{error}: {resolution.query!r}"]
        if resolution.suggestions:
            lines.append("did you mean: " + "; ".join(resolution.suggestions))
        _emit(args, failure, lines)
        return 1
    place = resolution.place
    matches = nearest(directory, place.lat, place.lon, datetime.now(UTC), n=args.n)
    payload: dict[str, Any] = {
        "place": {"name": place.label, "lat": round(place.lat, 5), "lon": round(place.lon, 5)},
        "offices": [_office_json(m, args.lang) for m in matches],
    }
    lines = [f"{place.label} ({place.lat:.4f}, {place.lon:.4f})"]
    for rank, match in enumerate(matches, 1):
        hours = ", ".join(str(r) for r in match.today_hours) or "closed today"
        state = "open now" if match.open_now else "closed now"
        lines.append(
            f"{rank}. {match.distance_km:6.1f} km  {match.office.id}  {match.office.name(args.lang)}  "
            f"[{state}; today {hours}]"
        )
    _emit(args, payload, lines)
    return 0


def _province(args: argparse.Namespace) -> int:
    directory = _directory(args.offices)
    if directory is None:
        return 2
    province = default_place_index().province(args.province)
    if province is None:
        known = sorted(p.name(args.lang) for p in directory.provinces.values())
        _emit(
            args,
            {"error": "unknown province", "query": args.province, "suggestions": known},
            [f"unknown province: {args.province!r}", "known: " + "; ".join(known)],
        )
        return 1
    offices = in_province(directory, province)
    payload: dict[str, Any] = {
        "province": {"id": province.id, "name": province.name(args.lang)},
        "offices": [{"id": o.id, "name": o.name(args.lang)} for o in offices],
    }
    lines = [f"{province.name(args.lang)}: {len(offices)} office(s)"]
    lines += [f"- {o.id}  {o.name(args.lang)}  ({o.address.municipality})" for o in offices]
    _emit(args, payload, lines)
    return 0
