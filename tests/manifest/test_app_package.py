"""`nwow manifest build` writes a Teams app package that Microsoft's published schemas accept."""

from __future__ import annotations

import io
import json
import logging
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from bot.cli import main
from bot.conversation.commands import Command, lookup_command
from bot.manifest import DEV_APP_ID, ManifestError, ManifestOptions, build_manifest
from nwow.paths import default_manifest_dir
from tests.harness.requirements import unavailable
from tests.manifest.schemas import (
    NODE_PREFIX,
    newest_manifest_version,
    teams_schema_dir,
    validation_errors,
)

APP_ID = "0A1B2C3D-4E5F-4a6b-8c7d-9e0f1a2b3c4d"
LANGUAGE_FILES = ("en.json", "nl.json", "fr.json", "de.json")
ENV_NAMES = (
    "MicrosoftAppId",
    "MicrosoftAppPassword",
    "MicrosoftAppType",
    "MicrosoftAppTenantId",
    "NWOW_PSEUDONYM_KEY",
    "NWOW_APP_BASE_URL",
    "NWOW_APP_VERSION",
)


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def build(tmp_path: Path, *args: str) -> zipfile.ZipFile:
    out = tmp_path / "package" / "nwow.zip"
    assert main(["manifest", "build", "--out", str(out), *args]) == 0
    return zipfile.ZipFile(out)


def read_json(archive: zipfile.ZipFile, name: str) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(archive.read(name).decode("utf-8"))
    return content


@pytest.fixture
def package(tmp_path: Path) -> zipfile.ZipFile:
    return build(
        tmp_path,
        "--app-id",
        APP_ID,
        "--base-url",
        "https://nwow.police.example/",
        "--app-version",
        "1.4.2",
    )


def localizable_paths(manifest: dict[str, Any]) -> set[str]:
    paths = {"name.short", "name.full", "description.short", "description.full"}
    for i, command_list in enumerate(manifest["bots"][0]["commandLists"]):
        for j, _ in enumerate(command_list["commands"]):
            paths |= {
                f"bots[0].commandLists[{i}].commands[{j}].title",
                f"bots[0].commandLists[{i}].commands[{j}].description",
            }
    return paths


def test_the_package_holds_the_manifest_icons_and_language_files_at_its_root(
    package: zipfile.ZipFile,
) -> None:
    assert sorted(package.namelist()) == sorted(
        ["manifest.json", "color.png", "outline.png", *LANGUAGE_FILES]
    )


def test_ids_urls_and_version_come_from_the_settings_and_options(package: zipfile.ZipFile) -> None:
    manifest = read_json(package, "manifest.json")

    assert manifest["id"] == APP_ID.lower()
    assert manifest["bots"][0]["botId"] == APP_ID.lower()
    assert manifest["version"] == "1.4.2"
    assert manifest["developer"]["websiteUrl"] == "https://nwow.police.example/"
    assert manifest["developer"]["privacyUrl"] == "https://nwow.police.example/privacy"
    assert manifest["developer"]["termsOfUseUrl"] == "https://nwow.police.example/terms"
    assert manifest["validDomains"] == ["nwow.police.example"]


def test_the_manifest_is_on_the_newest_published_schema_and_valid(package: zipfile.ZipFile) -> None:
    manifest = read_json(package, "manifest.json")
    version = manifest["manifestVersion"]
    schema_dir = teams_schema_dir(version)

    assert version == newest_manifest_version()
    assert manifest["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{version}/MicrosoftTeams.schema.json"
    )
    assert validation_errors(manifest, schema_dir / "MicrosoftTeams.schema.json") == []


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_each_language_file_is_valid_under_the_localization_schema(
    package: zipfile.ZipFile, name: str
) -> None:
    manifest = read_json(package, "manifest.json")
    content = read_json(package, name)
    schema_dir = teams_schema_dir(manifest["manifestVersion"])

    assert content["$schema"] == (
        f"https://developer.microsoft.com/json-schemas/teams/v{manifest['manifestVersion']}/"
        "MicrosoftTeams.Localization.schema.json"
    )
    assert validation_errors(content, schema_dir / "MicrosoftTeams.Localization.schema.json") == []


def test_the_schema_check_catches_broken_manifests(package: zipfile.ZipFile) -> None:
    manifest = read_json(package, "manifest.json")
    schema = teams_schema_dir(manifest["manifestVersion"]) / "MicrosoftTeams.schema.json"
    manifest["id"] = "not-a-guid"
    manifest["manifestVersion"] = "1.19"  # `const` in a schema that declares draft-04
    manifest["bots"][0]["scopes"].append("meeting")
    manifest["name"]["short"] = "N" * 31

    errors = validation_errors(manifest, schema)

    assert [e.split(":")[0] for e in errors] == ["/bots/0/scopes/3", "/id", "/manifestVersion", "/name/short"]


def test_maxlength_beside_a_ref_counts_in_language_files(package: zipfile.ZipFile) -> None:
    # The localization schema writes {"maxLength": 30, "$ref": ...}; Draft 7 alone would ignore maxLength.
    manifest = read_json(package, "manifest.json")
    schema = teams_schema_dir(manifest["manifestVersion"]) / "MicrosoftTeams.Localization.schema.json"
    content = read_json(package, "nl.json")
    content["name.short"] = "N" * 31
    content["bots[0].commandLists[9].commands[0].title"] = "no such list"

    errors = validation_errors(content, schema)

    assert errors == [
        "/: Additional properties are not allowed ('bots[0].commandLists[9].commands[0].title')",
        f"/name.short: '{'N' * 31}' is too long",
    ]


def test_unicode_property_patterns_are_understood(tmp_path: Path) -> None:
    teams_schema_dir("1.0")  # same skip as the others when the schemas are not installed
    schema = tmp_path / "schema.json"
    # The pattern the v1.2x+ manifest schemas use for Excel custom function names.
    schema.write_text(json.dumps({"type": "string", "pattern": "^[\\p{L}][\\p{L}0-9._]*$"}))

    assert validation_errors("Zusammenfassung_2", schema) == []
    assert validation_errors("résumé.été", schema) == []
    assert validation_errors("2résumé", schema) == [
        "/: '2résumé' does not match '^[\\\\p{L}][\\\\p{L}0-9._]*$'"
    ]


def test_microsofts_own_validator_accepts_the_package(package: zipfile.ZipFile, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        unavailable("node (for the ajv cross-check)", "apt-get install nodejs")
    manifest = read_json(package, "manifest.json")
    schema_dir = teams_schema_dir(manifest["manifestVersion"])
    unpacked = tmp_path / "unpacked"
    package.extractall(unpacked)
    script = str(NODE_PREFIX / "validate.cjs")

    checks = [
        [node, script, str(schema_dir / "MicrosoftTeams.schema.json"), str(unpacked / "manifest.json")],
        [node, script, str(schema_dir / "MicrosoftTeams.Localization.schema.json")]
        + [str(unpacked / name) for name in LANGUAGE_FILES],
    ]
    for command in checks:
        result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr


def test_localization_info_names_the_four_languages_with_english_as_default(package: zipfile.ZipFile) -> None:
    info = read_json(package, "manifest.json")["localizationInfo"]

    assert info["defaultLanguageTag"] == "en"
    assert info["defaultLanguageFile"] == "en.json"
    assert info["additionalLanguages"] == [
        {"languageTag": "nl", "file": "nl.json"},
        {"languageTag": "fr", "file": "fr.json"},
        {"languageTag": "de", "file": "de.json"},
    ]


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_each_language_file_translates_every_manifest_text(package: zipfile.ZipFile, name: str) -> None:
    manifest = read_json(package, "manifest.json")
    content = read_json(package, name)

    assert set(content) - {"$schema"} == localizable_paths(manifest)
    assert all(isinstance(v, str) and v.strip() for v in content.values())


def test_the_manifest_texts_are_the_default_language_file(package: zipfile.ZipFile) -> None:
    manifest = read_json(package, "manifest.json")
    english = read_json(package, "en.json")

    assert manifest["name"] == {"short": english["name.short"], "full": english["name.full"]}
    assert manifest["description"] == {
        "short": english["description.short"],
        "full": english["description.full"],
    }
    for i, command_list in enumerate(manifest["bots"][0]["commandLists"]):
        for j, command in enumerate(command_list["commands"]):
            assert command["title"] == english[f"bots[0].commandLists[{i}].commands[{j}].title"]


def test_the_bot_is_offered_in_personal_team_and_group_chat_scopes(package: zipfile.ZipFile) -> None:
    bot = read_json(package, "manifest.json")["bots"][0]

    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]
    assert [sorted(c["scopes"]) for c in bot["commandLists"]] == [["personal"], ["groupChat", "team"]]


@pytest.mark.parametrize("name", LANGUAGE_FILES)
def test_every_menu_title_is_a_command_the_bot_understands(package: zipfile.ZipFile, name: str) -> None:
    # Teams sends the chosen menu title as the message text: it must hit the command table.
    manifest = read_json(package, "manifest.json")
    content = read_json(package, name)
    expected = [
        [
            Command.HELP,
            Command.FEEDBACK,
            Command.OFFICES,
            Command.MY_DATA,
            Command.SUMMARY,
            Command.UNANSWERED,
            Command.PULSES,
        ],
        [Command.HELP, Command.FEEDBACK, Command.OFFICES],
    ]

    found = [
        [
            (lookup_command(content[f"bots[0].commandLists[{i}].commands[{j}].title"]) or (None, None))[0]
            for j, _ in enumerate(command_list["commands"])
        ]
        for i, command_list in enumerate(manifest["bots"][0]["commandLists"])
    ]

    assert found == expected


def test_icons_have_the_sizes_teams_requires(package: zipfile.ZipFile) -> None:
    color = Image.open(io.BytesIO(package.read("color.png")))
    outline = Image.open(io.BytesIO(package.read("outline.png")))

    assert (color.format, color.size) == ("PNG", (192, 192))
    assert (outline.format, outline.size) == ("PNG", (32, 32))


def test_the_colour_icon_is_full_bleed(package: zipfile.ZipFile) -> None:
    color = Image.open(io.BytesIO(package.read("color.png"))).convert("RGBA")

    assert color.getchannel("A").getextrema() == (255, 255)


def test_the_outline_icon_is_white_on_transparent(package: zipfile.ZipFile) -> None:
    outline = Image.open(io.BytesIO(package.read("outline.png")))
    assert outline.mode == "RGBA"
    alpha = outline.getchannel("A")
    histogram = alpha.histogram()
    opaque = [outline.getpixel((x, y)) for y in range(32) for x in range(32) if alpha.getpixel((x, y)) == 255]

    assert sum(histogram[1:255]) == 0, "alpha must be 0 or 255 only"
    assert 0 < histogram[255] < 32 * 32 // 2, "a symbol, not a filled square"
    assert {pixel[:3] for pixel in opaque if isinstance(pixel, tuple)} == {(255, 255, 255)}
    assert len(opaque) == histogram[255]
    corners = [alpha.getpixel(p) for p in ((0, 0), (31, 0), (0, 31), (31, 31))]
    assert corners == [0, 0, 0, 0]


def test_a_build_without_an_app_id_uses_the_placeholder_and_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.manifest"):
        archive = build(tmp_path)

    manifest = read_json(archive, "manifest.json")
    assert manifest["id"] == manifest["bots"][0]["botId"] == DEV_APP_ID
    assert manifest["developer"]["privacyUrl"] == "https://nwow-assistant.example/privacy"
    assert any("placeholder app id" in r.getMessage() for r in caplog.records)


def test_environment_settings_fill_in_the_app_id_base_url_and_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MicrosoftAppId", APP_ID)
    monkeypatch.setenv("MicrosoftAppPassword", "secret-for-the-test")
    monkeypatch.setenv("NWOW_PSEUDONYM_KEY", "k" * 32)
    monkeypatch.setenv("NWOW_APP_BASE_URL", "https://teams.nwow.example/assistant")
    monkeypatch.setenv("NWOW_APP_VERSION", "2.0.1")

    manifest = read_json(build(tmp_path), "manifest.json")

    assert manifest["id"] == APP_ID.lower()
    assert manifest["version"] == "2.0.1"
    assert manifest["developer"]["termsOfUseUrl"] == "https://teams.nwow.example/assistant/terms"
    assert manifest["validDomains"] == ["teams.nwow.example"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--app-id", "1234"], "is not a GUID"),
        (["--base-url", "http://nwow.example"], "must be an https:// URL"),
        (["--base-url", "https://nwow.example/?x=1"], "must not carry a query"),
        (["--app-version", "1.2"], "MAJOR.MINOR.PATCH"),
        (["--app-version", "1.2.3-beta"], "MAJOR.MINOR.PATCH"),
    ],
)
def test_bad_options_fail_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "bad.zip"

    code = main(["manifest", "build", "--out", str(out), *args])

    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_the_package_builds_with_only_the_app_id_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The bot's secret and pseudonym key are for the running bot: whoever builds the package has neither."""
    monkeypatch.setenv("MicrosoftAppId", APP_ID)

    with caplog.at_level(logging.WARNING):
        archive = build(tmp_path)

    manifest = read_json(archive, "manifest.json")
    assert manifest["id"] == manifest["bots"][0]["botId"] == APP_ID.lower()
    assert caplog.records == []  # no placeholder-id warning either


def test_the_build_is_reproducible(tmp_path: Path) -> None:
    first = tmp_path / "a.zip"
    second = tmp_path / "b.zip"
    assert main(["manifest", "build", "--out", str(first), "--app-id", APP_ID]) == 0
    assert main(["manifest", "build", "--out", str(second), "--app-id", APP_ID]) == 0

    assert first.read_bytes() == second.read_bytes()


def test_a_language_file_missing_a_text_stops_the_build(tmp_path: Path) -> None:
    source = tmp_path / "app_manifest"
    shutil.copytree(default_manifest_dir(), source)
    dutch = json.loads((source / "nl.json").read_text(encoding="utf-8"))
    del dutch["bots[0].commandLists[0].commands[3].title"]
    (source / "nl.json").write_text(json.dumps(dutch), encoding="utf-8")

    with pytest.raises(ManifestError, match=r"nl.json does not have the keys of en.json: missing \['bots"):
        build_manifest(ManifestOptions(app_id=APP_ID), source_dir=source)


def test_a_language_key_naming_nothing_stops_the_build(tmp_path: Path) -> None:
    source = tmp_path / "app_manifest"
    shutil.copytree(default_manifest_dir(), source)
    for name in LANGUAGE_FILES:
        content = json.loads((source / name).read_text(encoding="utf-8"))
        content["bots[0].commandLists[0].commands[7].title"] = "x"
        (source / name).write_text(json.dumps(content), encoding="utf-8")

    with pytest.raises(
        ManifestError, match=r"'bots\[0\]\.commandLists\[0\]\.commands\[7\]\.title' names nothing"
    ):
        build_manifest(ManifestOptions(app_id=APP_ID), source_dir=source)
