"""The layout shows the architecture: dependencies point inward, and nothing imports in a circle.

Read from the source (the `import` statements), not from what happens to be loaded:

- `diplomacy` (the record) never imports `articles` (the coverage);
- each surface of `articles` — the public site, the API, the admin, charts and print, the commands,
  the template tags — may import the core, never another surface;
- the core never imports a surface, and the Arabic toolkit imports no Django at all;
- no module imports, directly or through others, a module that imports it back.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SURFACES = ("public", "api", "admin", "charts", "management", "templatetags")


def modules(*, external=False):
    """{dotted name: set of dotted names of the project's modules it imports (with `external`, all it imports)}."""
    graph = {}
    for package in ("articles", "diplomacy"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            name = ".".join(parts)
            imported = set()
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported.update(alias.name for alias in node.names)
                elif isinstance(node, ast.ImportFrom):
                    if node.level:  # relative: from .x import y
                        base = parts[: len(parts) - node.level + (path.name == "__init__.py")]
                        target = ".".join([*base, node.module] if node.module else base)
                    else:
                        target = node.module
                    imported.add(target)
                    imported.update(f"{target}.{alias.name}" for alias in node.names)
            graph[name] = imported
    if external:
        return graph
    return {name: {i for i in imports if i in graph and i != name} for name, imports in graph.items()}


def surface_of(name):
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "articles" and parts[1] in SURFACES else None


def test_the_record_does_not_import_the_coverage():
    offending = {
        name: sorted(i for i in imports if i.startswith("articles"))
        for name, imports in modules().items()
        if name.startswith("diplomacy") and name not in ("diplomacy.settings", "diplomacy.urls")
    }
    assert {name: found for name, found in offending.items() if found} == {}


def test_surfaces_import_the_core_never_each_other_and_the_core_no_surface():
    wrong = []
    for name, imports in modules().items():
        if not name.startswith("articles"):
            continue
        mine = surface_of(name)
        for imported in imports:
            theirs = surface_of(imported)
            if theirs and theirs != mine:
                wrong.append(f"{name} imports {imported}")
    assert wrong == []


def test_the_arabic_toolkit_is_plain_python():
    for name, imports in modules(external=True).items():
        if name.startswith("articles.arabic"):
            assert not [i for i in imports if i.split(".")[0] == "django"], name
            assert not [
                i for i in imports if i.startswith(("articles.", "diplomacy")) and not i.startswith("articles.arabic")
            ], name


def test_no_import_cycles():
    graph = modules()
    cycles = []

    def visit(name, path, seen):
        for nxt in graph.get(name, ()):
            if nxt == path[0]:
                cycles.append(" → ".join([*path, nxt]))
            elif nxt not in seen:
                seen.add(nxt)
                visit(nxt, [*path, nxt], seen)

    for start in graph:
        visit(start, [start], {start})
    assert cycles == []
