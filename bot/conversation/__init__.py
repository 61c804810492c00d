"""What the bot says and does with a message: the activity handler, the command table, who is talking,
the staff reports and the weekly digest. The dialogs it runs are in the top-level `dialogs/` package."""

__all__: list[str] = []
