"""Errors copydesk reports to people: one line, naming the input and the problem."""

from __future__ import annotations


class CopydeskError(Exception):
    """Base class. `str(error)` is the one-line message shown to the user."""

    exit_code = 2


class InputError(CopydeskError):
    """An input file or record cannot be used (missing, empty, binary, too big...)."""

    def __init__(self, where: str, problem: str) -> None:
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class ModelError(CopydeskError):
    """A model the pipeline needs is not installed or cannot be loaded."""


class StoreError(CopydeskError):
    """The library file cannot be opened, is not a copydesk library, or is too new."""


class MissingExtra(CopydeskError):
    """A command needs an optional part of copydesk that is not installed."""


def require_extra(module: str, extra: str, command: str) -> None:
    """Fail in one line when `command` needs `module`, which comes with pip install 'copydesk[extra]'."""
    import importlib.util

    if importlib.util.find_spec(module) is None:
        raise MissingExtra(f"{command} needs {module}: pip install 'copydesk[{extra}]'")
