"""The commented starter scenario written by ``tutor new PATH``.

Its header says how to check and open it, with the command the tutor was
run as and the path as given to ``new``: typed in the folder where ``new``
ran, both work as they stand.
"""

from __future__ import annotations

import os
import shlex
import textwrap
from pathlib import Path

from tutor.engine.ops import FUNCTIONS
from tutor.scenario.program import MODULE_COMMAND
from tutor.scenario.visible import visible

STARTER = """\
# A tutor scenario. Check it with:  @TUTOR@ check @FILE@
# Open it with:                      @TUTOR@ @FILE@
title: My scenario
description: >
  One or two sentences on what this graph teaches.
# Title, description and notes may be given per language; the app shows the
# one for its language (--lang, or the locale), else en:. For example:
# title: {en: My scenario, ja: 私のシナリオ}

# Leaves: numbers the learner can change (press e in the app).
inputs:
  x: 2
  y: -3

# Optional: leaves that training updates (@TUTOR@ train @FILE@).
params:
  w: 0.5

@NODES@
nodes:
  s: x * w + y
  out: sigmoid(s)
  loss: (out - 1) ** 2

# The node whose gradient is taken (the loss).
output: loss

learning_rate: 0.1

# Optional: notes shown when stepping on a name. A plain sentence shows in
# both passes; forward: and backward: sentences show only in that pass.
# {name} quotes a value, {grad(name)} the gradient of the output as of that
# step: only in backward notes, so the forward pass never gives it away.
# A note per language puts either form under en: and ja: (see loss below).
notes:
  s:
    forward: "s = x·w + y = {s}: a weighted sum."
  out:
    forward: "The sigmoid squashes s into (0, 1): out = {out}."
    backward: "A sigmoid node sends back out(1 − out), so s receives {grad(s)}."
  loss:
    en: "The loss: {loss}. Step back to see how each leaf moves it."
    ja: "損失: {loss}。逆伝播で、各入力が損失をどう動かすかを見る。"

# Optional: rows to train on (@TUTOR@ train @FILE@ --epochs 100).
# Every column is an input, and every input the output uses needs a column;
# the output is the loss of one row, and a training step averages the
# gradient over a batch of rows.
# data:
#   columns: [x, y]
#   rows:
#     - [2, -3]
#     - [1, 0]
#     - [-1, 2]
# batch_size: 2           # default: every row in one batch
# data: points.csv        # or a CSV file next to this one, header x,y

# Optional: a layered net instead of writing its nodes by hand. It makes
# params w1_1_1 (layer 1, neuron 1, input 1), b1_1, and nodes z1_1 (the
# weighted sum) and a1_1 (the neuron's output); write the loss under nodes:.
# network:
#   inputs: [x, y]
#   seed: 1               # initialises layers written without weights
#   layers:
#     - {size: 3, activation: tanh}
#     - {size: 1, activation: sigmoid, weights: [[0.5, -0.5, 0.2]]}
"""

def _nodes_comment() -> str:
    """The starter's words on nodes, naming every function of the op table."""
    words = ("Nodes, in the order you think of them. Each is an expression over the names above: numbers, "
             "+ - * / **, parentheses, and " + ", ".join(FUNCTIONS) + ". Each operator becomes one primitive node.")
    return "\n".join("# " + line for line in textwrap.wrap(words, 72, break_on_hyphens=False))


STARTER = STARTER.replace("@NODES@", _nodes_comment())



def starter_text(path: Path, program: str = MODULE_COMMAND) -> str:
    """The starter file for ``path``, its commands written for ``program`` (``tutor`` or ``python -m tutor``)."""
    shown = visible(shlex.quote(str(path)))  # a comment line: no newline or control character gets in
    return STARTER.replace("@TUTOR@", program).replace("@FILE@", shown)


def write_starter(path: Path, program: str = MODULE_COMMAND) -> None:
    """Write the starter file; refuse to overwrite anything."""
    with path.open("x", encoding="utf-8") as handle:
        handle.write(starter_text(path, program))


def starter_path(given: str) -> Path:
    """The file ``tutor new GIVEN`` writes (``.yaml`` added), or a ValueError saying why not.

    Refuses an empty name, a path that exists (a file, a folder, a device such
    as /dev/null) and a folder that does not exist or cannot be written.
    """
    if not given.strip():
        raise ValueError("new needs a file name, e.g. my_lesson")
    path = Path(given)
    if path.exists() and not path.is_file():
        raise ValueError(f"{path} already exists and is not a scenario file; choose a new file name")
    if path.suffix not in (".yaml", ".yml"):
        path = path.with_suffix(path.suffix + ".yaml") if path.suffix else path.with_suffix(".yaml")
    if path.exists() or path.is_symlink():
        raise ValueError(f"{path} already exists; not overwriting it")
    folder = path.parent
    if not folder.is_dir():
        raise ValueError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write {path}: the folder {folder} is not writable")
    return path
