"""The app factory: `create_app(settings)` builds the whole bot; resources live in `app.cleanup_ctx`."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from aiohttp import web
from botbuilder.core import ConversationState

from bot.conversation.ambassadors import AmbassadorTeam
from bot.conversation.digest import remember_if_ambassador_team, scheduled_digest, send_digest
from bot.conversation.handler import BotServices, NwowBot
from bot.conversation.pulses import PulseDesk, PulseServices
from bot.conversation.staff import StaffReports, TicketSources
from bot.conversation.ticket_delivery import TicketCardView, running_sweeper
from bot.conversation.tickets import TicketDesk, TicketServices
from bot.conversation.user_state import PseudonymousUserState
from bot.metrics import CONTENT_TYPE_LATEST, BotMetrics
from bot.proactive.dispatcher import DispatchPolicy
from bot.proactive.runtime import running_proactive
from bot.readiness import Readiness
from bot.settings import Settings
from bot.transport.adapter import NwowAdapter
from bot.transport.endpoint import http_server_args, make_messages_handler
from bot.turn.dedupe import ActivityDeduplicator
from bot.turn.errors import make_error_handler
from bot.turn.retry import ConflictRetryingBot
from bot.turn.sql_dedupe import SqlDeduplicator
from bot.turn.state_storage import SqlStorage
from bot.turn.typing import TypingIndicator
from dialogs.feedback_survey import FeedbackSurveyDialog
from dialogs.office_finder import OfficeFinderDialog
from nwow.content_gate import ALLOW_SETTING
from nwow.faq.holder import KnowledgeBaseHolder
from nwow.feedback.retention import RetentionSchedule
from nwow.feedback.units import UNITS_FILE, Units, units_loader
from nwow.offices.detect import is_office_question, office_language
from nwow.offices.loader import OFFICES_FILE, offices_loader
from nwow.offices.model import OfficeDirectory
from nwow.reloading import Loaded, LoadFailed, Reloading
from nwow.schedule import Schedule
from nwow.snapshot import SnapshotStore
from nwow.storage import Database, Deadlines, open_database
from nwow.storage.write_once import KvWriteOnce
from nwow.tickets.routing import ROUTING_FILE, Routing, routing_loader

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass
class Runtime:
    """Everything a running bot holds; built in the cleanup context, reached through `RUNTIME`."""

    settings: Settings
    knowledge: KnowledgeBaseHolder
    offices: Reloading[OfficeDirectory]
    units: Reloading[Units]
    routing: Reloading[Routing]
    database: Database
    adapter: NwowAdapter
    bot: NwowBot
    tickets: TicketDesk
    dedupe: ActivityDeduplicator
    metrics: BotMetrics
    readiness: Readiness
    retention: RetentionSchedule
    messages: Any


SETTINGS = web.AppKey("nwow.settings", Settings)
METRICS = web.AppKey("nwow.metrics", BotMetrics)
RUNTIME = web.AppKey("nwow.runtime", Runtime)


def create_app(settings: Settings) -> web.Application:
    settings.validate()
    app = web.Application(client_max_size=settings.max_body_bytes, handler_args=http_server_args())
    app[SETTINGS] = settings
    app[METRICS] = BotMetrics()
    app.cleanup_ctx.append(_runtime)
    app.router.add_post("/api/messages", _messages)
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/readyz", _readyz)
    app.router.add_get("/metrics", _metrics)
    return app


async def _runtime(app: web.Application) -> AsyncIterator[None]:
    settings = app[SETTINGS]
    metrics = app[METRICS]
    if settings.dev_mode:
        logger.warning("development mode: no authentication; replies only to loopback service URLs")
    await asyncio.to_thread(settings.data_dir.mkdir, parents=True, exist_ok=True)
    async with contextlib.AsyncExitStack() as stack:
        # The last good version of each file set is kept in the data folder: a start on broken files
        # serves it (with a loud warning) instead of refusing to start. The sentence embeddings of the
        # variants are cached there too, so a reload embeds only what changed.
        snapshots = settings.data_dir / "kb-snapshots"
        # Outside development mode, draft security entries and example offices are refused like errors
        # unless the deployment allows them (nwow.content_gate): a first start on them stops with the reason.
        knowledge = KnowledgeBaseHolder(
            settings.faq_dir,
            settings.faq_reload_seconds,
            snapshots=SnapshotStore(snapshots / "faq"),
            cache_dir=settings.data_dir,
            refuse_unvalidated=settings.refuse_unvalidated_content,
        )
        await knowledge.start()
        stack.push_async_callback(knowledge.stop)
        offices = _reloading_file(
            "satellite offices",
            OFFICES_FILE,
            offices_loader(refuse_examples=settings.refuse_unvalidated_content),
            settings,
        )
        await offices.start()
        stack.push_async_callback(offices.stop)
        units = _reloading_file("units", UNITS_FILE, units_loader, settings)
        await units.start()
        stack.push_async_callback(units.stop)
        routing = _reloading_file("ticket routing", ROUTING_FILE, routing_loader, settings)
        await routing.start()
        stack.push_async_callback(routing.stop)
        if not settings.ambassador_team_id:
            logger.warning(
                "NWOW_AMBASSADOR_TEAM_ID is not set: questions for the ambassadors are kept, but no card "
                "reaches their team"
            )
        database = await open_database(
            settings.effective_database_url, deadlines=Deadlines.uniform(settings.db_timeout_seconds)
        )
        stack.push_async_callback(database.close)

        feedback = database.feedback
        storage = SqlStorage(database.kv)
        conversation_state = ConversationState(storage)
        user_state = PseudonymousUserState(storage, settings.effective_pseudonym_key)
        adapter = NwowAdapter(settings, on_error=make_error_handler(conversation_state))
        adapter.use(TypingIndicator())
        await adapter.start()
        stack.push_async_callback(adapter.close)
        ticket_view = TicketCardView(
            database.tickets,
            lambda: knowledge.current,
            lambda: units.current,
            settings.digest_lang,  # type: ignore[arg-type]  # validated: nl, fr, de or en
            settings.working_hours,
        )
        staff = StaffReports(
            settings,
            feedback,
            KvWriteOnce(database.kv),
            knowledge=lambda: knowledge.current,
            tickets=TicketSources(database.tickets, database.questions, lambda: units.current),
            pulses=database.pulses,
        )
        pulses = PulseDesk(
            PulseServices(
                settings=settings,
                pulses=database.pulses,
                outbox=database.outbox,
                feedback=feedback,
                units=lambda: units.current,
                is_dri=staff.is_dri,
            )
        )
        proactive = await stack.enter_async_context(
            running_proactive(
                database,
                adapter.outbound,
                settings.APP_ID,
                DispatchPolicy(rate=settings.proactive_rate),
                metrics,
                adapter.check_service_url,
                live={**ticket_view.live(), **pulses.live()},
            )
        )
        tickets = TicketDesk(
            TicketServices(
                settings=settings,
                tickets=database.tickets,
                questions=database.questions,
                proposals=database.proposals,
                proactive=proactive,
                team=AmbassadorTeam(settings, database.addresses),
                knowledge=lambda: knowledge.current,
                routing=lambda: routing.current,
                units=lambda: units.current,
            ),
            ticket_view,
        )
        await stack.enter_async_context(running_sweeper(tickets.sweep, database.leases))
        bot = NwowBot(
            BotServices(
                settings=settings,
                knowledge=lambda: knowledge.current,
                feedback=feedback,
                conversation_state=conversation_state,
                user_state=user_state,
                dialogs=[
                    FeedbackSurveyDialog(
                        feedback,
                        lambda lang: units.current.choices(lang),
                        min_group=settings.min_group_size,
                        submission_key=settings.effective_pseudonym_key,
                    ),
                    OfficeFinderDialog(
                        lambda: offices.current,
                        feedback,
                        other_question=lambda text, locale: (
                            knowledge.current.match(
                                text,
                                locale,
                                threshold=settings.match_threshold,
                                gap=settings.match_ambiguity_gap,
                            ).status
                            != "unanswered"
                        ),
                    ),
                ],
                is_office_question=is_office_question,
                office_language=office_language,
                staff=staff,
                metrics=metrics,
                on_installed=lambda activity: remember_if_ambassador_team(database.kv, settings, activity),
                proactive=proactive,
                tickets=tickets,
                pulses=pulses,
                units=lambda: units.current,
            )
        )
        if settings.digest_schedule:
            await stack.enter_async_context(
                scheduled_digest(
                    Schedule.parse(settings.digest_schedule),
                    lambda now: send_digest(
                        adapter, database.kv, feedback, settings, now, knowledge.current, database.tickets
                    ),
                    database.kv,
                )
            )
        # The privacy promise: feedback, tickets, question records and proposals older than the retention
        # period are deleted, daily, by one replica.
        retention = await stack.enter_async_context(
            RetentionSchedule(database.expiring, database.kv, settings.retention_days).running()
        )
        # Scale-out (docs/scale-out.md): activity ids are claimed in the shared database, so a repeat is
        # dropped whichever replica got the first delivery, and a retry whose first delivery died with its
        # replica is processed once that replica's lease runs out; a turn that loses a state race is run
        # again.
        dedupe = SqlDeduplicator(database.executor)
        await dedupe.start()
        stack.push_async_callback(dedupe.close)  # writes queued "done" marks before the database closes
        turn = ConflictRetryingBot(
            bot,
            (conversation_state, user_state),
            metrics,
            on_finished=dedupe.turn_finished,
            redelivered=dedupe.taken_over,
        )
        app[RUNTIME] = Runtime(
            settings=settings,
            knowledge=knowledge,
            offices=offices,
            units=units,
            routing=routing,
            database=database,
            adapter=adapter,
            bot=bot,
            tickets=tickets,
            dedupe=dedupe,
            metrics=metrics,
            readiness=Readiness(
                database,
                [settings.data_dir, *([database.sqlite_file.parent] if database.sqlite_file else [])],
                min_free_bytes=settings.min_free_disk_mb * 1024 * 1024,
                signing_keys=adapter.signing_keys if settings.APP_ID else None,
            ),
            retention=retention,
            messages=make_messages_handler(adapter, turn, settings, dedupe),
        )
        # What the bot holds for its whole life (the knowledge base and place indexes, the SDK) leaves the
        # garbage collector's sight: a full collection walked it all, a 40-50 ms pause of the event loop
        # at a moment no request chooses.
        gc.freeze()
        logger.info(
            "ready: %d FAQ entries (%s), database %s",
            knowledge.current.version.entry_count,
            knowledge.current.version.content_hash[:12],
            database.backend,
        )
        yield


def _reloading_file(
    name: str, file: str, load: Callable[[Path], Loaded[T]], settings: Settings
) -> Reloading[T]:
    """One data file of the knowledge-base folder, reloaded when an ambassador edits it."""
    return Reloading(
        name,
        settings.faq_dir,
        lambda folder: [folder / file],
        load,
        snapshots=SnapshotStore(settings.data_dir / "kb-snapshots" / Path(file).stem),
        poll_seconds=settings.faq_reload_seconds,
    )


async def _messages(request: web.Request) -> web.StreamResponse:
    runtime = request.app[RUNTIME]
    started = time.perf_counter()
    response: web.StreamResponse = await runtime.messages(request)
    runtime.metrics.turn_latency.observe(time.perf_counter() - started)
    runtime.metrics.requests.labels(outcome=str(response.status)).inc()
    return response


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"status": "alive"})


async def _readyz(request: web.Request) -> web.Response:
    runtime = request.app.get(RUNTIME)
    if runtime is None:
        return web.json_response({"status": "starting"}, status=503)
    kb = runtime.knowledge.current
    version = kb.version
    body: dict[str, Any] = {
        "knowledge_base": {
            "entries": version.entry_count,
            "content_hash": version.content_hash,
            "loaded_at": version.loaded_at.isoformat(),
            "last_reload_problems": len(runtime.knowledge.last_problems),
            "from_snapshot": runtime.knowledge.serving_snapshot is not None,
        },
        "offices": {
            "count": len(runtime.offices.current),
            "last_reload_problems": len(runtime.offices.last_problems),
        },
        "database": runtime.database.backend,
    }
    # Within bot/readiness.py's budget (1.5 s) whatever hangs: the database, the disk.
    checks = await runtime.readiness.check()
    body["checks"] = checks
    failing = runtime.readiness.failing(checks)
    if failing:
        body["status"] = "not ready: " + ", ".join(failing)
        return web.json_response(body, status=503)
    body["status"] = "ready"
    return web.json_response(body)


async def _metrics(request: web.Request) -> web.Response:
    metrics = request.app[METRICS]
    runtime = request.app.get(RUNTIME)
    if runtime is not None:
        version = runtime.knowledge.current.version
        metrics.set_kb_version(version.entry_count, version.content_hash)
    return web.Response(body=metrics.render(), headers={"Content-Type": CONTENT_TYPE_LATEST})


def run_app(settings: Settings) -> None:
    try:
        web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log=None)
    except LoadFailed as exc:  # broken files and no last good version: say what to fix, no traceback
        hint = ""
        if any(ALLOW_SETTING in problem.message for problem in exc.problems):
            hint = (
                f"\nOutside development mode the bot refuses draft security entries and example offices; "
                f"`nwow faq check --production {settings.faq_dir}` lists them. Set {ALLOW_SETTING}=true to "
                "serve them anyway, marked on their cards as examples not yet validated."
            )
        raise SystemExit(f"nwow serve: cannot start. {exc}{hint}") from None
