"""A TCP proxy in front of a real server that can be told to stall: connections stay open, nothing answers.

    proxy = StallingProxy("127.0.0.1", 5432)
    await proxy.start()          # proxy.port: point the client at 127.0.0.1:proxy.port
    proxy.stall()                # bytes already in flight and every new byte are held; new connections are
                                 # accepted (TCP open) but not connected upstream
    proxy.resume()               # everything held is forwarded, in order
    await proxy.close()

It runs on the event loop that starts it (in-process apps); `ThreadedStallingProxy` runs it on a thread of
its own, for servers in other processes (the replicas). This is the "database that stopped answering" of
a hung server, a full network buffer, or a half-dead load balancer: unlike a refused connection, the client
gets no error, only silence, and only its own deadlines end the wait.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")

_CHUNK = 64 * 1024


class StallingProxy:
    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self.upstream = (upstream_host, upstream_port)
        self.port = 0
        self._flowing = asyncio.Event()
        self._flowing.set()
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self.connections = 0

    @property
    def stalled(self) -> bool:
        return not self._flowing.is_set()

    async def start(self) -> StallingProxy:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    def stall(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    async def close(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(client_writer)
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._flowing.wait()  # a stalled proxy accepts, then says nothing
            upstream_reader, upstream_writer = await asyncio.open_connection(*self.upstream)
            self._writers.add(upstream_writer)
            await asyncio.gather(
                self._pipe(client_reader, upstream_writer),
                self._pipe(upstream_reader, client_writer),
            )
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._tasks.discard(task)
            self._writers.discard(client_writer)
            with contextlib.suppress(OSError, RuntimeError):
                client_writer.close()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                data = await reader.read(_CHUNK)
                if not data:
                    break
                await self._flowing.wait()
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(OSError, RuntimeError):
                writer.close()


class ThreadedStallingProxy:
    """A `StallingProxy` on an event loop in a thread of its own (for clients in other processes)."""

    def __init__(self, upstream_host: str, upstream_port: int) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="stalling-proxy", daemon=True)
        self._proxy: StallingProxy | None = None
        self._upstream = (upstream_host, upstream_port)

    @property
    def port(self) -> int:
        assert self._proxy is not None
        return self._proxy.port

    def start(self) -> ThreadedStallingProxy:
        self._thread.start()
        self._proxy = self._run(StallingProxy(*self._upstream).start())
        return self

    def stall(self) -> None:
        assert self._proxy is not None
        self._loop.call_soon_threadsafe(self._proxy.stall)

    def resume(self) -> None:
        assert self._proxy is not None
        self._loop.call_soon_threadsafe(self._proxy.resume)

    def stop(self) -> None:
        if self._proxy is not None:
            self._run(self._proxy.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)


def proxied_url(database_url: str, port: int) -> str:
    """`database_url` with its host and port replaced by the proxy's (127.0.0.1:`port`)."""
    parts = urlsplit(database_url)
    userinfo = parts.netloc.rpartition("@")[0]
    netloc = f"{userinfo}@127.0.0.1:{port}" if userinfo else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def upstream_of(database_url: str) -> tuple[str, int]:
    """The (host, port) a PostgreSQL URL points at."""
    parts = urlsplit(database_url)
    return parts.hostname or "127.0.0.1", parts.port or 5432
