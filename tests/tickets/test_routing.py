"""faq/routing.yml: which channel of the ambassadors' team gets a question, and its problems as file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from nwow.faq.checks import run_check
from nwow.paths import default_faq_dir
from nwow.tickets.routing import GENERAL, ROUTING_FILE, Channel, Routing, load_routing

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
    routing, problems = load_routing(path, TOPICS)
    return routing, [f"{p.line}: {p.message}" for p in problems]


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
    routing, problems = load_routing(tmp_path / ROUTING_FILE)
    assert problems == [] and routing == Routing.general_only()
    assert routing.route("mfa", "fr") == Channel(GENERAL, None, "General")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "channels: {general: {}}\nroutes:\n  - {channel: general}\n",
            "3: a route needs 'topics:' or 'languages:'",
        ),
        (
            "channels: {general: {}}\nroutes:\n  - {languages: [nl], channel: genral}\n",
            "3: channel 'genral' is not under 'channels:'; did you mean 'general'?",
        ),
        (
            "channels: {general: {}}\nroutes:\n  - {topics: [mfaa], channel: general}\n",
            "3: topic 'mfaa' is not a topic of the FAQ; did you mean 'mfa'?",
        ),
        (
            "channels: {general: {}}\nroutes:\n  - {languages: [es], channel: general}\n",
            "3: 'es' is not a language",
        ),
        (
            "channels:\n  fr: {id: 'https://teams.microsoft.com/l/channel/x'}\n",
            "2: the id of channel 'fr' must look like 19:...@thread.tacv2",
        ),
        ("channels:\n  fr: {name: Français}\ndefault: fr\n", "2: channel 'fr' needs 'id:'"),
        (
            "channels:\n  general: {}\ndefault: elsewhere\n",
            "3: the default channel 'elsewhere' is not under 'channels:'",
        ),
        (
            "channels:\n  general: {nmae: x}\n",
            "2: unknown field 'nmae' in channel 'general'; did you mean 'name'?",
        ),
        ("chanels: {}\n", "1: unknown field 'chanels' in the routing file; did you mean 'channels'?"),
        ("channels: [general]\n", "1: 'channels' must list the channels"),
        ("channels: {general: {}\n", "not valid YAML"),
    ],
)
def test_each_problem_names_its_line_and_what_to_change(tmp_path: Path, text: str, expected: str) -> None:
    routing, problems = _load(tmp_path, text)
    assert routing is None
    assert any(expected in p for p in problems), problems


def test_faq_check_reports_routing_problems_with_the_file(tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "faq"
    shutil.copytree(default_faq_dir(), folder)
    assert [p for p in run_check(folder)[0] if p.severity == "error"] == []
    (folder / ROUTING_FILE).write_text(
        "channels: {general: {}}\nroutes:\n  - {topics: [nope], channel: general}\n"
    )
    errors = [p for p in run_check(folder)[0] if p.severity == "error"]
    assert [(p.file.name, p.line) for p in errors] == [(ROUTING_FILE, 3)]
