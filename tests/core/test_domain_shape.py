"""Every domain has one shape: the same module roles, names that follow the documented
convention, and no reach into another domain's internals.

It reads the package list (accelerator.DOMAINS) and docs/architecture.md, the map a newcomer
reads: a module with a name of its own must be listed there for its domain, so the map and the
code cannot drift apart.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from accelerator import DOMAINS

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "accelerator"
MAP = ROOT / "docs" / "architecture.md"

#: Module roles every domain names the same way (docs/architecture.md, "Module roles").
ROLES = {
    "__init__",
    "models",
    "services",
    "queries",
    "policies",
    "forms",
    "views",
    "notify",
    "history",
    "hooks",
    "seed",
    "cli",
    "panels",
    "exports",
    "schemas",
}
VIEWS = re.compile(r"^[a-z]+_views$")  # views by audience or page: staff_views, founder_views
#: What a domain that keeps data must have.
REQUIRED_WITH_MODELS = {"models", "services", "queries", "policies", "history", "hooks", "seed"}
#: What a domain that only reads others (reports) must have.
REQUIRED_READER = {"hooks", "queries"}
#: What another domain may import of a domain: its public face.
PUBLIC = {"models", "services", "queries", "policies", "schemas"}


def _modules(domain: str) -> set[str]:
    return {path.stem for path in (PACKAGE / domain).glob("*.py")}


def _concepts_in_map() -> dict[str, set[str]]:
    """The modules with names of their own, per domain, from the map's table:
    `| domain | `name`, `name` | what they are |`."""
    found: dict[str, set[str]] = {}
    section = MAP.read_text(encoding="utf-8").split("## Modules of their own", 1)[1]
    section = section.split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0].strip("`") in DOMAINS:
            found[cells[0].strip("`")] = set(re.findall(r"`([a-z_]+)`", cells[1]))
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_has_the_module_roles(domain):
    modules = _modules(domain)
    required = REQUIRED_WITH_MODELS if "models" in modules else REQUIRED_READER
    assert required <= modules, f"{domain} lacks {sorted(required - modules)}"
    assert "views" in modules or any(VIEWS.match(m) for m in modules), f"{domain} has no views"


@pytest.mark.parametrize("domain", DOMAINS)
def test_module_names_follow_the_convention_or_are_on_the_map(domain):
    concepts = _concepts_in_map().get(domain, set())
    for module in sorted(_modules(domain)):
        if module in ROLES or VIEWS.match(module):
            continue
        assert module in concepts, (
            f"accelerator/{domain}/{module}.py: a role name (models, services, queries, "
            f"policies, forms, views, <audience>_views, notify, history, hooks, seed, ...) or a "
            f"concept of the domain listed under '{domain}' in docs/architecture.md"
        )
    stale = concepts - _modules(domain)
    assert not stale, f"docs/architecture.md lists modules {domain} no longer has: {stale}"


def _imports(path: Path):
    """(module imported, line) for every import of `accelerator.*` in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.count(".") == 1 and node.module.startswith("accelerator."):
                for alias in node.names:  # from accelerator.grants import services
                    yield f"{node.module}.{alias.name}", node.lineno
            else:
                yield node.module, node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def test_no_module_reaches_into_another_domains_internals():
    """Outside a domain, only its models, services, queries, policies and schemas are imported
    (a seed may build on the seeds of the domains below it)."""
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).parts
        home = parts[0] if len(parts) > 1 else path.stem
        for module, line in _imports(path):
            bits = module.split(".")
            if len(bits) < 3 or bits[0] != "accelerator" or bits[1] not in DOMAINS:
                continue
            domain, role = bits[1], bits[2]
            if domain == home or role in PUBLIC or (role == "seed" == path.stem):
                continue
            wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_layer_list_names_every_domain():
    """A domain attaches by its package and its place in the layers, nothing else."""
    layers = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("layers = [", 1)[1]
    for domain in DOMAINS:
        assert re.search(rf"\b{domain}\b", layers), f"{domain} is not in the layers"
