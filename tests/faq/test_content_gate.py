"""Draft security entries and example offices, as the bot outside development mode loads them: errors at
their line that name the setting allowing them; in development mode (and by default) they load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.cli import main
from nwow.content_gate import ALLOW_SETTING, is_security_entry
from nwow.faq.loader import load_knowledge_base
from nwow.offices.loader import read_offices
from tests.offices.conftest import FIXTURE_OFFICES

VALIDATED = "    status: validated\n    validated_by: J. Peeters, ISPO\n    validated_on: 2026-12-01\n"


def entry(entry_id: str, topic: str, owner: str, status: str = "    status: draft\n") -> str:
    return (
        f"  - id: {entry_id}\n    topic: {topic}\n    owner: {owner}\n    reviewed: 2026-12-01\n"
        f"    source: none\n{status}"
        f"    nl: {{questions: ['Vraag over {entry_id}'], answer: Antwoord.}}\n"
        f"    fr: {{questions: ['Question sur {entry_id}'], answer: Réponse.}}\n"
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text(
        "entries:\n"
        + entry("mfa-setup", "mfa", "DRI servicedesk")  # line 2: security by topic
        + entry("teams-recording", "teams", "ISPO")  # line 10: security by owner
        + entry("mfa-what", "mfa", "ISPO", VALIDATED)  # validated: served
        + entry("teams-chat", "teams", "NWOW ambassadors"),  # not about security: served as a draft
        encoding="utf-8",
    )
    offices = tmp_path / "offices.yml"
    shutil.copy(FIXTURE_OFFICES, offices)
    text = offices.read_text(encoding="utf-8")
    offices.write_text(
        text.replace("  - id: aalst\n", "  - id: aalst\n    example: true\n", 1), encoding="utf-8"
    )
    return tmp_path


def test_a_security_entry_is_one_about_security_or_owned_by_ispo() -> None:
    assert is_security_entry("mfa", "DRI servicedesk")
    assert is_security_entry("besecure", "NWOW ambassadors")
    assert is_security_entry("security", "NWOW ambassadors")
    assert is_security_entry("teams", "ISPO")
    assert not is_security_entry("teams", "NWOW ambassadors DRI")


def test_refused_draft_security_entries_are_errors_at_their_status_line(folder: Path) -> None:
    result = load_knowledge_base(folder, refuse_unvalidated=True)

    assert result.kb is None
    file = folder / "entries" / "a.yml"
    assert [(p.file, p.line) for p in result.errors] == [(file, 7), (file, 15)]
    assert "entry 'mfa-setup' is a draft security entry (topic 'mfa')" in result.errors[0].message
    assert "entry 'teams-recording' is a draft security entry (owner 'ISPO')" in result.errors[1].message
    assert all(f"set {ALLOW_SETTING}=true" in p.message for p in result.errors)


def test_by_default_drafts_load_and_are_served(folder: Path) -> None:
    result = load_knowledge_base(folder)

    assert result.kb is not None
    assert len(result.kb) == 4


def test_a_refused_example_office_is_an_error_at_its_example_line(folder: Path) -> None:
    path = folder / "offices.yml"
    line = path.read_text(encoding="utf-8").splitlines().index("    example: true") + 1

    refused = read_offices(path, refuse_examples=True)
    served = read_offices(path)

    errors = [p for p in refused.problems if p.severity == "error"]
    assert refused.value is None
    assert [p.line for p in errors] == [line]
    assert "office 'aalst' is an example" in errors[0].message
    assert ALLOW_SETTING in errors[0].message
    assert served.value is not None and [o.id for o in served.value.offices if o.example] == ["aalst"]


def test_faq_check_counts_security_drafts_and_production_makes_them_errors(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["faq", "check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "Security entries (topics security, mfa, besecure, or owner ISPO): 3, drafts 2" in out
    assert f"unless {ALLOW_SETTING}=true" in out

    assert main(["faq", "check", "--production", str(folder)]) == 1
    out = capsys.readouterr().out
    errors = [line for line in out.splitlines() if ": error: " in line]
    assert len(errors) == 3  # two security drafts, one example office
    assert f"{folder / 'offices.yml'}:" in errors[-1]
