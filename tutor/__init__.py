"""tutor: step through backpropagation on a computational graph, in a terminal.

The Python API, for scripts, notebooks and tests (importing it does not load
Textual, and ``import tutor`` itself loads nothing until a name is used)::

    import tutor

    scenario = tutor.load("scenarios/rectangle.yaml")     # or tutor.loads(text, name="rectangle")
    trace = tutor.run(scenario, overrides={"w": 4})        # values, gradients and every step
    trace.output_value, trace.grad("w")

    g = tutor.Graph()                                      # build a graph in code
    a = g.add_leaf("a", "input", 2.0)
    b = g.add_leaf("b", "input", -3.0)
    g.output = g.add_op("c", "mul", (a, b))
    tutor.run(g).grad("a")                                 # -3.0

    tutor.builtin_names()                                  # ['shopping', ...]
    tutor.ui.TutorApp("shopping").run()                    # the app (this one loads Textual)

Your own code, written for micrograd::

    from tutor import Value                                # micrograd's Value, as the tutor steps through it
    a = Value(-4.0, label="a"); b = Value(2.0, label="b")
    g = (a * b + b**3).relu(); g.backward()
    tutor.show(g)                                          # the app on that graph (needs a terminal)
    text = tutor.dumps(g)                                  # the same graph as a scenario file
    tutor.nn.MLP(2, [16, 16, 1], activation="tanh")        # Neuron, Layer, MLP as micrograd's nn has them
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (it costs milliseconds)

__version__ = "0.1.0"

__all__ = [
    "Graph", "Scenario", "ScenarioError", "Trace", "Value", "builtin_names", "dump", "dumps", "load", "loads", "nn",
    "run", "show",
]

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from tutor.engine.graph import Graph
    from tutor.engine.trace import Trace
    from tutor.scenario import Scenario, ScenarioError, builtin_names, load
    from tutor.engine.value import Value
    from tutor.scenario.dump import dump, dumps
    from tutor.ui.show import show

_LAZY = {
    "Graph": "tutor.engine.graph",
    "Trace": "tutor.engine.trace",
    "Scenario": "tutor.scenario",
    "ScenarioError": "tutor.scenario",
    "builtin_names": "tutor.scenario",
    "load": "tutor.scenario",
    "Value": "tutor.engine.value",
    "dumps": "tutor.scenario.dump",
    "dump": "tutor.scenario.dump",
    "show": "tutor.ui.show",
}
"""Names imported on first use, so that ``python -m tutor`` starts as fast as before."""


def __getattr__(name: str) -> object:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name in ("ui", "nn"):
        import importlib

        return importlib.import_module(f"tutor.{name}")
    raise AttributeError(f"module 'tutor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, "ui", "nn"})


def loads(text: str | bytes, name: str = "<scenario>") -> Scenario:
    """A scenario from YAML text; ``name`` is the file name used in errors (and the scenario's name)."""
    from tutor.scenario import loads as load_text

    return load_text(text, path=name)


def run(graph_or_scenario: Graph | Scenario, overrides: dict[str, float] | None = None) -> Trace:
    """Forward then backward pass, every step recorded; ``overrides`` changes inputs or params by name."""
    from tutor.engine.trace import run as run_graph

    graph = getattr(graph_or_scenario, "graph", graph_or_scenario)
    if graph.output < 0:
        raise ValueError("the graph has no output: set graph.output to the index of the node to differentiate")
    return run_graph(graph, overrides)
