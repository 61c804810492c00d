"""Driving the Agents Playground's chat page as a user: type, send, read the bot's cards, click buttons.

What the page looks like (playground 0.2.x): the send box is a Lexical editor (`[data-lexical-editor]`,
Enter sends); every message from the bot is a `.fai-OutputCard`; an Adaptive Card inside it is rendered by
the `adaptivecards` library (`.ac-adaptiveCard`, `.ac-textBlock`, buttons with the action title as their
accessible name, inputs under `.ac-input-container`); an Action.Submit posts a message activity whose
`value` is the action data merged with the card's inputs. The log panel on the right lists each activity
with the HTTP status the bot answered ("conversationUpdate 200").

Every wait is a Playwright wait on what the page shows, bounded by `timeout_ms`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

BOT_MESSAGE = ".fai-OutputCard"
CARD = ".ac-adaptiveCard"
SEND_BOX = "[data-lexical-editor=true]"
TEXT_LIMIT = 6000


class StepFailed(AssertionError):
    """A step did not see what it expected; the message carries what the page showed."""


class Chat:
    """The personal chat with the bot in the playground page."""

    def __init__(
        self,
        page: Page,
        artifacts: Path,
        *,
        timeout_ms: float,
        server_log: Callable[[], str] = lambda: "",
    ) -> None:
        self.page = page
        self.artifacts = artifacts
        self.timeout_ms = timeout_ms
        self._server_log = server_log
        page.set_default_timeout(timeout_ms)
        expect.set_options(timeout=timeout_ms)

    # --- reading -----------------------------------------------------------------------------------

    @property
    def bot_messages(self) -> Locator:
        return self.page.locator(BOT_MESSAGE)

    @property
    def cards(self) -> Locator:
        """Every Adaptive Card the bot sent, oldest first."""
        return self.page.locator(f"{BOT_MESSAGE} {CARD}")

    def cards_with(self, text: str | re.Pattern[str]) -> Locator:
        return self.cards.filter(has_text=text)

    def cards_with_heading(self, text: str) -> Locator:
        """Cards with a text block that reads exactly `text` (a button with that title does not count)."""
        return self.cards.filter(has=self.page.locator(".ac-textBlock").get_by_text(text, exact=True))

    def messages_with(self, text: str | re.Pattern[str]) -> Locator:
        return self.bot_messages.filter(has_text=text)

    def log_panel_entry(self, text: str | re.Pattern[str]) -> Locator:
        """A line of the playground's log panel, e.g. the bot's answer to an activity."""
        return self.page.get_by_text(text)

    def visible_text(self) -> str:
        """What the chat shows: each bot message's text, oldest first (cut to the last few thousand chars)."""
        try:
            texts = self.bot_messages.all_inner_texts()
        except PlaywrightError as exc:
            return f"(could not read the page: {exc})"
        joined = "\n----\n".join(texts)
        if len(joined) > TEXT_LIMIT:
            joined = "...\n" + joined[-TEXT_LIMIT:]
        return joined or "(no message from the bot on the page)"

    # --- acting ------------------------------------------------------------------------------------

    def send(self, text: str) -> None:
        """Type `text` in the send box and press Enter, as a user does."""
        box = self.page.locator(SEND_BOX)
        box.click()
        self.page.keyboard.type(text)
        expect(box).to_have_text(text)
        self.page.keyboard.press("Enter")
        expect(box).to_have_text("")

    def wait_for_new_card(self, text: str | re.Pattern[str], before: int) -> Locator:
        """Wait until more than `before` cards contain `text`; return the first new one.

        The locator is pinned by position, so later cards with the same text do not move it.
        """
        matching = self.cards_with(text)
        expect(matching).to_have_count(before + 1)
        return matching.nth(before)

    def ask(self, question: str, expect_text: str | re.Pattern[str]) -> Locator:
        """Send `question` and wait for a new card containing `expect_text`; return that card."""
        before = self.cards_with(expect_text).count()
        self.send(question)
        return self.wait_for_new_card(expect_text, before)

    def click(self, card: Locator, button: str) -> None:
        card.get_by_role("button", name=button, exact=True).click()

    def choose(self, card: Locator, label: str, option: str) -> None:
        """Pick `option` in the drop-down (a compact Input.ChoiceSet) labelled `label`."""
        combobox = card.get_by_role("combobox", name=re.compile("^" + re.escape(label)))
        combobox.click()
        self.page.get_by_role("option", name=option, exact=True).click()
        expect(combobox).to_have_value(option)

    # --- evidence ----------------------------------------------------------------------------------

    def screenshot(self, name: str) -> Path:
        self.artifacts.mkdir(parents=True, exist_ok=True)
        path = self.artifacts / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """One user-visible step: a screenshot when it ends, and on failure the page's text in the error."""
        try:
            yield
        except (AssertionError, PlaywrightError) as exc:
            shot = self._try_screenshot(f"{name}-failed")
            # The original error is in the message: no chained traceback to scroll past.
            raise StepFailed(
                f"step {name!r} failed: {exc}\n\nscreenshot: {shot}\n\nthe chat shows:\n{self.visible_text()}"
                f"\n\n{self._server_log()}"
            ) from None
        self.screenshot(name)

    def _try_screenshot(self, name: str) -> Path | str:
        try:
            return self.screenshot(name)
        except PlaywrightError as exc:
            return f"(no screenshot: {exc})"
