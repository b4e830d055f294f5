"""The two packages' boundary: `sd_model` never imports `optimization`, and
`optimization` imports only public names of `sd_model` (in a module's ``__all__``)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(package: str) -> Iterator[tuple[Path, int, str, str | None]]:
    """(file, line, module, name) of every ``import``/``from ... import`` in ``package``."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    yield path, node.lineno, node.module, alias.name
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, node.lineno, alias.name, None


def test_sd_model_never_imports_optimization() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path, line, module, _ in _imports("sd_model")
        if module == "optimization" or module.startswith("optimization.")
    ]
    assert found == []


def test_optimization_uses_only_public_names_of_sd_model() -> None:
    private: list[str] = []
    for path, line, module, name in _imports("optimization"):
        if not (module == "sd_model" or module.startswith("sd_model.")):
            continue
        where = f"{path.relative_to(ROOT)}:{line}"
        if any(part.startswith("_") for part in module.split(".")):
            private.append(f"{where} imports private module {module}")
            continue
        if name is None:
            continue
        imported = importlib.import_module(module)
        exported = getattr(imported, "__all__", ())
        is_module = hasattr(imported, "__path__") and (
            importlib.util.find_spec(f"{module}.{name}") is not None
        )
        if name not in exported and not is_module:
            private.append(f"{where} imports {name} from {module}, which is not in its __all__")
    assert private == []
