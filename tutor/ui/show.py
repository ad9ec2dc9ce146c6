"""``tutor.show``: the app on a graph built in Python, as if it were a scenario file.

The graph is read into a scenario object (``tutor.scenario.dump.scenario_of``:
no text is written or parsed) and opened in the same lesson screen a file
opens in, so every view and mode works, and training when ``params`` says which
leaves learn. A graph that cannot be read raises one sentence saying why
before anything opens; without a terminal, one sentence says what to do
instead, as ``python -m tutor`` does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from tutor.scenario.dump import scenario_of

NO_TERMINAL = (
    "tutor.show needs a terminal to open the tutor in; without one, write the graph to a file with "
    "tutor.dump(root, 'graph.yaml') and open it from a terminal with `tutor graph.yaml` "
    "(or print its steps with `tutor trace graph.yaml`)."
)


def show(root: object, params: Iterable[object] | None = None) -> None:
    """Step through the graph that ends at ``root`` in the tutor; returns when the learner quits.

    ``params``: the leaves training may change (``model.parameters()``), for the
    training mode and the neuron view. Raises ``ValueError`` (one sentence) for a
    graph it cannot read: an unknown ``_op``, a cycle, more nodes than a scenario
    may hold.
    """
    scenario = scenario_of(root, params)
    if not has_terminal():
        print(NO_TERMINAL, file=sys.stderr)
        return
    from tutor.ui.app import TutorApp  # here: reading the graph needs no Textual

    TutorApp(scenario).run()


def has_terminal() -> bool:
    """A real terminal on both ends, or a driver Textual was told to use (a browser tab)."""
    return bool(os.environ.get("TEXTUAL_DRIVER")) or (sys.stdin.isatty() and sys.stdout.isatty())
