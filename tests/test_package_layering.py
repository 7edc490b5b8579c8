"""Package-wide invariants: no TensorFlow at import time, and no backward imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "forecast"

# Lower number = lower layer. A module may import from its own layer or below.
LAYERS = {
    "_validation": 0,
    "_state": 0,
    "_io": 0,
    "_tf": 0,
    "_tf_startup": 0,
    "metrics": 0,
    "datasets": 1,
    "preprocessing": 2,
    "text": 2,
    "networks": 3,
    "estimators": 4,
    "forecasters": 5,
    "model_selection": 6,
    "plotting": 7,
    "cli": 8,
    "__main__": 8,  # `python -m forecast`: the cli's entry point
}


def _layer_of(path: Path) -> tuple[str, int]:
    top = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    return top, LAYERS.get(top, -1)


def _imported_toplevels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel_parts = path.relative_to(PACKAGE).parts
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and node.module and node.module.startswith("forecast."):
                found.add(node.module.split(".")[1])
            elif node.level > 0:
                depth = len(rel_parts) - node.level  # package parts left after going up
                base = list(rel_parts[:depth]) if depth > 0 else []
                target = base + (node.module.split(".") if node.module else [])
                if target:
                    found.add(target[0].removesuffix(".py"))
                else:  # `from .. import x`: names are the top-level modules
                    found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("forecast."):
                    found.add(alias.name.split(".")[1])
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] in
                  {f"{k}.py" for k in LAYERS} | set(LAYERS))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_backward_imports(path: Path) -> None:
    name, layer = _layer_of(path)
    for imported in _imported_toplevels(path):
        if imported in LAYERS and imported != name:
            assert LAYERS[imported] <= layer, (
                f"{path.relative_to(PACKAGE)} (layer {name}) imports forecast.{imported}, "
                "a later layer"
            )


def test_every_subpackage_has_a_layer() -> None:
    tops = {p.name.removesuffix(".py") for p in PACKAGE.iterdir()
            if (p.is_dir() and (p / "__init__.py").exists()) or (p.suffix == ".py")}
    tops.discard("__init__")
    assert tops <= set(LAYERS), f"unlayered modules: {sorted(tops - set(LAYERS))}"


def test_import_does_not_import_tensorflow() -> None:
    code = (
        "import sys, importlib, pkgutil, forecast\n"
        "names = ['forecast.' + m.name for m in pkgutil.iter_modules(forecast.__path__)\n"
        "         if m.name != '__main__']  # running the command, not an import\n"
        "for n in names:\n"
        "    importlib.import_module(n)\n"
        "bad = [m for m in ('tensorflow', 'keras') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"importing forecast pulled in: {out.stdout.strip()}"
