"""Reading one YAML value: a number, a text, a mapping or a name, each with its own error.

Shared by the loader and the ``network:`` and ``data:`` sections.
"""

from __future__ import annotations

import keyword

from yaml.nodes import MappingNode, Node, ScalarNode

from tutor.engine.expr import normalize_name
from tutor.engine.numbers import NumberTextError, parse_decimal
from tutor.engine.ops import FUNCTIONS
from tutor.scenario.errors import error_at
from tutor.scenario.visible import quoted, visible


INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
STR_TAG = "tag:yaml.org,2002:str"


def read_number(node: Node, path: str, what: str) -> float:
    """A finite number from a scalar node, or a ScenarioError saying why not."""
    if not isinstance(node, ScalarNode):
        raise error_at(path, node, f"{what} must be a number, not a {'list' if node.id == 'sequence' else 'mapping'}")
    if node.tag == BOOL_TAG:
        raise error_at(path, node, f"{what} must be a number, not the boolean {visible(node.value, 20)}", "write 1 or 0")
    if node.tag == NULL_TAG:
        raise error_at(path, node, f"{what} has no value", "write a number after the colon")
    text = node.value.strip()
    plain = not node.style and node.tag in (INT_TAG, FLOAT_TAG, STR_TAG)
    if plain and node.tag == FLOAT_TAG and text.lower().lstrip("+-") in (".nan", ".inf"):
        raise error_at(path, node, f"{what} must be a finite number, not {visible(node.value, 60)}", "nan and inf are not allowed")
    if plain:
        try:
            return parse_decimal(text)
        except NumberTextError as problem:
            if problem.problem == "number is too large":
                raise error_at(path, node, f"{what} is too large: {quoted(node.value, 30)}", problem.hint) from None
            if problem.problem == "is not a number":
                raise error_at(path, node, f"{what} must be a number, not {quoted(node.value)}", problem.hint) from None
            if problem.problem == "must be a finite number":
                raise error_at(path, node, f"{what} must be a finite number, not {visible(node.value, 60)}", problem.hint) from None
            raise error_at(path, node, f"{what}: {quoted(node.value, 30)}: {problem.problem}", problem.hint) from None
    raise error_at(path, node, f"{what} must be a number, not {quoted(node.value)}", "write a plain number such as 1.5")


def read_text(node: Node, path: str, what: str) -> str:
    if not isinstance(node, ScalarNode) or node.tag == NULL_TAG:
        raise error_at(path, node, f"{what} must be text")
    return node.value


def read_mapping(node: Node, path: str, what: str, allow_empty: bool = True) -> list[tuple[Node, Node]]:
    if isinstance(node, ScalarNode) and node.tag == NULL_TAG and allow_empty:
        return []
    if not isinstance(node, MappingNode):
        raise error_at(
            path, node, f"'{what}' must be a mapping of name: value lines", "one 'name: value' per line, indented"
        )
    return node.value


def read_name(key: Node, path: str, section: str) -> str:
    if not isinstance(key, ScalarNode) or key.tag not in (STR_TAG, INT_TAG, FLOAT_TAG, BOOL_TAG, NULL_TAG):
        raise error_at(path, key, f"names in '{section}' must be plain identifiers")
    raw = key.value
    name = normalize_name(raw)
    if not name.isidentifier() or keyword.iskeyword(name):
        raise error_at(
            path,
            key,
            f"{quoted(raw)} is not a valid name",
            "names start with a letter or _ and contain letters, digits and _ (any script)",
        )
    if name in FUNCTIONS:
        raise error_at(path, key, f"{quoted(name)} is a function name and cannot name a value", f"rename it, e.g. {name}_value")
    return name
