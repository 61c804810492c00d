"""The answer engine's reading of staff-typed questions, its bounded cost, its calibration and its cache."""

from __future__ import annotations

import ast
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

import nwow.faq
from nwow.faq.analysis import MAX_REPAIRED_WORDS
from nwow.faq.embedding import Encoder, Vectors, default_encoder
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.matcher import Index
from nwow.faq.model import FaqEntry, KbVersion, LocalizedContent
from nwow.faq.text import MAX_QUESTION_WORDS


def entry(entry_id: str, **questions: Sequence[str]) -> FaqEntry:
    content = {lang: LocalizedContent(tuple(qs), f"Answer of {entry_id}.") for lang, qs in questions.items()}
    return FaqEntry(entry_id, "misc", "x", date(2026, 1, 1), (), (), content)  # type: ignore[arg-type]


def knowledge(entries: Sequence[FaqEntry], index: Index) -> KnowledgeBase:
    return KnowledgeBase(
        {e.id: e for e in entries}, {}, index, KbVersion(len(entries), "x", datetime.now(UTC))
    )


@dataclass
class CountingEncoder:
    """The real sentence encoder, counting the texts it is asked to embed."""

    inner: Encoder = field(default_factory=default_encoder)
    texts: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.inner.name

    def encode(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return self.inner.encode(texts)

    def common_words(self) -> frozenset[str]:
        return frozenset(self.inner.common_words())


# --- reading questions the way staff type them ------------------------------------------------------


def test_chat_shorthand_is_spelled_out(kb: KnowledgeBase) -> None:
    assert kb.index.analyse("hoe zet ik teams op mn gsm", "nl").words[-2:] == ["mijn", "gsm"]
    assert kb.index.analyse("j'ai oublié mon mdp", "fr").words[-3:] == ["mot", "de", "passe"]
    assert kb.index.analyse("I don't know my pwd", "en").words == ["do", "not", "know", "my", "password"]


def test_dutch_separable_verb_is_put_back_together(kb: KnowledgeBase) -> None:
    analysis = kb.index.analyse("hoe vraag ik thuiswerk aan", "nl")

    assert "aanvraag" in analysis.words and "aan" not in analysis.words
    assert kb.match("hoe vraag ik thuiswerk aan").answer is not None
    assert kb.match("hoe vraag ik thuiswerk aan").answer.entry.id == "telework-request"  # type: ignore[union-attr]


def test_a_synonym_adds_its_concept_and_keeps_the_word(kb: KnowledgeBase) -> None:
    units = kb.index.analyse("telewerk", "nl").units

    assert len(units) == 1
    keys = [key for key, _ in units[0].keys]
    assert "~thuiswerk" in keys and any(not key.startswith("~") for key in keys)


def test_an_unknown_compound_is_read_as_its_known_words(kb: KnowledgeBase) -> None:
    assert kb.index.analyse("thuiswerkaanvraag", "nl").words == ["thuiswerk", "aanvraag"]
    assert kb.match("thuiswerkaanvraag").answer is not None


def test_an_everyday_word_is_not_corrected_into_a_word_of_the_faq(kb: KnowledgeBase) -> None:
    # "staat" is one edit from "start"; it is a word of its own, not a typo.
    assert "staat" in kb.index.analyse("wanneer staat de vergadering", "nl").words


def test_a_question_in_another_language_finds_the_entry_and_answers_in_the_askers_language() -> None:
    entries = [
        entry(
            "vpn", nl=["Hoe gebruik ik de VPN van thuis?"], fr=["Comment utiliser le VPN depuis la maison ?"]
        ),
        entry("printer", nl=["Hoe voeg ik een printer toe?"], fr=["Comment ajouter une imprimante ?"]),
    ]
    kb = knowledge(entries, Index(entries))

    result = kb.match("Wie benutze ich das VPN von zu Hause?", "de-DE", threshold=0.1)

    assert result.answer is not None and result.answer.entry.id == "vpn"
    assert result.lang == "de"
    assert result.answer.lang == "nl"  # no German text: the fallback order gives Dutch


# --- bounded cost ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "x" * 28_000,  # one 28,000-character word
        " ".join(f"woordx{i}qq" for i in range(5_000)),  # thousands of unknown words
        ("thuiswerkaanvraagformulier" * 40 + " ") * 20,  # long compound-looking words
    ],
    ids=["one-huge-word", "many-unknown-words", "compound-soup"],
)
def test_the_work_done_on_a_question_is_bounded_whatever_its_length(kb: KnowledgeBase, text: str) -> None:
    work = kb.index.analyse(text, "nl").work

    assert work.words <= MAX_QUESTION_WORDS
    assert work.repaired <= MAX_REPAIRED_WORDS
    assert work.split_steps <= MAX_REPAIRED_WORDS * 32 * 18  # words x positions x part lengths
    assert work.speller_calls <= 3 * MAX_REPAIRED_WORDS


def test_a_word_too_long_for_a_compound_or_a_typo_is_not_analysed_at_all(kb: KnowledgeBase) -> None:
    work = kb.index.analyse("a" + "b" * 27_999, "nl").work

    assert (work.split_steps, work.speller_calls) == (0, 0)


# --- calibration and decisions ------------------------------------------------------------------------


def test_the_threshold_and_gap_are_derived_from_the_knowledge_base() -> None:
    from nwow.faq.loader import load_knowledge_base
    from nwow.paths import default_faq_dir

    kb = load_knowledge_base(default_faq_dir()).kb
    assert kb is not None
    calibration = kb.index.calibration

    assert calibration.samples >= 100
    assert calibration.in_scope_kept == pytest.approx(0.9, abs=0.02)
    assert kb.index.threshold == 0.5 and 0.0 <= kb.index.gap <= 1.0
    assert calibration.confidence(calibration.centre) == pytest.approx(0.5)


def test_an_override_threshold_replaces_the_derived_one(kb: KnowledgeBase) -> None:
    question = "thuiswerk aanvragen"
    assert kb.match(question).status == "answered"
    assert kb.match(question, threshold=0.999).status == "unanswered"


def test_equal_candidates_are_offered_as_a_choice_not_picked_by_id() -> None:
    same = ["Waar vind ik het reglement over parkeren?"]
    entries = [entry("b-parking", nl=same), entry("a-parking", nl=same), entry("other", nl=["Wat is Teams?"])]
    kb = knowledge(entries, Index(entries))

    result = kb.match("waar vind ik het reglement over parkeren", threshold=0.1, gap=0.0)

    assert result.status == "ambiguous"
    assert {e.id for e in result.choices} == {"a-parking", "b-parking"}


def test_a_question_decided_by_its_words_is_not_embedded_and_gets_the_same_answer() -> None:
    from nwow.faq.loader import load_knowledge_base
    from nwow.paths import default_faq_dir

    kb = load_knowledge_base(default_faq_dir()).kb
    assert kb is not None
    index = kb.index
    clear = "hoe installeer ik teams op mijn gsm"
    vague = "probleem met iets op mijn computer denk ik"

    shortcut = kb.match(clear)
    assert shortcut.candidates[0].signals["embedding_computed"] == 0.0
    assert kb.match(vague).candidates[0].signals["embedding_computed"] == 1.0
    full = index.scores(index.analyse(clear, "nl"), clear).combined
    assert shortcut.answer is not None
    assert index.entries[int(full.argmax())].id == shortcut.answer.entry.id


def test_a_repeated_question_is_embedded_once() -> None:
    encoder = CountingEncoder()
    entries = [entry("a", nl=["Hoe werkt de printer?"]), entry("b", nl=["Waar is de kantine?"])]
    kb = knowledge(entries, Index(entries, encoder=encoder))
    encoder.texts.clear()

    first = kb.match("iets over een apparaat", threshold=0.0).candidates
    again = kb.match("iets over een apparaat", threshold=0.0).candidates

    assert encoder.texts == ["iets over een apparaat"]
    assert first == again


# --- the embedding cache -------------------------------------------------------------------------------


def test_embeddings_are_cached_and_only_changed_variants_are_embedded_again(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    entries = [entry("one", nl=["Eerste vraag over telewerk", "Tweede vraag"]), entry("two", fr=["Autre"])]

    first = Index(entries, encoder=encoder, cache_dir=tmp_path)
    again = Index(entries, encoder=encoder, cache_dir=tmp_path)
    edited = [entry("one", nl=["Eerste vraag over telewerk", "Gewijzigde vraag"]), entries[1]]
    changed = Index(edited, encoder=encoder, cache_dir=tmp_path)

    assert (first.embedded_now, again.embedded_now, changed.embedded_now) == (3, 0, 1)
    assert encoder.texts[-1] == "Gewijzigde vraag"
    kb_first, kb_again = knowledge(entries, first), knowledge(entries, again)
    asked = [kb.match("telewerk vraag", threshold=0.0).candidates for kb in (kb_first, kb_again)]
    assert asked[0] == asked[1]


def test_an_unreadable_cache_file_is_rebuilt(tmp_path: Path) -> None:
    encoder = CountingEncoder()
    entries = [entry("one", nl=["Eerste vraag"]), entry("two", nl=["Tweede vraag"])]
    Index(entries, encoder=encoder, cache_dir=tmp_path)
    for path in tmp_path.iterdir():
        path.write_bytes(b"not a numpy file")

    rebuilt = Index(entries, encoder=encoder, cache_dir=tmp_path)

    assert rebuilt.embedded_now == 2
    assert Index(entries, encoder=encoder, cache_dir=tmp_path).embedded_now == 0


def test_the_calibration_is_cached_and_an_unreadable_file_is_recomputed(tmp_path: Path) -> None:
    questions = [f"Hoe regel ik onderwerp nummer {n} voor mijn dienst?" for n in range(15)]
    entries = [
        entry(f"e{n}", nl=[q, q.replace("Hoe regel ik", "Waar vind ik")]) for n, q in enumerate(questions)
    ]
    first = Index(entries, cache_dir=tmp_path)
    cached = Index(entries, cache_dir=tmp_path)
    (tmp_path / "faq-calibration.json").write_text("{not json", encoding="utf-8")
    again = Index(entries, cache_dir=tmp_path)

    assert first.calibration == cached.calibration == again.calibration
    assert json.loads((tmp_path / "faq-calibration.json").read_text(encoding="utf-8"))["key"]


# --- structure ------------------------------------------------------------------------------------------


def test_the_model_does_not_import_the_matcher() -> None:
    source = (Path(nwow.faq.__file__).parent / "model.py").read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module
    }

    assert "nwow.faq.matcher" not in imported
