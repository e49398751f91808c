"""epdoc's import graph, as grimp and import-linter see it.

epdoc is installed editable with its folders mapped into the package (pyproject.toml
package-dir), which grimp cannot follow: it walks the package's folder. So this script links
the folders into one package tree in a temporary folder, puts it first on sys.path, and then
either checks the stages' contract (`python imports.py contract`, what `make check` runs) or
prints every import cycle as JSON (`python imports.py cycles`)."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def linked_tree(where: Path) -> Path:
    pkg = where / "epdoc"
    pkg.mkdir()
    (pkg / "__init__.py").symlink_to(ROOT / "epdoc" / "__init__.py")
    for name in ("pipeline", "filters", "styles"):
        (pkg / name).symlink_to(ROOT / name, target_is_directory=True)
    return where


def cycles(graph) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iterative)."""
    adj = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found = []
    for start in sorted(adj):
        if start in index:
            continue
        work = [(start, iter(adj[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on.add(start)
        while work:
            v, edges = work[-1]
            w = next(edges, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(adj[w])))
                elif w in on:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                group = []
                while True:
                    x = stack.pop()
                    on.discard(x)
                    group.append(x)
                    if x == v:
                        break
                if len(group) > 1:
                    found.append(sorted(group))
    return found


def main(argv) -> int:
    what = argv[1] if len(argv) > 1 else "contract"
    with tempfile.TemporaryDirectory(prefix="epdoc-graph-") as tmp:
        sys.path.insert(0, str(linked_tree(Path(tmp))))
        os.chdir(tmp)  # import-linter puts the working folder first on sys.path too
        if what == "contract":
            from importlinter.cli import lint_imports

            return lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
        import grimp

        graph = grimp.build_graph("epdoc", cache_dir=None)
        if what == "cycles":
            found = cycles(graph)
            print(json.dumps({"modules": len(graph.modules), "cycles": found}))
            return 1 if found else 0
        if what == "cycles-check":  # the check finds a cycle where there is one
            graph.add_import(importer="epdoc.pipeline.core.errors",
                             imported="epdoc.pipeline.cli.main")
            print(json.dumps({"modules": len(graph.modules), "cycles": cycles(graph)}))
            return 0
    print(f"usage: {argv[0]} contract|cycles (exit 1 when the contract is broken or a "
          "cycle is found)", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
