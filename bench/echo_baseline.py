"""The baseline for issue 8: the stock botbuilder 4.17.1 echo bot, or the same echo bot on our plumbing.

    .venv/bin/python -m bench.echo_baseline                 # stock: CloudAdapter, auth disabled, adapter.process
    .venv/bin/python -m bench.echo_baseline --adapter nwow  # NwowAdapter + bot.transport.endpoint (dev mode)

Listens on 127.0.0.1 (port 0 = any free port) and prints `LISTENING <base url>` for bench/loadgen.py.
The stock variant is the SDK sample (02.echo-bot) as shipped: one message per turn via send_activity.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bench.serve_bot import serve_until_signalled

logger = logging.getLogger(__name__)


class EchoBot(ActivityHandler):  # type: ignore[misc]
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        text = turn_context.activity.text
        await turn_context.send_activity(MessageFactory.text(f"Echo: {text}", f"Echo: {text}"))


class DefaultConfig:
    """What the sample's config.py holds; empty app id = authentication disabled."""

    APP_ID = ""
    APP_PASSWORD = ""
    APP_TYPE = "MultiTenant"
    APP_TENANTID = ""


async def on_error(context: TurnContext, error: Exception) -> None:
    logger.error("turn failed: %s", error)
    await context.send_activity("The bot encountered an error or bug.")


def stock_app() -> web.Application:
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(DefaultConfig()))
    adapter.on_turn_error = on_error
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response: web.StreamResponse = await adapter.process(request, bot)
        return response

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def nwow_app() -> web.Application:
    from bot.settings import Settings
    from bot.transport.adapter import NwowAdapter
    from bot.transport.endpoint import make_messages_handler
    from bot.turn.dedupe import InMemoryDeduplicator

    settings = Settings().with_overrides(dev_mode=True)
    adapter = NwowAdapter(settings, on_error)
    app = web.Application()
    app.router.add_post(
        "/api/messages", make_messages_handler(adapter, EchoBot(), settings, InMemoryDeduplicator())
    )

    async def lifecycle(app: web.Application):  # type: ignore[no-untyped-def]
        await adapter.start()
        yield
        await adapter.close()

    app.cleanup_ctx.append(lifecycle)
    return app


async def serve(adapter: str, port: int) -> None:
    await serve_until_signalled(stock_app() if adapter == "stock" else nwow_app(), port)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--adapter", choices=("stock", "nwow"), default="stock")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(serve(args.adapter, args.port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
