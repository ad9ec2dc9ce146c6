"""The start-up policy: everything the tutor does to open a lesson quickly, in one place.

A lesson's first frame should cost little more than a bare Textual app's.
Two things stand in the way, and this module is where each is handled:

1. **Modules a first frame does not need.** numpy (about 80 ms), the quiz,
   the modes' arithmetic, the neuron drawing, the picker, the dialogs...
   The rest of the code imports them at the top of its modules as usual, so
   the import graph is honest (the layer contracts in ``pyproject.toml`` and
   the no-cycle test read it); ``DEFERRED`` lists those whose code runs only
   when first used. Python's ``importlib.util.LazyLoader`` makes the module
   object at import and runs its code at the first attribute read. Import
   a deferred module as ``from package import module`` (a second
   ``import package.module`` runs it at once: Python checks the module is
   initialised). numpy, which many modules use, is reached through
   ``numpy`` below. ``tests/unit/test_startup.py`` checks that opening a
   lesson runs none of them.
2. **The cyclic garbage collector.** Importing Textual and the tutor, and
   building a lesson, make hundreds of thousands of objects that live for
   the whole run and no reference cycles; the collector would walk them
   again and again while they are made. ``importing()`` and ``paused_gc()``
   pause it around such work, and ``importing()`` then freezes what was
   made (``gc.freeze``) so later collections never walk it.
"""

from __future__ import annotations

import gc
import importlib
import importlib.machinery
import importlib.util
import sys
from contextlib import contextmanager

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it costs milliseconds)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType
    from typing import Any

DEFERRED = frozenset({
    # Parts of the file format only some files use: the network: shorthand, data sets.
    "tutor.scenario.network",
    "tutor.scenario.data",
    # Training on a data set (numpy arrives with them).
    "tutor.engine.batch",
    "tutor.engine.batch_layers",
    "tutor.teach.training",
    # The modes' own arithmetic: forward mode, paths, numeric check, training steps.
    "tutor.engine.analysis",
    "tutor.engine.groups",
    # The quiz's questions and answer parsing.
    "tutor.teach.questions",
    "tutor.teach.lesson.step_questions",
    "tutor.teach.lesson.neuron_questions",
    # Drawings and widgets for what is opened later.
    "tutor.draw.network",
    "tutor.draw.learned",
    "tutor.draw.plot",
    "tutor.draw.training_rows",
    "tutor.ui.screens.picker",
    "tutor.ui.screens.error",
    "tutor.ui.dialogs.edit",
    "tutor.ui.dialogs.help",
    "tutor.ui.dialogs.rows",
    "tutor.ui.widgets.training_panel",
})
"""Modules whose code runs when first used, not when imported (see the module's first point)."""


class _DeferredFinder:
    """A finder on ``sys.meta_path``: the modules in ``DEFERRED``, found as Python would, loaded lazily."""

    def find_spec(self, name: str, path: Any, target: ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if name not in DEFERRED:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


def install() -> None:
    """Load the modules of ``DEFERRED`` lazily from now on (once per process)."""
    if not any(isinstance(finder, _DeferredFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, _DeferredFinder())


install()


class _Numpy:
    """numpy, imported on its first use: ``from tutor.startup import numpy as np``."""

    def __getattr__(self, name: str) -> Any:
        import numpy as real  # noqa: PLC0415 - the one deferred import of a library, by design

        globals()["numpy"] = real
        return getattr(real, name)


numpy: Any = _Numpy()


def deferred(module: str, name: str) -> Any:
    """``module.name``, importing ``module`` now: for what a later screen shows (a widget class of
    ``textual.widgets``, which loads each widget's module on first use), asked for where it is needed."""
    return getattr(importlib.import_module(module), name)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic collector inside the block (nests; restores what was there).

    For big builds (loading, tracing, laying out or writing a big graph): they
    make no reference cycles, and the collector's full-heap walks made their
    cost grow faster than the graph. Reference counting frees memory as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def importing() -> Iterator[None]:
    """Imports of modules that live until the process ends: the collector waits, then never walks them.

    Collecting while Textual and the tutor were imported cost about 14 ms of
    a launch; frozen afterwards (``gc.freeze``), they are out of its way.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if was_enabled:
            gc.enable()


class FirstFrame:
    """The collector waits while the first screen is built and resumes once it is drawn.

    Opening a lesson makes many objects (the scenario, its trace and layout,
    the widgets) and no cycles; a collection meanwhile walked all of
    Textual's and Rich's objects too (about 10 ms). ``freeze``: also move
    what exists once the first frame is drawn out of the collector's way, so
    its passes while the learner steps scan only new objects, whatever the
    graph's size (for one app per process: tests run many, and skip it).
    """

    def __init__(self) -> None:
        self._waiting = False

    def building(self) -> None:
        """The first screen is about to be built."""
        self._waiting = gc.isenabled()
        gc.disable()

    def drawn(self, freeze: bool = False) -> None:
        """The first screen is drawn (or the app is leaving before it was)."""
        if freeze:
            gc.freeze()
        if self._waiting:
            self._waiting = False
            gc.enable()
