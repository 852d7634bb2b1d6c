#!/usr/bin/env python3
"""The layer rules of docs/ARCHITECTURE.md that a crate boundary does not already enforce.

1. No import circles between modules, in either crate: a module names another through
   `crate::…` paths; the modules that name each other, directly or around a loop, are listed.
2. Inside ctlkit, files/, evidence/ and keys/ name neither judge nor report, and judge/ names
   no report.

Reads the sources as text (unit tests, after `#[cfg(test)] mod tests`, are left out) and exits 1
naming what breaks a rule. Run from the repository root: python3 scripts/check-layers.py
"""

import os
import re
import sys

CRATES = ["crates/ctlkit-format/src", "src"]
UPWARD = {
    "files": {"judge", "report"},
    "evidence": {"judge", "report"},
    "keys": {"judge", "report"},
    "judge": {"report"},
}


def module_name(root, path):
    relative = os.path.relpath(path, root)[: -len(".rs")]
    if relative.endswith("/mod"):
        relative = relative[: -len("/mod")]
    return relative.replace("/", "::")


def sources(root):
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".rs"):
                yield os.path.join(folder, name)


def dependencies(root):
    """Each module's set of the crate's modules it names (never itself, its parent or child)."""
    modules = {module_name(root, path) for path in sources(root)}
    graph = {}
    for path in sources(root):
        module = module_name(root, path)
        if module in ("lib", "main"):
            continue
        text = open(path, encoding="utf-8").read()
        text = re.split(r"#\[cfg\(test\)\]\s*mod tests", text)[0]
        named = set()
        for match in re.finditer(r"crate::((?:\w+::)*\w+)", text):
            parts = match.group(1).split("::")
            for length in range(len(parts), 0, -1):
                candidate = "::".join(parts[:length])
                if candidate in modules:
                    named.add(candidate)
                    break
        graph[module] = {
            other
            for other in named
            if other != module
            and not module.startswith(other + "::")
            and not other.startswith(module + "::")
        }
    return graph


def circles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(module):
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def main():
    sys.setrecursionlimit(10_000)
    problems = []
    for root in CRATES:
        graph = dependencies(root)
        for component in circles(graph):
            problems.append(f"{root}: modules that import each other: {', '.join(component)}")
        if root == "src":
            for module, named in sorted(graph.items()):
                layer = module.split("::")[0]
                for other in sorted(named):
                    if other.split("::")[0] in UPWARD.get(layer, ()):
                        problems.append(f"src: {module} names {other}, a layer above it")
    for problem in problems:
        print(problem)
    if problems:
        print("see docs/ARCHITECTURE.md")
        return 1
    print("layers: no import circles, no upward imports")
    return 0


if __name__ == "__main__":
    sys.exit(main())
