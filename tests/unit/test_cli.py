"""The command line, run as a learner would: ``python -m tutor ...``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.scenario import builtin_names

ROOT = Path(__file__).resolve().parents[2]


def tutor(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
    )
    assert "Traceback" not in result.stdout, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_trace_json_shopping():
    result = tutor("trace", "shopping", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("values", "grads", "steps", "output"):
        assert key in data
    assert data["output"] == "price"
    assert data["output_value"] == pytest.approx(220)
    assert data["values"]["price"] == pytest.approx(220)
    assert data["grads"]["apple"] == pytest.approx(2.2)
    assert data["grads"]["apple_count"] == pytest.approx(110)
    assert data["grads"]["tax"] == pytest.approx(200)
    phases = [s["phase"] for s in data["steps"]]
    assert phases == ["forward", "forward", "backward", "backward"]
    first_back = data["steps"][2]
    assert first_back["node"] == "price" and first_back["upstream"] == 1
    assert {e["input"] for e in first_back["edges"]} == {"apple_price", "tax"}
    assert data["warnings"] == []


def test_trace_json_keeps_japanese_names():
    result = tutor("trace", "shopping_ja", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["grads"]["りんご"] == pytest.approx(2.2)


def test_set_changes_the_output():
    result = tutor("trace", "shopping", "--json", "--set", "apple=200")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["output_value"] == pytest.approx(440)
    assert data["values"]["apple"] == 200
    result = tutor("trace", "shopping_oranges", "--json", "--set", "apple=200", "--set", "tax=1")
    assert json.loads(result.stdout)["output_value"] == pytest.approx(850)


def test_trace_table_output():
    result = tutor("trace", "two_paths")
    assert result.returncode == 0, result.stderr
    assert "Backward" in result.stdout
    assert "5" in result.stdout


def test_paths_mode():
    result = tutor("trace", "two_paths", "--json", "--wrt", "b", "--mode", "paths")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["paths_sum"] == pytest.approx(5)
    assert sorted(p["product"] for p in data["paths"]) == pytest.approx([2, 3])
    table = tutor("trace", "two_paths", "--wrt", "b", "--mode", "paths")
    assert table.returncode == 0
    assert "b → c → e" in table.stdout and "b → d → e" in table.stdout


def test_forward_mode():
    result = tutor("trace", "two_paths", "--json", "--wrt", "b", "--mode", "forward")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    last = data["forward_mode"][-1]
    assert last["node"] == "e"
    assert last["tangent"] == pytest.approx(5)
    assert tutor("trace", "two_paths", "--wrt", "b", "--mode", "forward").returncode == 0


def test_wrt_without_mode_is_a_usage_error():
    result = tutor("trace", "two_paths", "--wrt", "b")
    assert result.returncode == 2
    assert "--mode" in result.stderr
    result = tutor("trace", "two_paths", "--wrt", "nope", "--mode", "paths")
    assert result.returncode == 2


def test_non_finite_values_are_json_strings(tmp_path):
    path = tmp_path / "div0.yaml"
    path.write_text("inputs:\n  x: 0\nnodes:\n  y: 1 / x\noutput: y\n", encoding="utf-8")
    result = tutor("trace", str(path), "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["output_value"] == "inf"
    assert data["warnings"]


def test_check_all_scenarios_ok():
    files = sorted(str(p) for p in (ROOT / "scenarios").glob("*.yaml"))
    assert files
    result = tutor("check", *files)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": ok") == len(files)


def test_check_bad_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("inputs:\n  a: 1\nnodes:\n  b: a * c\noutput: b\n", encoding="utf-8")
    good = ROOT / "scenarios" / "shopping.yaml"
    result = tutor("check", str(good), str(bad))
    assert result.returncode == 1
    assert f"{bad}:4:10: error:" in result.stdout
    assert "'c'" in result.stdout


def test_check_reports_every_mistake_with_its_hint():
    result = tutor("check", "tests/data/bad/several_mistakes.yaml", "scenarios/shopping.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    errors = [line for line in lines if ": error: " in line]
    assert [line.split(": error: ")[0] for line in errors] == [
        f"tests/data/bad/several_mistakes.yaml:{where}" for where in ("4:7", "8:6", "9:10", "13:16")
    ]
    assert all(lines[lines.index(line) + 1].startswith("    hint: ") for line in errors)
    assert lines[-1].startswith("scenarios/shopping.yaml: ok")
    first = tutor("trace", "tests/data/bad/several_mistakes.yaml")  # trace shows the first, as the app does
    assert first.returncode == 1 and first.stderr.count(": error: ") == 1 and ":4:7: error:" in first.stderr


def test_check_prints_twenty_errors_of_a_file_and_counts_the_rest(tmp_path):
    from tutor.cli.check import SHOWN

    bad = tmp_path / "many.yaml"
    count = SHOWN + 5
    lines = ["inputs:", *(f"  x{k}: not{k}" for k in range(count)), "nodes:", "  y: x0", "output: y"]
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = tutor("check", str(bad))
    assert result.returncode == 1
    out = result.stdout.splitlines()
    assert len([line for line in out if ": error: " in line]) == SHOWN == 20
    assert out[-1] == f"{bad}: and 5 more errors (fix these and check again)"


def test_check_missing_file(tmp_path):
    result = tutor("check", str(tmp_path / "nope.yaml"))
    assert result.returncode == 1
    assert "nope.yaml:1:1: error:" in result.stdout


def test_train_json():
    result = tutor("train", "tiny_net", "--steps", "5", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    losses = data["losses"]
    assert len(losses) == 5
    assert all(b < a for a, b in zip([data["initial_loss"], *losses], losses))
    assert set(data["params"]) == {"w11", "w12", "b1", "w21", "w22", "b2", "w31", "w32", "b3", "v1", "v2", "v3", "c"}
    assert data["params"] != data["initial_params"]


def test_train_scenario_without_params():
    result = tutor("train", "shopping")
    assert result.returncode == 2
    assert "no params" in result.stderr


def test_list_shows_every_builtin():
    result = tutor("list")
    assert result.returncode == 0
    for name in builtin_names():
        assert name in result.stdout


def test_help_shows_usage():
    result = tutor("--help")
    assert result.returncode == 0
    assert "usage" in result.stdout.lower()
    for command in ("trace", "check", "train", "list"):
        assert command in result.stdout


def test_bare_command_without_terminal_explains_itself():
    # With no arguments the tutor opens its interactive app; with no terminal
    # (as here) it says so and points at `trace` instead of hanging.
    result = tutor()
    assert result.returncode != 0
    assert "trace" in result.stderr


@pytest.mark.parametrize("pair", ["apple", "apple=abc", "nope=1", "apple=nan", "apple=inf"])
def test_bad_set_exits_2(pair):
    result = tutor("trace", "shopping", "--set", pair)
    assert result.returncode == 2
    assert "--set" in result.stderr


def test_unknown_scenario():
    result = tutor("trace", "shoping")
    assert result.returncode != 0
    assert "no such file or built-in scenario" in result.stderr
    assert "shopping" in result.stderr  # the hint suggests the close name
    result = tutor("train", "does_not_exist")
    assert result.returncode != 0
    assert "does_not_exist" in result.stderr


# --- never a traceback, never a hang, whatever the file --------------------


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="needs FIFOs")
def test_check_refuses_a_fifo_a_device_and_a_directory(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    result = tutor("check", str(fifo), "/dev/zero", str(tmp_path))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert f"{fifo}:1:1: error: is a FIFO (named pipe), not a regular file" in lines
    assert "/dev/zero:1:1: error: is a device, not a regular file" in lines
    assert f"{tmp_path}:1:1: error: is a directory, not a scenario file" in lines


@pytest.mark.parametrize("command", [("trace",), ("train",), ("export", "-o", "x.md")])
def test_every_command_names_a_fifo_or_device_for_what_it_is(tmp_path, command):
    """Not "no such file or built-in scenario": the path exists, it is just not a file."""
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    for spec, words in ((fifo, "is a FIFO (named pipe)"), ("/dev/zero", "is a device")):
        result = tutor(command[0], str(spec), *command[1:])
        assert result.returncode == 1
        assert result.stderr.splitlines()[0] == f"{spec}:1:1: error: {words}, not a regular file"


def test_messages_show_escapes_on_one_line(tmp_path):
    bad = tmp_path / "keys.yaml"
    bad.write_text('inputs:\n  a: 1\nnodes:\n  "a\\nb": 1\noutput: a\n', encoding="utf-8")
    weird = tmp_path / "x\x1b[2J\u202e.yaml"
    weird.write_text('nodes:\n  "\\x1b[2J": 1\noutput: y\n', encoding="utf-8")
    result = tutor("check", str(bad), str(weird))
    assert result.returncode == 1
    assert f"{bad}:4:3: error: 'a\\nb' is not a valid name" in result.stdout
    assert "x\\x1b[2J\\u202e.yaml:2:3: error:" in result.stdout
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert len([line for line in result.stdout.splitlines() if "error:" in line]) == 2


def test_no_syntax_warning_on_stderr(tmp_path):
    bad = tmp_path / "warn.yaml"
    bad.write_text("inputs:\n  x: 1\nnodes:\n  y: 1if x else 2\noutput: y\n", encoding="utf-8")
    result = tutor("check", str(bad))
    assert result.returncode == 1
    assert result.stderr == ""
    assert "an if-expression is not allowed" in result.stdout


def test_title_with_markup_characters_prints_as_written(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text('title: "[/x] [bold"\ndescription: "[/]"\ninputs:\n  a: 1\nnodes:\n  y: a * 2\noutput: y\n')
    result = tutor("trace", str(path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["[/x] [bold  (t)", "[/]"]


@pytest.mark.parametrize("mode", ["paths", "forward"])
def test_inf_meeting_minus_inf_gives_nan_and_a_warning(tmp_path, mode):
    path = tmp_path / "inf.yaml"
    path.write_text("inputs: {x: 2}\nnodes:\n  z: x*1e308*10 - x*1e308*10\noutput: z\n", encoding="utf-8")
    table = tutor("trace", str(path), "--wrt", "x", "--mode", mode)
    assert table.returncode == 0, table.stderr
    assert "+inf and -inf meet in the sum: the result is nan" in table.stdout
    data = json.loads(tutor("trace", str(path), "--wrt", "x", "--mode", mode, "--json").stdout)
    if mode == "paths":
        assert data["paths_sum"] == "nan"
    else:
        assert data["forward_mode"][-1]["tangent"] == "nan"
        assert "+inf and -inf" in data["forward_mode"][-1]["warning"]


def test_long_path_listings_print_as_plain_lines(tmp_path):
    path = tmp_path / "chain.yaml"
    lines = ["inputs:", "  x: 1", "nodes:", "  n0: x"] + [f"  n{i}: n{i - 1} + x" for i in range(1, 300)]
    path.write_text("\n".join(lines) + "\noutput: n299\n", encoding="utf-8")
    result = tutor("trace", str(path), "--wrt", "x", "--mode", "paths")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert "Paths from x to the output (300): product = edge derivatives, then the path" in out
    assert "    x → n299" in out
    assert "    " + " → ".join(["x"] + [f"n{i}" for i in range(300)]) in out
    assert out[-1] == "sum = 300"


def test_train_steps_have_a_documented_upper_bound():
    from tutor.cli.train import MAX_TRAIN_STEPS

    result = tutor("train", "tiny_net", "--steps", "1000000000")
    assert result.returncode == 2
    assert result.stderr.strip() == f"tutor: error: --steps must be between 0 and {MAX_TRAIN_STEPS:,}, got 1,000,000,000"
    assert f"0 to {MAX_TRAIN_STEPS:,}" in tutor("train", "--help").stdout.replace("\n", " ").replace("  ", " ")
    assert f"{MAX_TRAIN_STEPS:,}" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_long_training_table_shows_every_kth_step_and_the_last():
    result = tutor("train", "tiny_net", "--steps", "2500")
    assert result.returncode == 0, result.stderr
    assert "(every 3 steps)" in result.stdout
    rows = [line for line in result.stdout.splitlines() if line.startswith("│") and "," in line.split("│")[1]]
    steps = [int(line.split("│")[1].strip().replace(",", "")) for line in rows]
    assert steps[-1] == 2_500
    assert all(k % 3 == 0 for k in steps[:-1]) and len(steps) == 2500 // 3 - 333 + 1  # 1,002 … 2,499, 2,500
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    data = json.loads(tutor("train", "tiny_net", "--steps", "2500", "--json").stdout)
    assert len(data["losses"]) == 2500


def test_progress_bar_only_on_a_terminal_and_only_for_long_runs():
    import io

    from rich.console import Console

    from tutor.cli.progress import ProgressBar

    now = [0.0]
    out = io.StringIO()
    bar = ProgressBar(1000, "training t", clock=lambda: now[0], console=Console(file=out, force_terminal=True, width=100))
    bar.update(10, 0.5)  # under half a second: nothing yet
    assert out.getvalue() == ""
    now[0] = 1.0
    bar.update(500, 0.25)
    shown = out.getvalue()
    assert "training t" in shown and "500/1000" in shown and " 50%" in shown and "loss 0.25" in shown
    now[0] = 1.05
    bar.update(520, 0.2)  # drawn at most every tenth of a second
    assert out.getvalue() == shown
    bar.close()
    assert out.getvalue() != shown and "\x1b[2K" in out.getvalue()[len(shown):]  # the line is erased when done
    assert not ProgressBar(1000, "x", console=Console(file=io.StringIO())).enabled  # not a terminal
    assert not ProgressBar(0, "x", console=Console(file=io.StringIO(), force_terminal=True)).enabled


def test_ctrl_c_during_training_exits_quietly():
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "tutor", "train", "tiny_net", "--steps", "100000", "--json"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(2.0)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip() == "tutor: interrupted"
    assert "Traceback" not in err


def test_train_epochs_on_xor_learns_every_row():
    result = tutor("train", "xor", "--epochs", "1000", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"initial_loss", "losses", "params", "initial_params"} <= set(data)
    assert len(data["losses"]) == 1000 and data["epochs"] == 1000
    assert data["losses"][-1] < data["initial_loss"] / 10
    assert data["rows_right"] == 4 and data["rows"] == 4 and data["batch_size"] == 4
    assert set(data["params"]) == set(data["initial_params"]) and "w1_1_1" in data["params"]
    assert data["warnings"] == []


def test_train_epochs_lr_and_batch_size():
    result = tutor("train", "curve", "--epochs", "2", "--lr", "0.05", "--batch-size", "5", "--json")
    data = json.loads(result.stdout)
    assert data["learning_rate"] == 0.05 and data["batch_size"] == 5
    assert data["steps"] == 2 * 5  # 21 rows in batches of 5: the last batch has one row
    text = tutor("train", "curve", "--epochs", "3")
    assert text.returncode == 0 and "mean loss" in text.stdout and "w2_1_8" in text.stdout


def test_train_epochs_overflow_warns_and_stops(tmp_path):
    path = tmp_path / "line.yaml"
    path.write_text(
        "inputs: {x: 0, t: 0}\nparams: {w: 0.5}\nnodes:\n  loss: (w * x - t) ** 2\noutput: loss\n"
        "data:\n  columns: [x, t]\n  rows: [[10, 1], [20, 2]]\n",
        encoding="utf-8",
    )
    result = tutor("train", str(path), "--epochs", "400", "--lr", "10", "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert data["warnings"] and "training stopped" in data["warnings"][0]
    assert len(data["losses"]) < 400
    assert any("diverging: try a smaller --lr" in w for w in data["warnings"])  # as on stderr
    assert all(line.startswith("tutor: warning: ") for line in result.stderr.splitlines()), result.stderr


def test_a_gradient_sum_that_overflows_warns_in_words_only(tmp_path):
    """exp(709.5) summed over two rows overflows: the trainer says so; numpy says nothing on stderr."""
    path = tmp_path / "big.yaml"
    path.write_text(
        "inputs: {x: 0}\nparams: {w: 709.5}\nnodes:\n  y: exp(w) + x\noutput: y\n"
        "data:\n  columns: [x]\n  rows: [[0], [0]]\n",
        encoding="utf-8",
    )
    for args in (("--epochs", "1"), ("--epochs", "1", "--json"), ("--steps", "1")):
        result = tutor("train", str(path), *args)
        assert result.returncode == 0, result.stderr
        assert "RuntimeWarning" not in result.stderr and "numpy" not in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("train", "xor", "--epochs", "2", "--steps", "3"), "--steps and --epochs"),
        (("train", "xor", "--epochs", "-1"), "--epochs must be 0 or more"),
        (("train", "xor", "--epochs", "1", "--batch-size", "0"), "--batch-size must be 1 or more"),
        (("trace", "shopping", "--row", "1"), "has no data"),
        (("trace", "xor", "--row", "5"), "between 1 and 4"),
    ],
)
def test_train_and_row_usage_errors(args, message):
    result = tutor(*args)
    assert result.returncode == 2 and message in result.stderr


def test_trace_row_uses_that_rows_inputs():
    data = json.loads(tutor("trace", "xor", "--row", "4", "--json").stdout)
    assert (data["values"]["x1"], data["values"]["x2"], data["values"]["t"]) == (1, 1, 0)
    plain = json.loads(tutor("trace", "xor", "--json").stdout)
    assert (plain["values"]["x1"], plain["values"]["x2"]) == (0, 1)
    override = json.loads(tutor("trace", "xor", "--row", "4", "--set", "x1=0.5", "--json").stdout)
    assert override["values"]["x1"] == 0.5 and override["values"]["x2"] == 1


def test_a_file_name_that_is_not_utf8_prints_escaped(tmp_path):
    """argv holds lone surrogates for such bytes; the message shows them escaped instead of crashing."""
    name = os.fsencode(tmp_path) + b"/\xff\x1b.yaml"
    for command in (b"check", b"trace"):
        result = subprocess.run(
            [sys.executable, "-m", "tutor", command, name], cwd=ROOT, capture_output=True, timeout=60
        )
        out = (result.stdout + result.stderr).decode("utf-8")
        assert result.returncode == 1, out
        assert "Traceback" not in out
        assert "\\udcff\\x1b.yaml:1:1: error:" in out


