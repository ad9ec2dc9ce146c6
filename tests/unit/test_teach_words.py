"""The small teach modules the UI reads its words from: edit checks, screen sentences, neuron names."""

from __future__ import annotations

import math

import pytest

from tutor.scenario import resolve
from tutor.teach import screen_words
from tutor.teach.edits import edit_trouble, edit_warning, output_at
from tutor.teach.lesson import Lesson
from tutor.teach.lesson.network import delta_name, network_of, weighted_sums


# -- edits --------------------------------------------------------------------


def test_output_at_keeps_the_other_edits() -> None:
    lesson = Lesson(resolve("shopping"), {"apple_count": 3})
    assert output_at(lesson, "apple", 200) == pytest.approx(200 * 3 * 1.1)
    assert output_at(lesson, "apple", 100) == pytest.approx(330)


def test_edit_warning_only_when_the_output_is_not_finite() -> None:
    lesson = Lesson(resolve("shopping"))
    assert edit_warning(lesson, "apple", 150) == ""
    assert edit_warning(lesson, "apple", 1e308) == "with apple = 1e308 the output price overflows to inf"
    sig = Lesson(resolve("sigmoid_expanded"))
    assert edit_warning(sig, "x", -1e308) == ""  # exp overflows inside, but y = 1/(1 + inf) = 0 is finite


def test_edit_trouble_names_what_cannot_be_compared() -> None:
    assert edit_trouble(220, 330, 330, "price") == ""
    assert "went 220 → inf" in edit_trouble(220, math.inf, 330, "price")
    assert "not a finite number" in edit_trouble(220, 330, math.nan, "price")


# -- screen_words ------------------------------------------------------------------


def test_screen_sentences() -> None:
    assert screen_words.picker_title(12).endswith("Pick a scenario (12; ↑ ↓, Enter).")
    assert screen_words.too_small(60, 18).splitlines()[1] == "The tutor needs at least 60×18 cells."
    assert screen_words.edit_prompt("apple", "100") == "New value for apple (now 100):"
    assert screen_words.edit_not_a_number("unknown name 'x'") == (
        "Not a number:", " unknown name 'x'. Type e.g. 150, 0.5 or 2*2")
    assert screen_words.edit_warning("the output overflows") == (
        "Warning:", " the output overflows. Enter again to apply it anyway")
    assert screen_words.error_hint("") == "" and screen_words.error_hint("use 2 spaces") == "hint: use 2 spaces"
    assert screen_words.unknown_saved_theme("nope") == "ignored the saved theme 'nope': no such theme"


def test_error_help_names_the_watched_files() -> None:
    assert screen_words.error_help(False) == "Fix the file and open it again, or press Esc to pick another scenario."
    assert screen_words.error_help(["/x/a.yaml"]).startswith("Watching the file: it opens as soon as it loads.")
    both = screen_words.error_help(["/x/a.yaml", "/x/a.csv"])
    assert both.startswith("Watching a.yaml and a.csv: the lesson opens as soon as they load.")


# -- neurons -----------------------------------------------------------------------


def test_tiny_net_neurons_are_named_by_their_outputs() -> None:
    neurons = weighted_sums(resolve("tiny_net"))
    assert list(neurons) == ["z1", "z2", "z3", "y"]
    h1 = neurons["z1"]
    assert (h1.name, h1.activation, h1.weights, h1.inputs, h1.biases) == (
        "h1", "sigmoid", ("w11", "w12"), ("x1", "x2"), ("b1",))
    assert delta_name(h1) == "δ(h1)" and h1.weight_for("x2") == "w12" and h1.weight_for("h1") is None
    assert neurons["y"].activation == "identity" and delta_name(neurons["y"]) == "δ(y)"


def test_an_explicit_identity_names_the_delta_after_its_output() -> None:
    """curve's output neuron is a2_1 = identity(z2_1): the lesson and the neuron view agree on a2_1."""
    neurons = weighted_sums(resolve("curve"))
    assert delta_name(neurons["z2_1"]) == "δ(a2_1)"
    network = network_of(resolve("curve"))
    assert network is not None and network.layers[-1][0].name == "a2_1"


def test_scenarios_without_neurons() -> None:
    for name in ("shopping", "two_paths", "square_of_sum"):
        assert weighted_sums(resolve(name)) == {}
        assert network_of(resolve(name)) is None


def test_every_activation_has_its_words_and_symbol() -> None:
    from tutor.engine.network import ACTIVATION_OPS, SOFTMAX, activation_of
    from tutor.engine.network import ACTIVATIONS as NEURON_ACTIVATIONS
    from tutor.engine.ops import ACTIVATIONS, OPS
    from tutor.scenario.network import ACTIVATIONS as NETWORK_ACTIVATIONS

    assert ACTIVATION_OPS == ACTIVATIONS  # the ops a neuron may use: read off the op table
    assert NETWORK_ACTIVATIONS == NEURON_ACTIVATIONS == (*ACTIVATIONS, SOFTMAX)
    for name in NEURON_ACTIVATIONS:
        words = activation_of(name)
        assert words.symbol and words.derivative and words.rule.format(a="h1")
        assert name == SOFTMAX or words is OPS[name].activation
