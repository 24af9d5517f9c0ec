"""Every audit action the code records reads as a sentence: the audit log and the startup
history never show an event code to a person."""

from __future__ import annotations

import ast
from pathlib import Path

from accelerator.core import history

ROOT = Path(__file__).resolve().parents[2]
#: Actions built from a value (f"offer.{status.value}"): every value they can take.
BUILT = {"offer.declined", "offer.expired"}


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _strings(node.body)
        yield from _strings(node.orelse)


def recorded_actions() -> dict[str, str]:
    """Action names in audit.record(...), record_new(...), record_removal(...) and _audit(...)
    calls, `action=` arguments and defaults, and "action" keys of rows inserted in bulk; with
    the file that records each."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "accelerator").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            candidates = []
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                owner = getattr(getattr(func, "value", None), "id", "")
                recorder = name in ("record", "record_new", "record_removal") and owner == "audit"
                if node.args and (recorder or name == "_audit"):
                    candidates += list(_strings(node.args[0]))
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        candidates += list(_strings(keyword.value))
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if isinstance(key, ast.Constant) and key.value == "action":
                        candidates += list(_strings(value))
            elif isinstance(node, ast.arguments):
                names = [a.arg for a in node.args[len(node.args) - len(node.defaults) :]]
                names += [
                    a.arg for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True) if d
                ]
                defaults = list(node.defaults) + [d for d in node.kw_defaults if d]
                for arg, default in zip(names, defaults, strict=True):
                    if arg == "action":
                        candidates += list(_strings(default))
            for action in candidates:
                if "." in action and " " not in action:
                    found.setdefault(action, str(path.relative_to(ROOT)))
    for action in BUILT:
        found.setdefault(action, "accelerator/reviews/services.py")
    return found


def test_the_scan_finds_the_actions_of_every_domain(app):
    actions = recorded_actions()
    assert len(actions) > 90
    for example in (
        "auth.login",
        "application.status_changed",
        "application.imported",
        "grant.disbursement_paid",
        "match.added",
        "milestone.approved",
        "review.assigned",
        "tag.renamed",
        "offer.expired",
    ):
        assert example in actions


def test_every_recorded_action_is_described(app):
    missing = {a: where for a, where in recorded_actions().items() if not history.described(a)}
    assert not missing, (
        "audit actions with no sentence (describe them in <domain>/history.py):\n"
        + ("\n".join(f"{a}  ({where})" for a, where in sorted(missing.items())))
    )
