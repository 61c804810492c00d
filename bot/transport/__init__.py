"""HTTP in and out: the /api/messages endpoint, the Bot Framework adapter, token checks, the Bot Connector.

This is the part a move to the Microsoft 365 Agents SDK replaces (docs/agents-sdk.md).
"""

__all__: list[str] = []
