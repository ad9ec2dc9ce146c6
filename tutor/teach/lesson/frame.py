"""What the graph draws at one position of a lesson, as plain records.

The boxes (``ViewNode``) and edges (``ViewEdge``) of a view, and a ``Frame``:
every value and gradient known at that position, which node is current and
which edges are active. Frames are built from the engine's step records only,
so stepping back to a position always gives exactly the same frame.
"""

from __future__ import annotations

from dataclasses import field

from tutor.records import record


@record(slots=True)
class ViewNode:
    """One box of a view: a primitive node, a named group, an input or a param."""

    key: str
    title: str
    subtitle: str
    kind: str


@record(slots=True)
class ViewEdge:
    """The edge from ``source`` into input ``position`` of ``target``."""

    source: str
    target: str
    position: int


@record(slots=True)
class Position:
    """Where step *k* is: phase and index into that phase's step list."""

    phase: str  # "start" | "forward" | "backward"
    index: int  # -1 for start


@record(slots=True)
class Frame:
    """Everything the graph needs to draw step *k*."""

    values: dict[str, float]
    grads: dict[str, float]
    edge_values: dict[ViewEdge, float]
    edge_grads: dict[ViewEdge, float]
    current: str | None
    active_edges: frozenset[ViewEdge]
    computed: frozenset[str]
    finished: frozenset[str]
    """Nodes whose backward step is done (their gradients have been sent on)."""
    grad_mark: str = "∂"
    """How the graph marks the numbers in ``grads``: ∂ for gradients, ṫ for forward mode's tangents."""
    marks: dict[str, str] = field(default_factory=dict)
    """Nodes whose number gets another mark: δ at a neuron's weighted sum (its gradient is the neuron's delta)."""
