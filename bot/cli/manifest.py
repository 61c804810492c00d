"""`nwow manifest build`: write the Teams app package (zip) to upload in Teams."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.manifest import ManifestError, ManifestOptions, build_manifest_package


def add_commands(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "manifest",
        help="build the Teams app package (manifest, icons, language files)",
        description="Work with the Teams app package that users or admins upload to Teams.",
    )
    commands = parser.add_subparsers(dest="manifest_command", metavar="COMMAND")
    commands.required = True
    build = commands.add_parser(
        "build",
        help="write the app package zip",
        description=(
            "Write the Teams app package: manifest.json filled in from the settings, the colour and outline "
            "icons and the nl/fr/de/en language files. The app id is MicrosoftAppId (or --app-id), the only "
            "bot setting read (no secret needed); without one the package gets a placeholder id and a "
            "warning, for trying the manifest only. "
            "NWOW_APP_BASE_URL sets the website, privacy and terms URLs (BASE/, BASE/privacy, BASE/terms) "
            "and the valid domain; NWOW_APP_VERSION sets the app version (default: the package version)."
        ),
    )
    build.add_argument("--out", type=Path, required=True, metavar="FILE.zip", help="where to write the zip")
    build.add_argument(
        "--app-id", metavar="GUID", help="the bot's Microsoft app id (overrides MicrosoftAppId)"
    )
    build.add_argument(
        "--base-url",
        metavar="URL",
        help="https base URL of the website, privacy and terms pages (overrides NWOW_APP_BASE_URL)",
    )
    build.add_argument(
        "--app-version",
        metavar="X.Y.Z",
        help="app version; raise it for every upload that updates the app (overrides NWOW_APP_VERSION)",
    )
    build.set_defaults(func=_build)


def _build(args: argparse.Namespace) -> int:
    # No logging set-up here: the placeholder-id warning reaches stderr through logging's last resort.
    options = ManifestOptions.from_env(app_id=args.app_id, base_url=args.base_url, version=args.app_version)
    try:
        path = build_manifest_package(args.out, options=options)
    except ManifestError as exc:
        print(f"Cannot build the app package: {exc}", file=sys.stderr)
        return 2
    print(path)
    return 0
