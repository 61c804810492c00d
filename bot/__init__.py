"""The Teams / Bot Framework layer over the `nwow` domain.

- `bot.app`: the app factory `create_app(settings)`; `bot.settings`: typed settings from the environment.
- `bot.transport`: HTTP in and out (endpoint, adapter, authentication, Bot Connector client).
- `bot.turn`: one turn (deduplication, state and conflict retries, typing, errors, log ids).
- `bot.conversation`: the activity handler, commands, identity, staff reports, digest.
- `bot.cards`, `bot.strings`: what the user sees, in Dutch, French, German and English.
- `bot.cli`: the `nwow` command.
"""

__all__: list[str] = []
