"""A JSON Schema of the scenario format, for editors' YAML language servers.

It gives completion and early squiggles while typing; the loader (and
``tutor check``) stays the authority on errors: it also checks what
a schema cannot, such as names used before they are defined.
"""

from __future__ import annotations

from tutor.engine.ops import FUNCTIONS
from tutor.i18n import LANGUAGES
from tutor.scenario.loader import KEYS, VIEWS
from tutor.scenario.network import ACTIVATIONS

SCHEMA_ID = "urn:uuid:9f79bfcb-bc7a-4bf0-8a7c-e3bb8b32071a"
"""The schema's ``$id``: a URN (RFC 4122) names it for good with no host to serve it; the same in every version."""
NAME_PATTERN = r"^(?![0-9])[^\s!-/:-@\[-\^`{-~]+$"
"""Identifiers in any script: no leading digit, no spaces or ASCII punctuation but _."""

_number = {"type": "number", "description": "A finite number (no booleans, nan or inf)."}
_NOTE = (
    "A sentence; {name} shows a value and {grad(name)} the gradient of the output as of that step "
    "(backward notes only); {{ and }} are literal braces."
)


def _by_language(text: dict, what: str) -> dict:
    """``text``, or a mapping by language code of such texts."""
    codes = ", ".join(LANGUAGES)
    return {
        "oneOf": [
            text,
            {
                "type": "object",
                "additionalProperties": False,
                "minProperties": 1,
                "properties": {code: text for code in LANGUAGES},
                "description": f"{what}, per language ({codes}); the lesson shows the current language's.",
            },
        ]
    }


def _network() -> dict:
    layer = {
        "type": "object",
        "additionalProperties": False,
        "required": ["size"],
        "properties": {
            "size": {"type": "integer", "minimum": 1, "description": "Number of neurons."},
            "activation": {"enum": list(ACTIVATIONS), "description": "Default sigmoid."},
            "weights": {
                "type": "array", "items": {"type": "array", "items": _number},
                "description": "One row per neuron, one weight per input of the layer.",
            },
            "biases": {"type": "array", "items": _number, "description": "One per neuron (default 0)."},
        },
    }
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["inputs", "layers"],
        "description": (
            "A layered net built into ordinary params and nodes: weights w{l}_{j}_{i} (into neuron j of layer l "
            "from input i), biases b{l}_{j}, weighted sums z{l}_{j}, outputs a{l}_{j}. Write the loss under nodes."
        ),
        "properties": {
            "inputs": {"type": "array", "minItems": 1, "items": {"type": "string"}},
            "seed": {"type": "integer", "minimum": 0, "description": "Initialises every layer written without weights."},
            "layers": {"type": "array", "minItems": 1, "items": layer},
        },
    }


def schema() -> dict:
    names = {"type": "object", "propertyNames": {"pattern": NAME_PATTERN}, "additionalProperties": _number}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "tutor scenario",
        "description": "A computational graph for the backprop tutor.",
        "type": "object",
        "additionalProperties": False,
        "required": ["output"],
        "anyOf": [{"required": ["nodes"]}, {"required": ["network"]}],
        "properties": {
            "title": _by_language(
                {"type": "string", "description": "Shown in the scenario list and the title bar."}, "The title"
            ),
            "description": _by_language(
                {"type": "string", "description": "One paragraph: what the scenario teaches."}, "The description"
            ),
            "inputs": {**names, "description": "Leaves the learner can change: name: number."},
            "params": {**names, "description": "Leaves that training updates: name: number."},
            "nodes": {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"pattern": NAME_PATTERN},
                "additionalProperties": {
                    "type": ["string", "number"],
                    "description": (
                        "An expression over names defined above: numbers, + - * / **, unary minus, "
                        "parentheses and " + ", ".join(FUNCTIONS) + "."
                    ),
                },
                "description": "name: expression, in order; a node may use only names defined above it.",
            },
            "output": {"type": "string", "description": "The node whose gradient is taken (the loss)."},
            "learning_rate": {"type": "number", "exclusiveMinimum": 0, "description": "For training (default 0.1)."},
            "notes": {
                "type": "object",
                "propertyNames": {"pattern": NAME_PATTERN},
                "additionalProperties": _by_language({
                    "oneOf": [
                        {"type": "string", "description": _NOTE + " Shown in both passes, so no {grad(name)}."},
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "minProperties": 1,
                            "properties": {
                                "forward": {"type": "string", "description": _NOTE + " No {grad(name)} here."},
                                "backward": {"type": "string", "description": _NOTE},
                            },
                        },
                    ]
                }, "The note"),
                "description": (
                    "name: a note, a sentence shown in both passes, or forward:/backward: sentences shown "
                    "when that pass reaches the name; or either of those per language (en:, ja:)."
                ),
            },
            "order": {"type": "number", "description": "The scenario's place in lesson order (lists sort by it)."},
            "view": {
                "enum": list(VIEWS),
                "description": "Open expanded (one box per primitive), as groups, or as neurons (nets only).",
            },
            "network": _network(),
            "layers": {
                "type": "array",
                "minItems": 2,
                "items": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                "description": (
                    "A hand-written net's layers for the neuron view: the input names, then each layer's "
                    "neuron nodes, e.g. [[x1, x2], [h1, h2, h3], [y]]. Each neuron is activation(w1 * x1 + ... + b)."
                ),
            },
            "data": {
                "description": (
                    "Rows to train on: columns (input names) and rows (lists of numbers), or the path of a CSV "
                    "file relative to the scenario whose header names the columns. Every input the output "
                    "depends on needs a column; an input it does not use may be left out."
                ),
                "oneOf": [
                    {"type": "string", "minLength": 1},
                    {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["columns", "rows"],
                        "properties": {
                            "columns": {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": NAME_PATTERN}},
                            "rows": {"type": "array", "minItems": 1, "items": {"type": "array", "items": _number}},
                        },
                    },
                ],
            },
            "batch_size": {
                "type": "integer", "minimum": 1,
                "description": "Rows per training step (default: every row in one batch).",
            },
            "shuffle": {
                "type": "integer", "minimum": 0,
                "description": "Seed for shuffling the rows before each epoch (default: file order, no shuffling).",
            },
        },
        "propertyNames": {"enum": list(KEYS)},
    }
