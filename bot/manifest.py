"""Build the Teams app package: manifest.json, the two icons and the language files, zipped at the root.

The manifest comes from `app_manifest/manifest.template.json`; the build fills in what differs per
deployment: the app and bot id (MicrosoftAppId, or `--app-id`), the version, and the developer URLs
and valid domain derived from one base URL. Localized strings live in `app_manifest/<lang>.json`
(Teams' localization file format); the default language file is also the source of the manifest's own
strings, so English is written once. The build reads nothing else of the bot's settings: no secret, no
pseudonym key (those are for the running bot).
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from bot.files import write_atomically
from bot.settings import read_environment
from nwow.paths import default_manifest_dir

logger = logging.getLogger(__name__)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEV_APP_ID",
    "AppPackage",
    "ManifestError",
    "ManifestOptions",
    "build_manifest",
    "build_manifest_package",
]

TEMPLATE_FILE: Final = "manifest.template.json"
# A fixed, recognisable placeholder ("NWOW" in hex) for development packages without an app id.
DEV_APP_ID: Final = "4e574f57-0000-4000-8000-000000000000"
DEFAULT_BASE_URL: Final = "https://nwow-assistant.example"
PACKAGE_NAME: Final = "nwow-assistant"

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
# Teams accepts MAJOR.MINOR.PATCH only (no pre-release or build suffix).
_VERSION = re.compile(r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)")
_KEY_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[[0-9]+\])*)")
# A fixed timestamp makes the zip byte-for-byte reproducible from the same inputs.
_ZIP_TIME: Final = (2024, 1, 1, 0, 0, 0)


class ManifestError(ValueError):
    """The package cannot be built; the message says what to fix."""


@dataclass(frozen=True)
class ManifestOptions:
    """What the package needs: read from MicrosoftAppId, NWOW_APP_BASE_URL and NWOW_APP_VERSION."""

    app_id: str = ""
    base_url: str = DEFAULT_BASE_URL
    version: str = ""

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        dotenv_path: Path | None = None,
        **overrides: str | None,
    ) -> ManifestOptions:
        """Options from `environ` (default os.environ) over an optional .env; None overrides are ignored."""
        env = read_environment(environ, dotenv_path)
        values = {
            "app_id": env.get("MicrosoftAppId", "").strip(),
            "base_url": env.get("NWOW_APP_BASE_URL", "").strip() or DEFAULT_BASE_URL,
            "version": env.get("NWOW_APP_VERSION", "").strip(),
        }
        values.update({k: v.strip() for k, v in overrides.items() if v is not None and v.strip()})
        return cls(**values)


@dataclass(frozen=True)
class AppPackage:
    """The files of the app package, ready to zip."""

    manifest: dict[str, Any]
    language_files: dict[str, dict[str, Any]]
    icons: dict[str, bytes] = field(repr=False)

    def files(self) -> dict[str, bytes]:
        """File name at the zip root -> content."""
        out = {"manifest.json": _json_bytes(self.manifest)}
        out.update(self.icons)
        out.update({name: _json_bytes(content) for name, content in self.language_files.items()})
        return out


def build_manifest(
    options: ManifestOptions | None = None,
    *,
    source_dir: Path | None = None,
) -> AppPackage:
    """Fill the template from the options and check the language files against it."""
    options = options if options is not None else ManifestOptions.from_env()
    source = source_dir if source_dir is not None else default_manifest_dir()
    manifest = _read_json(source / TEMPLATE_FILE)

    app_id = _app_id(options.app_id)
    base_url, domain = _base_url(options.base_url)
    version = _version(options.version)

    manifest["id"] = app_id
    manifest["version"] = version
    bots = manifest.get("bots")
    if not isinstance(bots, list) or len(bots) != 1 or not isinstance(bots[0], dict):
        raise ManifestError(f"{TEMPLATE_FILE} must declare exactly one bot")
    bots[0]["botId"] = app_id
    developer = manifest["developer"]
    developer["websiteUrl"] = f"{base_url}/"
    developer["privacyUrl"] = f"{base_url}/privacy"
    developer["termsOfUseUrl"] = f"{base_url}/terms"
    manifest["validDomains"] = [domain]

    language_files = _localize(manifest, source)
    icons = {}
    for name in sorted(set(manifest["icons"].values())):
        path = source / name
        if not path.is_file():
            raise ManifestError(f"icon {name} is missing from {source}; run scripts/draw_icons.py")
        icons[name] = path.read_bytes()
    return AppPackage(manifest=manifest, language_files=language_files, icons=icons)


def build_manifest_package(
    out: Path,
    *,
    options: ManifestOptions | None = None,
    source_dir: Path | None = None,
) -> Path:
    """Write the app package zip to `out` (replacing it atomically) and return its path."""
    package = build_manifest(options, source_dir=source_dir)
    out = out.expanduser().resolve()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in package.files().items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, content)
    write_atomically(out, zipped.getvalue())
    logger.info(
        "Teams app package written: %s (app id %s, version %s)",
        out,
        package.manifest["id"],
        package.manifest["version"],
    )
    return out


def _app_id(app_id: str) -> str:
    if not app_id:
        logger.warning(
            "No MicrosoftAppId: the package uses the placeholder app id %s. It can be uploaded to try the "
            "manifest, but Teams can only reach the bot with the id of your Azure Bot registration "
            "(set MicrosoftAppId or pass --app-id).",
            DEV_APP_ID,
        )
        return DEV_APP_ID
    if not _GUID.fullmatch(app_id):
        raise ManifestError(
            f"the app id {app_id!r} is not a GUID (like 01234567-89ab-cdef-0123-456789abcdef)"
        )
    return app_id.lower()


def _base_url(raw: str) -> tuple[str, str]:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise ManifestError(f"NWOW_APP_BASE_URL must be an https:// URL with a host name, got {raw!r}")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ManifestError(f"NWOW_APP_BASE_URL must not carry a query, fragment or credentials: {raw!r}")
    return url, parts.hostname


def _version(raw: str) -> str:
    version = raw.strip()
    if not version:
        try:
            version = metadata.version(PACKAGE_NAME)
        except metadata.PackageNotFoundError as exc:
            raise ManifestError(
                f"the {PACKAGE_NAME} package is not installed, so its version is unknown: "
                "set NWOW_APP_VERSION"
            ) from exc
    if not _VERSION.fullmatch(version):
        raise ManifestError(f"the app version must be MAJOR.MINOR.PATCH with numbers only, got {version!r}")
    return version


def _localize(manifest: dict[str, Any], source: Path) -> dict[str, dict[str, Any]]:
    """Load the language files, check them against the manifest, copy the default strings into it."""
    info = manifest.get("localizationInfo")
    if not isinstance(info, dict) or "defaultLanguageFile" not in info:
        raise ManifestError(f"{TEMPLATE_FILE} needs localizationInfo with a defaultLanguageFile")
    names = [info["defaultLanguageFile"]] + [entry["file"] for entry in info.get("additionalLanguages", [])]
    files = {name: _read_json(source / name) for name in names}
    default_keys = _string_keys(files[names[0]])
    for name, content in files.items():
        keys = _string_keys(content)
        if keys != default_keys:
            missing = sorted(default_keys - keys)
            extra = sorted(keys - default_keys)
            raise ManifestError(
                f"{name} does not have the keys of {names[0]}: missing {missing}, extra {extra}"
            )
    for key in sorted(default_keys):
        container, last = _locate(manifest, key)
        if not isinstance(container[last], str):
            raise ManifestError(f"language key {key!r} does not name a text in the manifest")
        container[last] = files[names[0]][key]
    return files


def _string_keys(content: dict[str, Any]) -> set[str]:
    return {key for key in content if not key.startswith("$")}


def _locate(manifest: dict[str, Any], key: str) -> tuple[Any, Any]:
    """The container and index a localization key like `bots[0].commandLists[1].commands[2].title` names."""
    steps: list[str | int] = []
    for part in key.split("."):
        match = _KEY_PART.fullmatch(part)
        if not match:
            raise ManifestError(f"language key {key!r} is not a manifest path")
        steps.append(match.group(1))
        steps.extend(int(i) for i in re.findall(r"\[([0-9]+)\]", match.group(2)))
    node: Any = manifest
    for step in steps[:-1]:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise ManifestError(f"language key {key!r} names nothing in the manifest") from None
    last = steps[-1]
    if (isinstance(last, int) and (not isinstance(node, list) or last >= len(node))) or (
        isinstance(last, str) and (not isinstance(node, dict) or last not in node)
    ):
        raise ManifestError(f"language key {key!r} names nothing in the manifest")
    return node, last


def _read_json(path: Path) -> dict[str, Any]:
    try:
        content = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{path} is missing") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(content, dict):
        raise ManifestError(f"{path} must hold a JSON object")
    return content


def _json_bytes(content: dict[str, Any]) -> bytes:
    return (json.dumps(content, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
