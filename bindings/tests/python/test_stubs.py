"""The shipped stubs (passerelle/__init__.pyi) name every public name of the package: there is
no `__getattr__` fallback, so a name they miss would be an error for mypy users, not `Any`."""

from __future__ import annotations

import ast
import inspect
import pathlib

import passerelle as p
from passerelle import passerelle as ffi

STUB = pathlib.Path(p.__file__).resolve().parent / "__init__.pyi"


def stub_names() -> set[str]:
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            names.update(a.asname for a in node.names if a.asname == a.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def public_names() -> set[str]:
    """The generated module's exports, and what the package itself defines."""
    own = {n for n, v in vars(p).items() if not n.startswith("_")
           and (inspect.isfunction(v) or inspect.isclass(v)) and v.__module__ == "passerelle"}
    return set(getattr(ffi, "__all__")) | own | {"__version__", "batch", "dask", "gaps"}


def test_no_fallback():
    tree = ast.parse(STUB.read_text(encoding="utf-8"))
    assert not [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "__getattr__"]


def test_every_public_name_is_typed():
    missing = public_names() - stub_names()
    assert not missing, f"add to passerelle/__init__.pyi: {sorted(missing)}"
    assert len(public_names()) > 90
