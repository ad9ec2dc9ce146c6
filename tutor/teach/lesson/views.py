"""The views a lesson can show: every primitive, each named node as one box, or a net's neurons.

The view key cycles through the views a scenario has, keeping the learner's
place (``tutor.teach.lesson.places``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.i18n import N_
from tutor.teach.lesson.network import network_of

if TYPE_CHECKING:
    from tutor.scenario import Scenario

EXPANDED = "expanded"
GROUPS = "groups"
NEURONS = "neurons"
"""Neurons in layer columns (scenarios whose nodes form a net)."""
VIEW_KEY_LABELS = {NEURONS: N_("Neurons"), GROUPS: N_("Groups"), EXPANDED: N_("Expand")}
"""What the view key's label says when pressing it shows that view next (translated where shown)."""
GROUPS_BY_DEFAULT_ABOVE = 24
"""Scenarios with more primitive nodes than this open in the collapsed view."""


def default_view(scenario: Scenario) -> str:
    """The file's view; else a declared net's neurons; else groups for big graphs, expanded for small."""
    if scenario.view:
        return scenario.view
    if scenario.layers:
        return NEURONS
    return GROUPS if scenario.graph.op_count > GROUPS_BY_DEFAULT_ABOVE else EXPANDED


_LAST_VIEWS: list = [None, None, None, ()]  # the last scenario asked about, its graph, layers and views


def views_of(scenario: Scenario) -> tuple[str, ...]:
    """The views a scenario can be shown in, in the order the view key cycles: neurons (nets only), groups
    (when they differ from the primitives: a named node of several ops, or a constant), expanded."""
    last = _LAST_VIEWS
    if last[0] is scenario and last[1] is scenario.graph and last[2] is scenario.layers:
        return last[3]
    graph = scenario.graph
    differ = any(len(m) > 1 for m in graph.groups.values()) or any(n.kind == "const" for n in graph.nodes)
    views = (GROUPS, EXPANDED) if differ else (EXPANDED,)
    if (scenario.layers or scenario.params) and network_of(scenario) is not None:  # no params, no weights: no net
        views = (NEURONS, *views)
    last[:] = [scenario, scenario.graph, scenario.layers, views]
    return views


def next_view(scenario: Scenario, view: str) -> str:
    """The view after ``view`` in the cycle of the views the scenario has."""
    views = views_of(scenario)
    return views[(views.index(view) + 1) % len(views)] if view in views else views[0]
