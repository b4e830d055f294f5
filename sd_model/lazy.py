"""Lazy public names for a package (PEP 562): import each from its home module on first use.

So that importing a light submodule (the command line, the engine) does not load
pandas, Pyomo or matplotlib through the package's ``__init__``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, MutableMapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str,
    homes: Mapping[str, str],
    namespace: MutableMapping[str, Any],
    names: Iterable[str],
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__getattr__`` and ``__dir__`` of ``package``.

    Parameters
    ----------
    package
        The package's name, for the error message.
    homes
        Public name -> module that defines it.
    namespace
        The package's ``globals()``: a loaded name is stored there, so later
        look-ups skip ``__getattr__``.
    names
        The package's public names (``__all__``), listed by ``__dir__``.
    """
    public = tuple(names)

    def load(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home), name)
        namespace[name] = value
        return value

    def listing() -> list[str]:
        return sorted({*namespace, *public})

    return load, listing
