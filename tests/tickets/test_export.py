"""`nwow faq suggestions`: the proposals listed, exported as YAML that passes `nwow faq check` (variants
added to their entries' questions, drafts as `status: draft` entries), and gone from the list once exported
or rejected; nothing is marked exported when the copy does not pass."""

from __future__ import annotations

import asyncio
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from nwow.faq.checks import run_check
from nwow.faq.loader import load_knowledge_base
from nwow.paths import default_faq_dir
from nwow.storage import open_database
from nwow.tickets.proposals import NewProposal, ProposalKind, ProposalStatus

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def _variant(entry: str, lang: str, text: str) -> NewProposal:
    return NewProposal(
        ProposalKind.VARIANT, entry, lang, text, " ".join(text.lower().split()), topic="yammer"
    )


def _draft(lang: str, text: str, ticket: int) -> NewProposal:
    answer = "Vraag het aan je **ICT-correspondent**.\nZie ook {link:servicedesk}."
    return NewProposal(
        ProposalKind.DRAFT,
        "",
        lang,
        text,
        text.lower(),
        topic="support",
        answer=answer,
        links=("servicedesk",),
        ticket=ticket,
    )


@pytest.fixture
def faq(tmp_path: Path) -> Path:
    folder = tmp_path / "faq"
    shutil.copytree(default_faq_dir(), folder)
    return folder


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'nwow.sqlite3'}"

    async def fill() -> None:
        db = await open_database(url)
        try:
            await db.proposals.propose(
                _variant("yammer-what", "nl", "waar dient dat yammer eigenlijk voor"), "s1", "u1", NOW
            )
            await db.proposals.propose(
                _variant("yammer-what", "nl", "waar dient dat yammer eigenlijk voor"), "s2", "u2", NOW
            )
            await db.proposals.propose(
                _variant("yammer-what", "fr", "yammer ça sert à quoi au juste"), "s3", "u3", NOW
            )
            await db.proposals.propose(
                _variant("yammer-what", "en", "what is yammer good for"), "s4", "u4", NOW
            )
            await db.proposals.propose(_draft("nl", "Wie is mijn ICT-correspondent?", 12), "t12", "u5", NOW)
            await db.proposals.propose(_draft("de", "Wer ist mein ICT-Korrespondent?", 13), "t13", "u6", NOW)
        finally:
            await db.close()

    asyncio.run(fill())
    return url


def _pending(url: str) -> list[tuple[int, str, str]]:
    async def read() -> list[tuple[int, str, str]]:
        db = await open_database(url)
        try:
            return [(p.id, p.kind.value, p.text) for p in await db.proposals.pending()]
        finally:
            await db.close()

    return asyncio.run(read())


def test_the_list_shows_the_most_supported_first(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["faq", "suggestions", "--database", database]) == 0
    out = capsys.readouterr().out
    assert out.startswith("5 proposal(s), most supported first:\n")
    first = out.splitlines()[1]
    assert "variant of yammer-what" in first and "2 user(s)" in first and "waar dient dat yammer" in first
    assert "answer: Vraag het aan je **ICT-correspondent**. Zie ook {link:servicedesk}." in out


def test_the_export_passes_the_check_and_the_exported_leave_the_list(
    faq: Path, database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (faq / "entries" / "yammer.yml").read_text(encoding="utf-8")
    out = tmp_path / "review"
    assert (
        main(["faq", "suggestions", "export", "--out", str(out), "--faq", str(faq), "--database", database])
        == 0
    )
    printed = capsys.readouterr().out

    report = run_check(out)
    assert not report.failed, [str(p) for p in report.problems if p.severity == "error"]
    kb = load_knowledge_base(out).kb
    assert kb is not None
    entry = kb.entry("yammer-what")
    assert entry is not None
    assert entry.content["nl"].questions[-1] == "waar dient dat yammer eigenlijk voor"
    assert entry.content["fr"].questions[-1] == "yammer ça sert à quoi au juste"
    # Only two lines were added to the file: its comments and layout are as they were.
    after = (out / "entries" / "yammer.yml").read_text(encoding="utf-8").splitlines()
    assert [line for line in after if line not in before.splitlines()] == [
        '        - "waar dient dat yammer eigenlijk voor"',
        '        - "yammer ça sert à quoi au juste"',
        '        - "what is yammer good for"',
    ]
    assert entry.content["en"].questions[-1] == "what is yammer good for"
    [draft] = [e for e in kb.entries.values() if e.id.startswith("draft-12-")]
    assert draft.id == "draft-12-wie-is-mijn-ict-correspondent"
    assert draft.provenance.status == "draft" and draft.topic == "support"
    assert draft.owner == "NWOW ambassadors (draft from question #12)"
    assert [link.key for link in draft.links] == ["servicedesk"]
    drafts_file = next((out / "entries").glob("drafts-*.yml"))
    written = drafts_file.read_text(encoding="utf-8")
    assert "\n  - id: draft-12-wie-is-mijn-ict-correspondent\n    topic: support\n" in written
    answer = "      answer: |\n        Vraag het aan je **ICT-correspondent**.\n        Zie ook {link:servicedesk}.\n"
    assert answer in written
    assert "\n#   - id: draft-13-wer-ist-mein-ict-korrespondent\n" in written
    # The German draft stays on the list: it needs its Dutch or French version first.
    assert [text for _, _, text in _pending(database)] == ["Wer ist mein ICT-Korrespondent?"]
    assert "left pending" in printed and "diff -ru" in printed
    assert (faq / "entries" / "yammer.yml").read_text(encoding="utf-8") == before  # the folder is untouched


def test_a_variant_added_to_a_list_written_on_one_line(faq: Path, database: str, tmp_path: Path) -> None:
    path = faq / "entries" / "yammer.yml"
    text = path.read_text(encoding="utf-8")
    one_line = "      questions: [Wat is Yammer?, Waarvoor dient Yammer?, Gebruikt iemand nog Yammer?, Yammer uitleg, Hoeveel collega's zitten op Yammer?]\n"
    start = text.index("      questions:\n        - Wat is Yammer?")
    end = text.index("      answer:", start)
    path.write_text(text[:start] + one_line + text[end:], encoding="utf-8")
    out = tmp_path / "review"
    assert (
        main(
            [
                "faq",
                "suggestions",
                "export",
                "--out",
                str(out),
                "--faq",
                str(faq),
                "--database",
                database,
                "--ids",
                "1",
            ]
        )
        == 0
    )
    kb = load_knowledge_base(out).kb
    assert (
        kb is not None
        and kb.entries["yammer-what"].content["nl"].questions[-1] == "waar dient dat yammer eigenlijk voor"
    )
    assert "waar dient dat yammer eigenlijk voor" not in {text for _, _, text in _pending(database)}
    assert len(_pending(database)) == 4


def test_an_export_that_would_not_pass_marks_nothing_exported(
    faq: Path, database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (faq / "entries" / "zz-broken.yml").write_text(
        "# yaml-language-server: $schema=../schemas/entries.schema.json\nentries: []\n", encoding="utf-8"
    )
    assert load_knowledge_base(faq).kb is None
    out = tmp_path / "review"
    assert (
        main(["faq", "suggestions", "export", "--out", str(out), "--faq", str(faq), "--database", database])
        == 1
    )
    assert "has errors; fix them first" in capsys.readouterr().err
    assert len(_pending(database)) == 5


def test_the_export_refuses_a_folder_that_is_not_empty(
    faq: Path, database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "review"
    out.mkdir()
    (out / "mine.txt").write_text("keep me")
    assert (
        main(["faq", "suggestions", "export", "--out", str(out), "--faq", str(faq), "--database", database])
        == 1
    )
    assert "is not empty" in capsys.readouterr().err
    assert (out / "mine.txt").read_text() == "keep me" and len(_pending(database)) == 5


def test_rejected_proposals_leave_the_list(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    ids = {text: number for number, _, text in _pending(database)}
    rejected = [ids["waar dient dat yammer eigenlijk voor"], ids["Wie is mijn ICT-correspondent?"]]
    assert main(["faq", "suggestions", "reject", *map(str, rejected), "--database", database]) == 0
    assert capsys.readouterr().out == "2 proposal(s) rejected.\n"
    assert {p for p, _, _ in _pending(database)} == set(ids.values()) - set(rejected)
    assert ProposalStatus.REJECTED.value == "rejected"
