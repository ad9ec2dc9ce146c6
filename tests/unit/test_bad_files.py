"""Every malformed scenario in tests/data/bad/ is refused with a ScenarioError
at the position a learner would look at, never with a traceback.

``invalid_utf8.yaml`` is committed as bytes; it was written with::

    data = ("title: 買い物\\ninputs:\\n  りんご: 100\\nnodes:\\n  合計: りんご * 2\\n"
            "output: 合計\\nnotes:\\n").encode("utf-8")
    data += '  りんご: "une pomme co'.encode("utf-8") + b"\\xfb" + b'te 100 yen"\\n'
    Path("tests/data/bad/invalid_utf8.yaml").write_bytes(data)

(a Latin-1 "û" in an otherwise UTF-8 file, after CJK text on the same line).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor import scenario
from tutor.engine.ops import FUNCTIONS
from tutor.scenario import MAX_NODES, ScenarioError, load

BAD = Path(__file__).resolve().parent.parent / "data" / "bad"

# (file name, line, column, a substring of the message); line and column are 1-based,
# columns count characters.
CASES = [
    # YAML itself
    ("yaml_syntax.yaml", 6, 7, "mapping values are not allowed"),
    ("number_hex.yaml", 2, 6, "hexadecimal numbers are not allowed"),
    ("expr_list_comprehension.yaml", 3, 7, "a list comprehension is not allowed"),
    ("expr_ellipsis.yaml", 3, 11, "'...' is not a number"),
    ("expr_hash_comment.yaml", 3, 9, "# is not allowed in an expression"),
    ("expr_5000_digits.yaml", 3, 6, "number is too large"),
    ("learning_rate_underflow.yaml", 3, 16, "learning_rate must be positive"),
    ("number_binary.yaml", 2, 6, "binary numbers are not allowed"),
    ("number_sexagesimal.yaml", 2, 6, "base-60 numbers such as 1:30 are not allowed"),
    ("number_underscore.yaml", 4, 6, "underscores inside numbers are not allowed"),
    ("number_arabic_digit.yaml", 2, 6, "numbers must use the digits 0-9"),
    ("number_5000_digits.yaml", 2, 6, "is too large"),
    ("unclosed_quote.yaml", 5, 6, "quoted scalar, the file ends before it is closed"),
    ("missing_colon.yaml", 4, 3, "no ':' after 'x2'"),
    ("missing_colon_top.yaml", 1, 1, "no ':' after 'title'"),
    ("unclosed_flow_mapping.yaml", 2, 20, "the { at line 2, column 9 is never closed before the next key, on line 3"),
    ("unclosed_flow_sequence.yaml", 2, 11, "the [ at line 2, column 6 is never closed before the next key"),
    ("unclosed_flow_sequence_end.yaml", 7, 9, "the [ at line 7, column 9 is never closed"),
    ("tab_indent.yaml", 4, 1, "tab character"),
    ("tab_after_value.yaml", 2, 7, "tab character"),
    ("duplicate_key_top.yaml", 6, 1, "duplicate key 'nodes' (first defined on line 3)"),
    ("duplicate_key_nodes.yaml", 6, 3, "duplicate key 'b' (first defined on line 4)"),
    ("duplicate_key_inputs.yaml", 4, 3, "duplicate key 'a' (first defined on line 2)"),
    ("anchor_alias.yaml", 2, 6, "anchors and aliases"),
    ("alias.yaml", 3, 6, "anchors and aliases"),
    ("merge_key.yaml", 3, 14, "anchors and aliases"),
    ("alias_bomb.yaml", 2, 4, "anchors and aliases"),
    ("deep_yaml.yaml", 1, 27, "nested too deeply"),
    ("python_tag.yaml", 4, 6, "YAML tags (!!python/object/apply:os.system) are not allowed"),
    ("str_tag.yaml", 1, 8, "YAML tags (!!str) are not allowed"),
    ("invalid_utf8.yaml", 8, 21, "not valid UTF-8"),
    ("empty.yaml", 1, 1, "file is empty"),
    # Text per language (title, description, notes as a mapping by language code)
    ("language_unknown_title.yaml", 1, 28, "title: unknown language 'fr'"),
    ("language_description_not_text.yaml", 4, 7, "description in ja must be text"),
    ("language_note_grad_forward.yaml", 12, 24, "forward note for 'b' in ja: {grad(b)} in a forward note"),
    ("language_note_mixed.yaml", 9, 5, "note for 'b' mixes passes and languages"),
    ("language_note_unknown.yaml", 10, 5, "note for 'b': unknown language 'jp'"),
    ("language_note_unknown_name.yaml", 10, 14, "in the note for 'b' in ja: {c} names nothing defined"),
    ("only_comments.yaml", 1, 1, "file is empty"),
    # structure
    ("top_level_list.yaml", 1, 1, "top level must be a mapping"),
    ("top_level_scalar.yaml", 2, 1, "top level must be a mapping"),
    ("missing_nodes.yaml", 1, 1, "missing 'nodes'"),
    ("missing_output.yaml", 2, 1, "missing 'output'"),
    ("unknown_top_key.yaml", 3, 1, "unknown key 'node'"),
    ("nodes_not_mapping.yaml", 4, 3, "'nodes' must be a mapping"),
    ("nodes_scalar.yaml", 3, 8, "'nodes' must be a mapping"),
    ("unknown_output.yaml", 5, 9, "output 'totl' is not defined"),
    ("note_unknown_name.yaml", 8, 3, "note for unknown name 'c'"),
    ("note_grad_in_plain_note.yaml", 8, 18, "{grad(a)} in a note shown in both passes"),
    ("note_grad_in_forward_note.yaml", 8, 48, "{grad(a)} in a forward note"),
    ("note_placeholder_unknown.yaml", 8, 27, "{grad(c)} names nothing defined"),
    ("note_placeholder_malformed.yaml", 7, 12, "'{a + 1}' is not a placeholder"),
    ("note_unknown_phase.yaml", 8, 5, "unknown key 'sideways'"),
    ("expr_hex_literal.yaml", 4, 6, "0x10 is not a plain decimal number"),
    ("expr_leading_zero.yaml", 4, 6, "a whole number may not start with 0"),
    ("expr_underscore_literal.yaml", 4, 10, "1_000 is not a plain decimal number"),
    ("note_grad_in_folded_note.yaml", 11, 19, "{grad(b)} in a forward note"),
    ("note_placeholder_in_literal_note.yaml", 11, 14, "{nothing} names nothing defined"),
    ("note_placeholder_in_folded_crlf.yaml", 10, 17, "{grad(zz)} names nothing defined"),
    ("order_not_number.yaml", 2, 8, "order must be a number, not 'first'"),
    ("view_sideways.yaml", 6, 7, "not 'sideways'"),
    ("negative_learning_rate.yaml", 6, 16, "learning_rate must be positive"),
    # names and values
    ("name_starts_with_digit.yaml", 3, 3, "'2x' is not a valid name"),
    ("name_with_dash.yaml", 4, 3, "'a-b' is not a valid name"),
    ("defined_twice.yaml", 6, 3, "'a' is defined twice (first on line 2)"),
    ("non_numeric_input.yaml", 2, 6, "must be a number, not 'two'"),
    ("bool_input.yaml", 3, 6, "not the boolean true"),
    ("nan_input.yaml", 2, 6, "must be a finite number, not .nan"),
    ("inf_input.yaml", 3, 6, "must be a finite number, not -.inf"),
    ("missing_expression.yaml", 4, 5, "node 'b' needs an expression"),
    ("empty_expression.yaml", 5, 7, "expression is empty"),
    # expressions
    ("unknown_name.yaml", 5, 18, "unknown name 'prise'"),
    ("cjk_unknown_name.yaml", 6, 13, "unknown name 'みかん'"),
    ("look_alike_name.yaml", 6, 6, "unknown name 'xl'"),
    ("look_alike_zero.yaml", 5, 6, "unknown name 'bO'"),
    ("several_mistakes.yaml", 4, 7, "input 'x2' must be a number, not 'two'"),
    ("later_node.yaml", 4, 10, "'c' is defined later in the file"),
    ("self_reference.yaml", 5, 10, "node 'c' uses itself"),
    ("unknown_function.yaml", 4, 10, "unknown function 'foo'"),
    ("import_call.yaml", 4, 6, "unknown function '__import__'"),
    ("attribute.yaml", 4, 11, "attribute access"),
    ("method_call.yaml", 4, 7, "attribute access"),
    ("subscript.yaml", 4, 11, "subscript"),
    ("lambda.yaml", 4, 8, "lambda is not allowed"),
    ("comparison.yaml", 4, 12, "comparison is not allowed"),
    ("string_literal.yaml", 4, 10, "'two' is not a number"),
    ("keyword_args.yaml", 4, 13, "max() takes no keyword arguments"),
    ("wrong_arity.yaml", 4, 10, "max() takes 2 arguments, got 1"),
    ("nan_in_expression.yaml", 4, 10, "unknown name 'nan'"),
    ("huge_number_in_expression.yaml", 4, 10, "number is too large"),
    ("deep_parentheses.yaml", 4, 6, "nested too deeply"),
    ("deep_unary_minus.yaml", 4, 207, "nested too deeply"),
    # characters a learner cannot see, and escapes that write them
    ("control_character.yaml", 4, 11, r"a control character \x01 (U+0001) is not allowed"),
    ("c1_control_character.yaml", 4, 7, r"a control character \x9f (U+009F)"),
    ("noncharacter.yaml", 1, 15, r"a non-character \ufffe (U+FFFE)"),
    ("bom_in_the_middle.yaml", 3, 1, "a byte order mark (U+FEFF) in the middle of the file"),
    ("line_separator.yaml", 2, 7, r"an unusual line break \u2028 (U+2028)"),
    ("bidi_override_in_name.yaml", 4, 4, r"a bidirectional control character \u202e (U+202E)"),
    ("escape_sequence_in_key.yaml", 4, 3, r"a control character \x1b (U+001B) is not allowed in '\x1b[2J'"),
    ("escaped_control_in_title.yaml", 1, 8, r"is not allowed in 'Prices\x07'"),
    ("surrogate_escape.yaml", 5, 12, "invalid Unicode character escape"),
    ("newline_in_key.yaml", 4, 3, r"'a\nb' is not a valid name"),
    ("huge_integer_in_expression.yaml", 4, 10, "number is too large"),
    ("huge_integer_input.yaml", 2, 6, "input 'a' is too large: '999"),
    ("if_expression_no_space.yaml", 4, 6, "an if-expression is not allowed"),
    # data sets
    ("data_column_not_input.yaml", 7, 16, "data column 'y' is not an input"),
    ("data_row_wrong_length.yaml", 10, 7, "data row 2 has 3 numbers, but there are 2 columns"),
    ("data_not_a_number.yaml", 9, 11, "data row 1, column 't' must be a number, not 'two'"),
    ("data_no_rows.yaml", 8, 9, "data has no rows"),
    ("data_missing_input.yaml", 6, 1, "data has no column for input 't', which the output uses"),
    ("data_csv_missing.yaml", 6, 7, "cannot read data file no_such_file.csv"),
    ("data_csv_device.yaml", 6, 7, "data file /dev/zero is a device, not a regular file"),
    ("data_csv_directory.yaml", 6, 7, "data file ../bad is a directory"),
    ("batch_size_zero.yaml", 9, 13, "batch_size must be a whole number of at least 1"),
    # networks
    ("network_wrong_shape.yaml", 7, 29, "layer 1, neuron 2 has 1 weight but 2 inputs"),
    ("network_too_few_rows.yaml", 7, 16, "layer 1 has 3 neurons but 2 rows of weights"),
    ("network_unknown_activation.yaml", 6, 29, "unknown activation 'swish'"),
    ("network_unknown_input.yaml", 3, 16, "network input 'x2' is not an input"),
    ("network_no_weights.yaml", 5, 7, "layer 1 has no weights: and the network has no seed:"),
    ("layers_not_a_neuron.yaml", 8, 21, "'err' is not a neuron"),
    ("view_neurons_without_a_net.yaml", 6, 7, "view: neurons needs a net"),
]

# Data errors found in a CSV file: reported at the CSV's own file, line and column.
CSV_CASES = [
    ("csv_bad_number.yaml", "bad_number.csv", 3, 3, "'abc' in column 't' is not a number"),
    ("csv_short_row.yaml", "short_row.csv", 3, 1, "row has 1 cell, but the header names 2 columns"),
    ("csv_unknown_column.yaml", "unknown_column.csv", 1, 3, "data column 'y' is not an input"),
    ("csv_empty.yaml", "empty.csv", 1, 1, "CSV file is empty"),
    ("csv_missing_input.yaml", "missing_input.csv", 2, 1, "data has no column for input 't', which the output uses"),
    # past the scenario file's last line: the CSV's own line and column, not moved into the scenario
    ("csv_bad_number_late.yaml", "bad_number_late.csv", 40, 6, "'abc' in column 't' is not a number"),
]

# The text found at the reported position, for the errors that blame one token.
TOKENS = {
    "yaml_syntax.yaml": ":",
    "unclosed_quote.yaml": '"a + 1',
    "missing_colon.yaml": "x2 3\n",
    "missing_colon_top.yaml": "title Shopping",
    "look_alike_name.yaml": "xl",
    "look_alike_zero.yaml": "bO",
    "tab_indent.yaml": "\t",
    "tab_after_value.yaml": "\t",
    "duplicate_key_top.yaml": "nodes:",
    "duplicate_key_nodes.yaml": "b: a * 3",
    "duplicate_key_inputs.yaml": "a: 3",
    "anchor_alias.yaml": "&two",
    "alias.yaml": "*two",
    "merge_key.yaml": "*base",
    "alias_bomb.yaml": "&a",
    "deep_yaml.yaml": "[",
    "python_tag.yaml": "!!python",
    "str_tag.yaml": "!!str",
    "top_level_list.yaml": "- inputs",
    "top_level_scalar.yaml": "just some words",
    "unknown_top_key.yaml": "node:",
    "nodes_not_mapping.yaml": "- b:",
    "nodes_scalar.yaml": "a * 3",
    "unknown_output.yaml": "totl",
    "note_unknown_name.yaml": "c:",
    "view_sideways.yaml": "sideways",
    "negative_learning_rate.yaml": "-0.1",
    "name_starts_with_digit.yaml": "2x:",
    "name_with_dash.yaml": "a-b:",
    "defined_twice.yaml": "a: c * 2",
    "non_numeric_input.yaml": "two",
    "bool_input.yaml": "true",
    "nan_input.yaml": ".nan",
    "inf_input.yaml": "-.inf",
    "empty_expression.yaml": '"',
    "unknown_name.yaml": "prise",
    "cjk_unknown_name.yaml": "みかん",
    "later_node.yaml": "c\n",
    "self_reference.yaml": "c\n",
    "unknown_function.yaml": "foo(",
    "import_call.yaml": "__import__(",
    "attribute.yaml": ".real",
    "method_call.yaml": ".conjugate",
    "subscript.yaml": "[0]",
    "lambda.yaml": "lambda",
    "comparison.yaml": "> 1",
    "string_literal.yaml": "'two'",
    "keyword_args.yaml": "other=",
    "wrong_arity.yaml": "max(a)",
    "nan_in_expression.yaml": "nan",
    "huge_number_in_expression.yaml": "1e999",
    "deep_parentheses.yaml": "(((",
    "deep_unary_minus.yaml": "---",
    "control_character.yaml": "\x01",
    "c1_control_character.yaml": "\x9f",
    "noncharacter.yaml": "\ufffe",
    "bom_in_the_middle.yaml": "\ufeffnodes:",
    "line_separator.yaml": "\u2028",
    "bidi_override_in_name.yaml": "\u202e",
    "escape_sequence_in_key.yaml": '"\\x1b[2J":',
    "escaped_control_in_title.yaml": '"Prices',
    "surrogate_escape.yaml": "d800",
    "newline_in_key.yaml": '"a\\nb":',
    "huge_integer_in_expression.yaml": "9999",
    "huge_integer_input.yaml": "9999",
    "if_expression_no_space.yaml": "1if",
    "data_column_not_input.yaml": "y]",
    "data_row_wrong_length.yaml": "[3, 4, 5]",
    "data_not_a_number.yaml": "two",
    "data_no_rows.yaml": "[]",
    "data_csv_missing.yaml": "no_such_file.csv",
    "data_missing_input.yaml": "data:",
    "data_csv_device.yaml": "/dev/zero",
    "data_csv_directory.yaml": "../bad",
    "batch_size_zero.yaml": "0",
    "network_wrong_shape.yaml": "[0.3]",
    "network_too_few_rows.yaml": "[[0.1",
    "network_unknown_activation.yaml": "swish",
    "network_unknown_input.yaml": "x2",
    "network_no_weights.yaml": "{size: 2",
    "layers_not_a_neuron.yaml": "err]",
    "view_neurons_without_a_net.yaml": "neurons",
}


def _error(name: str) -> ScenarioError:
    path = BAD / name
    assert path.is_file(), f"missing test file {path}"
    with pytest.raises(ScenarioError) as info:
        load(path)
    return info.value


@pytest.mark.parametrize(("name", "line", "col", "message"), CASES, ids=[case[0] for case in CASES])
def test_bad_file(name: str, line: int, col: int, message: str) -> None:
    err = _error(name)
    assert err.path.endswith(name)
    assert (err.line, err.col) == (line, col), err.report()
    assert message in err.message
    assert err.hint.strip(), f"no hint for: {err}"
    assert str(err) == f"{err.path}:{line}:{col}: error: {err.message}"


@pytest.mark.parametrize(("name", "token"), sorted(TOKENS.items()))
def test_position_points_at_the_token(name: str, token: str) -> None:
    err = _error(name)
    # Lines end at "\n" only, as editors and the loader count them (not at U+2028).
    lines = (BAD / name).read_text(encoding="utf-8").split("\n")
    assert 1 <= err.line <= len(lines)
    assert 1 <= err.col <= len(lines[err.line - 1]) + 1
    assert "\n".join(lines[err.line - 1 :])[err.col - 1 :].startswith(token), err.report()


def test_every_message_is_one_printable_line() -> None:
    for name, *_ in CASES:
        err = _error(name)
        for text in (str(err), err.hint):
            assert text.isprintable(), f"{name}: {text!r}"
            text.encode("utf-8")  # no lone surrogate


@pytest.mark.parametrize(("name", "csv", "line", "col", "message"), CSV_CASES, ids=[c[0] for c in CSV_CASES])
def test_bad_csv_is_reported_in_the_csv_file(name: str, csv: str, line: int, col: int, message: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load(BAD / "csv" / name)
    err = info.value
    assert err.path.endswith(csv)
    assert (err.line, err.col) == (line, col), err.report()
    assert message in err.message
    assert err.hint.strip()
    assert str(err) == f"{err.path}:{line}:{col}: error: {err.message}"


def test_every_csv_case_has_its_files() -> None:
    on_disk = {p.name for p in (BAD / "csv").iterdir() if p.suffix == ".yaml"}
    assert on_disk == {case[0] for case in CSV_CASES}


def test_every_file_has_a_case() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.is_file()}
    listed = [case[0] for case in CASES]
    assert len(listed) == len(set(listed))
    assert on_disk == set(listed)
    assert set(TOKENS) <= on_disk


def test_invalid_utf8_file_has_the_bad_byte_where_expected() -> None:
    data = (BAD / "invalid_utf8.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError) as info:
        data.decode("utf-8")
    bad = info.value.start
    assert data[bad] == 0xFB
    line_start = data.rfind(b"\n", 0, bad) + 1
    assert data.count(b"\n", 0, bad) + 1 == 8
    before = data[line_start:bad].decode("utf-8")
    assert before == '  りんご: "une pomme co'
    assert len(before) + 1 == 21 < len(data[line_start:bad]) + 1  # characters, not bytes


def test_cjk_column_counts_characters() -> None:
    text = "nodes:\n  合計: りんご + みかん\noutput: 合計\ninputs:\n  りんご: 100\n"
    with pytest.raises(ScenarioError) as info:
        scenario.loads(text, "ja.yaml")
    err = info.value
    line = "  合計: りんご + みかん"
    assert "unknown name 'みかん'" in err.message
    assert (err.line, err.col) == (2, line.index("みかん") + 1) == (2, 13)
    assert len(line[: line.index("みかん")].encode("utf-8")) + 1 != 13


def test_expression_over_several_lines_points_at_the_right_line() -> None:
    text = "inputs:\n  a: 2\nnodes:\n  c: a +\n    a * zz\noutput: c\n"
    with pytest.raises(ScenarioError) as info:
        scenario.loads(text, "folded.yaml")
    assert "unknown name 'zz'" in info.value.message
    assert (info.value.line, info.value.col) == (5, 9)


def _chain(count: int) -> str:
    """An input n0 and ``count`` nodes nK: n(K-1) * 1.0001 (two primitives each)."""
    lines = ["inputs:", "  n0: 1", "nodes:"]
    lines += [f"  n{k}: n{k - 1} * 1.0001" for k in range(1, count + 1)]
    lines.append(f"output: n{count}")
    return "\n".join(lines) + "\n"


def test_scenario_over_the_node_limit(tmp_path: Path) -> None:
    # The leaf n0 plus 2 primitives (mul, constant) per node: node k brings the
    # graph to 2k + 1 primitives, so the first node over the limit is:
    first_over = (MAX_NODES - 1) // 2 + 1
    count = max(26_000, first_over + 1_000)
    path = tmp_path / "huge.yaml"
    path.write_text(_chain(count), encoding="utf-8")
    assert path.stat().st_size < scenario.MAX_BYTES  # the node limit, not the byte limit, must trip
    with pytest.raises(ScenarioError) as info:
        load(path)
    err = info.value
    assert err.path.endswith("huge.yaml")
    assert f"{MAX_NODES:,}" in err.message
    assert (err.line, err.col) == (3 + first_over, 3)
    assert err.hint


def test_scenario_of_20000_primitive_nodes_loads(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(_chain(10_000), encoding="utf-8")
    loaded = load(path)
    assert len(loaded.graph) == 20_001
    assert loaded.output == "n10000"
    assert len(loaded.nodes) == 10_000


# --- every independent mistake of a file, in one report --------------------------------------


def test_every_independent_mistake_is_reported_in_file_order() -> None:
    err = _error("several_mistakes.yaml")
    found = [(e.line, e.col, e.message, e.hint) for e in err.errors]
    assert found == [
        (4, 7, "input 'x2' must be a number, not 'two'", "write a plain number such as 1.5 or 1e-3"),
        (8, 6, "in 'a': unknown name 'xl'", "did you mean 'x1'?"),
        (9, 10, "in 'b': unknown function 'foo'", "available functions: " + ", ".join(FUNCTIONS)),
        (13, 16, "learning_rate must be positive", "e.g. learning_rate: 0.1"),
    ]  # c uses b and x2, whose own mistakes are reported: nothing more about c
    assert err is err.errors[0]


def test_the_first_error_raised_is_the_one_found_first() -> None:
    """``tutor.load`` raises what the loader met first (the same error as before it reported them all)."""
    text = "nodes:\n  y: a * 2\ninputs:\n  a: one\noutput: y\n"
    with pytest.raises(ScenarioError) as info:
        scenario.loads(text, "late.yaml")
    assert (info.value.line, info.value.message) == (4, "input 'a' must be a number, not 'one'")
    assert [(e.line, e.col) for e in info.value.errors] == [(4, 6)]  # y's use of a is no mistake of its own


@pytest.mark.parametrize(
    "text",
    [
        "inputs:\n  a: 1\nnodes:\n  y: a +* 2\n  z: y * 3\n  w: z + y\noutput: w\nnotes:\n  z: '{y}'\n",
        "inputs:\n  2a: 1\nnodes:\n  y: 3\noutput: y\n",
        "inputs:\n  a: 1\nnode:\n  y: a\noutput: y\n",
        "inputs:\n  a: 1\nnodes:\n  - y: a\noutput: y\nnotes:\n  y: hello\n",
    ],
    ids=["uses of a wrong node", "a wrong name", "a misspelt section", "a section of the wrong shape"],
)
def test_a_mistake_is_reported_once_not_again_at_each_use(text: str) -> None:
    with pytest.raises(ScenarioError) as info:
        scenario.loads(text, "once.yaml")
    assert len(info.value.errors) == 1, [str(e) for e in info.value.errors]


def test_unreadable_yaml_stops_at_its_first_error() -> None:
    text = "inputs:\n  a: one\nnodes:\n  y: [a\n  z: b: c\noutput: q\n"
    with pytest.raises(ScenarioError) as info:
        scenario.loads(text, "yaml.yaml")
    assert len(info.value.errors) == 1 and "YAML syntax error" in info.value.message


def test_errors_in_the_data_csv_come_with_the_scenarios_own() -> None:
    text = ("inputs: {x: 0, t: 0}\nparams: {w: 1}\nnodes:\n  loss: (w * x - t) ** 2\noutput: loss\n"
            "learning_rate: 0\ndata: bad_number.csv\n")
    path = BAD / "csv" / "several.yaml"
    with pytest.raises(ScenarioError) as info:
        scenario.loads(text, str(path))
    where = [(Path(e.path).name, e.line) for e in info.value.errors]
    assert where == [("several.yaml", 6), ("bad_number.csv", 3)]
    assert str(BAD / "csv" / "bad_number.csv") in info.value.files  # --watch waits for the CSV too


def test_the_look_alike_characters_count_as_close() -> None:
    from tutor.engine.spelling import closest

    assert closest("xl", ["x2", "x1", "y"]) == "x1"
    assert closest("x1", ["xl"]) == "xl"
    assert closest("bO", ["b0", "bb"]) == "b0"
    assert closest("wI2", ["w12", "w21"]) == "w12"
    assert closest("prise", ["price", "tax"]) == "price"  # ordinary typos still, as difflib finds them
    assert closest("q", ["price", "tax"]) is None
    assert closest("x1", ["x1"]) is None  # a name is not its own suggestion
    import difflib

    assert difflib.get_close_matches("xl", ["x1"]) == []  # what this adds to difflib's default cutoff
