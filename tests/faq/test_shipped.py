"""The knowledge base shipped in faq/ validates and answers its own test file well enough."""

from __future__ import annotations

import pytest

from nwow.faq.eval import evaluate, load_test_cases
from nwow.faq.loader import load_knowledge_base
from nwow.paths import default_faq_dir

FAQ = default_faq_dir()


@pytest.mark.skipif(not (FAQ / "tests.yml").is_file(), reason="no shipped faq/tests.yml")
def test_shipped_faq_loads_and_meets_the_quality_bar() -> None:
    result = load_knowledge_base(FAQ)
    assert result.kb is not None, "\n".join(str(p) for p in result.errors)

    report = evaluate(result.kb, load_test_cases(FAQ / "tests.yml"))

    assert report.unknown_expectations == []
    assert report.overall.top1 >= 0.97
    assert report.overall.oos_rejection >= 0.97
