"""The command line: ``tutor [SCENARIO]`` opens the app; ``tutor COMMAND ...`` runs a command.

- ``entry``: ``main``, which picks the app or a command, and the one error policy;
- ``commands``: the command table, each command with its module (``trace``,
  ``check``, ``train``, ``list``, ``new``, ``schema``, ``serve``, ``export``);
- ``parser``: the argument parsers; ``arguments``: the values commands share
  (``--set``, ``--row``) and ``UsageError``; ``app``: the interactive tutor;
- ``json_output``: the JSON the commands print; ``tables`` and ``text_tables``:
  their tables, as Rich tables or, for big graphs, plain text; ``progress``:
  the progress bar of long runs.
"""

from tutor.cli.entry import main

__all__ = ["main"]
