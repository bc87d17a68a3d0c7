"""The README's Python snippets run as written, against the installed wheel."""

from __future__ import annotations

import re

import pytest

from conftest import REPO

FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def _snippets(path):
    return FENCE.findall(path.read_text(encoding="utf-8"))


SNIPPETS = [
    pytest.param(code, id=f"{name}#{i}")
    for name in ("README.md",)
    for i, code in enumerate(_snippets(REPO / name))
]

# bindings/README.md reads top to bottom: a snippet may use what an earlier one defined.
BINDINGS_README = REPO / "bindings" / "README.md"


def test_readme_has_python_snippets():
    assert len(SNIPPETS) >= 2
    assert len(_snippets(BINDINGS_README)) >= 3


@pytest.mark.parametrize("code", SNIPPETS)
def test_readme_snippet_runs(code, capsys):
    exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    assert capsys.readouterr().out.strip()  # every snippet shows something


def test_bindings_readme_snippets_run_in_order(capsys):
    pytest.importorskip("pandas")
    namespace = {"__name__": "__readme__"}
    for i, code in enumerate(_snippets(BINDINGS_README)):
        exec(compile(code, f"bindings/README.md#{i}", "exec"), namespace)
        assert capsys.readouterr().out.strip(), f"snippet {i} shows nothing"
