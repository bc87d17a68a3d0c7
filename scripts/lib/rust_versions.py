#!/usr/bin/env python3
"""Fails when a dependency declares a newer `rust-version` than a workspace crate using it.

Reads `cargo metadata` (JSON) on stdin. For every workspace member with a `rust-version`,
walks its normal and build dependencies (not dev-dependencies: they do not reach users),
transitively, through the resolved graph (the features the workspace enables), and lists
each package whose own `rust-version` is higher. Packages that declare none are not
checked (they make no claim). Exit 1 when any is found.

clippy's `incompatible_msrv` lint (on with `-D warnings`) checks the crates' own use of the
standard library against the same field; this checks what clippy cannot: the dependencies.
"""

import json
import sys


def version(v):
    return tuple(int(p) for p in v.split("."))


def main():
    meta = json.load(sys.stdin)
    packages = {p["id"]: p for p in meta["packages"]}
    nodes = {n["id"]: n for n in meta["resolve"]["nodes"]}
    failures = []
    checked = 0
    for member in meta["workspace_members"]:
        pkg = packages[member]
        own = pkg.get("rust_version")
        if not own:
            continue
        seen, stack = set(), [member]
        while stack:
            node = nodes[stack.pop()]
            for dep in node["deps"]:
                kinds = {k["kind"] for k in dep["dep_kinds"]}
                if kinds <= {"dev"} or dep["pkg"] in seen:
                    continue
                seen.add(dep["pkg"])
                stack.append(dep["pkg"])
        for dep in sorted(seen):
            d = packages[dep]
            theirs = d.get("rust_version")
            checked += 1
            if theirs and version(theirs) > version(own):
                failures.append(
                    f"{pkg['name']} (rust-version {own}) depends on {d['name']} {d['version']} "
                    f"(rust-version {theirs})"
                )
    for f in failures:
        print(f)
    print(f"rust-version: {checked} dependency edges checked, {len(failures)} above their user's")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
