"""The package under test is the installed wheel, with the generated module and the cdylib."""

import os
import pathlib
import sys

import pytest

import passerelle
from conftest import SOURCE_TREE


def test_imports_installed_wheel_not_source_tree():
    pkg = pathlib.Path(passerelle.__file__).resolve().parent
    assert "site-packages" in pkg.parts, pkg
    assert SOURCE_TREE not in pkg.parents, pkg


def test_wheel_ships_generated_module_and_cdylib():
    pkg = pathlib.Path(passerelle.__file__).resolve().parent
    libs = [p for p in pkg.rglob("*passerelle*") if p.suffix in {".so", ".dylib", ".dll"}]
    assert libs, f"no cdylib under {pkg}"


def test_version():
    v = passerelle.library_version()
    assert v == passerelle.__version__
    assert len(v.split(".")) == 3


def test_runs_in_the_venv_ci_installed_the_wheel_into():
    """CI (scripts/test-all.sh) runs these tests in a fresh venv holding only the wheel and the
    test tools; it names that venv, and the interpreter and the package must both be its own."""
    venv = os.environ.get("PASSERELLE_TEST_VENV")
    if venv is None:
        pytest.skip("PASSERELLE_TEST_VENV not set (not run by scripts/test-all.sh)")
    root = pathlib.Path(venv).resolve()
    assert pathlib.Path(sys.prefix).resolve() == root, sys.prefix
    assert root in pathlib.Path(passerelle.__file__).resolve().parents, passerelle.__file__
