"""The ``gwplan`` command line (`optimization.cli.main`)."""

from optimization.cli.main import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, app, main, run

__all__ = ["EXIT_BAD_INPUT", "EXIT_INFEASIBLE", "EXIT_INTERNAL", "app", "main", "run"]
