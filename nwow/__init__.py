"""Domain core of the NWOW assistant: FAQ matching, satellite offices, feedback.

Nothing in this package imports botbuilder: it takes and returns dataclasses, so the Teams layer
(`bot/`, `dialogs/`) can be replaced without touching it.
"""

__all__: list[str] = []
