from __future__ import annotations

from pathlib import Path

from nwow.faq.eval import EvalCase, evaluate, load_test_cases
from nwow.faq.knowledge_base import KnowledgeBase
from tests.faq.conftest import GOOD


def test_load_yaml_cases_with_lines_and_languages() -> None:
    cases = load_test_cases(GOOD / "tests.yml")

    assert len(cases) == 9
    assert cases[0] == EvalCase("thuiswerk aanvragen hoe doe ik dat", "telework-request", "nl", 1)
    assert cases[6].expect is None


def test_load_mapping_with_tests_key(tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    path.write_text("tests:\n  - question: a b c\n    expect: x\n    lang: fr-BE\n", encoding="utf-8")

    assert load_test_cases(path) == [EvalCase("a b c", "x", "fr", 2)]


def test_figures_count_ambiguous_as_not_rejected_and_not_top1(kb: KnowledgeBase) -> None:
    cases = [
        EvalCase("Hoe installeer ik Teams op mijn gsm?", "teams-mobile-install"),
        EvalCase("token mfa", "mfa-what"),  # ambiguous at these settings: not a top-1 hit, but in the top 3
        EvalCase("token mfa", None),  # ambiguous is not a rejection
        EvalCase("het weer in Brussel", None),
    ]

    report = evaluate(kb, cases, threshold=0.1, gap=5.0)

    figures = report.overall
    assert (figures.n, figures.in_scope, figures.out_of_scope) == (4, 2, 2)
    assert figures.top1 == 0.5
    assert figures.recall3 == 1.0
    assert figures.oos_rejection == 0.5
    assert [m.case.question for m in report.misses] == ["token mfa", "token mfa"]
    assert set(report.per_language) == {"nl"}


def test_unknown_expected_ids_are_reported(kb: KnowledgeBase) -> None:
    report = evaluate(kb, [EvalCase("teams gsm", "no-such-entry")], threshold=0.5, gap=0.05)

    assert [c.expect for c in report.unknown_expectations] == ["no-such-entry"]
    assert report.as_dict()["unknown_expectations"] == ["no-such-entry"]
