"""Where content comes from and whether it was validated: in the model, counted by `nwow faq check`, and
warned about when a draft reads as ISPO's or DRI's policy."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.cli import main
from nwow.faq.loader import load_knowledge_base
from nwow.offices.loader import load_offices
from nwow.paths import default_faq_dir
from nwow.provenance import Provenance, SourceDocument
from tests.offices.conftest import FIXTURE_OFFICES


def entry(entry_id: str, owner: str, provenance: str) -> str:
    return (
        f"  - id: {entry_id}\n    topic: t\n    owner: {owner}\n    reviewed: 2026-09-01\n{provenance}"
        f"    nl: {{questions: ['Vraag over {entry_id}'], answer: Antwoord.}}\n"
        f"    fr: {{questions: ['Question sur {entry_id}'], answer: Réponse.}}\n"
    )


VALIDATED = "    source: none\n    status: validated\n    validated_by: J. Peeters, ISPO\n    validated_on: 2026-09-02\n"
DRAFT = "    source: none\n    status: draft\n"
SOURCED = "    source: {document: Jaarverslag Federale Politie 2019, year: 2019}\n    status: draft\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "a.yml").write_text(
        "entries:\n"
        + entry("checked", "ISPO", VALIDATED)
        + entry("unchecked", "DRI servicedesk", DRAFT)
        + entry("figures", "Team Noord", SOURCED),
        encoding="utf-8",
    )
    offices = tmp_path / "offices.yml"
    shutil.copy(FIXTURE_OFFICES, offices)
    text = offices.read_text(encoding="utf-8")
    offices.write_text(
        text.replace("    status: draft\n", "    status: draft\n    example: true\n", 1), encoding="utf-8"
    )
    return tmp_path


def test_entries_carry_their_provenance(folder: Path) -> None:
    kb = load_knowledge_base(folder, today=date(2026, 10, 1)).kb
    assert kb is not None

    assert kb.entries["checked"].provenance == Provenance(
        "validated", (), "J. Peeters, ISPO", date(2026, 9, 2)
    )
    assert kb.entries["unchecked"].provenance == Provenance("draft")
    assert kb.entries["figures"].provenance.sources == (
        SourceDocument("Jaarverslag Federale Politie 2019", 2019),
    )


def test_offices_carry_their_provenance_and_the_example_mark(folder: Path) -> None:
    directory, _ = load_offices(folder / "offices.yml")
    assert directory is not None

    assert [office.example for office in directory.offices] == [True, False, False, False]
    assert {office.provenance for office in directory.offices} == {Provenance("draft")}


def test_faq_check_counts_by_status_and_source_and_warns_on_policy_drafts(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["faq", "check", str(folder)])

    out = capsys.readouterr().out
    assert code == 0
    assert "FAQ entries by status: draft 2, validated 1" in out
    assert "FAQ entries by source: no source document 2; Jaarverslag Federale Politie 2019 (2019) 1" in out
    assert "Offices by status: draft 4, validated 0 (1 of 4 marked example)" in out
    warned = [line for line in out.splitlines() if "is a draft owned by" in line]
    assert warned == [
        f"{folder / 'entries' / 'a.yml'}:17: warning: entry 'unchecked' is a draft owned by DRI "
        "('DRI servicedesk'): users may take it for DRI policy. Have it validated (status: validated, "
        "validated_by, validated_on), or reword it as general guidance"
    ]


def test_the_shipped_content_is_all_draft_and_the_offices_all_examples() -> None:
    kb = load_knowledge_base(default_faq_dir()).kb
    directory, _ = load_offices(default_faq_dir() / "offices.yml")
    assert kb is not None and directory is not None

    assert {e.provenance.status for e in kb.entries.values()} == {"draft"}
    assert all(o.example and o.provenance == Provenance("draft") for o in directory.offices)
    sourced = {e.id for e in kb.entries.values() if e.provenance.sources}
    assert {"mfa-what", "o365-what", "pow-what", "teams-what"} <= sourced
    assert not sourced & {"mfa-setup", "telework-request", "bot-data-stored"}, "procedures name no source"
