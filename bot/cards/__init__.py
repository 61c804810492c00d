"""Adaptive Card renderers: pure functions from a result and a language to a card dict."""

from bot.cards.base import CARD_CONTENT_TYPE, adaptive_card, as_attachment_dict

__all__ = ["CARD_CONTENT_TYPE", "adaptive_card", "as_attachment_dict"]
