"""The pre-loaded process of ``tutor serve``: Python, Textual and the tutor imported once, a lesson forked per tab.

Run as ``python -m tutor.ui.preload FD PROGRAM`` by the server (``tutor.ui.serve.forks``),
with FD one end of a ``SOCK_SEQPACKET`` socket pair and PROGRAM the module a
tab runs (``tutor``: each lesson is ``python -m tutor [SCENARIO] [ARGS]``).

It imports everything a lesson's first frame needs, freezes what the imports
made (``gc.freeze``: the collector then never touches those objects, so the
memory pages holding them stay shared with every lesson), says it is ready,
and then waits for requests. A request is one message, JSON with the
lesson's arguments and environment changes, carrying three file descriptors
(the lesson's stdin, stdout and stderr). For each, it forks twice: the first
child forks the lesson and exits at once, so the lesson is handed to the
server (a child subreaper) as its own child, and this process keeps no
children; the server learns the lesson's id from the reply and reaps it. A
lesson that crashes or is killed takes nothing else with it, and if this
process dies the lessons it started keep running.

The lesson, in the forked child, first undoes what it must not inherit: the
signal handlers set here, this process's socket and every other descriptor
beyond its own three (the server's listening socket never reaches this
process: it is started afresh, with none of the server's descriptors), the
environment (the page's terminal size), and numpy's random generator if
numpy was imported (Python's ``random`` reseeds itself after a fork). No
event loop is inherited: the one the rehearsal ran is closed before any fork. Then it runs PROGRAM as
``python -m`` would, and leaves with ``os._exit``, never returning into
this loop.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import runpy
import signal
import socket
import sys
import traceback

MAX_MESSAGE = 1 << 20
"""Largest request or reply, in bytes (an environment's changes fit many times over)."""
LESSON_FDS = 3
"""A request carries the lesson's stdin, stdout and stderr, in that order."""
PRELOAD_NAME = "tutor-preload"
LESSON_NAME = "tutor-lesson"
"""Process names (``ps``, ``top``; Linux ``comm``): lessons forked from here are all ``python -m
tutor.ui.preload`` in their command line, so their name tells them apart."""


def send(channel: socket.socket, message: dict, fds: list[int] = ()) -> None:
    """One message (JSON), with file descriptors passed along when given."""
    data = json.dumps(message).encode("utf-8")
    if fds:
        socket.send_fds(channel, [data], list(fds))
    else:
        channel.send(data)


def decode(data: bytes) -> dict:
    return json.loads(data.decode("utf-8"))


def name_process(name: str) -> None:
    """Set this process's name as ``ps`` shows it (Linux; elsewhere nothing happens)."""
    try:
        with open("/proc/self/comm", "w", encoding="ascii") as comm:
            comm.write(name)
    except OSError:
        pass


def preload(program: str) -> None:
    """Import what a lesson needs before its first frame, then freeze it all for the collector.

    ``program``'s ``__main__`` is imported (not run) for what it imports, then dropped, so each
    lesson runs it afresh as ``__main__``. Textual's driver for the tab is the one the
    environment names (``TEXTUAL_DRIVER``, set by the server as for a fresh process); Textual
    reads its settings from the environment when imported, which is why this process gets the
    lessons' environment before it imports anything.
    """
    importlib.import_module(f"{program}.__main__")
    del sys.modules[f"{program}.__main__"]
    importlib.import_module("tutor.ui.app")
    driver = os.environ.get("TEXTUAL_DRIVER", "")
    if ":" in driver:
        importlib.import_module(driver.split(":", 1)[0])
    rehearse()
    gc.collect()
    gc.freeze()


REHEARSAL = ("shopping", (120, 36))
"""The lesson opened once here, headless, before any fork: a built-in scenario and a window size."""


def rehearse() -> None:
    """Open a lesson once, headless, and step it: what only a first frame loads or builds is then here, shared.

    Textual imports some modules only when it first lays out or draws (layouts, the scroll bar),
    fills caches on first use, and Python specialises each function's bytecode in place after its
    first calls: done here once, none of it is copied into every lesson. A rehearsal that fails
    changes nothing for the lessons (they would meet the same fault and show it).
    """
    import asyncio

    from tutor.ui.app import TutorApp

    async def one_lesson() -> None:
        spec, size = REHEARSAL
        app = TutorApp(spec, remember=False)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press("right")
            await pilot.pause()

    try:
        asyncio.run(one_lesson())
    except Exception:  # noqa: BLE001 - a rehearsal only saves time; each lesson reports its own faults
        pass


def serve_forks(channel: socket.socket, program: str) -> None:
    """Answer fork requests until the server closes its end."""
    while True:
        request: dict = {}
        try:
            data, fds, flags, _ = socket.recv_fds(channel, MAX_MESSAGE, LESSON_FDS)
        except ConnectionError:
            return
        if not data:
            return  # the server has gone: end quietly
        try:
            request = decode(data)
            if len(fds) != LESSON_FDS or flags & socket.MSG_CTRUNC:
                raise ValueError(f"a request carries {LESSON_FDS} descriptors, not {len(fds)}")
            pid = fork_lesson(channel, program, request, fds)
            reply = {"id": request.get("id"), "pid": pid}
        except (ValueError, OSError) as error:
            reply = {"id": request.get("id"), "error": str(error)}
        finally:
            for fd in fds:
                os.close(fd)
        send(channel, reply)


def fork_lesson(channel: socket.socket, program: str, request: dict, fds: list[int]) -> int:
    """Start one lesson, handed to the server as its child; its process id."""
    report_read, report_write = os.pipe()
    try:
        middle = os.fork()
        if middle == 0:  # the first child: fork the lesson, say its id, and exit so it is reparented
            try:
                lesson = os.fork()
                if lesson == 0:
                    os.close(report_read)
                    os.close(report_write)
                    run_lesson(channel, program, request, fds)  # never returns
                os.write(report_write, lesson.to_bytes(8, "big"))
            finally:
                os._exit(0)
        os.close(report_write)
        report_write = -1
        reported = os.read(report_read, 8)
        os.waitpid(middle, 0)
    finally:
        os.close(report_read)
        if report_write >= 0:
            os.close(report_write)
    if len(reported) != 8:
        raise OSError("the lesson could not be forked")
    return int.from_bytes(reported, "big")


def run_lesson(channel: socket.socket, program: str, request: dict, fds: list[int]) -> None:
    """In the forked lesson: reset what is inherited, run ``program`` as ``python -m`` would, exit."""
    code = 1
    try:
        os.setsid()  # its own session: a Ctrl+C in the server's terminal is for the server alone
        for number in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # this process's socket, the received copies, anything else
        channel.detach()
        for name in request.get("unset", []):
            os.environ.pop(name, None)
        os.environ.update(request.get("env", {}))
        if "numpy.random" in sys.modules:  # Python's own generator reseeds itself after a fork; numpy's does not
            sys.modules["numpy.random"].seed()
        name_process(LESSON_NAME)
        sys.argv = [program, *request.get("args", [])]
        try:
            runpy.run_module(program, run_name="__main__", alter_sys=True)
            code = 0
        except SystemExit as done:  # as Python ends on it: a number is the status, anything else is printed
            code = 0 if done.code is None else done.code if isinstance(done.code, int) else 1
            if not isinstance(done.code, (int, type(None))):
                print(done.code, file=sys.stderr)
    except BaseException:  # noqa: BLE001 - whatever happens, the lesson ends here, never in the fork loop
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def main(argv: list[str]) -> int:
    fd, program = int(argv[0]), argv[1]
    os.closerange(3, fd)  # descriptors the server inherited from whoever started it are not for lessons
    os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
    channel = socket.socket(fileno=fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server ends this process; a terminal's Ctrl+C does not
    name_process(PRELOAD_NAME)
    preload(program)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        send(channel, {"ready": os.getpid()})
        serve_forks(channel, program)
    except ConnectionError:
        pass  # the server has gone (stopped while this process was still importing, say): nothing to do
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
