"""The pre-loaded process of ``tutor serve``: Python, Textual and the tutor imported once, a lesson forked per tab.

Run as ``python -m tutor.ui.preload FD PROGRAM [ARG...]`` by the server
(``tutor.ui.serve.forks``), with FD one end of a ``SOCK_SEQPACKET`` socket
pair, PROGRAM the module a tab runs (``tutor``: each lesson is ``python -m
tutor [SCENARIO] [ARGS]``) and ARGs the arguments of the lesson rehearsed here.

It imports everything a lesson needs, rehearses a lesson, lays out its memory
so that lessons share as much of it as they can (below), freezes it all for
the collector (``gc.freeze``: the collector then never touches those
objects), says it is ready, and then waits for requests. A request is one
message, JSON with the lesson's arguments and environment changes, carrying
three file descriptors (the lesson's stdin, stdout and stderr). For each, it
forks twice: the first child forks the lesson and exits at once, so the lesson
is handed to the server (a child subreaper) as its own child, and this process
keeps no children; the server learns the lesson's id from the reply and reaps
it. A lesson that crashes or is killed takes nothing else with it, and if this
process dies the lessons it started keep running.

**Memory.** A forked lesson shares this process's memory until it writes to a
page, which the system then copies for it. Python writes to every object a
lesson uses (reference counts; and a function's bytecode, which it
specialises and counts in place), so a lesson copies every page holding
anything it uses, whatever else the page holds. Three things keep those pages
few:

1. *A rehearsal* (``rehearse``): a lesson runs here once, as a tab's runs: the
   program's ``main`` with the rehearsed arguments, under Textual's web driver,
   fed by a page played in a thread (its size, a step, quit). What only a
   lesson's run imports, fills or builds (modules Textual loads when it first
   draws, caches, parsed stylesheets) is then here, shared, not made in every
   lesson; it runs with nothing of this process's left changed (standard
   streams, signals, environment, language, threads).
2. *The code a lesson runs, side by side* (``copy_code``): a second rehearsal
   notes each function it runs (a first one has imported and filled what only
   a first run does); each gets a copy of its code made afterwards, one after
   the other, so that code shares pages with other code a lesson runs rather
   than with the rest of its module. The functions themselves are copied the
   same way where nothing could tell (``copy_functions``: one held only by a
   module's or a class's dictionary, or by a property, class method or static
   method held only there). A third rehearsal then specialises the copies, as
   a lesson would.
3. *No gaps to fill* (``fill_holes``, ``fill_malloc_holes``): Python's
   allocator puts a new small object in the first free block of a partly used
   pool, and the C allocator a larger one (big code, classes, the arrays of
   lists and dictionaries) in a free chunk between blocks in use. Before the
   first rehearsal, before the copies are made, and again before the first
   fork, those free blocks and chunks are filled with objects that live as
   long as this process, so what the rehearsal leaves and the copies sit
   together, and a lesson's own objects go to pages of their own instead of
   into gaps between objects every lesson shares.

The lesson, in the forked child, first undoes what it must not inherit: the
signal handlers set here, this process's socket and every other descriptor
beyond its own three (the server's listening socket never reaches this
process: it is started afresh, with none of the server's descriptors), the
environment (the page's terminal size), and numpy's random generator if
numpy was imported (Python's ``random`` reseeds itself after a fork). No
event loop is inherited: the rehearsal's is closed before any fork. Then it
runs PROGRAM as ``python -m`` would, and leaves with ``os._exit``, never
returning into this loop.
"""

from __future__ import annotations

import ctypes
import gc
import importlib
import json
import os
import re
import runpy
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import CodeType, FrameType, FunctionType

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


def preload(program: str, args: Sequence[str]) -> None:
    """Import what a lesson needs, rehearse one (``args``), lay out the memory lessons share, and freeze it all.

    ``program``'s ``__main__`` is imported (not run) for what it imports, then dropped, so each
    lesson runs it afresh as ``__main__``. Textual's driver for the tab is the one the
    environment names (``TEXTUAL_DRIVER``, set by the server as for a fresh process); Textual
    reads its settings from the environment when imported, which is why this process gets the
    lessons' environment before it imports anything.

    The lesson is run three times (see the module's docstring): the first imports and fills
    what only a first run does; the second, recorded, runs the code every lesson runs, which is
    then copied side by side (with the functions running it); the third specialises the copies.
    The allocators' gaps are filled before each step that leaves objects every lesson uses: the
    first run's caches and modules, the copies, and (before the first fork) nothing but each
    lesson's own objects to come.
    """
    importlib.import_module(f"{program}.__main__")
    del sys.modules[f"{program}.__main__"]
    importlib.import_module("tutor.ui.app")
    driver = os.environ.get("TEXTUAL_DRIVER", "")
    if ":" in driver:
        importlib.import_module(driver.split(":", 1)[0])
    collect_everything()
    fill_gaps()
    rehearse(program, args)
    collect_everything()
    with recording() as used:
        rehearse(program, args)
    collect_everything()
    fill_gaps()
    copy_code(used)
    del used
    rehearse(program, args)
    collect_everything()
    fill_gaps()
    gc.freeze()


def collect_everything() -> None:
    """Collect all garbage, frozen objects' too: a rehearsed lesson freezes what it has made once it has drawn
    (``tutor.startup.FirstFrame``), and its cycles are garbage once it has ended."""
    gc.unfreeze()
    gc.collect()


# --- The rehearsal: one lesson run here as a tab's runs -----------------------------------------------------

REHEARSAL_SCENARIO = "shopping"
"""The lesson rehearsed when the server's lessons name no scenario (each tab starts at the picker)."""
REHEARSAL_SIZE = (120, 36)
"""The rehearsed tab's terminal, in cells."""
QUIET = 0.3
"""Seconds without output after which the rehearsed lesson is taken to have drawn what it had to."""
REHEARSAL_TIMEOUT = 60.0
"""Seconds the rehearsal waits for the lesson to quit once asked, before ending it as the server would (SIGTERM)."""
SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP", "SIGCHLD", "SIGWINCH", "SIGTSTP", "SIGCONT")
"""Signals whose handlers the rehearsal leaves as it found them (Textual and asyncio set some)."""


def rehearse(program: str, args: Sequence[str]) -> None:
    """Run ``program`` with ``args`` here, as a tab's lesson runs: under the web driver, fed by a page played in a thread.

    The page sends the tab's size, then, once the lesson has drawn, a step (→), then quit. Textual
    imports some modules only when it first lays out or draws (layouts, the scroll bar), fills
    caches on first use, and Python specialises a function's bytecode after its first calls: done
    here, none of it is made again in every lesson. A rehearsal that fails changes nothing for
    the lessons (they would meet the same fault, and show it); what the program prints goes
    nowhere.
    """
    page_end, lesson_stdin = socket.socketpair()
    page_screen, lesson_stdout = socket.socketpair()
    page = threading.Thread(target=play_page, args=(page_end, page_screen), name="rehearsal page", daemon=True)
    try:
        with left_as_found(), standard_streams(lesson_stdin, lesson_stdout):
            width, height = REHEARSAL_SIZE
            os.environ.update(COLUMNS=str(width), ROWS=str(height))
            sys.argv = [program, *args]
            lesson_stdin.close()  # fds 0 and 1 hold the lesson's ends now
            lesson_stdout.close()
            page.start()
            try:
                runpy.run_module(program, run_name="__main__", alter_sys=True)
            except (Exception, SystemExit):  # noqa: BLE001 - a rehearsal only saves memory and time
                pass
    finally:
        page_end.close()  # the page, if still waiting, sees the lesson gone
        page.join(REHEARSAL_TIMEOUT)
        page_screen.close()


def play_page(page_end: socket.socket, screen: socket.socket) -> None:
    """What a browser tab sends: its size; once the lesson has drawn, →; once that is drawn, quit."""
    def meta(**message: object) -> None:
        page_end.sendall(_packet(b"M", json.dumps(message).encode("utf-8")))

    try:
        width, height = REHEARSAL_SIZE
        meta(type="resize", width=width, height=height)
        if drawn(screen):
            page_end.sendall(_packet(b"D", b"\x1b[C"))
            drawn(screen)
        meta(type="quit")
        screen.settimeout(REHEARSAL_TIMEOUT)
        while screen.recv(65536):
            pass
    except socket.timeout:
        os.kill(os.getpid(), signal.SIGTERM)  # the web driver ends the app on it, as when the server stops
    except OSError:
        pass  # the lesson has gone


def drawn(screen: socket.socket) -> bool:
    """Wait until the lesson has written something and then nothing for ``QUIET`` seconds; False if it ended."""
    screen.settimeout(QUIET)
    wrote = False
    deadline = time.monotonic() + REHEARSAL_TIMEOUT
    while time.monotonic() < deadline:
        try:
            data = screen.recv(65536)
        except socket.timeout:
            if wrote:
                return True
            continue
        if not data:
            return False
        wrote = True
    return False


def _packet(kind: bytes, payload: bytes) -> bytes:
    """One packet of textual-serve's protocol to a lesson's stdin: its kind, its length, itself."""
    return kind + len(payload).to_bytes(4, "big") + payload


@contextmanager
def standard_streams(stdin: socket.socket, stdout: socket.socket) -> Iterator[None]:
    """Descriptors 0 and 1 are ``stdin`` and ``stdout`` in the block, 2 is /dev/null; then this process's again."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = [os.dup(fd) for fd in (0, 1, 2)]
    nowhere = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(stdin.fileno(), 0)
        os.dup2(stdout.fileno(), 1)
        os.dup2(nowhere, 2)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        for fd, copy in enumerate(saved):
            os.dup2(copy, fd)
            os.close(copy)
        os.close(nowhere)


@contextmanager
def left_as_found() -> Iterator[None]:
    """Whatever of this process a lesson's run changes, as it was before: arguments, environment, signal
    handlers, the tutor's language, the collector; and no thread left running."""
    from tutor import i18n

    argv, environment = sys.argv, dict(os.environ)
    numbers = [getattr(signal, name) for name in SIGNALS if hasattr(signal, name)]
    handlers = {number: signal.getsignal(number) for number in numbers}
    language, collecting = i18n.language(), gc.isenabled()
    try:
        yield
    finally:
        sys.argv = argv
        for name in [name for name in os.environ if name not in environment]:
            del os.environ[name]
        os.environ.update(environment)
        for number, handler in handlers.items():
            if handler is not None:
                signal.signal(number, handler)
        i18n.set_language(language)
        (gc.enable if collecting else gc.disable)()
        for thread in threading.enumerate():
            if thread is not threading.current_thread() and thread.name != "rehearsal page":
                thread.join(REHEARSAL_TIMEOUT)


# --- The code a lesson runs, side by side -------------------------------------------------------------------

@contextmanager
def recording() -> Iterator[dict[int, CodeType]]:
    """The code objects the block runs (every thread's), by id, in the order each first ran."""
    used: dict[int, CodeType] = {}

    def note(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            used.setdefault(id(frame.f_code), frame.f_code)

    sys.setprofile(note)
    threading.setprofile(note)
    try:
        yield used
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


def copy_code(used: dict[int, CodeType]) -> int:
    """Give every function running code in ``used`` a copy of it, made now in that order; how many functions.

    A copy is the same code (``CodeType.replace``); code nested in it that is used too (a lambda,
    a comprehension) is copied with it. Functions are found among the objects the collector
    tracks, frozen ones too (``gc.unfreeze``; the caller freezes them again).
    """
    copies: dict[int, CodeType] = {}

    def copy(code: CodeType) -> CodeType:
        made = copies.get(id(code))
        if made is None:
            consts = tuple(copy(c) if isinstance(c, CodeType) and id(c) in used else c for c in code.co_consts)
            made = copies[id(code)] = code.replace(co_consts=consts)
        return made

    for code in used.values():
        copy(code)
    gc.unfreeze()
    given = 0
    for function in gc.get_objects():
        if type(function) is FunctionType:
            made = copies.get(id(function.__code__))
            if made is not None and function.__code__ is used.get(id(function.__code__)):
                function.__code__ = made
                given += 1
    copy_functions([copies[key] for key in used])
    return given


def copy_functions(order: list[CodeType]) -> int:
    """Replace each function running code in ``order`` that one dictionary alone holds (itself, or in a
    ``property``, ``classmethod`` or ``staticmethod`` it alone holds) by a copy, made in that order; how many
    functions were replaced.

    A lesson writes to every function it calls (a call holds a reference to it; so does looking up
    a property or a class's method), so the functions it calls, copied one after the other, share
    pages with each other rather than with the rest of their modules' functions. Only a function
    or wrapper with no reference but its place in a dictionary (a module's, a class's, any other)
    is replaced, and only a function the wrapper alone holds: reference counts say so, so nothing
    can tell a copy from what it replaces. A class's dictionary is changed through the class,
    which tells Python's caches of its attributes.
    """
    wanted = {id(code): rank for rank, code in enumerate(order)}
    gc.unfreeze()
    objects = gc.get_objects()
    places: list[tuple[int, dict, object]] = []  # (rank, dictionary, key): no reference to the value itself
    owners: dict[int, type] = {}
    for holder in objects:
        if type(holder) is dict:
            for key, value in holder.items():
                ranks = [wanted[id(f.__code__)] for f in _functions_in(value) if id(f.__code__) in wanted]
                if ranks:
                    places.append((min(ranks), holder, key))
        elif issubclass(type(holder), type):  # not ``isinstance``, which asks a lazily loaded module to load
            owners[id(gc.get_referents(holder.__dict__)[0])] = holder
    del objects, holder, value
    places.sort(key=lambda place: place[0])
    replaced: list[object] = []  # kept until every copy is made: a copy would go where its original was
    for _, holder, key in places:
        value = holder.get(key)
        if sys.getrefcount(value) != 3:  # its place, ``value`` and getrefcount's argument: nothing else
            continue
        copy = _copied(value, wanted)
        if copy is None:
            continue
        owner = owners.get(id(holder))
        if owner is None:
            holder[key] = copy
        else:
            try:
                type.__setattr__(owner, key, copy)
            except (TypeError, AttributeError):  # a class that cannot be changed: left as it is
                continue
        replaced.append(value)
    return sum(len(_functions_in(value)) for value in replaced)


def _functions_in(value: object) -> list[FunctionType]:
    """The functions ``value`` runs when called or looked up: itself, or those a wrapper holds."""
    kind = type(value)
    if kind is FunctionType:
        return [value]
    if kind is property:
        return [f for f in (value.fget, value.fset, value.fdel) if type(f) is FunctionType]
    if kind is classmethod or kind is staticmethod:
        return [value.__func__] if type(value.__func__) is FunctionType else []
    return []


def _copied(value: object, wanted: dict[int, int]) -> object | None:
    """A copy of a function, or of a wrapper with a copy of each function it alone holds; None if there is
    nothing to copy."""
    if type(value) is FunctionType:
        return _copied_function(value)
    inner = _functions_in(value)
    held: dict[int, int] = {}  # how many references the wrapper holds to each (a classmethod's ``__wrapped__`` too)
    for holding in (gc.get_referents(value), vars(value).values() if hasattr(value, "__dict__") else ()):
        for item in holding:
            held[id(item)] = held.get(id(item), 0) + 1
    del holding, item
    copies = {}
    for function in inner:
        # References: the wrapper's, the list ``inner`` (once per place in it), ``function`` and getrefcount's.
        if id(function.__code__) in wanted and (
                sys.getrefcount(function) == held.get(id(function), 0) + inner.count(function) + 2):
            copies[id(function)] = _copied_function(function)
    if not copies:
        return None
    if type(value) is property:
        fget, fset, fdel = (copies.get(id(f), f) for f in (value.fget, value.fset, value.fdel))
        return property(fget, fset, fdel, value.__doc__)
    copy = type(value)(copies[id(value.__func__)])
    copy.__dict__.update((name, item) for name, item in vars(value).items() if name not in vars(copy))
    return copy


def _copied_function(function: FunctionType) -> FunctionType:
    copy = FunctionType(function.__code__, function.__globals__, function.__name__, function.__defaults__,
                        function.__closure__)
    copy.__kwdefaults__ = function.__kwdefaults__
    copy.__qualname__, copy.__module__, copy.__doc__ = function.__qualname__, function.__module__, function.__doc__
    copy.__annotations__ = function.__annotations__
    if function.__dict__:
        copy.__dict__ = function.__dict__
    return copy


# --- No gaps to fill -----------------------------------------------------------------------------------------

FILLED: list[object] = []
"""Objects filling what were free blocks of Python's allocator (see the module's docstring); never freed."""


def fill_gaps() -> None:
    """Fill both allocators' gaps: Python's small-object allocator's free blocks and the C allocator's free chunks."""
    fill_holes()
    fill_malloc_holes()


def fill_holes() -> int:
    """Fill every free block of the small-object allocator's partly used pools; how many blocks were filled.

    What is left free afterwards is the unused end of the pool each size is now taken from:
    objects made next go there one after the other.
    """
    blocks = free_blocks()
    for size, count in blocks.items():
        FILLED.extend([_filler(size, k) for k in range(count)])
    return sum(blocks.values())


def _filler(size: int, k: int) -> object:
    """A new object the allocator puts in a block of ``size`` bytes."""
    if size <= 16:
        return object()
    if size <= 32:
        return 1_000_000 + k  # an int of one digit: 28 bytes
    return bytes(size - 33)  # a bytes object's header is 33 bytes


def free_blocks() -> dict[int, int]:
    """The free blocks in partly used pools of Python's small-object allocator, by block size.

    Read from ``sys._debugmallocstats`` (CPython's, printed on descriptor 2), whose table gives
    each size class's "avail blocks"; empty where that is not to be had (another Python).
    """
    report = getattr(sys, "_debugmallocstats", None)
    if report is None or not hasattr(os, "memfd_create"):
        return {}
    sys.stderr.flush()
    saved = os.dup(2)
    capture = os.memfd_create("mallocstats")
    try:
        os.dup2(capture, 2)
        report()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    try:
        os.lseek(capture, 0, os.SEEK_SET)
        report_text = b"".join(iter(lambda: os.read(capture, 65536), b""))
    finally:
        os.close(capture)
    # One row at a time (a list of every line would leave gaps of its own): class, size, pools, in use, avail.
    rows = re.finditer(rb"^ *\d+ +(\d+) +\d+ +\d+ +(\d+) *$", report_text, re.MULTILINE)
    return {int(row[1]): int(row[2]) for row in rows if int(row[2])}


class _MallocInfo(ctypes.Structure):
    """glibc's ``struct mallinfo2`` (glibc 2.33 and later): the C allocator's totals, in bytes."""
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]


MALLOC_FILLED: list[int] = []
"""Addresses of blocks filling what were free chunks of the C allocator (see ``fill_malloc_holes``); never freed."""
MALLOC_LARGEST = 64 * 1024
"""The largest block ``fill_malloc_holes`` asks for: below glibc's threshold for giving a block its own mapping
(128 KiB), which freeing such a block would raise for every lesson."""


def fill_malloc_holes() -> int:
    """Fill the C allocator's free chunks between blocks in use (glibc's main heap); how many blocks were filled.

    Objects larger than Python's small-object allocator takes (over 512 bytes: big code, type
    objects, the arrays of lists and dictionaries) come from the C allocator, which puts a new
    block in a free chunk left between blocks in use, where it would copy a page every lesson
    shares. Blocks are asked for from ``MALLOC_LARGEST`` bytes down; one that comes from a free
    chunk is kept, one that comes from the heap's end (its top grows less) is given back and a
    smaller size tried. Afterwards a lesson's blocks come from the heap's end, side by side, in
    pages of its own. Nothing where that allocator is not glibc's (``mallinfo2`` is missing).
    """
    try:
        libc = ctypes.CDLL(None)
        info, malloc, free = libc.mallinfo2, libc.malloc, libc.free
    except (OSError, AttributeError):
        return 0
    info.restype, info.argtypes = _MallocInfo, []
    malloc.restype, malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    free.restype, free.argtypes = None, [ctypes.c_void_p]
    filled, size = 0, MALLOC_LARGEST
    while size >= 24:  # glibc's smallest chunk holds 24 bytes
        before = info()
        if before.fordblks - before.keepcost < 32:
            break  # no free chunk left but the top
        block = malloc(size)
        after = info()
        from_a_hole = (after.keepcost, after.arena, after.hblkhd) == (before.keepcost, before.arena, before.hblkhd)
        if block and from_a_hole:
            MALLOC_FILLED.append(block)
            filled += 1
        else:
            free(block)
            size = size // 2 if size > 64 else size - 8
    return filled


# --- Forking lessons -----------------------------------------------------------------------------------------

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
    fd, program, args = int(argv[0]), argv[1], argv[2:]
    os.closerange(3, fd)  # descriptors the server inherited from whoever started it are not for lessons
    os.closerange(fd + 1, os.sysconf("SC_OPEN_MAX"))
    channel = socket.socket(fileno=fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server ends this process; a terminal's Ctrl+C does not
    name_process(PRELOAD_NAME)
    preload(program, args)
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
