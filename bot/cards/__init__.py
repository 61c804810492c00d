"""Adaptive Card renderers: pure functions from a result and a language to a card dict."""

from bot.cards.base import adaptive_card

__all__ = ["adaptive_card"]
