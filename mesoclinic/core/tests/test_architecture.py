"""The house rules the import linter cannot read: no module reaches into another's private
names. (Layers, module circles and the purity of rule modules are import-linter contracts in
pyproject.toml, run by `make test`; docs/architecture.md explains them.)"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [*(ROOT / "mesoclinic").rglob("*.py"), *(ROOT / "bench").rglob("*.py")]


def _private_imports(path: Path):
    """`from mesoclinic.x import _name` lines in one file: (line, module, name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        if not node.module.startswith(("mesoclinic", "bench")):
            continue
        for alias in node.names:
            if alias.name.startswith("_") and not alias.name.startswith("__"):
                yield node.lineno, node.module, alias.name


def test_no_module_imports_another_modules_private_names():
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name} from {module}"
        for path in SOURCES
        if "migrations" not in path.parts
        for line, module, name in _private_imports(path)
    ]
    assert found == [], "make these public where they belong:\n" + "\n".join(found)


def test_the_check_finds_a_private_import(tmp_path):
    """The rule above can fail: a file that reaches into a private name is found."""
    sample = tmp_path / "sample.py"
    sample.write_text("from mesoclinic.patients.selectors import _deny, PAGE_SIZE\n")
    assert list(_private_imports(sample)) == [(1, "mesoclinic.patients.selectors", "_deny")]
