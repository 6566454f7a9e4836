"""What the layer contract (import-linter, `make lint`) cannot say: role names live in one module, and a
domain's tables are its own (others call its public functions)."""

from __future__ import annotations

import ast
from pathlib import Path

import peaceops

SRC = Path(peaceops.__file__).parent
DOMAINS = {
    "agreements",
    "comms",
    "conduct",
    "conflict",
    "countries",
    "environment",
    "incidents",
    "partnerships",
    "performance",
    "personnel",
    "processes",
    "resources",
    "roster",
    "safety",
    "support",
}
# Reads of another domain's tables that are still direct, each a known debt: (reader, owner).
DECLARED_TABLE_READS = {
    ("countries", "conduct"),
    ("countries", "partnerships"),
    ("countries", "personnel"),
    ("safety", "personnel"),
}


def _runtime_imports(path: Path) -> list[str]:
    """Modules imported at run time (imports for type checking only are left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    return [
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and id(node) not in skip
    ]


def test_role_names_appear_only_in_the_access_package():
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if "mission_officer" in path.read_text(encoding="utf-8") and path.parts[len(SRC.parts)] != "access"
    ]
    assert offenders == []


def test_domains_read_other_domains_tables_only_where_declared():
    reads = set()
    for domain in DOMAINS:
        for path in (SRC / domain).rglob("*.py"):
            for module in _runtime_imports(path):
                parts = module.split(".")
                if len(parts) >= 3 and parts[0] == "peaceops" and parts[2] == "models" and parts[1] != domain:
                    if parts[1] in DOMAINS:
                        reads.add((domain, parts[1]))
    assert reads <= DECLARED_TABLE_READS, f"undeclared reads of another domain's tables: {reads - DECLARED_TABLE_READS}"


def test_no_domain_imports_a_surface():
    surfaces = {"cli", "web", "platform", "reports"}
    offenders = [
        f"{path.relative_to(SRC)} -> {module}"
        for domain in DOMAINS
        for path in (SRC / domain).rglob("*.py")
        for module in _runtime_imports(path)
        if module.split(".")[:2][-1] in surfaces and module.startswith("peaceops.")
    ]
    assert offenders == []
