"""The groups view's narration: each named node is one box, with its local derivatives seen from outside.

A group's backward step also says what it multiplies inside: the local
factors of its primitives along the path from an input to its root, and, for
the sigmoid written out as four nodes, that those factors multiply to the
grouped sigmoid's y(1 − y).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from tutor.engine.numbers import fmt, operand
from tutor.i18n import _
from tutor.teach.lesson.phrase import phrase
from tutor.teach.lesson.step_narration import StepNarration

if TYPE_CHECKING:
    from tutor.engine.trace import BackwardStep, Edge
    from tutor.teach.text import Line

SIGMOID_WRITTEN_OUT = (
    [("mul", (-1.0,)), ("exp", ()), ("add", (1.0,)), ("reciprocal", ())],
    [("neg", ()), ("exp", ()), ("add", (1.0,)), ("reciprocal", ())],
)
"""1 / (1 + exp(-x)) as four primitives (each op with the constants it reads)."""

COMPACT_DIGITS = 4
"""Significant digits of the compact form's numbers (as on the graph)."""


class GroupNarration(StepNarration):
    """Steps are named nodes (groups of primitives) and leaves."""

    grouped = True

    def group_of(self, node: str) -> str:
        return node

    def is_expanded_sigmoid(self, name: str) -> bool:
        """True when the group is 1 / (1 + exp(-x)) written out: negate, exp, add 1, reciprocal."""
        graph = self.lesson.graph
        ops = []
        for m in graph.groups.get(name, ()):
            node = graph.nodes[m]
            if node.kind != "op":
                continue
            constants = [graph.nodes[i].value for i in node.inputs if graph.nodes[i].kind == "const"]
            ops.append((node.op, tuple(constants)))
        return ops in SIGMOID_WRITTEN_OUT

    def inside_lines(self, step: BackwardStep, edge: Edge) -> list[Line]:
        """A group's local derivative as the product of the local factors inside it."""
        lesson = self.lesson
        routes = lesson.groups.factors(step.node, edge.input)
        if len(routes) != 1:
            return []
        factors = routes[0]
        if sum(1 for f in factors if f.formula != "1") < 2:
            return []
        names = " · ".join(f"({f.formula})" if f.formula.startswith("-") and len(f.formula) <= 3 else f.formula
                           for f in factors)
        numbers = " × ".join(operand(f.value) for f in factors)
        lines: list[Line] = [
            [*phrase(_("   inside {node}: "), "dim", node=(step.node, "name")), (names, "formula"), (" = ", ""),
             (numbers, "value"), (" = ", ""), (fmt(edge.local), "value")]
        ]
        if self.is_expanded_sigmoid(step.node):
            y = lesson.trace.value(step.node)
            agree = math.isfinite(edge.local)
            lines.append(
                [("   " + ("= " if agree else _("but ")), ""), (f"{step.node}(1 − {step.node})", "formula"),
                 (" = ", ""), (f"{operand(y)} × (1 − {operand(y)})", "value"), (" = ", ""), (fmt(y * (1 - y)), "value"),
                 (_("   the four factors multiply to the grouped sigmoid's local derivative") if agree else
                  _("   in exact arithmetic the four factors give this too; in floating point a factor overflowed "
                    "and 0 × inf is nan: the grouped sigmoid avoids it"), "note")]
            )
        return lines

    def agreement_lines(self, step: BackwardStep, edge: Edge) -> list[Line]:
        """The compact form: an expanded sigmoid's four local factors, and that their product (the group's
        local derivative, ``edge.local``) is y(1 − y)."""
        if not self.is_expanded_sigmoid(step.node):
            return []
        lesson = self.lesson
        routes = lesson.groups.factors(step.node, edge.input)
        if len(routes) != 1:
            return []
        node = step.node
        numbers = " × ".join(operand(f.value, COMPACT_DIGITS) for f in routes[0])
        y = lesson.trace.value(node)
        return [[(_("   factors "), "dim"), (numbers, "value"), (" = ", ""), (fmt(edge.local, COMPACT_DIGITS), "value"),
                 (" = ", ""), (f"{node}(1 − {node})", "formula"), (" = ", ""),
                 (f"{operand(y, COMPACT_DIGITS)} × (1 − {operand(y, COMPACT_DIGITS)})", "value")]]
