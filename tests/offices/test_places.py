"""Place resolution in Dutch, French and German, sub-municipalities, postal codes and typos."""

from __future__ import annotations

import pytest

from nwow.offices import detect
from nwow.offices.detect import extract_place, extract_province, is_forget_home_request, is_office_question
from nwow.offices.places import PlaceIndex, default_place_index, haversine_km


@pytest.mark.parametrize(
    ("typed", "municipality_id"),
    [
        ("Antwerpen", "11002"),
        ("Anvers", "11002"),
        ("Luik", "62063"),
        ("Liège", "62063"),
        ("liege", "62063"),
        ("Lüttich", "62063"),
        ("Bergen", "53053"),
        ("Mons", "53053"),
        ("Brussel", "21004"),
        ("Bruxelles", "21004"),
        ("Brüssel", "21004"),
        ("Gent", "44021"),
        ("Gand", "44021"),
        ("Leuven", "24062"),
        ("Louvain", "24062"),
        ("Löwen", "24062"),
        ("Namen", "92094"),
        ("Namur", "92094"),
        ("Sankt Vith", "63067"),
        ("Saint-Vith", "63067"),
        ("sint niklaas", "46021"),
        ("SINT-NIKLAAS", "46021"),
        ("Kortrijk", "34022"),
        ("Courtrai", "34022"),
    ],
)
def test_municipality_names_in_every_national_language(
    places: PlaceIndex, typed: str, municipality_id: str
) -> None:
    result = places.resolve(typed)

    assert result.status == "found", result
    assert result.place is not None
    assert result.place.municipality_id == municipality_id


def test_the_names_of_one_municipality_give_the_same_coordinates(places: PlaceIndex) -> None:
    found = [places.resolve(name).place for name in ("Luik", "Liège", "Lüttich")]

    assert len({(p.lat, p.lon) for p in found if p is not None}) == 1
    liege = found[0]
    assert liege is not None
    # Liège city centre (Place Saint-Lambert) is at about 50.645 N, 5.573 E.
    assert haversine_km(liege.lat, liege.lon, 50.645, 5.573) < 3


@pytest.mark.parametrize(
    ("typed", "label", "municipality_id"),
    [
        ("Wilrijk", "Wilrijk (Antwerpen)", "11002"),
        ("Jambes", "Jambes (Namen)", "92094"),
        ("Laeken", "Laeken (Brussel)", "21004"),
        ("Deurne (Diest)", "Deurne (Diest)", "24020"),
    ],
)
def test_sub_municipalities(places: PlaceIndex, typed: str, label: str, municipality_id: str) -> None:
    result = places.resolve(typed)

    assert result.status == "found"
    assert result.place is not None
    assert (result.place.label, result.place.municipality_id) == (label, municipality_id)
    assert result.place.kind == "locality"


def test_a_sub_municipality_name_used_twice_asks_which(places: PlaceIndex) -> None:
    result = places.resolve("Deurne")

    assert result.status == "ambiguous"
    assert result.place is None
    assert result.suggestions == ("Deurne (Antwerpen)", "Deurne (Diest)")
    for label in result.suggestions:  # each suggestion, sent back as a button, resolves
        assert places.resolve(label).status == "found"


@pytest.mark.parametrize(
    ("typed", "label", "province_id"),
    [
        ("3000", "3000 Leuven", "20001"),
        ("9000", "9000 Gent", "40000"),
        ("4700", "4700 Eupen", "60000"),
        ("1000", "1000 Bruxelles", "04000"),
        ("9000 Gent", "9000 Gent", "40000"),
        (" 2000 ", "2000 Antwerpen", "10000"),
    ],
)
def test_postal_codes(places: PlaceIndex, typed: str, label: str, province_id: str) -> None:
    result = places.resolve(typed)

    assert result.status == "found"
    assert result.place is not None
    assert (result.place.label, result.place.province_id) == (label, province_id)


def test_an_unknown_postal_code_suggests_the_closest_codes(places: PlaceIndex) -> None:
    result = places.resolve("1234")

    assert result.status == "unknown"
    assert 1 <= len(result.suggestions) <= 5
    assert all(s[:4].isdigit() and abs(int(s[:4]) - 1234) < 100 for s in result.suggestions)


@pytest.mark.parametrize(
    ("typo", "municipality_id"),
    [
        ("Antwerpn", "11002"),
        ("Bruxeles", "21004"),
        ("Leuvn", "24062"),
        ("Charleroy", "52011"),
        ("Oostende ", "35013"),
        ("Hasselth", "71072"),
    ],
)
def test_typos_are_accepted_when_one_place_is_clearly_meant(
    places: PlaceIndex, typo: str, municipality_id: str
) -> None:
    result = places.resolve(typo)

    assert result.status == "found", result
    assert result.place is not None
    assert result.place.municipality_id == municipality_id


def test_a_typo_close_to_several_places_gives_suggestions(places: PlaceIndex) -> None:
    result = places.resolve("Gnet")

    assert result.status == "ambiguous"
    assert "Gent / Gand" in result.suggestions
    assert len(result.suggestions) <= 5


@pytest.mark.parametrize(
    ("typed", "municipality_id"),
    [("St. Vith", "63067"), ("St-Niklaas", "46021"), ("Ste-Ode", "82038"), ("Molenbeek", "21012")],
)
def test_abbreviations_and_short_forms(places: PlaceIndex, typed: str, municipality_id: str) -> None:
    result = places.resolve(typed)

    assert result.status == "found", result
    assert result.place is not None
    assert result.place.municipality_id == municipality_id


def test_a_part_of_several_names_asks_which(places: PlaceIndex) -> None:
    result = places.resolve("Woluwe")

    assert result.status == "ambiguous"
    assert result.suggestions == (
        "Sint-Lambrechts-Woluwe / Woluwe-Saint-Lambert",
        "Sint-Pieters-Woluwe / Woluwe-Saint-Pierre",
    )


@pytest.mark.parametrize("nonsense", ["Xyzzyqwv", "", "   ", "Parijs-Zuid-Oost-Noord"])
def test_unknown_places(places: PlaceIndex, nonsense: str) -> None:
    result = places.resolve(nonsense)

    assert result.status == "unknown"
    assert result.place is None


def test_the_default_index_is_built_once(places: PlaceIndex) -> None:
    assert default_place_index() is places


@pytest.mark.parametrize(
    ("typed", "province_id"),
    [
        ("Oost-Vlaanderen", "40000"),
        ("Provincie Luik", "60000"),
        ("Liège", "60000"),
        ("Provinz Lüttich", "60000"),
        ("Hainaut", "50000"),
        ("Henegouwen", "50000"),
        ("Hennegau", "50000"),
        ("Brabant wallon", "20002"),
        ("Brussel", "04000"),
        ("Bruxelles", "04000"),
        ("70000", "70000"),
        ("East Flanders", "40000"),
        ("Province of Antwerp", "10000"),
        ("walloon brabant", "20002"),
        ("Liege", "60000"),
        ("Brussels-Capital Region", "04000"),
    ],
)
def test_provinces(places: PlaceIndex, typed: str, province_id: str) -> None:
    province = places.province(typed)

    assert province is not None
    assert province.id == province_id


def test_eleven_provinces_including_brussels(places: PlaceIndex) -> None:
    assert len(places.provinces) == 11
    assert places.province("Atlantis") is None


@pytest.mark.parametrize(
    ("question", "place"),
    [
        ("waar is het dichtstbijzijnde satellietkantoor bij Gent", "Gent"),
        ("bureau satellite près de Namur", "Namur"),
        ("satellite office near 3000", "3000"),
        ("Satellitenbüro in der Nähe von Lüttich?", "Lüttich"),
        ("satellietkantoor Sint-Niklaas", "Sint-Niklaas"),
        ("bureau satellite près de chez moi à La Louvière", "La Louvière"),
        ("welk satellietkantoor is het dichtst bij Gnet?", "Gnet"),
        ("nearest satellite office to Brussels please", "Brussels"),
        ("satellietkantoor bij Hal", "Hal"),
    ],
)
def test_extract_place(places: PlaceIndex, question: str, place: str) -> None:
    assert extract_place(question, places) == place


@pytest.mark.parametrize(
    "question",
    [
        "satellietkantoor",
        "waar is het dichtstbijzijnde satellietkantoor bij mij in de buurt?",
        "bureau satellite",
    ],
)
def test_questions_without_a_place(places: PlaceIndex, question: str) -> None:
    assert extract_place(question, places) is None


@pytest.mark.parametrize(
    "question",
    [
        "waar is het dichtstbijzijnde satellietkantoor",
        "Is er een kantoor dicht bij huis?",
        "bureau satellite près de Namur",
        "Où est le bureau le plus proche de chez moi ?",
        "Wo ist das nächste Satellitenbüro?",
        "Gibt es ein Büro in der Nähe von Eupen?",
        "satellite office near 3000",
        "Where is the nearest office?",
        "Welk satellietkantoor ligt het dichtst bij mij?",
        "satellietkantoor Gent",
        "Satellitenbüro in meiner Nähe",
        "alle satellietkantoren in Henegouwen",
        "bureau satellite Liège",
    ],
)
def test_office_questions(places: PlaceIndex, question: str) -> None:
    assert is_office_question(question)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("satellietkantoor Gent", True),
        ("Satellietkantoor uitleg", False),
        ("Wie viele Satellitenbüros gibt es?", False),
    ],
)
def test_office_questions_before_the_index_is_built(
    monkeypatch: pytest.MonkeyPatch, question: str, expected: bool
) -> None:
    monkeypatch.setattr(detect, "built_place_index", lambda: None)

    assert is_office_question(question) is expected


@pytest.mark.parametrize(
    "question",
    [
        "Hoe vraag ik een laptop aan?",
        "Comment installer Teams ?",
        "Wie beantrage ich Homeoffice?",
        "How do I reset my password?",
        "Mag ik thuiswerken op vrijdag?",
        "Wat is een satellietkantoor?",
        "Satellietkantoor uitleg",
        "Hoe reserveer ik een plaats in een satellietkantoor?",
        "Zijn er satellietkantoren in heel België?",
        "Comment est équipé un bureau satellite ?",
        "Y a-t-il des bureaux satellites partout en Belgique ?",
        "Wie viele Satellitenbüros gibt es?",
        "Wie kann ich in einem Satellitenbüro arbeiten?",
        "Is there wifi and a screen in the satellite office?",
        "Book a desk in a satellite office",
        "Werken in een ander politiegebouw dicht bij huis",
    ],
)
def test_other_questions(places: PlaceIndex, question: str) -> None:
    assert not is_office_question(question)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("vergeet mijn woonplaats", True),
        ("oubliez ma commune", True),
        ("vergiss meinen Wohnort", True),
        ("forget my home area", True),
        ("satellietkantoor Gent", False),
    ],
)
def test_forget_home_requests(text: str, expected: bool) -> None:
    assert is_forget_home_request(text) is expected


@pytest.mark.parametrize(
    ("question", "province_id"),
    [
        ("alle satellietkantoren in Henegouwen", "50000"),
        ("tous les bureaux satellites de la province de Liège", "60000"),
        ("alle Satellitenbüros in der Provinz Lüttich", "60000"),
        ("list all satellite offices in Brussels", "04000"),
        ("satellietkantoren provincie Limburg", "70000"),
        ("satellietkantoor bij Luik", None),  # the nearest to the city, not the province's list
        ("alle satellietkantoren", None),
    ],
)
def test_extract_province(places: PlaceIndex, question: str, province_id: str | None) -> None:
    province = extract_province(question, places)

    assert (province.id if province else None) == province_id
