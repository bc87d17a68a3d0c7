"""``python -m passerelle``: the passerelle command-line tool, run through the bindings.

The same commands, flags and output as the ``passerelle`` binary (the Rust crate
``passerelle-cli``), for Python users who installed only the wheel::

    python -m passerelle help                      # the commands and their options
    python -m passerelle --version
    python -m passerelle demo                      # the embedded sample's demo situations
    python -m passerelle validate DIR              # an HSDS directory's import report
    python -m passerelle search DIR --need "food bank" --lat 37.53 --lon -122.29 [--json]
    python -m passerelle export DIR --out OUT      # also subset, gaps, snapshot

Exit code 0 when done, 1 when a command failed (or ``validate`` found errors), 2 for a bad
command line. Nothing about the resident is logged or written anywhere.
"""

from __future__ import annotations

import sys
from typing import Optional, Sequence

from . import run_command_line


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the tool with ``argv`` (default: ``sys.argv[1:]``); returns its exit code."""
    run = run_command_line(list(sys.argv[1:] if argv is None else argv))
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    return run.exit_code


if __name__ == "__main__":
    sys.exit(main())
