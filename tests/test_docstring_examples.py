"""Every docstring example in the package runs and prints what it shows.

The numpydoc ``Examples`` sections are the first code a user copies, so each module's
doctests run here (those marked ``# doctest: +SKIP`` train networks on real data sizes
and are left out by doctest itself). Also checked: every public function and class
(a name in a public module's ``__all__``) has an ``Examples`` section.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil

import pytest

import forecast

MODULES = sorted(m.name for m in pkgutil.walk_packages(forecast.__path__, "forecast.")
                 if not m.name.endswith("__main__"))  # __main__ runs the command line


@pytest.mark.parametrize("name", MODULES)
def test_module_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_the_modules_hold_examples_to_run():
    attempted = sum(doctest.testmod(importlib.import_module(n)).attempted
                    for n in ("forecast.metrics._point", "forecast.preprocessing._windows"))
    assert attempted > 10


def _public_callables():
    for name in MODULES:
        module = importlib.import_module(name)
        if name.rsplit(".", 1)[-1].startswith("_"):
            continue
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                yield f"{name}.{attr}", obj


def test_every_public_function_and_class_has_an_example():
    public = dict(_public_callables())
    assert len(public) > 50
    assert [n for n, obj in public.items() if "Examples" not in (inspect.getdoc(obj) or "")] == []
