"""Entry point for ``python -m tutor``: parse arguments, then hand off."""

import sys

from tutor.cli import main

if __name__ == "__main__":
    sys.exit(main())
