"""Where a batch's numbers first stop being numbers, in words: for the trainer's warnings.

When a training run meets inf or nan (a log of 0 in a hand-written loss, an
exp that overflows, a division by 0), the trainer stops and says why. The
first node, in creation order, that is not finite in some row while its
inputs are finite there is where the trouble starts; everything after it
only carries it along.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tutor.engine.graph import Graph
from tutor.engine.numbers import fmt
from tutor.engine.ops import OPS
from tutor.records import record


@record(slots=True)
class Trouble:
    """Where a pass's numbers first stop being numbers."""

    where: str
    """``loss.log1 = log(0) = -inf in row 2 (log of a number that is not positive)``."""
    op: str
    """The op of the node it starts at."""

    @property
    def advice(self) -> str:
        """What to try: a smaller learning rate, unless the op says more."""
        return ADVICE.get(self.op, SMALLER)


SMALLER = "try a smaller learning rate"
ADVICE = {"log": "keep the log's argument above 0 (log(y + 1e-7), as the textbook's cross-entropy does) "
                 "or try a smaller learning rate"}
"""What to try when the trouble starts at an op, beyond the usual smaller learning rate."""


def first_trouble(graph: Graph, values: Sequence[Any], rows: int) -> Trouble | None:
    """The first node the output depends on that is not finite in some row while its inputs are, or None
    when every such node is finite in every row (the trouble is in the gradients, then)."""
    needed = graph.ancestors_of_output()
    for node in graph.nodes:
        if node.kind != "op" or not needed[node.index]:
            continue
        column = np.broadcast_to(np.asarray(values[node.index], dtype=float), (rows,))
        bad = ~np.isfinite(column)
        if not bad.any():
            continue
        inputs = [np.broadcast_to(np.asarray(values[i], dtype=float), (rows,)) for i in node.inputs]
        for column_in in inputs:
            bad &= np.isfinite(column_in)
        found = np.flatnonzero(bad)
        if not found.size:
            continue
        row = int(found[0])
        op = OPS[node.op]
        call = op.expression(tuple(fmt(float(c[row])) for c in inputs), node.param)
        more = f" and {found.size - 1} more row{'s' * (found.size != 2)}" if found.size > 1 else ""
        reason = f" ({op.trouble})" if op.trouble else ""
        return Trouble(f"{node.name} = {call} = {fmt(float(column[row]))} in row {row + 1}{more}{reason}", node.op)
    return None
