"""Adoption pulses: short questionnaires DRI sends to the people through the bot (docs/pulses.md)."""
