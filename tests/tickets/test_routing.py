"""faq/routing.yml: which channel of the ambassadors' team gets a question; its schema and rules, with
problems as file:line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nwow.faq.checks import run_check
from nwow.paths import default_faq_dir
from nwow.tickets.routing import GENERAL, ROUTING_FILE, Channel, Routing, read_routing

FR = "19:0123456789abcdef@thread.tacv2"
SEC = "19:fedcba9876543210@thread.tacv2"
GOOD = f"""
channels:
  general: {{name: Algemeen}}
  francophones: {{id: "{FR}", name: En français}}
  security: {{id: "{SEC}"}}
routes:
  - {{topics: [mfa], languages: [nl], channel: security}}
  - {{languages: [fr], channel: francophones}}
  - {{topics: [mfa], channel: general}}
default: security
"""
TOPICS = frozenset({"mfa", "teams"})


def _load(tmp_path: Path, text: str) -> tuple[Routing | None, list[str]]:
    path = tmp_path / ROUTING_FILE
    path.write_text(text, encoding="utf-8")
    loaded = read_routing(path, TOPICS)
    return loaded.value, [f"{p.line}: {p.message}" for p in loaded.problems]


def test_the_first_route_that_fits_wins_and_the_default_takes_the_rest(tmp_path: Path) -> None:
    routing, problems = _load(tmp_path, GOOD)
    assert routing is not None and problems == []
    assert routing.route("mfa", "nl").key == "security"
    assert routing.route("mfa", "fr").key == "francophones"
    assert routing.route("mfa", "de").key == GENERAL
    assert routing.route("teams", "en").key == "security"
    assert routing.route("", "nl").key == "security"
    assert routing.channel_id(routing.channels[GENERAL], "19:team@thread.tacv2") == "19:team@thread.tacv2"
    assert routing.channel_id(routing.channels["francophones"], "19:team@thread.tacv2") == FR


def test_without_a_file_everything_goes_to_the_general_channel(tmp_path: Path) -> None:
    loaded = read_routing(tmp_path / ROUTING_FILE)
    assert loaded.problems == [] and loaded.value == Routing.general_only()
    assert loaded.value.route("mfa", "fr") == Channel(GENERAL, None, "General")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "channels: {general: {}}\nroutes:\n  - {channel: general}\n",
            "3: route 1 a route names `topics`, `languages` or both",
        ),
        (
            "channels: {general: {}}\nroutes:\n  - {languages: [nl], channel: genral}\n",
            "3: channel 'genral' is not under `channels:`; did you mean 'general'?",
        ),
        (
            "channels: {general: {}}\nroutes:\n  - {topics: [mfaa], channel: general}\n",
            "3: topic 'mfaa' is not a topic of the FAQ; did you mean 'mfa'?",
        ),
        (
            "channels: {general: {}}\nroutes:\n  - {languages: [es], channel: general}\n",
            "3: item 1 in `languages` of route 1 is 'es': it must be a language code",
        ),
        (
            "channels:\n  fr: {id: 'https://teams.microsoft.com/l/channel/x'}\n",
            "2: `id` of channel 'fr' is 'https://teams.microsoft.com/l/channel/x': it must look like 19:...@thread.tacv2",
        ),
        (
            "channels:\n  fr: {name: Français}\ndefault: fr\n",
            "2: channel 'fr' needs `id:` (only 'general' may leave it out)",
        ),
        ("channels:\n  general: {}\ndefault: elsewhere\n", "3: channel 'elsewhere' is not under `channels:`"),
        (
            "channels:\n  general: {nmae: x}\n",
            "2: unknown field `nmae` in channel 'general'; did you mean `name`?",
        ),
        ("chanels: {}\n", "1: unknown field `chanels` at the top of the file; did you mean `channels`?"),
        ("channels: [general]\n", "1: `channels` must be a mapping (key: value lines), not a list"),
        ("channels: {general: {}\n", "2: YAML syntax error"),
        (
            "channels:\n  Français: {id: '19:abc@thread.tacv2'}\n",
            "2: key 'Français' in `channels` must be lower-case letters",
        ),
        (
            "channels:\n  fr: {id: '19:abc@thread.tacv2'}\n",
            "1: say which channel gets the other questions: add `default:` (e.g. default: fr)",
        ),
    ],
)
def test_each_problem_names_its_line_and_what_to_change(tmp_path: Path, text: str, expected: str) -> None:
    routing, problems = _load(tmp_path, text)
    assert routing is None
    assert any(p.startswith(expected) for p in problems), problems
    assert len(problems) == 1, problems  # one mistake, one message


def test_faq_check_reports_routing_problems_with_the_file_and_line(tmp_path: Path) -> None:
    folder = tmp_path / "faq"
    shutil.copytree(default_faq_dir(), folder)
    assert [p for p in run_check(folder).problems if p.severity == "error"] == []
    modeline = "# yaml-language-server: $schema=schemas/routing.schema.json\n"
    (folder / ROUTING_FILE).write_text(
        modeline + "channels: {general: {}}\nroutes:\n  - {topics: [nope], channel: general}\n"
    )
    report = run_check(folder)
    errors = [p for p in report.problems if p.severity == "error"]
    assert [(p.file.name, p.line) for p in errors] == [(ROUTING_FILE, 4)] and report.failed
