#!/usr/bin/env python3
"""Syntax-check .swift files with tree-sitter-swift (there is no Swift compiler on Linux CI).

Usage: .venv/bin/python scripts/swift-syntax-check.py FILE.swift...
Prints one line per file ("<file>: N syntax errors") and the first errors with positions;
exits 1 if any file has an ERROR or MISSING node. Needs tree-sitter and tree-sitter-swift
(scripts/requirements-dev.txt).
"""

import re
import sys

import tree_sitter_swift
from tree_sitter import Language, Parser

# uniffi wraps lone attributes in `#if swift(>=5.8) @_documentation(...) #endif`, which the
# grammar cannot parse (spurious errors); blank those 3-line blocks out, keeping line numbers.
ATTR_IF = re.compile(rb"#if swift\(>=5\.8\)\n\s*@_documentation\(visibility: private\)\n#endif\n")


def errors(parser: Parser, src: bytes):
    stack = [parser.parse(ATTR_IF.sub(b"\n\n\n", src)).root_node]
    while stack:
        node = stack.pop()
        if node.type == "ERROR" or node.is_missing:
            yield node
        stack.extend(node.children)


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__, file=sys.stderr)
        return 2
    parser = Parser(Language(tree_sitter_swift.language()))
    total = 0
    for path in paths:
        with open(path, "rb") as f:
            errs = sorted(errors(parser, f.read()), key=lambda n: n.start_point)
        for n in errs[:20]:
            line, col = n.start_point
            kind = "missing " + n.type if n.is_missing else "unexpected input"
            print(f"{path}:{line + 1}:{col + 1}: swift syntax error ({kind})")
        print(f"{path}: {len(errs)} syntax errors")
        total += len(errs)
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
