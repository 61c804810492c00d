"""Office questions recognised from concepts (an office or a place to work, near/where, a list, a place or a
province), in four languages, whatever the word order, the casing or a typo; and what each one asks."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nwow.faq.loader import load_knowledge_base
from nwow.offices import detect
from nwow.offices.detect import extract_province, is_office_question, office_language, understand
from nwow.offices.places import PlaceIndex
from nwow.paths import default_faq_dir


@pytest.mark.parametrize(
    "question",
    [
        # Dutch
        "alle kantoren in Henegouwen",
        "waar kan ik werken dicht bij Brugge",
        "satellietkantoren in Limburg",
        "Satellietkantoor Kortrjik",
        "kantoor in de buurt van Bruge",
        "is er een werkplek in de buurt van Leuven",
        "flexplek vlakbij Mechelen?",
        "BRUGGE SATELLIETKANTOOR",
        "Gent, satellietkantoor?",
        "zijn er kantoren in West-Vlaanderen",
        "satteliet kantoor hasselt",
        "ik zoek een plek om te werken rond Aalst",
        "dichtstbijzijnde kantor bij Genk",
        # French
        "bureau satellite Hainaut",
        "tous les bureaux satellites de la province de Liège",
        "un bureau près de chez moi à Wavre",
        "où est le bureau satellite le plus proche de Namur",
        "je cherche un poste de travail près de Mons",
        "bureaux satellites en Flandre occidentale",
        "Arlon bureau satellite",
        # German
        "satellitenbüro st. vith",
        "Gibt es ein Büro in der Nähe von Eupen?",
        "alle Satellitenbüros in Hennegau",
        "Arbeitsplatz nahe Lüttich",
        "wo kann ich in der Nähe von Kelmis arbeiten",
        # English
        "satellite offices in West Flanders",
        "nearest office to Ghent",
        "office close to home in Mechelen",
        "where can I work near Leuven",
        "desk near Bruges",
        "list of satellite offices in Wallonia",
        "satellite office 9000",
    ],
)
def test_office_questions_in_every_language_and_form(places: PlaceIndex, question: str) -> None:
    assert understand(question, places).is_office_question, question


@pytest.mark.parametrize(
    "question",
    [
        "How do I install Office 365 at home in Gent?",  # Office the software
        "bureau à distance depuis Namur",  # Remote Desktop
        "thuiskantoor inrichten in Brugge",  # the home office
        "Homeoffice in Eupen beantragen",
        "hoeveel satellietkantoren waren er in 2020",  # a year, not a postal code
        "Where should I store my work files?",
        "Hybrid meeting with colleagues in the office and at home",
        "the servicedesk in Brussels",
        "Toegang satellietkantoor badge",
        "Is there wifi and a screen in the satellite office?",
        "police officer near Liège",
        "wachtwoord vergeten",
    ],
)
def test_lookalikes_are_not_office_questions(places: PlaceIndex, question: str) -> None:
    assert not understand(question, places).is_office_question, question


def _faq_questions() -> list[tuple[str | None, str]]:
    loaded = load_knowledge_base(default_faq_dir())
    assert loaded.kb is not None
    found: list[tuple[str | None, str]] = [
        (entry.id, question)
        for entry in loaded.kb.entries.values()
        for content in entry.content.values()
        for question in content.questions
    ]
    tests = yaml.safe_load(Path(default_faq_dir() / "tests.yml").read_text(encoding="utf-8"))
    items = tests["tests"] if isinstance(tests, dict) else tests
    found += [(item.get("expect"), item["question"]) for item in items]
    return found


def test_the_faqs_questions_stay_with_the_faq(places: PlaceIndex) -> None:
    """Every question variant and test question of the shipped FAQ reaches the FAQ, except those that ask
    for the nearest office (entry satellite-nearest: the finder then asks where)."""
    taken = [
        f"{entry_id}: {question}"
        for entry_id, question in _faq_questions()
        if entry_id != "satellite-nearest" and understand(question, places).is_office_question
    ]
    assert taken == []


@pytest.mark.parametrize(
    ("question", "provinces", "place", "choice"),
    [
        ("alle kantoren in Henegouwen", ["50000"], None, False),
        ("satellietkantoren in Limburg", ["70000"], None, False),  # a list: the Flemish province
        ("satellietkantoor Limburg", ["70000"], "Limburg / Limbourg", True),  # or the town in Liège?
        ("kantoor dicht bij Limburg", ["70000"], "Limburg / Limbourg", True),
        ("satellietkantoor provincie Limburg", ["70000"], None, False),
        ("bureau satellite Luxembourg", ["80000"], "Luxembourg (Grand Duchy)", True),
        ("bureau satellite près de Namur", [], "Namen / Namur", False),  # the town, in its province
        ("alle bureaux satellites de la province de Namur", ["90000"], None, False),
        ("satellite offices in Brabant", ["20001", "20002"], None, True),
        ("satellietkantoren in Vlaanderen", ["10000", "20001", "30000", "40000", "70000"], None, True),
        ("satellietkantoor bij Deurne", [], None, True),  # two Deurnes
        ("satellietkantoor in Limburg dicht bij Genk", [], "Genk", False),  # the place, in that province
        ("Satellitenbüro in der Nähe von Lüttich", [], "Luik / Liège", False),
        ("list all satellite offices in Brussels", ["04000"], None, False),
        ("satellite office near Brussels", [], "Brussel / Bruxelles", False),
    ],
)
def test_what_an_office_question_asks(
    places: PlaceIndex, question: str, provinces: list[str], place: str | None, choice: bool
) -> None:
    query = understand(question, places)

    assert query.is_office_question
    assert [p.id for p in query.provinces] == provinces
    found = query.place.place if query.place is not None else None
    assert (found.label if found is not None else None) == place
    assert query.needs_choice is choice


def test_a_typo_in_a_question_is_confirmed_with_the_closest_places(places: PlaceIndex) -> None:
    query = understand("satellietkantoor Kortrjik", places)

    assert query.needs_choice and query.confirm
    assert query.query == "Kortrjik"
    assert query.places[0].label == "Kortrijk / Courtrai"
    assert query.choice.candidates[0].label == "Kortrijk / Courtrai"


def test_a_reply_to_where_takes_a_clear_typo_and_everyday_words_as_places(places: PlaceIndex) -> None:
    typo = understand("Kortrjik", places, answering=True)
    assert typo.place is not None and typo.place.place is not None
    assert typo.place.place.label == "Kortrijk / Courtrai" and not typo.needs_choice

    werken = understand("Werken", places, answering=True)  # a village of Kortemark
    assert werken.place is not None and werken.place.place is not None
    assert werken.place.place.label == "Werken (Kortemark)"
    # ... but in a question it is the verb.
    assert understand("waar kan ik werken", places).place is None


def test_only_the_start_of_a_long_text_is_read(places: PlaceIndex) -> None:
    long_text = "satellietkantoor " + "bla " * 50_000 + "Gent"

    query = understand(long_text, places)

    assert query.place is None  # 'Gent' lies far beyond what is read
    assert len(detect._tokens(long_text)) == detect.MAX_WORDS


def test_extract_province_is_one_province_to_list(places: PlaceIndex) -> None:
    hainaut = extract_province("bureau satellite Hainaut", places)
    assert hainaut is not None and hainaut.id == "50000"
    assert extract_province("satellietkantoor Limburg", places) is None  # asks first
    assert extract_province("satellite offices in Brabant", places) is None


def test_before_the_index_is_built_the_concepts_decide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(detect, "built_place_index", lambda: None)

    assert is_office_question("satellietkantoor dicht bij huis")
    assert is_office_question("bureau satellite Hainaut")
    assert not is_office_question("Wat is een satellietkantoor?")


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        ("alle kantoren in Henegouwen", "nl"),  # 'Henegouwen' is the Dutch name of Hainaut
        ("bureau satellite Hainaut", "fr"),
        ("alle Satellitenbüros in Westflandern", "de"),
        ("satellite offices in West Flanders", "en"),
        ("satellietkantoor Gent", "nl"),
        ("satellitenbüro st. vith", "de"),
        ("bureau satellite près de Gand", "fr"),
    ],
)
def test_the_language_of_an_office_question_whatever_the_clients_locale(
    places: PlaceIndex, question: str, lang: str
) -> None:
    for locale in ("en-US", "nl-BE", "fr-BE", "de-DE"):
        assert office_language(question, locale, places) == lang, (question, locale)
