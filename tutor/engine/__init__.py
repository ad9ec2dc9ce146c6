"""The engine: numbers in, numbers out.

The op table, expression parsing, the graph, the forward and backward passes
and the analyses built on them. Nothing here imports YAML, Rich or Textual.
"""

from tutor import startup  # noqa: F401 - first: modules deferred by the start-up policy load lazily
