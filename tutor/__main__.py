"""Entry point for ``python -m tutor``: it only calls the command line's ``main``."""

import sys

from tutor.cli import main

if __name__ == "__main__":
    sys.exit(main())
