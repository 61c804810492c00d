"""The Teams / Bot Framework layer: app factory, adapter, activity handler, cards, CLI."""

__all__: list[str] = []
