"""The pre-loaded process's preparation: a rehearsed lesson leaves the process as it found it; the gaps are filled.

``tutor.ui.preload.preload`` runs a lesson three times in the process that every
tab's lesson is then forked from; whatever a lesson changes in its process
(standard streams, signal handlers, environment, language, threads) would
otherwise reach every lesson forked afterwards.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="lessons are forked on Linux only")

ROOT = Path(__file__).resolve().parents[2]

PREPARE = r"""
import gc, json, os, signal, sys, threading
from tutor.ui.serve.session import lesson_environment
os.environ.update(lesson_environment())  # the web driver and the rest, as the server gives its lessons
from tutor import i18n
from tutor.ui import preload
from tutor.ui.app import TutorApp

signal.signal(signal.SIGINT, signal.SIG_IGN)  # as the pre-loaded process sets it
code = TutorApp.__init__.__code__


def state():
    return {
        "streams": [os.readlink(f"/proc/self/fd/{fd}") for fd in (0, 1, 2)],
        "python streams": [sys.stdin is sys.__stdin__, sys.stdout is sys.__stdout__, sys.stderr is sys.__stderr__],
        "argv": sys.argv,
        "environment": dict(os.environ),
        "signals": {name: repr(signal.getsignal(getattr(signal, name))) for name in preload.SIGNALS},
        "language": i18n.language(),
        "threads": len(threading.enumerate()),
        "collector": gc.isenabled(),
    }


before = state()
preload.preload("tutor", ["shopping", "--lang", "ja"])
after = state()
copied = TutorApp.__init__.__code__
print(json.dumps({"before": before, "after": after, "code copied": copied is not code and copied == code}))
"""


def test_preparing_runs_a_lesson_and_leaves_the_process_as_it_found_it(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "ROWS", "LANGUAGE", "LC_ALL")}
    env.update(LANG="C.UTF-8", TUTOR_CONFIG_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", PREPARE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # the rehearsed lessons' output and errors went nowhere
    report = json.loads(result.stdout)
    assert report["after"] == report["before"]
    assert report["before"]["language"] == "en" and report["before"]["threads"] == 1
    # A lesson ran (in Japanese, as asked), and the code it ran was copied: the same code, another object.
    assert report["code copied"]


FILL = r"""
import gc, json, sys
from tutor.ui import preload
import tutor.ui.app
gc.collect()
before = preload.free_blocks()
filled = preload.fill_holes()
after = preload.free_blocks()
print(json.dumps({"before": before, "filled": filled, "after": after}))
"""


def test_filling_the_gaps_leaves_free_only_the_end_of_one_pool_per_size():
    result = subprocess.run(
        [sys.executable, "-c", FILL], cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    gaps = {int(size): count for size, count in report["before"].items()}
    assert gaps and report["filled"] > sum(gaps.values()) // 2  # the allocator's report was read, and acted on
    pool = 16 * 1024 - 48  # a pool of Python 3.11 on a 64-bit system, less its header
    for size, free in report["after"].items():
        assert free <= pool // int(size), (size, free)  # at most what is left of the pool being filled
    # Free blocks stay only in the size classes whose last pool the filling itself began (a whole pool's end
    # may be free there: their total is not bounded by the gaps before, which vary from run to run).
    left = [size for size, free in report["after"].items() if free]
    assert len(left) <= len(gaps) // 3, (left, sorted(gaps))


MALLOC = r"""
import ctypes, json
from tutor.ui import preload

info = getattr(ctypes.CDLL(None), "mallinfo2", None)
if info is None:
    print(json.dumps(None))  # not glibc's allocator (or one older than 2.33)
    raise SystemExit
info.restype = preload._MallocInfo


def free_between():
    totals = info()
    return totals.fordblks - totals.keepcost  # free bytes in chunks other than the heap's top


blocks = [bytes(1500 + k % 7) for k in range(4000)]  # over 512 bytes: from the C allocator
del blocks[::2]  # every other freed: about 2,000 gaps of 1.5 KiB between blocks in use
before = free_between()
filled = preload.fill_malloc_holes()
after = free_between()
later = [None] * 200  # made afterwards: at the heap's end, one after the other
for k in range(200):
    later[k] = bytes(1500)
steps = [id(b) - id(a) for a, b in zip(later, later[1:])]
print(json.dumps({"before": before, "filled": filled, "after": after, "steps": steps}))
"""


def test_filling_the_c_allocators_gaps_puts_new_blocks_side_by_side():
    result = subprocess.run(
        [sys.executable, "-c", MALLOC], cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    if report is None:
        pytest.skip("the C allocator is not glibc's 2.33 or later (no mallinfo2)")
    assert report["before"] >= 2000 * 1500  # the gaps were made
    assert report["filled"] >= 2000
    assert report["after"] < report["before"] // 10
    # Each block made afterwards follows the one before it (1,500 bytes, a header, a Python header, alignment).
    assert all(0 < step <= 1600 for step in report["steps"]), sorted(set(report["steps"]))


SYNTHETIC = '''
def called(x):
    return x + 1


shared = lambda: "shared"  # noqa: E731
alias = shared  # two places: left as it is


class Lesson:
    def method(self):
        return "method"

    @property
    def value(self):
        return self._value

    @value.setter
    def value(self, number):
        self._value = number

    @classmethod
    def named(cls):
        return cls.__name__

    @staticmethod
    def constant():
        """A constant."""
        return 3
'''


def test_copying_functions_replaces_those_held_in_one_place_with_copies_that_behave_the_same():
    from tutor.ui import preload

    module: dict = {}
    exec(compile(SYNTHETIC, "synthetic", "exec"), module)
    lesson = module["Lesson"]
    assert lesson().method() == "method" and lesson.named() == "Lesson" and lesson.constant() == 3  # caches filled
    names = ("method", "value", "named", "constant")
    before = {name: id(lesson.__dict__[name]) for name in names}
    called, shared = id(module["called"]), id(module["shared"])
    order = [module["called"].__code__, module["shared"].__code__, lesson.method.__code__,
             lesson.__dict__["value"].fget.__code__, lesson.__dict__["value"].fset.__code__,
             lesson.named.__func__.__code__, lesson.constant.__code__]

    assert preload.copy_functions(order) == 6  # called, method, value's two, named, constant

    assert id(module["called"]) != called and module["called"](1) == 2
    assert id(module["shared"]) == shared and module["alias"] is module["shared"]
    assert all(id(lesson.__dict__[name]) != before[name] for name in names)
    item = lesson()
    item.value = 5
    assert (item.method(), item.value, lesson.named(), lesson.constant()) == ("method", 5, "Lesson", 3)
    assert lesson.constant.__doc__ == "A constant." and lesson.__dict__["named"].__wrapped__ is lesson.named.__func__
    assert lesson.method.__qualname__ == "Lesson.method" and lesson.__dict__["value"].fset.__name__ == "value"
