"""The layers run one way (docs/architecture.md): every import in src/orbitaldc is checked.

Walks the ``ast`` of every module (imports inside functions included, so a lazy import cannot
hide an upward one) and fails on an import that runs back up the layer diagram, on an import
cycle between modules, and on a private (``_name``) imported from another module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "orbitaldc"

#: What each layer may import (itself included). Inputs: spec, catalog. Physics: pure functions.
#: Engines (fleet, closure, economics, radiation, twin, network, workload) call physics and never
#: each other, except the closure calling the cost models and the fleet's elements, the network
#: the fleet's elements, and the workload the network (links, all-reduce times) and the twin
#: (its time loop steps the twin's kernel).
#: api chains the engines; study runs many of them; the CLI, report and web app are edges over
#: both (the CLI starts the web app; the web app draws with the report's charts).
ENGINES = {"fleet", "closure", "economics", "radiation", "twin", "network", "workload"}
ALLOWED: dict[str, set[str]] = {
    "catalog": {"catalog"},
    "spec": {"spec", "catalog"},
    "physics": {"physics"},
    "fleet": {"fleet", "physics", "spec"},
    "economics": {"economics", "physics"},
    "closure": {"closure", "economics", "fleet", "physics", "spec", "catalog"},
    "radiation": {"radiation", "physics", "spec", "catalog"},
    "twin": {"twin", "physics", "spec", "catalog"},
    "network": {"network", "physics", "spec", "catalog", "fleet"},
    "workload": {"workload", "physics", "spec", "catalog", "network", "twin"},
    "api": {"api", "physics", "spec", "catalog", *ENGINES},
    # Studies (issue 14) sit above the api and below the edges.
    "study": {"study", "api", "physics", "spec", "catalog", *ENGINES},
    "report": {"report", "study", "api", "physics", "spec", "catalog", *ENGINES},
    "cli": {"cli", "study", "api", "report", "web", "physics", "spec", "catalog", *ENGINES},
    "web": {"web", "study", "api", "report", "physics", "spec", "catalog", *ENGINES},
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path, me: str | None = None) -> list[tuple[str, list[str], int]]:
    """``(module, names, line)`` for every absolute or relative import of orbitaldc modules in
    the source at ``path`` (module ``me``, by default the one the path names)."""
    return [(m, [n for n, _ in names], line) for m, names, line in _imports_as(path, me)]


def _imports_as(path: Path, me: str | None = None) -> list[tuple[str, list[tuple[str, str]], int]]:
    """``(module, [(name, bound_as)], line)`` for every import of orbitaldc modules."""
    me = me or _module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((module, [(a.name, a.asname or a.name) for a in node.names], node.lineno))
    return [f for f in found if f[0] == "orbitaldc" or f[0].startswith("orbitaldc.")]


MODULES = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _targets(module: str, names: list[str]) -> list[str]:
    """The orbitaldc modules an import statement loads (``from pkg import mod`` loads pkg.mod)."""
    out = [module]
    out += [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    return out


def test_every_layer_is_known():
    layers = {_layer(m) for m in MODULES} - {"__init__"}
    assert layers <= set(ALLOWED), f"add {sorted(layers - set(ALLOWED))} to ALLOWED"


def _upward_imports(module: str, path: Path) -> list[str]:
    """The imports of ``module`` (source at ``path``) that its layer may not make."""
    me = _layer(module)
    if me == "__init__":
        return []
    bad = []
    for target, names, line in _imports(path, module):
        for t in _targets(target, names):
            layer = _layer(t)
            if layer == "__init__":
                # ``from orbitaldc import x`` reaches the lazy top level, i.e. the api layer.
                layer = "api" if names and set(names) - {"catalog"} else "catalog"
            if layer not in ALLOWED[me]:
                bad.append(f"line {line}: {me} imports {t} ({layer})")
    return bad


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_run_down_the_layers(module):
    bad = _upward_imports(module, MODULES[module])
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_name_crosses_a_module(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    imported_modules = {}
    bad = []
    for target, names, line in _imports_as(MODULES[module]):
        for n, bound in names:
            if f"{target}.{n}" in MODULES:
                imported_modules[bound] = f"{target}.{n}"
            elif n.startswith("_") and not n.startswith("__") and target != module:
                bad.append(f"line {line}: imports {target}.{n}")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in imported_modules
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            bad.append(f"line {node.lineno}: uses {imported_modules[node.value.id]}.{node.attr}")
    assert not bad, "\n".join(bad)


def test_no_import_cycles():
    graph = {
        m: {t for target, names, _ in _imports(p) for t in _targets(target, names) if t in MODULES}
        - {m}
        for m, p in MODULES.items()
    }
    # A package's __init__ re-exporting its modules is not a cycle with them.
    for m in graph:
        graph[m] = {t for t in graph[m] if not m.startswith(t + ".")}
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycles.append(" -> ".join(stack[stack.index(nxt) :] + [node, nxt]))
            elif nxt not in state:
                visit(nxt, stack + [node] if node not in stack else stack)
        state[node] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    assert not cycles, "\n".join(cycles)


def test_the_checker_sees_an_upward_import(tmp_path):
    # A lazy (in-function) upward import, physics importing the twin, must be caught; so must a
    # private name taken from another module.
    probe = tmp_path / "sun.py"
    probe.write_text(
        (SRC / "physics" / "sun.py").read_text(encoding="utf-8")
        + "\n\ndef _x():\n    from orbitaldc.twin import kernel\n",
        encoding="utf-8",
    )
    line = len(probe.read_text(encoding="utf-8").splitlines())
    assert _upward_imports("orbitaldc.physics.sun", probe) == [
        f"line {line}: physics imports orbitaldc.twin (twin)",
        f"line {line}: physics imports orbitaldc.twin.kernel (twin)",
    ]
    assert _upward_imports("orbitaldc.physics.sun", SRC / "physics" / "sun.py") == []
