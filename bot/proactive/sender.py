"""One delivery through the Bot Connector, and what its answer means for the outbox.

The answer decides the message's fate: 2xx sent; 429 throttled (wait for Retry-After, then again); 403 and
404 gone (Teams answers so when the user removed the app or blocked the bot, or the conversation no longer
exists); 5xx, 412, timeouts and failed connections a passing problem (again later); any other refusal
final. No retries here: the dispatcher decides when to try again, so that a 429 slows the whole outbox.

A timeout or a dropped connection after a new activity was posted is a passing problem too, but one the
channel may already have acted on: the result says so (`may_have_arrived`), and the dispatcher does not
send again what must not arrive twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import quote

import aiohttp

from bot.transport.outbound import (
    DEFAULT_SCOPE,
    InFlight,
    OutboundClient,
    OutboundError,
    OutboundRefused,
    RetryPolicy,
)
from nwow.outbox import Address

__all__ = ["ConnectorSender", "SendResult"]

logger = logging.getLogger(__name__)

Outcome = Literal["sent", "throttled", "gone", "transient", "failed"]

ONE_ATTEMPT: Final = RetryPolicy(max_attempts=1)
GONE_STATUSES: Final = frozenset({403, 404})
TRANSIENT_STATUSES: Final = frozenset({408, 412, 500, 502, 503, 504})


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    error: str = ""
    retry_after: float | None = None
    # The personal conversation opened for this send (the address book keeps it for the next one).
    opened_conversation: str | None = None
    # The id the channel gave the activity (kept by the outbox, so that it can be updated later).
    activity_id: str | None = None
    # A new activity was posted and no answer came back (a timeout, a dropped connection): the channel
    # may have it. Never set for an update (PUT), which is the same whether it arrives once or twice.
    may_have_arrived: bool = False


class ConnectorSender:
    """`check_service_url` is the transport's service URL rule (bot/transport/adapter.py): a proactive
    message does not come through the endpoint, so its address is checked here, once per send."""

    def __init__(
        self,
        outbound: OutboundClient,
        app_id: str,
        *,
        check_service_url: Callable[[str], None],
        scope: str = DEFAULT_SCOPE,
        timeout: float = 15.0,
    ) -> None:
        self._outbound = outbound
        self._app_id = app_id
        self._check_service_url = check_service_url
        self._scope = scope
        self._timeout = timeout

    async def send(
        self, address: Address, payload: Mapping[str, Any], *, update_of: str | None = None
    ) -> SendResult:
        """Post `payload` to the address's conversation; with `update_of`, replace that activity instead
        (PUT), e.g. a card whose state changed."""
        opened: str | None = None
        posted = InFlight()
        try:
            self._check_service_url(address.service_url)
            async with asyncio.timeout(self._timeout):
                conversation = address.conversation_id
                if not conversation:
                    if update_of:
                        raise _NoConversation("an update needs the conversation of the activity")
                    conversation = opened = await self._open_personal(address)
                path = f"/v3/conversations/{quote(conversation, safe='')}/activities"
                activity = self._activity(address, conversation, payload)
                if update_of:
                    activity["id"] = update_of
                    answer = await self._call(
                        "PUT", address.service_url, f"{path}/{quote(update_of, safe='')}", activity
                    )
                else:
                    answer = await self._call("POST", address.service_url, path, activity, in_flight=posted)
        except OutboundError as exc:
            return self._refused(exc, opened)
        except OutboundRefused as exc:
            return SendResult("failed", f"service URL refused: {exc}", opened_conversation=opened)
        except (TimeoutError, aiohttp.ClientError) as exc:
            return SendResult(
                "transient",
                type(exc).__name__,
                opened_conversation=opened,
                may_have_arrived=posted.unanswered,
            )
        except _NoConversation as exc:
            return SendResult("failed", str(exc))
        sent_id = answer.get("id") if isinstance(answer, dict) else None
        return SendResult(
            "sent",
            opened_conversation=opened,
            activity_id=update_of or (sent_id if isinstance(sent_id, str) and sent_id else None),
        )

    async def _open_personal(self, address: Address) -> str:
        if not address.user_id:
            raise _NoConversation("the address has neither a conversation nor a user to open one with")
        parameters: dict[str, Any] = {
            "bot": {"id": address.bot_id},
            "members": [{"id": address.user_id}],
            "isGroup": False,
        }
        if address.tenant_id:
            parameters["tenantId"] = address.tenant_id
            parameters["channelData"] = {"tenant": {"id": address.tenant_id}}
        answer = await self._call("POST", address.service_url, "/v3/conversations", parameters)
        conversation = answer.get("id") if isinstance(answer, dict) else None
        if not isinstance(conversation, str) or not conversation:
            raise _NoConversation("the channel opened no conversation")
        return conversation

    async def _call(
        self, method: str, service_url: str, path: str, body: Any, *, in_flight: InFlight | None = None
    ) -> Any:
        return await self._outbound.call(
            method,
            service_url,
            path,
            app_id=self._app_id,
            scope=self._scope,
            body=body,
            retry=ONE_ATTEMPT,
            in_flight=in_flight,
        )

    @staticmethod
    def _activity(address: Address, conversation: str, payload: Mapping[str, Any]) -> dict[str, Any]:
        activity: dict[str, Any] = {
            **payload,
            "type": payload.get("type", "message"),
            "channelId": address.channel_id,
            "serviceUrl": address.service_url,
            "from": {"id": address.bot_id},
            "conversation": {"id": conversation},
        }
        if address.user_id:
            activity["recipient"] = {"id": address.user_id}
        if address.locale and "locale" not in payload:
            activity["locale"] = address.locale
        return activity

    @staticmethod
    def _refused(exc: OutboundError, opened: str | None) -> SendResult:
        error = f"HTTP {exc.status}"
        if exc.status == 429:
            return SendResult("throttled", error, exc.retry_after, opened)
        if exc.status in GONE_STATUSES:
            return SendResult("gone", error, opened_conversation=opened)
        if exc.status in TRANSIENT_STATUSES:
            return SendResult("transient", error, exc.retry_after, opened)
        return SendResult("failed", error, opened_conversation=opened)


class _NoConversation(Exception):
    pass
