"""The card gallery: every card the bot can send, as Teams shows it, in docs/cards/<name>.png.

Each sample below calls a renderer of bot/cards with a realistic result (the shipped FAQ, offices and
units where the card shows them). The cards are rendered by the official `adaptivecards` JavaScript
renderer with the Teams light host config (tools/browser/teams-light-hostconfig.json) in headless
Chromium, and docs/cards/README.md lists them with their captions.

    .venv/bin/python scripts/card_gallery.py            # every card
    .venv/bin/python scripts/card_gallery.py answer_nl  # only the named ones

Needs what scripts/setup_browser.sh installs (Debian chromium, the npm packages of tools/browser).
A card the renderer reports problems with fails the run (exit code 1) after the others are drawn.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.cards import ambassadors as ambassador_cards
from bot.cards import faq as faq_cards
from bot.cards import feedback as feedback_cards
from bot.cards import offices as office_cards
from bot.cards import privacy as privacy_cards
from bot.cards import pulse as pulse_cards
from bot.cards import staff as staff_cards
from bot.cards import tickets as ticket_cards
from bot.cards import welcome as welcome_cards
from bot.cards.outcomes import outcome_elements
from bot.cards.staff import TicketWeek, UnansweredRow, WaitingGroup
from bot.cards.tickets import AskOffer
from bot.conversation.ticket_delivery import ticket_context
from bot.settings import Settings
from bot.strings import t
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import load_knowledge_base
from nwow.faq.model import Answer, FaqEntry
from nwow.feedback.models import UserData
from nwow.feedback.periods import Month, Week
from nwow.feedback.report import SummaryNumbers
from nwow.feedback.survey import SurveyAnswers
from nwow.feedback.units import Units, load_units
from nwow.language import Lang
from nwow.offices.loader import load_offices
from nwow.offices.model import OfficeDirectory, Place
from nwow.offices.places import PlaceIndex, default_place_index
from nwow.offices.ranking import nearest_to, province_offices
from nwow.paths import default_faq_dir
from nwow.pulses.launch import PulseStatus, UnitStatus
from nwow.pulses.model import Pulse, StartedPulse
from nwow.pulses.reader import read_pulse
from nwow.tickets import Ambassador, Origin, Ticket, TicketAnswer, TicketStatus
from nwow.tickets.figures import AnswerTimes, MonthOutcomes, OpenQuestion, OutcomeCounts, WeekOutcomes

logger = logging.getLogger("card_gallery")

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "tools" / "browser"
GALLERY_PAGE = TOOLS / "gallery.html"
HOST_CONFIG = TOOLS / "teams-light-hostconfig.json"
OUT_DIR = ROOT / "docs" / "cards"
CHROMIUM = Path(os.environ.get("NWOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--force-device-scale-factor=1",
)
BRUSSELS = ZoneInfo("Europe/Brussels")
GALLERY_CARD = "0123456789abcdef0123456789abcdef"
# A fixed moment, so the "open now" and "today" lines do not change from one run to the next.
MONDAY_MORNING = datetime(2026, 11, 23, 10, 15, tzinfo=BRUSSELS)


@dataclass(frozen=True)
class Sample:
    name: str
    caption: str
    build: Callable[[], dict[str, Any]]


# --- sample results --------------------------------------------------------------------------------


@cache
def knowledge() -> KnowledgeBase:
    loaded = load_knowledge_base(default_faq_dir())
    if loaded.kb is None:
        raise SystemExit(f"the shipped FAQ does not load: {loaded.problems[:3]}")
    return loaded.kb


def entry(entry_id: str) -> FaqEntry:
    found = knowledge().entry(entry_id)
    if found is None:
        raise SystemExit(f"the shipped FAQ has no entry {entry_id!r}: update the gallery sample")
    return found


def answer_card(entry_id: str, asked: Lang) -> dict[str, Any]:
    shown = entry(entry_id)
    content_lang, _ = shown.content_for(asked)
    related = [e for e in (knowledge().entry(i) for i in shown.related) if e is not None]
    return faq_cards.render_answer(
        Answer(shown, content_lang, asked, 0.9), "gallery-answer", related, settings=Settings().answer_values
    )


# Short questions that touch several entries; the first one the shipped FAQ finds ambiguous is shown (the
# knowledge base changes: the browser suite picks its sample from the same kind of list).
AMBIGUOUS_CANDIDATES = ("windows 10", "gsm", "installeren", "outlook", "mobiel", "wachtwoord vergeten")


def did_you_mean_card(candidates: tuple[str, ...]) -> dict[str, Any]:
    defaults = Settings()
    for question in candidates:
        result = knowledge().match(
            question, None, threshold=defaults.match_threshold, gap=defaults.match_ambiguity_gap
        )
        if result.status == "ambiguous":
            topic = result.choices[0].topic if result.choices else ""
            offer = AskOffer(Origin.NONE_OF_THESE, question, q="gallery-question", topic=topic)
            return faq_cards.render_did_you_mean(result.choices, result.lang, offer)
    raise SystemExit(f"none of {candidates} is ambiguous in the shipped FAQ: update the gallery samples")


def topics_card(lang: Lang) -> dict[str, Any]:
    rows = [(topic.topic, topic.name, len(topic.entries)) for topic in knowledge().topics_in(lang)]
    return faq_cards.render_topics(rows, lang)


def topic_entries_card(topic_id: str, lang: Lang) -> dict[str, Any]:
    for topic in knowledge().topics_in(lang):
        if topic.topic == topic_id:
            return faq_cards.render_topic_entries(topic.name, topic.entries, lang)
    raise SystemExit(f"the shipped FAQ has no topic {topic_id!r}: update the gallery sample")


@cache
def units() -> Units:
    loaded, problems = load_units(default_faq_dir() / "units.yml")
    if loaded is None:
        raise SystemExit(f"the shipped units file does not load: {problems[:3]}")
    return loaded


@cache
def places() -> PlaceIndex:
    return default_place_index()


@cache
def offices() -> OfficeDirectory:
    directory, problems = load_offices(default_faq_dir() / "offices.yml", places=places())
    if directory is None:
        raise SystemExit(f"the shipped offices file does not load: {problems[:3]}")
    return directory


def place(name: str) -> Place:
    found = places().resolve(name).place
    if found is None:
        raise SystemExit(f"{name!r} is not a known place any more: update the gallery sample")
    return found


def nearest_card(place_name: str, lang: Lang, *, remembered: bool = False) -> dict[str, Any]:
    result = nearest_to(offices(), place(place_name), MONDAY_MORNING, remembered=remembered)
    return office_cards.render_nearest(result, lang)


def province_card(province_name: str, lang: Lang) -> dict[str, Any]:
    province = places().province(province_name)
    if province is None:
        raise SystemExit(f"{province_name!r} is not a known province: update the gallery sample")
    return office_cards.render_province(province_offices(offices(), province, MONDAY_MORNING), lang)


def summary_numbers() -> SummaryNumbers:
    return SummaryNumbers(
        month=Month(2026, 10),
        min_group_size=5,
        responses=128,
        respondents=117,
        mean=3.7,
        tools=(
            ("teams", "Teams", 61, 4.1),
            ("telework", "Telework", 38, 3.4),
            ("office365", "Office 365", 29, 3.2),
        ),
        unanswered=19,
    )


UNANSWERED = [
    UnansweredRow(
        "waar kan ik parkeren aan het satellietkantoor", 4, "nl", MONDAY_MORNING - timedelta(days=3)
    ),
    UnansweredRow("badge perdu bureau satellite", 3, "fr", MONDAY_MORNING - timedelta(days=4)),
    UnansweredRow("vpn thuis traag", 2, "nl", MONDAY_MORNING - timedelta(days=6)),
]

# --- adoption pulses --------------------------------------------------------------------------------


def example_pulse() -> Pulse:
    loaded = read_pulse(ROOT / "faq" / "pulses" / "2027-01-teams-roadshow.yml", units().ids())
    if loaded.value is None:
        raise SystemExit(f"the example pulse does not load: {loaded.problems}")
    return loaded.value


def pulse_status_sample() -> PulseStatus:
    started = StartedPulse(
        example_pulse(),
        datetime(2027, 1, 11, 8, tzinfo=BRUSSELS),
        datetime(2027, 1, 30, 0, tzinfo=BRUSSELS),
    )
    return PulseStatus(
        started=started,
        recipients=41_250,
        queued=1_200,
        delivered=39_800,
        failed=12,
        gone=238,
        answered=9_517,
        by_unit=(UnitStatus("fed-dri", 420, 415), UnitStatus("local-antwerpen", 3_100, 3_050)),
        hidden_units=2,
    )


# --- Ask an ambassador ------------------------------------------------------------------------------

ANN = Ambassador("aaaaaaaa-0000-0000-0000-00000000000a", "Ann Peeters")
ASKED = "Hoe vraag ik een nieuwe badge aan?"
WAITING = Ticket(
    number=123,
    submission_id="gallery",
    user_key="gallery",
    question=ASKED,
    context="Mijn oude badge werkt niet meer aan de poort van het satellietkantoor.",
    lang="nl",
    origin=Origin.UNANSWERED,
    topic="satellite",
    entry_id="",
    unit="fed-dri",
    requester_name=None,
    question_ref="gallery-question",
    channel="19:general@thread.tacv2",
    candidates=("satellite-use",),
    created_at=MONDAY_MORNING - timedelta(hours=2),
    status=TicketStatus.OPEN,
    version=1,
)
CLAIMED = replace(
    WAITING,
    status=TicketStatus.CLAIMED,
    claimed_by=ANN,
    claimed_at=MONDAY_MORNING - timedelta(hours=1),
    requester_name="Eva Janssens",
)
ANSWERED = replace(
    CLAIMED,
    status=TicketStatus.ANSWERED,
    answer=TicketAnswer(
        text="Vraag een nieuwe badge aan bij het **onthaal van je eigen gebouw**; ze is na twee werkdagen klaar.",
        links=("servicedesk",),
    ),
    answered_by=ANN,
    answered_at=MONDAY_MORNING,
    first_answered_at=MONDAY_MORNING,
)
REOPENED = replace(
    ANSWERED,
    status=TicketStatus.OPEN,
    claimed_by=None,
    reopened=1,
    reopen_note="Het onthaal verwijst me naar de servicedesk.",
    requester_name=None,
)


def ask_offer(origin: Origin, question: str, lang: Lang, *, entry_id: str = "") -> AskOffer:
    return AskOffer(origin, question, q="gallery-question", entry_id=entry_id, units=units().choices(lang))


def ambassador_card(ticket: Ticket, lang: Lang, *, note: str | None = None) -> dict[str, Any]:
    context = ticket_context(ticket, knowledge(), units(), lang)
    return ambassador_cards.render_ticket_card(ticket, context, lang, note=note)


def ticket_answer_card(ticket: Ticket, lang: Lang) -> dict[str, Any]:
    links = {link.key: link for e in knowledge().entries.values() for link in e.links}
    assert ticket.answer is not None
    shown = [links[key] for key in ticket.answer.links if key in links]
    return ticket_cards.render_ticket_answer(ticket, lang, links=shown)


def summary_with_outcomes_card(lang: Lang) -> dict[str, Any]:
    counts = OutcomeCounts(
        412,
        301,
        {
            "answered": 248,
            "resolved": 61,
            "ambassador_answered": 37,
            "escalated": 9,
            "abandoned": 33,
            "out_of_scope": 24,
        },
        up=96,
        down=21,
    )
    teams = OutcomeCounts(
        163, 120, {"answered": 121, "resolved": 22, "ambassador_answered": 12, "abandoned": 8}
    )
    month = MonthOutcomes(
        Month(2026, 10),
        5,
        MONDAY_MORNING,
        counts,
        topics=(("teams", teams), ("rest", OutcomeCounts(249, 181, {"answered": 127, "resolved": 39}))),
        units=(
            ("fed-dri", OutcomeCounts(58, 41, {"answered": 40, "resolved": 9, "ambassador_answered": 9})),
        ),
        answer_times=AnswerTimes(46, 3.5, 1.75, 11.0),
    )
    weeks = [
        WeekOutcomes(Week(2026, 45), 5, MONDAY_MORNING, counts),
        WeekOutcomes(Week(2026, 46), 5, MONDAY_MORNING, teams),
        WeekOutcomes(Week(2026, 47), 5, MONDAY_MORNING, None),
    ]
    waiting = [
        OpenQuestion(123, ASKED, consented=False, waiting_working_hours=6.5),
        OpenQuestion(119, "Mag ik mijn dienstwagen thuis laden?", consented=False, waiting_working_hours=3.0),
    ]
    labels = {"topic:teams": "Microsoft Teams", "unit:fed-dri": units().label("fed-dri", lang)}
    card = staff_cards.render_summary(summary_numbers(), lang)
    card["body"] += outcome_elements(month, weeks, waiting, labels, lang)
    return card


def waiting_groups(lang: Lang) -> list[WaitingGroup]:
    """As bot/conversation/staff.py groups them: by topic (in the reader's language), newest first."""
    waiting, taken = t("myq.status.open", lang), t("myq.status.claimed", lang)
    satellite, teams = knowledge().topic_name("satellite", lang), knowledge().topic_name("teams", lang)
    return [
        WaitingGroup(
            satellite,
            [
                (123, WAITING.created_at, waiting, ASKED),
                (119, WAITING.created_at - timedelta(days=1), taken, "Mag ik mijn dienstwagen thuis laden?"),
            ],
        ),
        WaitingGroup(teams, [(117, WAITING.created_at - timedelta(days=2), waiting, "teams traag op vpn")]),
    ]


def samples() -> tuple[Sample, ...]:
    """Every card the bot sends, with the result it is drawn from. Keep in step with bot/cards."""
    unit_choices = units().choices
    return (
        Sample(
            "welcome_nl",
            "Welcome card, sent once when the bot is installed (Dutch)",
            lambda: welcome_cards.render_welcome("nl"),
        ),
        Sample("welcome_fr", "Welcome card (French)", lambda: welcome_cards.render_welcome("fr")),
        Sample("welcome_de", "Welcome card (German)", lambda: welcome_cards.render_welcome("de")),
        Sample("welcome_en", "Welcome card (English)", lambda: welcome_cards.render_welcome("en")),
        Sample("help_nl", "Help: what the bot can do (Dutch)", lambda: welcome_cards.render_help("nl")),
        Sample(
            "help_fr_staff",
            "Help for DRI and ambassadors, with the staff commands (French)",
            lambda: welcome_cards.render_help("fr", staff=True),
        ),
        Sample(
            "answer_nl",
            "FAQ answer with links, related questions and the vote (Dutch)",
            lambda: answer_card("teams-mobile-install", "nl"),
        ),
        Sample("answer_fr", "FAQ answer (French)", lambda: answer_card("mfa-setup", "fr")),
        Sample(
            "answer_fallback_de",
            "FAQ answer given in another language than asked, with a note (German question)",
            lambda: answer_card("teams-what", "de"),
        ),
        Sample(
            "did_you_mean_nl",
            '"Did you mean" when a question fits several answers (Dutch)',
            lambda: did_you_mean_card(AMBIGUOUS_CANDIDATES),
        ),
        Sample(
            "unknown_nl",
            '"I don\'t know that yet", with "Ask an ambassador" (unfolds the form) (Dutch)',
            lambda: faq_cards.render_unknown("nl", ask_offer(Origin.UNANSWERED, ASKED, "nl")),
        ),
        Sample(
            "out_of_scope_nl",
            '"That is outside what I cover", for a question the FAQ knows nothing of (Dutch)',
            lambda: ticket_cards.render_out_of_scope(
                ask_offer(Origin.OUT_OF_SCOPE, "Wat wordt het weer morgen in Brussel?", "nl"), "nl"
            ),
        ),
        Sample(
            "ask_form_thumbs_down_fr",
            "After 👎: what was missing, and the question to an ambassador, with what will be shared (French)",
            lambda: ticket_cards.render_ask_form(
                ask_offer(Origin.THUMBS_DOWN, "comment activer le MFA", "fr", entry_id="mfa-setup"), "fr"
            ),
        ),
        Sample(
            "ticket_created_nl",
            "The question went to the ambassadors: its reference (Dutch)",
            lambda: ticket_cards.render_ticket_created(123, "nl"),
        ),
        Sample(
            "ticket_answer_nl",
            "An ambassador's answer, in the user's own chat, with 👍/👎 and \"still not solved\" (Dutch)",
            lambda: ticket_answer_card(ANSWERED, "nl"),
        ),
        Sample(
            "my_questions_fr",
            '"My questions": the open and answered ones (French)',
            lambda: ticket_cards.render_my_questions(
                [
                    replace(ANSWERED, question="Comment obtenir un nouveau badge ?", lang="fr"),
                    replace(WAITING, number=131, question="Puis-je recharger ma voiture de service ?"),
                ],
                2,
                "fr",
            ),
        ),
        Sample(
            "ambassador_open_nl",
            "A question in the ambassadors' channel: I'll take it, answer, answer with an FAQ entry (Dutch)",
            lambda: ambassador_card(WAITING, "nl"),
        ),
        Sample(
            "ambassador_claimed_nl",
            "The same card once an ambassador took it (the user agreed to show their name) (Dutch)",
            lambda: ambassador_card(CLAIMED, "nl"),
        ),
        Sample(
            "ambassador_answered_nl",
            "The same card once answered (Dutch)",
            lambda: ambassador_card(ANSWERED, "nl"),
        ),
        Sample(
            "ambassador_reopened_nl",
            'The same card after the user said "still not solved" (Dutch)',
            lambda: ambassador_card(REOPENED, "nl"),
        ),
        Sample(
            "ambassador_reminder_nl",
            "Reminder for a question nobody took, after the configured working hours (Dutch)",
            lambda: ambassador_cards.render_reminder(
                WAITING, ticket_context(WAITING, knowledge(), units(), "nl"), "nl", hours=4
            ),
        ),
        Sample("topics_nl", "Browse topics (Dutch)", lambda: topics_card("nl")),
        Sample(
            "topic_entries_fr",
            "The questions of one topic (French)",
            lambda: topic_entries_card("security", "fr"),
        ),
        Sample(
            "survey_nl",
            "Feedback survey form (Dutch)",
            lambda: feedback_cards.render_survey("nl", unit_choices("nl"), card_id=GALLERY_CARD, min_group=5),
        ),
        Sample(
            "survey_fr_missing_rating",
            "Feedback survey sent back with what is missing (French)",
            lambda: feedback_cards.render_survey(
                "fr",
                unit_choices("fr"),
                card_id=GALLERY_CARD,
                min_group=5,
                answers=SurveyAnswers(tool="teams", works="Le chat"),
                problems=["rating"],
            ),
        ),
        Sample(
            "nearest_nl",
            "The three satellite offices nearest to a place (Dutch)",
            lambda: nearest_card("Leuven", "nl"),
        ),
        Sample(
            "nearest_fr_remembered",
            "Nearest offices from the remembered home area (French)",
            lambda: nearest_card("Namur", "fr", remembered=True),
        ),
        Sample(
            "province_de",
            "Every satellite office of a province (German)",
            lambda: province_card("Provinz Lüttich", "de"),
        ),
        Sample(
            "place_choice_en",
            '"Which place did you mean?" (English)',
            lambda: office_cards.render_place_choice(places().resolve("Deurne"), "en"),
        ),
        Sample(
            "remember_offer_nl",
            "Offer to remember the home area, with consent (Dutch)",
            lambda: office_cards.render_remember_offer("Leuven", "nl"),
        ),
        Sample(
            "my_data_nl",
            "What the bot keeps about the user (Dutch)",
            lambda: privacy_cards.render_my_data(
                UserData("k", 1, 4, {"home_area": "Leuven"}), "nl", retention_days=Settings().retention_days
            ),
        ),
        Sample(
            "delete_confirm_fr",
            "Confirm erasing the user's data (French)",
            lambda: privacy_cards.render_delete_confirm("fr", min_group=Settings().min_group_size),
        ),
        Sample(
            "summary_nl",
            "DRI summary of the last closed month, with where questions ended (Dutch)",
            lambda: summary_with_outcomes_card("nl"),
        ),
        Sample(
            "pulse_nl",
            "An adoption pulse, as it arrives in the personal chat (Dutch)",
            lambda: pulse_cards.render_pulse(example_pulse(), "nl", units().choices("nl"), min_group=10),
        ),
        Sample(
            "pulse_reminder_de",
            "The pulse's one reminder, with the unit the user let the bot remember (German)",
            lambda: pulse_cards.render_pulse(
                example_pulse(), "de", units().choices("de"), min_group=10, reminder=True, unit="fed-dri"
            ),
        ),
        Sample(
            "pulse_status_fr",
            "For DRI: 'pulses', the delivery and answers of the latest pulses (French)",
            lambda: pulse_cards.render_pulse_status(
                [pulse_status_sample()], "fr", {u: units().label(u, "fr") for u in units().ids()}
            ),
        ),
        Sample(
            "unanswered_fr",
            "For the ambassadors: questions waiting for one of them, then unanswered questions (French)",
            lambda: staff_cards.render_unanswered(
                UNANSWERED, "fr", period="semaines 2026-W41 à 2026-W44", waiting=waiting_groups("fr")
            ),
        ),
        Sample(
            "digest_nl",
            "Weekly digest posted in the ambassadors' team (Dutch)",
            lambda: staff_cards.render_digest(
                summary_numbers(), UNANSWERED, "week 2026-W44", "nl", TicketWeek(14, 11, 3, 2.5)
            ),
        ),
    )


# --- rendering -------------------------------------------------------------------------------------


def missing_requirements() -> list[str]:
    missing = []
    if not CHROMIUM.is_file():
        missing.append(f"chromium at {CHROMIUM}")
    for script in ("adaptivecards/dist/adaptivecards.min.js", "markdown-it/dist/markdown-it.min.js"):
        if not (TOOLS / "node_modules" / script).is_file():
            missing.append(f"tools/browser/node_modules/{script}")
    return missing


def render_all(chosen: Sequence[Sample], out_dir: Path) -> dict[str, list[str]]:
    """Draw each sample to out_dir/<name>.png; return the renderer's messages per card that had any."""
    from playwright.sync_api import sync_playwright

    host_config = json.loads(HOST_CONFIG.read_text(encoding="utf-8"))
    out_dir.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 640, "height": 800}, device_scale_factor=1)
            page.goto(GALLERY_PAGE.as_uri())
            page.wait_for_function("() => window.AdaptiveCards && window.markdownit && window.renderCard")
            page.evaluate("() => document.fonts.ready")
            for sample in chosen:
                card = sample.build()
                messages: list[str] = page.evaluate(
                    "([card, config]) => window.renderCard(card, config)", [card, host_config]
                )
                page.evaluate("() => document.fonts.ready")
                page.locator("#stage").screenshot(path=str(out_dir / f"{sample.name}.png"))
                if messages:
                    problems[sample.name] = messages
                logger.info("%s.png%s", sample.name, f" ({len(messages)} problems)" if messages else "")
        finally:
            browser.close()
    return problems


def write_index(all_samples: Sequence[Sample], out_dir: Path) -> None:
    lines = [
        "# Card gallery",
        "",
        "Every card the NWOW assistant sends, drawn by the official Adaptive Cards renderer with the Teams",
        "light theme. Regenerate with `.venv/bin/python scripts/card_gallery.py` (after",
        "`scripts/setup_browser.sh`). Teams' font is Segoe UI; these pictures use Open Sans where it is",
        "missing, so line breaks can differ slightly from Teams on Windows.",
        "",
    ]
    for sample in all_samples:
        lines += [f"## {sample.caption}", "", f"![{sample.name}]({sample.name}.png)", ""]
    (out_dir / "README.md").write_text("\n".join(lines), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render every bot card to docs/cards/<name>.png.")
    parser.add_argument("names", nargs="*", help="only these samples (default: all)")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder (default docs/cards)")
    parser.add_argument("--list", action="store_true", help="list the sample names and exit")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("nwow").setLevel(logging.ERROR)

    all_samples = samples()
    if args.list:
        for sample in all_samples:
            print(f"{sample.name}: {sample.caption}")
        return 0
    by_name = {s.name: s for s in all_samples}
    unknown = [n for n in args.names if n not in by_name]
    if unknown:
        parser.error(f"unknown sample(s) {', '.join(unknown)}; see --list")
    missing = missing_requirements()
    if missing:
        print(f"card_gallery: missing {', '.join(missing)}; run scripts/setup_browser.sh", file=sys.stderr)
        return 2
    chosen = [by_name[n] for n in args.names] if args.names else list(all_samples)
    problems = render_all(chosen, args.out)
    if not args.names:
        write_index(all_samples, args.out)
    for name, messages in problems.items():
        for message in messages:
            print(f"card_gallery: {name}: {message}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
