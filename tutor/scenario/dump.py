"""A graph of ``Value`` objects as a scenario: YAML text (``dumps``, ``dump``) or a ``Scenario`` (``scenario_of``).

The file reads as a person would write it: labelled nodes (and values used
more than once) as named nodes, the rest folded into their expressions,
params under ``params:``. ``tutor check`` accepts it and ``tutor.loads`` reads
it back to the very graph ``tutor.show`` steps through (numbers are written so
they read back bit for bit), so the values and gradients are the ones
``backward()`` computed.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable

from tutor.engine.expr import MAX_DEPTH
from tutor.engine.expr_text import number_text
from tutor.engine.from_values import ValueGraph, ValueGraphError, read_values
from tutor.scenario.loader import MAX_BYTES, MAX_NODES, Scenario

FILE_DEPTH = MAX_DEPTH // 2
"""The deepest expression written (the loader refuses past ``MAX_DEPTH`` levels; a constant adds one)."""

_PLAIN = re.compile(r"[\w(][\w .+\-*/(),]*")
"""Expressions YAML reads as plain text: no quotes needed."""


def read(root: object, params: Iterable[object] | None = None, *, for_file: bool = False) -> ValueGraph:
    """The graph ending at ``root``, within the scenario format's limits (``ValueGraphError`` if not)."""
    return read_values(root, params, limit=MAX_NODES, max_depth=FILE_DEPTH if for_file else None)


def title_of(graph: ValueGraph) -> str:
    return f"Your graph of {graph.output} ({graph.made_by})"


def description_of(graph: ValueGraph) -> str:
    """Where the graph came from and what it holds, in one sentence."""
    counts = [
        _count(len(graph.inputs), "input"),
        _count(len(graph.params), "param"),
        _count(len(graph.expressions), "named node"),
    ]
    return (
        f"Built in Python with {graph.made_by} and read by the tutor: {', '.join(counts[:2])} and {counts[2]} "
        f"({_count(len(graph.graph), 'primitive node')}); the output is {graph.output}."
    )


def scenario_of(root: object, params: Iterable[object] | None = None, name: str = "tutor.show") -> Scenario:
    """The scenario ``tutor.show`` opens: the graph ending at ``root``, built without any text."""
    graph = read(root, params)
    return Scenario(
        path=f"<{name}>",
        name=name,
        title=title_of(graph),
        description=description_of(graph),
        inputs=graph.inputs,
        params=graph.params,
        nodes=graph.expressions,
        output=graph.output,
        graph=graph.graph,
    )


def dumps(root: object, params: Iterable[object] | None = None) -> str:
    """The graph ending at ``root`` as scenario YAML (``params``: the leaves training may change)."""
    graph = read(root, params, for_file=True)
    for node in graph.graph.nodes:
        if node.kind != "op" and not math.isfinite(node.value):
            what = f"a constant in {node.group}" if node.kind == "const" else node.name
            raise ValueGraphError(
                f"{what} is {node.value!r}, and a scenario's numbers are finite: make it finite before dumping"
            )
    lines = [
        f"# Written by tutor.dumps from {graph.made_by} objects: {len(graph.graph):,} primitive nodes.",
        f"title: {_quoted(title_of(graph))}",
        f"description: {_quoted(description_of(graph).replace('read by the tutor', 'written by tutor.dumps'))}",
    ]
    for section, leaves in (("inputs", graph.inputs), ("params", graph.params)):
        if leaves:
            lines.append(f"{section}:")
            lines += [f"  {name}: {number_text(value)}" for name, value in leaves.items()]
    lines.append("nodes:")
    lines += [f"  {name}: {_expression(text)}" for name, text in graph.expressions.items()]
    lines.append(f"output: {graph.output}")
    text = "\n".join(lines) + "\n"
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        raise ValueGraphError(
            f"the scenario would take {size / 2**20:.1f} MiB, more than the {MAX_BYTES // 2**20} MiB a scenario "
            "file may hold: dump the loss of one data point instead of the whole data set"
        )
    return text


def dump(root: object, file, params: Iterable[object] | None = None) -> None:
    """Write ``dumps(root, params)`` to ``file``: a path, or a text file open for writing."""
    text = dumps(root, params)
    if hasattr(file, "write"):
        file.write(text)
        return
    with open(os.fspath(file), "w", encoding="utf-8") as out:
        out.write(text)


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}" if n else f"no {what}s"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a YAML double-quoted scalar


def _expression(text: str) -> str:
    return text if _PLAIN.fullmatch(text) else _quoted(text)
