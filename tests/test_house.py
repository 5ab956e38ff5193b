"""The house rules a newcomer relies on: the map in docs/architecture.md matches the tree, a name
means one module, the CLI uses no other module's private names, and every command and option
has help text and a section in docs/commands.md."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import typer

from kh.cli import app

ROOT = Path(__file__).resolve().parents[1]
KH = ROOT / "kh"
LAYERS = {"core": [KH, KH / "extract"], "store": [KH / "store"], "cli": [KH / "cli"]}


def _modules(folder: Path) -> set[str]:
    """Every module in ``folder`` (its packages have tables of their own)."""
    return {p.name for p in folder.glob("*.py")}


def _packages(folder: Path) -> set[str]:
    return {p.name + "/" for p in folder.iterdir() if (p / "__init__.py").is_file()}


def architecture_map(text: str) -> dict[str, set[str]]:
    """Folder → the modules its table in docs/architecture.md names. A table belongs to the
    heading above it that names a folder (``## `kh/store/`: …``)."""
    tables: dict[str, set[str]] = {}
    folder = None
    for line in text.splitlines():
        if line.startswith("#"):
            m = re.match(r"^#+ `(kh/(?:[a-z_]+/)*)`", line)
            folder = m.group(1) if m else None
            if folder:
                tables.setdefault(folder, set())
        elif folder:
            m = re.match(r"^\| `([a-z_0-9]+(?:\.py|/))` \|", line)
            if m:
                tables[folder].add(m.group(1))
    return tables


def test_the_architecture_map_names_every_module_and_no_other():
    tables = architecture_map((ROOT / "docs" / "architecture.md").read_text(encoding="utf-8"))
    folders = {KH} | {p.parent for p in KH.rglob("__init__.py")}
    for folder in sorted(folders):
        key = folder.relative_to(ROOT).as_posix() + "/"
        assert key in tables, f"docs/architecture.md has no table for {key}"
        have = _modules(folder)
        assert have - tables[key] == set(), f"modules of {key} missing from docs/architecture.md"
        gone = tables[key] - have - _packages(folder)  # a row may point at a sub-package's table
        assert gone == set(), f"docs/architecture.md names modules {key} does not have"


def test_the_map_reader_sees_a_missing_module():
    # The check above could pass on a reader that finds nothing; this one cannot.
    text = "## `kh/store/`: x\n\n| module | job |\n| --- | --- |\n| `db.py` | a |\n| `extra/` | b |\n## Other\n| `no.py` | c |\n"
    assert architecture_map(text) == {"kh/store/": {"db.py", "extra/"}}


def _stem(name: str) -> str:
    return name.removesuffix(".py").removesuffix("/").rstrip("s")


def test_no_module_name_repeats_across_layers():
    seen: dict[str, str] = {}
    for layer, folders in LAYERS.items():
        for folder in folders:
            for name in _modules(folder) | _packages(folder):
                if name == "__init__.py" or name == "__main__.py":
                    continue
                stem = _stem(name)
                other = seen.setdefault(stem, layer)
                assert other == layer, f"{folder.name}/{name} ({layer}) has the name of a {other} module"


def test_no_cli_module_imports_a_private_name():
    for path in sorted((KH / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name}:{node.lineno} imports {private} from {node.module}"
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                # module._name: the same thing without an import line
                base = node.value
                if isinstance(base, ast.Name) and base.id not in ("self", "cls", "super"):
                    pytest.fail(f"{path.name}:{node.lineno} uses {base.id}.{node.attr}")


def _commands(cmd, path=()):
    if hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, cmd


def command_sections(text: str) -> dict[str, str]:
    """``kh plan import`` → the text of the section headed ``## `kh plan import` ``."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        m = re.match(r"^## `kh ([a-z][a-z -]*)`\s*$", line)
        if m:
            current = m.group(1)
            sections[current] = []
        elif line.startswith("## ") or line.startswith("# "):
            current = None
        elif current:
            sections[current].append(line)
    return {k: "\n".join(v) for k, v in sections.items()}


def _leaves():
    return list(_commands(typer.main.get_command(app)))


def test_every_command_and_option_has_help_and_a_section_in_the_command_reference():
    sections = command_sections((ROOT / "docs" / "commands.md").read_text(encoding="utf-8"))
    leaves = _leaves()
    assert len(leaves) > 20  # the walk reached the subcommands
    for path, cmd in leaves:
        words = [w for w in path if w != "one"]  # `kh record …` is the hidden `one`
        name = " ".join(words)
        assert (cmd.help or "").strip(), f"kh {name} has no help text"
        assert "Example" in cmd.help or "example" in cmd.help, f"kh {name}: its help has no example"
        # A command's own section, else its group's (kh admin documents its four together).
        section = next((sections[" ".join(words[:i])] for i in range(len(words), 0, -1)
                        if " ".join(words[:i]) in sections), None)
        assert section is not None, f"docs/commands.md has no section for kh {name}"
        for param in cmd.params:
            if param.name == "help":
                continue
            label = "/".join(param.opts)
            assert (getattr(param, "help", None) or "").strip(), f"kh {name} {label} has no help text"
            if param.param_type_name == "argument":
                names = [param.metavar or param.name.upper()]
            else:
                names = [o for o in param.opts if o.startswith("--")]
            assert any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", section) for n in names), \
                f"kh {name} {label} is not described in its section of docs/commands.md"


def test_the_section_reader_splits_on_command_headings():
    text = "# Top\n## `kh plan import`\na `--x`\n## `kh plan list`\nb\n## Other\nc\n"
    assert command_sections(text) == {"plan import": "a `--x`", "plan list": "b"}
