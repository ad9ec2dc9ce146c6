"""Lessons forked from a pre-loaded process: the server's side of ``tutor.ui.preload``.

A fresh ``python -m tutor`` per tab spends most of its start importing
Python, Textual and the tutor, the same work for every tab. Here one process
does that work once (``tutor.ui.preload``) and each tab's lesson is a fork
of it: it costs building the tab's screen, and the imported code stays in
memory pages shared by every lesson.

``Forks`` is what a tab's session asks for a lesson (``open``). It starts
the pre-loaded process with the lessons' environment, and another one if it
dies (the lessons already running are not its children and go on); it
reaps every lesson (``children.Children``); and ``stop`` ends the
pre-loaded process and anything left, so that no process outlives the
server.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from tutor.ui import preload
from tutor.ui.serve.children import Children, become_subreaper
from tutor.ui.serve.session import Stopping

RESTART_DELAY = (0.0, 1.0, 2.0, 5.0, 10.0)
"""Seconds before starting the pre-loaded process again, by how many times running it failed to get ready."""
STOP_TIMEOUT = 5.0
"""Seconds the pre-loaded process gets to leave once told to, before it is killed."""


def supported() -> bool:
    """Lessons can be forked here (Linux: fork, ``/proc``, and this process made a child subreaper)."""
    return hasattr(os, "fork") and Path("/proc/self/stat").is_file() and become_subreaper()


class PreloadGone(Exception):
    """The pre-loaded process ended before answering: ask the next one."""


class Lesson:
    """One forked lesson, as asyncio's ``Process`` looks to textual-serve: its id, its pipes, ``wait()``.

    Its stdin, stdout and stderr are a socket pair each (sockets can be passed to the pre-loaded
    process; pipes made here could too, but asyncio reads and writes sockets with public calls).
    One pair each, not one for both directions: a write to a lesson that has just ended must not
    turn the end of its output into an error.
    """

    def __init__(self, pid: int, exit_status: asyncio.Future[int], ends: list[socket.socket]) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._exit = exit_status
        self._ends = ends
        self.stdin: asyncio.StreamWriter | None = None
        self.stdout: asyncio.StreamReader | None = None
        self.stderr: asyncio.StreamReader | None = None
        self._writers: list[asyncio.StreamWriter] = []
        exit_status.add_done_callback(self._exited)

    async def connect(self) -> None:
        stdin, stdout, stderr = self._ends
        _, self.stdin = await asyncio.open_unix_connection(sock=stdin)
        self.stdout, stdout_writer = await asyncio.open_unix_connection(sock=stdout)
        self.stderr, stderr_writer = await asyncio.open_unix_connection(sock=stderr)
        self._writers = [self.stdin, stdout_writer, stderr_writer]

    def _exited(self, future: asyncio.Future[int]) -> None:
        self.returncode = future.result()

    async def wait(self) -> int:
        return await asyncio.shield(self._exit)

    def close(self) -> None:
        """Let go of the lesson's pipes (once it has exited and its output has been read)."""
        for writer in self._writers:
            writer.close()
        if not self._writers:
            for end in self._ends:
                end.close()


class Preloaded:
    """One pre-loaded process: started, asked for forks, ended."""

    def __init__(
        self, program: str, rehearsal: Sequence[str], environment: dict[str, str], children: Children
    ) -> None:
        loop = asyncio.get_running_loop()
        self._loop = loop
        self._channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            os.set_inheritable(theirs.fileno(), True)
            argv = [sys.executable, "-m", "tutor.ui.preload", str(theirs.fileno()), program, *rehearsal]
            self.pid = os.posix_spawn(
                sys.executable,
                argv,
                environment,
                file_actions=[(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0)],
                setsid=True,  # its own session: a Ctrl+C in the server's terminal is for the server
            )
        finally:
            theirs.close()
        self.exited = children.exit_of(self.pid)
        self.ready: asyncio.Future[None] = loop.create_future()
        self._replies: dict[int, asyncio.Future[dict]] = {}
        self._next_id = 0
        self._channel.setblocking(False)
        loop.add_reader(self._channel.fileno(), self._read)
        self.exited.add_done_callback(lambda _: self._gone())

    def _read(self) -> None:
        while True:
            try:
                data = self._channel.recv(preload.MAX_MESSAGE)
            except BlockingIOError:
                return
            except OSError:
                data = b""
            if not data:
                self._gone()
                return
            message = preload.decode(data)
            if "ready" in message and not self.ready.done():
                self.ready.set_result(None)
            reply = self._replies.pop(message.get("id"), None)
            if reply is not None and not reply.done():
                reply.set_result(message)

    def _gone(self) -> None:
        """The process has ended or closed its end: nothing more will be answered."""
        if self._channel.fileno() >= 0:
            self._loop.remove_reader(self._channel.fileno())
            self._channel.close()
        if not self.ready.done():
            self.ready.set_exception(PreloadGone())
            self.ready.exception()  # retrieved here: whoever waits on it sees it too
        for reply in self._replies.values():
            if not reply.done():
                reply.set_exception(PreloadGone())
        self._replies.clear()

    async def fork(self, args: Sequence[str], env: dict[str, str], unset: Sequence[str], fds: list[int]) -> int:
        """Fork a lesson with ``args`` and that environment on ``fds`` (stdin, stdout, stderr); its id."""
        await self.ready
        self._next_id += 1
        request_id = self._next_id
        reply = self._replies[request_id] = self._loop.create_future()
        message = {"id": request_id, "args": list(args), "env": env, "unset": list(unset)}
        try:
            while True:
                try:
                    preload.send(self._channel, message, fds)
                    break
                except BlockingIOError:  # a class arriving at once can fill the socket's buffer
                    await asyncio.sleep(0.01)
        except OSError:
            self._replies.pop(request_id, None)
            raise PreloadGone() from None
        answer = await reply
        if "error" in answer:
            raise OSError(answer["error"])
        return int(answer["pid"])

    async def stop(self) -> None:
        """Close its end (it leaves when it sees that); kill it if it has not left after ``STOP_TIMEOUT``."""
        self._gone()
        try:
            await asyncio.wait_for(asyncio.shield(self.exited), STOP_TIMEOUT)
        except asyncio.TimeoutError:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            await self.exited


class Forks:
    """Lessons for the tabs, forked from the pre-loaded process (started, and restarted when it dies, here)."""

    def __init__(
        self, program: str, args: Sequence[str], environment: dict[str, str], rehearsal: Sequence[str] | None = None
    ) -> None:
        self.program = program
        self.args = list(args)
        """The lessons' arguments: ``python -m PROGRAM ARGS``."""
        self.rehearsal = list(self.args if rehearsal is None else rehearsal)
        """The arguments of the lesson the pre-loaded process rehearses before it forks any (``tutor.ui.preload``)."""
        self.environment = environment
        """The lessons' environment, less what each tab sets itself (its terminal size)."""
        self._children: Children | None = None
        self._preloaded: Preloaded | None = None
        self._failures = 0
        self._stopping = False
        self._restart: asyncio.Task | None = None

    async def start(self) -> None:
        """Start reaping and the first pre-loaded process (``supported()`` has made this process a subreaper)."""
        self._children = Children(asyncio.get_running_loop())
        self._children.start()
        self._launch()

    def _launch(self) -> None:
        preloaded = self._preloaded = Preloaded(self.program, self.rehearsal, self.environment, self._children)
        preloaded.ready.add_done_callback(lambda ready: ready.exception() is None and self._was_ready())
        preloaded.exited.add_done_callback(lambda _: self._replace(preloaded))

    def _was_ready(self) -> None:
        self._failures = 0

    def _replace(self, preloaded: Preloaded) -> None:
        """The pre-loaded process has ended: start another (after a pause if it keeps failing to start)."""
        if self._stopping or preloaded is not self._preloaded:
            return
        if not preloaded.ready.done() or preloaded.ready.exception() is not None:
            self._failures += 1
        delay = RESTART_DELAY[min(self._failures, len(RESTART_DELAY) - 1)]
        self._restart = asyncio.get_running_loop().create_task(self._relaunch(delay))

    async def _relaunch(self, delay: float) -> None:
        await asyncio.sleep(delay)
        if self._stopping:
            return
        try:
            self._launch()
        except OSError:  # no process could be started now (out of memory, say): try again later
            self._failures += 1
            self._restart = asyncio.get_running_loop().create_task(self._relaunch(RESTART_DELAY[-1]))

    async def open(self, env: dict[str, str]) -> Lesson:
        """A forked lesson running ``python -m PROGRAM ARGS`` with environment ``env``, connected."""
        changed = {name: value for name, value in env.items() if self.environment.get(name) != value}
        unset = [name for name in self.environment if name not in env]
        while True:
            if self._stopping:
                raise Stopping()
            preloaded = self._preloaded
            pairs = [socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM) for _ in range(3)]  # stdin, stdout, stderr
            ours = [mine for mine, _ in pairs]
            try:
                pid = await preloaded.fork(self.args, changed, unset, [theirs.fileno() for _, theirs in pairs])
            except PreloadGone:
                for end in ours:
                    end.close()
                await self._next_preloaded(preloaded)
                continue
            except BaseException:
                for end in ours:
                    end.close()
                raise
            finally:
                for _, theirs in pairs:
                    theirs.close()
            lesson = Lesson(pid, self._children.exit_of(pid), ours)
            await lesson.connect()
            return lesson

    def release(self, lesson: Lesson) -> None:
        lesson.close()

    async def _next_preloaded(self, gone: Preloaded) -> None:
        """Wait until the process that replaces ``gone`` is started."""
        while self._preloaded is gone and not self._stopping:
            await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """End the pre-loaded process and any child left (the sessions have been ended first)."""
        self._stopping = True
        if self._restart is not None:
            self._restart.cancel()
        if self._preloaded is not None:
            await self._preloaded.stop()
        if self._children is not None:
            self._children.reap()
            left = {pid: self._children.exit_of(pid) for pid in self._children.living()}
            for pid in left:
                try:
                    os.kill(pid, signal.SIGKILL)  # not reaped yet, so still ours: the id cannot have been reused
                except ProcessLookupError:
                    pass
            if left:
                await asyncio.wait(left.values(), timeout=STOP_TIMEOUT)
            self._children.stop()
