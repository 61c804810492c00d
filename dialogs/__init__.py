"""botbuilder-dialogs flows: the satellite-office finder and the feedback survey."""

__all__: list[str] = []
