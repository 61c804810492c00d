"""Satellite-office cards: the nearest offices, the offices of a province, "which place?", "remember it?"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Final
from urllib.parse import quote, urlencode

from bot.cards.actions import CardAction
from bot.cards.base import Element, adaptive_card, more_rows, open_url_action, submit_action, text_block
from bot.cards.escape import user_text
from bot.cards.provenance import example_office_note, example_offices_note
from bot.cards.values import MAX_ID, card_parser, read_flag, read_id
from bot.strings import t
from nwow.offices.model import (
    WEEKDAYS,
    NearestOffices,
    Office,
    OfficeMatch,
    OfficeStatus,
    Place,
    PlaceResolution,
    Province,
    ProvinceOffices,
    TimeRange,
    pick_text,
)

OSM_ZOOM: Final = 17
# Place buttons on "which place did you mean?", at most.
MAX_PLACE_BUTTONS: Final = 5
# Characters shown of a place as the user typed it (or as a remembered home area holds it).
PLACE_CHARS: Final = 100
# Offices listed for a province at the most (about 1 KB each; a card must stay under Teams' size limit).
MAX_PROVINCE_OFFICES: Final = 12
# The action of the "all offices in <province>" button: the bot starts the office finder with the
# button's data as options ({"province": REFNIS code}).
PROVINCE_ACTION: Final = CardAction.OFFICES_PROVINCE.value


def osm_url(lat: float, lon: float) -> str:
    """OpenStreetMap with a marker on the point."""
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map={OSM_ZOOM}/{lat:.5f}/{lon:.5f}"


def teams_chat_url(user: str) -> str:
    """A Teams deep link that opens a chat with `user` (a sign-in address)."""
    return f"https://teams.microsoft.com/l/chat/0/0?users={quote(user, safe='@')}"


def mailto_url(address: str, subject: str) -> str:
    return f"mailto:{address}?{urlencode({'subject': subject}, quote_via=quote)}"


def render_nearest(result: NearestOffices, lang: str) -> dict[str, Any]:
    """The nearest offices to a place: distance, open now, today's hours, desks, facilities, access."""
    body: list[Element] = [
        text_block(
            t("offices.nearest_title", lang, place=result.place.name(lang)),
            size="Medium",
            weight="Bolder",
            style="heading",
        ),
        text_block(t("offices.nearest_intro", lang, time=f"{result.at:%H:%M}"), isSubtle=True, size="Small"),
    ]
    if result.remembered:
        body.append(text_block(t("offices.remembered_note", lang), isSubtle=True, size="Small"))
    if not result.matches:
        body.append(text_block(t("offices.no_offices", lang)))
    shown = [match.office for match in result.matches]
    body += example_offices_note(shown, lang)
    for rank, match in enumerate(result.matches):
        body.append(_office_container(match, result.at, lang, separator=rank > 0, shown=shown))
    actions: list[Element] = []
    if result.province is not None:
        actions.append(
            submit_action(
                t("offices.button_province", lang, province=result.province.name(lang)),
                {"action": PROVINCE_ACTION, "province": result.province.id},
            )
        )
    return adaptive_card(body, actions, lang=lang, fallback_text=_fallback(result.matches, lang))


def render_province(result: ProvinceOffices, lang: str) -> dict[str, Any]:
    """Every office of a province (or Brussels), each with its hours today and its buttons."""
    name = result.province.name(lang)
    body: list[Element] = [
        text_block(
            t("offices.province_title", lang, province=name), size="Medium", weight="Bolder", style="heading"
        ),
        text_block(t("offices.nearest_intro", lang, time=f"{result.at:%H:%M}"), isSubtle=True, size="Small"),
    ]
    if not result.offices:
        body.append(text_block(t("offices.province_empty", lang, province=name)))
    shown = [status.office for status in result.offices[:MAX_PROVINCE_OFFICES]]
    body += example_offices_note(shown, lang)
    for rank, status in enumerate(result.offices[:MAX_PROVINCE_OFFICES]):
        body.append(
            _office_container(status, result.at, lang, separator=rank > 0, details=False, shown=shown)
        )
    body += more_rows(MAX_PROVINCE_OFFICES, len(result.offices), lang)
    return adaptive_card(body, lang=lang, fallback_text=_fallback(result.offices, lang))


def render_place_choice(
    resolution: PlaceResolution,
    lang: str,
    *,
    provinces: Sequence[Province] = (),
    province_of: Mapping[str, Province] | None = None,
) -> dict[str, Any]:
    """ "Which place did you mean?" with up to five place buttons (named in the reader's language, each
    sending back its place's label), or "unknown place" with how to type one. With `provinces`, the name
    may also be a province (Limburg) or covers several (a region): an "all offices in ..." button each
    comes first. `province_of` (by REFNIS code) names a place's province where two places would read alike
    or a province is offered too: "Limburg (Provincie Luik)". The words the user typed are shown as text."""
    query = user_text(resolution.query, PLACE_CHARS)
    places = resolution.candidates[:MAX_PLACE_BUTTONS]
    if provinces:
        title = t("offices.which_meaning", lang, query=query)
    elif places or resolution.suggestions:
        title = t("offices.which_place", lang, query=query)
    else:
        title = t("offices.unknown_place", lang, query=query)
    body = [
        text_block(title, weight="Bolder"),
        text_block(t("offices.try_again", lang), isSubtle=True, size="Small"),
    ]
    actions = [
        submit_action(
            t("offices.button_province", lang, province=province.name(lang)),
            {"action": PROVINCE_ACTION, "province": province.id},
        )
        for province in provinces
    ]
    titles = _place_titles(places, lang, province_of or {}, with_province=bool(provinces))
    actions += [
        submit_action(title, {"action": CardAction.OFFICES_PLACE.value, "place": place.label})
        for place, title in zip(places, titles, strict=True)
    ]
    if not places:  # labels only (a resolution made without its places)
        actions += [
            submit_action(name, {"action": CardAction.OFFICES_PLACE.value, "place": name})
            for name in resolution.suggestions[:MAX_PLACE_BUTTONS]
        ]
    return adaptive_card(body, actions, lang=lang, fallback_text=t("offices.try_again", lang))


def _place_titles(
    places: Sequence[Place], lang: str, province_of: Mapping[str, Province], *, with_province: bool
) -> list[str]:
    names = [place.name(lang) for place in places]
    titles = []
    for place, name in zip(places, names, strict=True):
        province = province_of.get(place.province_id or "")
        if province is not None and (with_province or names.count(name) > 1):
            titles.append(t("offices.choice_place", lang, place=name, province=province.name(lang)))
        else:
            titles.append(name)
    return titles


def render_remember_offer(place: str, lang: str, *, name: str | None = None) -> dict[str, Any]:
    """Ask for consent to keep the place as the user's home area: yes / no.

    `place` is a place label (short); the buttons carry it back, as much as a button's id may hold.
    `name` is how the reader calls it ('Namur' for 'Namen / Namur')."""
    shown = user_text(name or place, PLACE_CHARS)
    place = place[:MAX_ID]
    body = [
        text_block(t("offices.remember_offer", lang, place=shown)),
        text_block(t("offices.remember_privacy", lang), isSubtle=True, size="Small"),
    ]
    actions = [
        submit_action(
            t("offices.yes", lang),
            {"action": CardAction.OFFICES_REMEMBER.value, "remember": True, "place": place},
            style="positive",
        ),
        submit_action(
            t("offices.no", lang),
            {"action": CardAction.OFFICES_REMEMBER.value, "remember": False, "place": place},
        ),
    ]
    return adaptive_card(
        body, actions, lang=lang, fallback_text=t("offices.remember_offer", lang, place=shown)
    )


def _office_container(
    status: OfficeStatus,
    at: datetime,
    lang: str,
    *,
    separator: bool,
    details: bool = True,
    shown: Sequence[Office] = (),
) -> Element:
    office = status.office
    heading = office.name(lang)
    if isinstance(status, OfficeMatch):
        heading = f"{heading} · {t('offices.distance', lang, km=_km(status.distance_km, lang))}"
    state = opening_text(status, at, lang)
    facts = [
        {"title": t("offices.today", lang), "value": _hours_today(status, lang)},
        {"title": t("offices.address", lang), "value": _address(office)},
        {"title": t("offices.desks", lang), "value": str(office.desks)},
    ]
    if details:
        facts.insert(2, {"title": t("offices.host", lang), "value": office.host_name(lang)})
        if office.facilities:
            facts.append(
                {
                    "title": t("offices.facilities", lang),
                    "value": ", ".join(t(f"offices.facility.{f}", lang) for f in office.facilities),
                }
            )
        facts.append(
            {
                "title": t("offices.languages", lang),
                "value": ", ".join(t(f"offices.lang.{code}", lang) for code in office.languages),
            }
        )
    items: list[Element] = [
        text_block(heading, weight="Bolder"),
        *example_office_note(office, shown, lang),
        text_block(state, color="Good" if status.open_now else "Attention", spacing="None", size="Small"),
        {"type": "FactSet", "facts": facts},
    ]
    if details:
        items.append(text_block(f"**{t('offices.access', lang)}:** {office.access_text(lang)}", size="Small"))
    items.append({"type": "ActionSet", "actions": _office_actions(office, lang)})
    container: Element = {"type": "Container", "items": items}
    if separator:
        container["separator"] = True
        container["spacing"] = "Medium"
    return container


def opening_text(status: OfficeStatus, at: datetime, lang: str) -> str:
    """ "Open now", "Closed now", or "Closed now · opens Monday at 08:00" (`at` and the opening on the
    Brussels clock): today, tomorrow, a weekday within the week, else the date."""
    if status.open_now:
        return t("offices.open_now", lang)
    if status.opens_at is None:
        return t("offices.closed_now", lang)
    opens = status.opens_at
    days = (opens.date() - at.date()).days
    values = {
        "time": f"{opens:%H:%M}",
        "weekday": t(f"offices.weekday.{WEEKDAYS[opens.weekday()]}", lang),
        "day": str(opens.day),
        "month": t(f"offices.month.{opens.month}", lang),
    }
    if days <= 0:
        key = "offices.opens_today"
    elif days == 1:
        key = "offices.opens_tomorrow"
    elif days < len(WEEKDAYS):
        key = "offices.opens_weekday"
    else:
        key = "offices.opens_date"
    return t("offices.closed_opens", lang, opens=t(key, lang, **values))


def _office_actions(office: Office, lang: str) -> list[Element]:
    actions = [open_url_action(t("offices.button_map", lang), osm_url(office.lat, office.lon))]
    if office.contact.email:
        subject = t("offices.email_subject", lang, name=office.name(lang))
        actions.append(
            open_url_action(t("offices.button_email", lang), mailto_url(office.contact.email, subject))
        )
    if office.contact.teams:
        actions.append(open_url_action(t("offices.button_teams", lang), teams_chat_url(office.contact.teams)))
    return actions


def _hours_today(status: OfficeStatus, lang: str) -> str:
    if status.closure_today is not None:
        return t("offices.closed_because", lang, reason=pick_text(status.closure_today.reason, lang))
    if not status.today_hours:
        return t("offices.closed_today", lang)
    return ", ".join(_range_text(r) for r in status.today_hours)


def _range_text(hours: TimeRange) -> str:
    end = "24:00" if hours.end == time.max else f"{hours.end:%H:%M}"
    return f"{hours.start:%H:%M}–{end}"


def _address(office: Office) -> str:
    a = office.address
    return f"{a.street}, {a.postal_code} {a.municipality}"


def _km(distance: float, lang: str) -> str:
    text = f"{distance:.1f}" if distance < 100 else f"{distance:.0f}"
    return text if lang == "en" else text.replace(".", ",")


def _fallback(statuses: Sequence[OfficeStatus], lang: str) -> str:
    return "; ".join(s.office.name(lang) for s in statuses) or t("offices.no_offices", lang)


@dataclass(frozen=True)
class PlaceChoice:
    """A place button of "which place did you mean?"."""

    place: str


@dataclass(frozen=True)
class RememberAnswer:
    """Yes / no on "remember this place?"; `place` is the place the card offered to remember."""

    remember: bool
    place: str


@dataclass(frozen=True)
class ProvinceChoice:
    """The "all offices in <province>" button (a REFNIS code)."""

    province: str


@card_parser
def parse_place_choice(value: Mapping[str, object]) -> PlaceChoice:
    return PlaceChoice(read_id(value, "place"))


@card_parser
def parse_remember(value: Mapping[str, object]) -> RememberAnswer:
    return RememberAnswer(remember=read_flag(value, "remember"), place=read_id(value, "place"))


@card_parser
def parse_province_choice(value: Mapping[str, object]) -> ProvinceChoice:
    return ProvinceChoice(read_id(value, "province"))
