"""The package under test is the installed wheel, with the generated module and the cdylib."""

import pathlib

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
