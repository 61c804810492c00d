"""The bot tested as a user would: in the Microsoft 365 Agents Playground, driven in headless Chromium.

One conversation, in order (issue 7): the welcome card, FAQ answers in Dutch and French with a vote, a
"did you mean" choice, the nearest satellite office, office cards in German and English with no Dutch on
them, a province question in each language, the feedback survey, an out-of-scope question, and the page
opened again (no second welcome). Each step waits on what the page shows, saves a
screenshot under test-artifacts/browser/, and fails with the chat's text when it does not see what it
expects. The expected answers come from the shipped FAQ; the expected texts from bot.strings.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache

import pytest
from playwright.sync_api import Locator, expect

from bot.settings import Settings
from bot.strings import t
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import load_knowledge_base
from nwow.faq.model import FaqEntry, MatchResult
from nwow.feedback.units import load_units
from nwow.language import LANGS, Lang, normalize_locale
from nwow.offices.detect import extract_place, is_office_question, understand
from nwow.offices.loader import load_offices
from nwow.offices.model import Office, OfficeDirectory
from nwow.offices.places import default_place_index
from nwow.offices.ranking import in_province, nearest_to
from nwow.paths import default_faq_dir
from tests.browser.conftest import PLAYGROUND_LOCALE, BotServer
from tests.browser.playground import Chat

pytestmark = pytest.mark.browser

CHAT_LANG: Lang = normalize_locale(PLAYGROUND_LOCALE) or "nl"
DUTCH_QUESTION = ("Hoe installeer ik Teams op mijn gsm?", "teams-mobile-install")
FRENCH_QUESTION = ("Comment activer la MFA ?", "mfa-setup")
# Short questions that touch several entries; the first one the shipped FAQ finds ambiguous is asked.
AMBIGUOUS_CANDIDATES = (
    "windows 10",
    "installeren",
    "outlook",
    "vergaderen",
    "gsm",
    "mobiel",
    "wachtwoord vergeten",
)
ANY_WELCOME = re.compile("|".join(re.escape(t("welcome.title", lang)) for lang in LANGS))
OFFICE_QUESTION = "Waar is het dichtstbijzijnde satellietkantoor?"
OFFICE_PLACE = "Leuven"
OUT_OF_SCOPE = "Wat wordt het weer morgen in Brussel?"


@cache
def knowledge() -> KnowledgeBase:
    loaded = load_knowledge_base(default_faq_dir())
    assert loaded.kb is not None, f"the shipped FAQ does not load: {loaded.problems[:3]}"
    return loaded.kb


def _match(question: str) -> MatchResult:
    defaults = Settings()
    return knowledge().match(
        question,
        PLAYGROUND_LOCALE,
        threshold=defaults.match_threshold,
        gap=defaults.match_ambiguity_gap,
    )


def _entry(entry_id: str) -> FaqEntry:
    entry = knowledge().entry(entry_id)
    assert entry is not None, f"the shipped FAQ has no entry {entry_id!r}"
    return entry


def _answer_start(entry: FaqEntry, lang: Lang) -> str:
    """The first words of the answer, up to the first Markdown mark, as the card shows them."""
    text = re.sub(r"^\s*(?:\d+\.|[-*+])\s+", "", entry.content_for(lang)[1].answer)
    plain = re.split(r"[*_\[\]`#>|\n]", text, maxsplit=1)[0]
    return " ".join(plain.split()[:6])


def _expect_answer(card: Locator, entry: FaqEntry, lang: Lang) -> None:
    expect(card.locator(".ac-textBlock").get_by_text(entry.title(lang), exact=True)).to_be_visible()
    expect(card).to_contain_text(_answer_start(entry, lang))
    expect(card.get_by_role("button", name=t("faq.vote_up", lang), exact=True)).to_be_visible()


def _greet_after_the_load_events(chat: Chat) -> None:
    """Wait until the bot has answered both activities the page sends when it opens, then say hello: the
    reply comes after anything those activities made the bot send."""
    expect(chat.log_panel_entry(re.compile(r"installationUpdate\s+2\d\d"))).to_be_visible()
    expect(chat.log_panel_entry(re.compile(r"conversationUpdate\s+2\d\d"))).to_be_visible()
    chat.send("hello")
    expect(chat.messages_with(t("smalltalk.greeting", "en"))).to_have_count(1)


def test_1_welcome_card_once_in_the_chat_language(chat: Chat) -> None:
    with chat.step("1-welcome"):
        welcome = chat.cards_with(t("welcome.title", CHAT_LANG))
        expect(welcome.first).to_be_visible()
        expect(welcome.first).to_contain_text(t("button.topics", CHAT_LANG))
        _greet_after_the_load_events(chat)
        expect(chat.cards_with(ANY_WELCOME)).to_have_count(1)


def test_2_faq_answers_in_dutch_and_french_and_a_vote(chat: Chat, bot_server: BotServer) -> None:
    question, entry_id = DUTCH_QUESTION
    entry = _entry(entry_id)
    with chat.step("2a-faq-dutch"):
        card = chat.ask(question, entry.title("nl"))
        _expect_answer(card, entry, "nl")

    question, entry_id = FRENCH_QUESTION
    entry = _entry(entry_id)
    with chat.step("2b-faq-french"):
        card = chat.ask(question, entry.title("fr"))
        _expect_answer(card, entry, "fr")

    with chat.step("2c-vote"):
        thanks = chat.messages_with(t("faq.vote_thanks_up", "fr"))
        chat.click(card, t("faq.vote_up", "fr"))
        expect(thanks).to_have_count(1)
        rows = bot_server.query("SELECT entry_id, helpful, lang FROM votes")
        assert rows == [(entry_id, 1, "fr")], rows


def test_3_did_you_mean(chat: Chat) -> None:
    asked = next((q for q in AMBIGUOUS_CANDIDATES if _match(q).status == "ambiguous"), None)
    assert asked is not None, f"none of {AMBIGUOUS_CANDIDATES} is ambiguous in the shipped FAQ any more"
    result = _match(asked)
    lang = result.lang
    # The user picks the second suggestion: not simply the best guess.
    chosen = result.choices[1]
    with chat.step("3a-did-you-mean"):
        card = chat.ask(asked, t("faq.did_you_mean", lang))
        for choice in result.choices:
            expect(card.get_by_role("button", name=choice.title(lang), exact=True)).to_be_visible()
    with chat.step("3b-chosen-answer"):
        answers = chat.cards_with_heading(chosen.title(lang))
        before = answers.count()
        chat.click(card, chosen.title(lang))
        expect(answers).to_have_count(before + 1)
        _expect_answer(answers.nth(before), chosen, lang)


def test_4_nearest_satellite_office_after_asking_the_place(chat: Chat, bot_server: BotServer) -> None:
    lang: Lang = "nl"
    assert is_office_question(OFFICE_QUESTION)
    assert extract_place(OFFICE_QUESTION) is None, "the question must not name a place"
    places = default_place_index()
    place = places.resolve(OFFICE_PLACE).place
    assert place is not None
    directory, problems = load_offices(default_faq_dir() / "offices.yml", places=places)
    assert directory is not None, f"the shipped offices file does not load: {problems[:3]}"
    # Distance ranks the offices; the moment only changes "open now", not the order.
    expected = [m.office.name(lang) for m in nearest_to(directory, place, datetime.now(UTC)).matches]
    assert expected, "the shipped offices file has no office"

    with chat.step("4a-office-asks-the-place"):
        prompt = chat.messages_with(t("offices.ask_place", lang))
        chat.send(OFFICE_QUESTION)
        expect(prompt).to_have_count(1)

    with chat.step("4b-nearest-offices"):
        card = chat.ask(OFFICE_PLACE, t("offices.nearest_title", lang, place=place.name(lang)))
        distance = re.compile(r" · ([\d.,]+) km$")
        headings = card.locator(".ac-textBlock").filter(has_text=distance).all_inner_texts()
        shown = [distance.split(h)[0].strip() for h in headings]
        assert shown == expected, f"offices shown {shown}, nearest first should be {expected}"
        kilometres = [float(m.group(1).replace(",", ".")) for h in headings if (m := distance.search(h))]
        assert kilometres == sorted(kilometres), kilometres

    with chat.step("4c-home-area-not-remembered"):
        offer = chat.wait_for_new_card(t("offices.remember_offer", lang, place=place.name(lang)), 0)
        chat.click(offer, t("offices.no", lang))
        expect(chat.messages_with(t("offices.not_remembered", lang))).to_have_count(1)
        assert bot_server.query("SELECT count(*) FROM preferences") == [(0,)]


# Office questions in German and English (the chat's locale is en-US whatever the language written).
FOREIGN_OFFICE_QUESTIONS: tuple[tuple[Lang, str, str], ...] = (
    ("de", "Wo ist das nächste Satellitenbüro in der Nähe von Eupen?", "Eupen"),
    ("en", "Where is the nearest satellite office to Ghent?", "Ghent"),
)
# A province question in each language, in the forms people use.
PROVINCE_QUESTIONS: tuple[tuple[Lang, str, str], ...] = (
    ("nl", "alle kantoren in Henegouwen", "50000"),
    ("fr", "bureau satellite Hainaut", "50000"),
    ("de", "alle Satellitenbüros in Westflandern", "30000"),
    ("en", "satellite offices in West Flanders", "30000"),
)


def _shipped_offices() -> OfficeDirectory:
    directory, problems = load_offices(default_faq_dir() / "offices.yml", places=default_place_index())
    assert directory is not None, f"the shipped offices file does not load: {problems[:3]}"
    return directory


def _dutch_only_texts(offices: list[Office], lang: Lang) -> set[str]:
    """What a card about `offices` would show in Dutch but not in `lang`: office names, hosts, access texts
    and the finder's own words."""
    dutch: set[str] = set()
    for office in offices:
        for dutch_text, shown in (
            (office.name("nl"), office.name(lang)),
            (office.host_name("nl"), office.host_name(lang)),
            (office.access_text("nl"), office.access_text(lang)),
        ):
            if dutch_text != shown:
                dutch.add(dutch_text)
    for key in ("offices.open_now", "offices.closed_now", "offices.today", "offices.desks", "offices.access"):
        if t(key, "nl") != t(key, lang):
            dutch.add(t(key, "nl"))
    return dutch


def test_4d_office_cards_in_german_and_english_have_no_dutch(chat: Chat) -> None:
    directory = _shipped_offices()
    places = default_place_index()
    for lang, question, place_name in FOREIGN_OFFICE_QUESTIONS:
        query = understand(question, places)
        assert query.is_office_question and query.place is not None and query.place.place is not None
        place = query.place.place
        assert place.name(lang) == place_name
        shown = nearest_to(directory, place, datetime.now(UTC)).matches
        with chat.step(f"4d-office-card-{lang}"):
            card = chat.ask(question, t("offices.nearest_title", lang, place=place_name))
            for match in shown:
                expect(card).to_contain_text(match.office.name(lang))
                expect(card).to_contain_text(match.office.access_text(lang))
            text = card.inner_text()
            dutch = sorted(d for d in _dutch_only_texts([m.office for m in shown], lang) if d in text)
            assert dutch == [], f"Dutch text on the {lang} card: {dutch}"
            offer = chat.wait_for_new_card(t("offices.remember_offer", lang, place=place_name), 0)
            chat.click(offer, t("offices.no", lang))
            expect(chat.messages_with(t("offices.not_remembered", lang))).to_have_count(1)


def test_4e_a_province_question_in_each_language_lists_the_province(chat: Chat) -> None:
    directory = _shipped_offices()
    places = default_place_index()
    for lang, question, province_id in PROVINCE_QUESTIONS:
        province = places.provinces[province_id]
        listed = [o.name(lang) for o in in_province(directory, province)]
        assert listed, f"the shipped offices file has no office in {province.name('en')}"
        with chat.step(f"4e-province-{lang}"):
            card = chat.ask(question, t("offices.province_title", lang, province=province.name(lang)))
            for name in listed:
                expect(card).to_contain_text(name)


def _first_unit(lang: Lang) -> tuple[str, str]:
    units, problems = load_units(default_faq_dir() / "units.yml")
    assert units is not None, f"the shipped units file does not load: {problems[:3]}"
    return units.choices(lang)[0]


def test_5_feedback_survey_says_what_is_missing_then_stores_one_row(
    chat: Chat, bot_server: BotServer
) -> None:
    lang: Lang = "nl"
    unit_id, unit_name = _first_unit(lang)
    with chat.step("5a-survey"):
        card = chat.ask("feedback geven", t("survey.title", lang))
        for key in ("survey.tool", "survey.rating", "survey.unit"):
            expect(card).to_contain_text(t(key, lang))

    with chat.step("5b-survey-without-rating"):
        chat.choose(card, t("survey.tool", lang), t("tool.teams", lang))
        chat.choose(card, t("survey.unit", lang), unit_name)
        card.get_by_role("textbox", name=t("survey.works", lang)).fill("De chat in Teams")
        chat.click(card, t("survey.submit", lang))
        # Teams (and the playground) check required inputs before sending: the card names what is missing.
        expect(card.get_by_text(t("survey.rating_missing", lang), exact=True)).to_be_visible()
        expect(card.get_by_text(t("survey.tool_missing", lang), exact=True)).to_have_count(0)
        expect(card.get_by_text(t("survey.unit_missing", lang), exact=True)).to_have_count(0)
        assert bot_server.query("SELECT count(*) FROM surveys") == [(0,)]

    with chat.step("5c-survey-complete"):
        thanks = chat.messages_with(t("survey.thanks", lang))
        card.get_by_role("radio", name="4", exact=True).check()
        chat.click(card, t("survey.submit", lang))
        expect(thanks).to_have_count(1)
        rows = bot_server.query("SELECT tool, rating, works, unit, contact_ok, lang FROM surveys")
        assert rows == [("teams", 4, "De chat in Teams", unit_id, 0, lang)], rows


def test_6_out_of_scope_is_recorded_as_unanswered(chat: Chat, bot_server: BotServer) -> None:
    result = _match(OUT_OF_SCOPE)
    assert result.status == "unanswered", f"the shipped FAQ answers {OUT_OF_SCOPE!r}: {result.candidates[:1]}"
    lang = result.lang
    with chat.step("6-out-of-scope"):
        card = chat.ask(OUT_OF_SCOPE, t("faq.unknown_title", lang))
        expect(card).to_contain_text(t("faq.unknown_body", lang))
        rows = bot_server.query("SELECT lang FROM unanswered WHERE text = ?", (OUT_OF_SCOPE,))
        assert rows == [(lang,)], rows


def test_7_reopening_the_page_does_not_welcome_again(chat: Chat) -> None:
    with chat.step("7-reopened"):
        # The page sends installationUpdate and conversationUpdate again; its chat starts empty.
        chat.page.reload()
        _greet_after_the_load_events(chat)
        expect(chat.cards_with(ANY_WELCOME)).to_have_count(0)
