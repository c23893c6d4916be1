"""The layout holds: SQL only in store/, records in model.py, renderers on views.

These read the source tree, so a change that puts a query back in a renderer, or a second record
class under an existing name, fails here with the file and line to fix.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "scamtrace"
#: Packages whose own SQL is allowed: the store, and Spark SQL over DataFrames.
SQL_HOMES = ("store", "spark")
#: Modules still holding SQL while it moves to store/ (none left).
SQL_PENDING: set[str] = set()
_SQL = re.compile(r"\b(SELECT\s+[\w*(]|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|BEGIN\b)")


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if p.relative_to(SRC).parts[0] not in SQL_HOMES)


def test_no_sql_outside_the_store() -> None:
    """No module outside store/ (and spark/) calls .execute or holds an SQL string."""
    found = []
    for path in _modules():
        rel = str(path.relative_to(SRC))
        if rel in SQL_PENDING:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript"):
                found.append(f"{rel}:{node.lineno}: .{node.attr}(")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.search(node.value):
                found.append(f"{rel}:{node.lineno}: SQL string {node.value[:40]!r}")
    assert not found, "move these queries into a named function of store/queries.py:\n" + "\n".join(found)


def test_the_gate_sees_sql() -> None:
    """The check above would catch a query (it is not vacuous)."""
    assert _SQL.search("SELECT id FROM articles") and _SQL.search("DELETE FROM mentions WHERE id = ?")
    assert not _SQL.search("Select the stories you want") and not _SQL.search("update the README")


def test_each_record_name_is_defined_once() -> None:
    """A record class name (a dataclass, NamedTuple or TypedDict) means one thing: it is defined in
    one module only."""
    where: dict[str, list[str]] = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                where.setdefault(node.name, []).append(str(path.relative_to(SRC)))
    twice = {name: files for name, files in where.items() if len(files) > 1}
    assert not twice, f"defined more than once: {twice}"


def test_renderers_do_not_open_transactions() -> None:
    """The web, the report, the CLI and the exports never send BEGIN/COMMIT themselves."""
    for pkg in ("web", "report", "export", "views", "cli.py", "api.py"):
        paths = [SRC / pkg] if pkg.endswith(".py") else sorted((SRC / pkg).rglob("*.py"))
        for path in paths:
            text = path.read_text(encoding="utf-8")
            assert '"BEGIN' not in text and '"COMMIT' not in text, path


RENDERERS = ("web", "report", "export")
_IMPORT = re.compile(r"^\s*from\s+(?:scamtrace\.|\.\.)(web|report|export)\b", re.M)


def _sideways(pkg: str) -> list[str]:
    """Imports from package ``pkg`` into another renderer package."""
    found = []
    for path in sorted((SRC / pkg).rglob("*.py")):
        found += [f"{path.relative_to(SRC)} imports {m}" for m in _IMPORT.findall(path.read_text(encoding="utf-8"))
                  if m != pkg]
    return found


def test_renderers_do_not_depend_on_each_other() -> None:
    """The web, the report and the exports each draw views; shared layout and formatting live in
    ``views/`` (charts, format), so no renderer imports another (issue 14)."""
    for pkg in RENDERERS:
        assert _sideways(pkg) == [], pkg


def test_the_sideways_gate_sees_an_import() -> None:
    assert _IMPORT.findall("x = 1\nfrom ..web.svg import timeline\n") == ["web"]


#: Store modules of reads and writes; a renderer gets what it shows from views/, never from these.
_STORE_READS = re.compile(r"^\s*from\s+(?:scamtrace\.|\.\.)store(?:\.(queries|extracted|analysis)\b|\s+import\s+.*\bqueries\b)",
                          re.M)


def test_renderers_read_the_store_through_views() -> None:
    """The web, the report and the exports import no named query or extracted-row reader of the store:
    what they draw comes from ``views/`` (issue 14: one place assembles what a reader sees)."""
    found = []
    for pkg in RENDERERS:
        for path in sorted((SRC / pkg).rglob("*.py")):
            if _STORE_READS.search(path.read_text(encoding="utf-8")):
                found.append(str(path.relative_to(SRC)))
    assert found == [], f"read these through a view of views/: {found}"


def test_the_store_reads_gate_sees_an_import() -> None:
    assert _STORE_READS.search("from ..store.extracted import rows\n")
    assert _STORE_READS.search("from ..store import Store, queries\n")
    assert not _STORE_READS.search("from ..store import Store\n")


#: Store methods a renderer may call: closing, a read snapshot, and the web's one write (a judgement).
_RENDERER_STORE_CALLS = {"close", "snapshot", "add_judgement"}
_STORE_CALL = re.compile(r"\bstore\.([a-z_]+)\(")


def test_renderers_call_no_store_read_method() -> None:
    """Articles, links and families reach the web, report and exports through views/ too
    (``views.tables.copy_links`` and friends), not through ``Store.links()`` and the like."""
    found = []
    for pkg in RENDERERS:
        for path in sorted((SRC / pkg).rglob("*.py")):
            calls = set(_STORE_CALL.findall(path.read_text(encoding="utf-8"))) - _RENDERER_STORE_CALLS
            found += [f"{path.relative_to(SRC)}: store.{c}()" for c in sorted(calls)]
    assert found == [], f"read these through a view of views/: {found}"


def test_the_store_call_gate_sees_a_read() -> None:
    assert _STORE_CALL.findall("    for ln in store.links():\n") == ["links"]
