"""The rules of delegation are pure: no module of `registry.domain` imports the web framework,
the ORM, or anything else of the registry outside the domain."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[3] / "registry" / "domain"
FORBIDDEN = ("litestar", "piccolo", "asyncpg", "aiosqlite", "jinja2", "casbin")


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("path", sorted(DOMAIN.glob("*.py")), ids=lambda p: p.name)
def test_a_domain_module_imports_no_framework_and_nothing_outside_the_domain(path: Path) -> None:
    modules = imported_modules(path)
    assert not [m for m in modules if m.split(".")[0] in FORBIDDEN]
    assert not [
        m for m in modules if m.startswith("registry.") and not m.startswith("registry.domain")
    ]
