"""The layers point one way: question_bank → rubrics → interviewer → ui, and the interfaces use the public API.

Read from the source (every `import`, at module level or inside a function), so a lazy import cannot hide
an upward dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["question_bank", "rubrics", "interviewer", "ui"]  # each may import only those before it


def imported_modules(path: Path, *, with_names: bool = True) -> set[str]:
    """The modules a file imports; for `from m import x` also `m.x` (it may be a submodule) unless
    `with_names` is false."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if with_names:
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def modules_of(package: str) -> dict[str, set[str]]:
    return {str(path.relative_to(ROOT)): imported_modules(path) for path in sorted((ROOT / package).rglob("*.py"))}


def test_lower_layers_never_import_upper_ones() -> None:
    violations = []
    for rank, package in enumerate(LAYERS):
        upper = LAYERS[rank + 1:]
        for path, modules in modules_of(package).items():
            violations += [f"{path} imports {module}" for module in sorted(modules)
                           if module.split(".")[0] in upper]
    assert violations == []


def test_rubric_modules_have_no_import_cycle() -> None:
    graph = {path.stem: {module.split(".")[1] for module in imported_modules(path)
                         if module.startswith("rubrics.") and module.count(".") >= 1}
             for path in (ROOT / "rubrics").glob("*.py")}

    def reaches(start: str, target: str, seen: set[str]) -> bool:
        for step in graph.get(start, set()):
            if step == target or (step not in seen and reaches(step, target, seen | {step})):
                return True
        return False

    cycles = sorted(name for name in graph if reaches(name, name, {name}))
    assert cycles == []


def test_the_checker_sees_lazy_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from ui.app import build_app\n    import interviewer.settings\n", encoding="utf-8")
    assert {"ui.app", "ui.app.build_app", "interviewer.settings"} <= imported_modules(source)


# Modules of `interviewer` the interfaces may import: the public session API, the settings, the report package.
PUBLIC = {"interviewer.service", "interviewer.settings", "interviewer.report"}
# Commands that are tools, not session interfaces: `grade` grades one answer with the grader itself,
# `simulate` plays a scripted candidate (through the public API), `llm check` probes the endpoint.
NOT_SESSION_INTERFACES = {"interviewer/cli/grade.py": {"interviewer.grading", "interviewer.grading.embedding_grader",
                                                       "interviewer.grading.models", "interviewer.grading.calibration"},
                          "interviewer/cli/simulate.py": {"interviewer.simulate"},
                          "interviewer/cli/llm.py": {"interviewer.llm", "interviewer.llm.check"}}
# Commands that manage the bank and the index work on the lower layers themselves; the CLI's entry point
# names their error types to print them. Every other interface reaches the bank only through the service.
LOWER_LAYER_TOOLS = {"interviewer/cli/bank.py", "interviewer/cli/index.py", "interviewer/cli/grade.py",
                     "interviewer/cli/__init__.py"}


def imported_from(path: Path) -> set[str]:
    """The modules a file imports (for `from m import x`, the module m only)."""
    return imported_modules(path, with_names=False)


def test_the_web_app_and_the_cli_use_only_the_public_api() -> None:
    violations = []
    for path in sorted([*(ROOT / "ui").rglob("*.py"), *(ROOT / "interviewer" / "cli").rglob("*.py")]):
        name = str(path.relative_to(ROOT))
        allowed = PUBLIC | NOT_SESSION_INTERFACES.get(name, set())
        violations += [f"{name} imports {module}" for module in sorted(imported_from(path))
                       if module.startswith("interviewer.") and not module.startswith("interviewer.cli")
                       and module not in allowed]
        if name not in LOWER_LAYER_TOOLS:
            violations += [f"{name} imports {module}" for module in sorted(imported_from(path))
                           if module.split(".")[0] in ("question_bank", "rubrics")]
    assert violations == []
