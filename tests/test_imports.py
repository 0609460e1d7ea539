"""The package's imports form no circle and follow the layers of docs/ARCHITECTURE.md.

Imports are read from the source with `ast`, including those inside functions (a circle hidden by a lazy import
is still a circle: the two modules cannot be understood apart) and those only for type checking.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "assistant"

# Folder layers, lowest first (docs/ARCHITECTURE.md). A folder imports from lower layers and from the top-level
# modules (config, errors, schema …); inside one layer, only from itself. ingest/ (reading and splitting the
# examples) sits below index/, which embeds and stores what ingest read; the page (ui/) sits below interfaces/,
# whose server serves it.
LAYERS: list[set[str]] = [
    {"text"},
    {"facts"},
    {"check"},
    {"house"},
    {"writing"},
    {"ingest"},
    {"llm", "index", "export"},
    {"services"},
    {"ui"},
    {"interfaces"},
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def _imported(tree: ast.AST, module: str, is_package: bool, known: set[str]) -> Iterator[str]:
    """Every assistant module `module` imports, anywhere in its source."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from a.b import c` imports the module a.b.c when there is one, else the name c of a.b
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for name in names:
            while name and name not in known:  # `import a.b.c` names a module or one of its parents
                name = name.rpartition(".")[0]
            if name and name != module:
                yield name


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = {m for m in _imported(tree, name, path.name == "__init__.py", known)
                       if m.startswith("assistant")}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as [a, b, …, a], or None. A parent package's __init__ is not an edge of its own."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def _folder(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else None


def _layer(folder: str) -> int:
    return next(i for i, layer in enumerate(LAYERS) if folder in layer)


def test_the_graph_sees_imports_inside_functions() -> None:
    source = "def f():\n    from assistant.text import numbers\n    import assistant.errors\n" \
             "from assistant.facts import Facts\nfrom .sibling import x\n"
    known = {"assistant.text.numbers", "assistant.text", "assistant.errors", "assistant", "assistant.facts",
             "assistant.x.sibling"}
    found = set(_imported(ast.parse(source), "assistant.x.y", False, known))
    assert found == {"assistant.text.numbers", "assistant.errors", "assistant.facts", "assistant.x.sibling"}


def test_find_cycle_names_the_circle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_no_import_circle_in_the_package() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " → ".join(cycle or [])


def test_every_folder_is_in_a_layer() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert folders == set().union(*LAYERS), "add the folder to LAYERS (and to docs/ARCHITECTURE.md)"


def test_no_folder_imports_upward_or_sideways() -> None:
    wrong = []
    for module, imports in import_graph().items():
        source = _folder(module)
        for target in imports:
            dest = _folder(target)
            if source is None or dest is None or dest == source:
                continue
            if _layer(dest) >= _layer(source):
                wrong.append(f"{module} → {target}")
    assert not wrong, "imports against the layers of docs/ARCHITECTURE.md:\n" + "\n".join(sorted(wrong))
