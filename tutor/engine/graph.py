"""The computational graph: primitive nodes kept in the order they were made.

A node's inputs always come before it (the loader only lets a node use names
defined above it), so creation order is a topological order. That order is
fixed by the file, never by hashing, which keeps every trace, every stepper
position and every snapshot deterministic.
"""

from __future__ import annotations

from dataclasses import field

from tutor.engine.numbers import fmt
from tutor.engine.ops import OPS
from tutor.records import record

LEAF_KINDS = ("input", "param", "const")


@record(slots=True)
class Node:
    """One primitive node: a leaf (input, param, constant) or an op."""

    index: int
    name: str
    """Unique name: the author's name, or a derived one such as ``h1.mul1``."""
    kind: str
    """``input``, ``param``, ``const`` or ``op``."""
    op: str | None = None
    inputs: tuple[int, ...] = ()
    param: float = 0.0
    """The constant exponent of a ``powc`` node."""
    value: float = 0.0
    """A leaf's starting value."""
    group: str = ""
    """The named node (or leaf) this primitive belongs to."""

    @property
    def is_leaf(self) -> bool:
        return self.kind != "op"

    @property
    def label(self) -> str:
        """What a learner reads on the box: a constant shows its number."""
        if self.kind == "const":
            return fmt(self.value)
        return self.name


@record(frozen=False, slots=True)
class Graph:
    """Primitive nodes in creation order, plus the named groups over them."""

    nodes: list[Node] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    groups: dict[str, tuple[int, ...]] = field(default_factory=dict)
    """Named node -> its primitive op nodes in creation order (root last)."""
    output: int = -1
    compiled: object = field(default=None, repr=False, compare=False)
    """The engine's flat form of this graph, made on the first run and reused (rebuilt when the graph grows)."""

    # -- building ----------------------------------------------------------

    def add_leaf(self, name: str, kind: str, value: float, group: str | None = None) -> int:
        """Add an input, param or constant leaf and return its index."""
        if kind not in LEAF_KINDS:
            raise ValueError(f"unknown leaf kind {kind!r}")
        return self._add(Node(len(self.nodes), name, kind, value=float(value), group=group or name))

    def add_op(self, name: str, op: str, inputs: tuple[int, ...], group: str = "", param: float = 0.0) -> int:
        """Add a primitive op node over existing nodes and return its index.

        ``group`` is the named node it belongs to (itself when not given).
        """
        spec = OPS[op]
        if len(inputs) != spec.arity:
            raise ValueError(f"{op} takes {spec.arity} inputs, got {len(inputs)}")
        for i in inputs:
            if not 0 <= i < len(self.nodes):
                raise ValueError(f"input {i} of {name} does not exist yet")
        return self._add(Node(len(self.nodes), name, "op", op, tuple(inputs), float(param), group=group or name))

    def _add(self, node: Node) -> int:
        if node.name in self.index:
            raise ValueError(f"name {node.name!r} is already defined")
        self.nodes.append(node)
        self.index[node.name] = node.index
        return node.index

    def add_group(self, name: str, members: tuple[int, ...]) -> None:
        """Record the primitives that make up one named node (root last)."""
        self.groups[name] = tuple(members)

    # -- queries -----------------------------------------------------------

    def __len__(self) -> int:
        return len(self.nodes)

    def node(self, name: str) -> Node:
        return self.nodes[self.index[name]]

    def is_constant(self, name: str) -> bool:
        """True for a constant leaf (the ``1`` in ``b + 1``): real, but nobody can change it."""
        index = self.index.get(name)
        return index is not None and self.nodes[index].kind == "const"

    @property
    def leaves(self) -> list[Node]:
        """Inputs and params (not constants), in the author's order."""
        return [n for n in self.nodes if n.kind in ("input", "param")]

    @property
    def params(self) -> list[Node]:
        return [n for n in self.nodes if n.kind == "param"]

    @property
    def op_count(self) -> int:
        return sum(1 for n in self.nodes if n.kind == "op")

    def consumers(self) -> list[list[tuple[int, int]]]:
        """For each node, the (consumer index, input position) edges leaving it."""
        out: list[list[tuple[int, int]]] = [[] for _ in self.nodes]
        for node in self.nodes:
            for position, i in enumerate(node.inputs):
                out[i].append((node.index, position))
        return out

    def ancestors_of_output(self) -> list[bool]:
        """Which nodes the output depends on (the output included)."""
        needed = [False] * len(self.nodes)
        if self.output < 0:
            return needed
        needed[self.output] = True
        for node in reversed(self.nodes[: self.output + 1]):
            if needed[node.index]:
                for i in node.inputs:
                    needed[i] = True
        return needed

    def group_of(self, index: int) -> str:
        return self.nodes[index].group

    def group_root(self, name: str) -> int:
        """The primitive node that carries a named node's (or leaf's) value."""
        return self.index[name]
