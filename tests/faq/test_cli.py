from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from nwow.paths import default_faq_dir
from tests.faq.conftest import GOOD


def test_check_good_folder_exits_zero_with_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["faq", "check", str(GOOD)])

    out = capsys.readouterr().out
    assert code == 0
    assert (
        f"{GOOD / 'entries' / 'tools.yml'}:2: warning: entry 'teams-mobile-install' has no de, en version"
        in out
    )
    assert "OK:" in out
    assert "6 entries" in out
    assert "0 error(s)" in out


def test_check_broken_folder_exits_one_and_names_file_and_line(
    faq_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = faq_copy / "entries" / "tools.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("    owner: NWOW", "    onwer: NWOW", 1), encoding="utf-8"
    )

    code = main(["faq", "check", str(faq_copy)])

    out = capsys.readouterr().out
    assert code == 1
    assert (
        f"{path}:4: error: unknown field `onwer` in entry 'teams-mobile-install'; did you mean `owner`?"
        in out
    )
    assert "FAILED:" in out


def test_check_reports_a_broken_offices_file_with_file_and_line(
    faq_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    offices = faq_copy / "offices.yml"
    text = (default_faq_dir() / "offices.yml").read_text(encoding="utf-8")  # the shipped example
    offices.write_text(text.replace("    desks: 40\n", "", 1), encoding="utf-8")
    line = text[: text.index("  - id: brussel-noord")].count("\n") + 1

    code = main(["faq", "check", str(faq_copy)])

    out = capsys.readouterr().out
    assert code == 1
    assert (
        f"{offices}:{line}: error: `desks` is missing in office 'brussel-noord': add the number of desks"
        in out
    )


def test_check_reports_a_broken_units_file_with_file_and_line(
    faq_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    units = faq_copy / "units.yml"
    text = (default_faq_dir() / "units.yml").read_text(encoding="utf-8")  # the shipped list
    units.write_text(text.replace("group: federal", "group: federl", 1), encoding="utf-8")
    line = text[: text.index("group: federal")].count("\n") + 1

    code = main(["faq", "check", str(faq_copy)])

    out = capsys.readouterr().out
    assert code == 1
    assert f"{units}:{line}: error: unit " in out
    assert "names group 'federl', which is not defined" in out


def test_ask_json_answered(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--faq", str(GOOD), "--json", "Comment demander le télétravail ?"])

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["status"] == "answered"
    assert data["id"] == "telework-request"
    assert data["topic"] == "telework"
    assert data["lang"] == "fr"
    assert data["score"] > 0.9
    assert "https://intranet.example/telework" in data["answer"]
    best = data["candidates"][0]
    assert (best["id"], best["score"]) == ("telework-request", data["score"])
    assert set(best["signals"]) == {"combined", "lexical", "char", "embedding", "embedding_computed"}
    assert data["explanation"]["read_as"] == "comment demander le teletravail"


def test_ask_json_unanswered_has_null_id(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["ask", "--faq", str(GOOD), "--lang", "en", "--json", "Who won the football match yesterday?"]
    )

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["status"] == "unanswered"
    assert data["id"] is None
    assert data["answer"] is None
    assert data["lang"] == "en"


def test_ask_text_output_shows_answer_and_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["ask", "--faq", str(GOOD), "--lang", "en", "How do I install Teams on my smartphone?"])

    out = capsys.readouterr().out
    assert code == 0
    assert "Answer: teams-mobile-install" in out
    assert "no en version; given in nl" in out
    assert "Best candidates" in out and "words " in out and "meaning " in out
    assert "Matched on: " in out and "~gsm" in out


def test_ask_text_output_names_words_the_faq_does_not_know(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--faq", str(GOOD), "teams op mijn gsm in de kantine"]) == 0

    assert "Not in the FAQ: kantine" in capsys.readouterr().out


def test_ask_on_a_broken_folder_exits_one(faq_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (faq_copy / "links.yml").write_text("links: [\n", encoding="utf-8")

    code = main(["ask", "--faq", str(faq_copy), "anything"])

    assert code == 1
    assert "nwow faq check" in capsys.readouterr().err


def test_eval_json_figures(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["faq", "eval", "--faq", str(GOOD), "--tests", str(GOOD / "tests.yml"), "--json"])

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["n"] == 9
    assert data["in_scope"] == 6
    assert data["out_of_scope"] == 3
    assert {"top1", "recall3", "oos_rejection", "per_language", "misses"} <= set(data)
    assert data["oos_rejection"] == 1.0


def test_eval_accepts_json_lines_and_threshold(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = tmp_path / "cases.jsonl"
    tests.write_text(
        json.dumps({"question": "Hoe installeer ik Teams op mijn gsm?", "expect": "teams-mobile-install"})
        + "\n\n"
        + json.dumps({"question": "Wat is het weer?", "expect": None, "lang": "nl"})
        + "\n",
        encoding="utf-8",
    )

    code = main(["faq", "eval", "--faq", str(GOOD), "--tests", str(tests), "--json", "--threshold", "0.99"])

    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (data["n"], data["top1"], data["oos_rejection"], data["threshold"]) == (2, 1.0, 1.0, 0.99)


def test_eval_text_output_lists_misses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = tmp_path / "cases.yml"
    tests.write_text("- {question: 'teams op gsm installeren', expect: mfa-what}\n", encoding="utf-8")

    code = main(["faq", "eval", "--faq", str(GOOD), "--tests", str(tests)])

    out = capsys.readouterr().out
    assert code == 0
    assert "Misses (1):" in out
    assert "expected mfa-what, got answered teams-mobile-install" in out


def test_eval_bad_test_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = tmp_path / "cases.yml"
    tests.write_text("- {expect: mfa-what}\n", encoding="utf-8")

    assert main(["faq", "eval", "--faq", str(GOOD), "--tests", str(tests)]) == 1
    assert f"{tests}:1:" in capsys.readouterr().err


def test_eval_fails_below_the_asked_minimums(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = tmp_path / "cases.yml"
    tests.write_text(
        "- {question: 'teams op gsm installeren', expect: mfa-what}\n- {question: 'wat is het weer', expect: null}\n",
        encoding="utf-8",
    )
    base = ["faq", "eval", "--faq", str(GOOD), "--tests", str(tests)]

    assert main([*base, "--min-oos-rejection", "0.9"]) == 0
    assert main([*base, "--min-top1", "0.9"]) == 1
    assert "FAILED: top-1 0.000 < 0.90" in capsys.readouterr().err
    assert main([*base, "--json", "--min-top1", "0.9"]) == 1
