from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import load_knowledge_base

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
TODAY = date(2026, 10, 1)


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    result = load_knowledge_base(GOOD, today=TODAY)
    assert result.kb is not None, [str(p) for p in result.problems]
    return result.kb


@pytest.fixture
def faq_copy(tmp_path: Path) -> Path:
    """A writable copy of the good fixture folder."""
    target = tmp_path / "faq"
    shutil.copytree(GOOD, target)
    return target
