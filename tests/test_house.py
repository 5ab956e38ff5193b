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


def private_uses(source: str) -> list[str]:
    """Each private name of another module the source imports or reaches (``from m import _x``,
    ``m._x``), with its line."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            private = [a.name for a in node.names if a.name.startswith("_")]
            if private:
                out.append(f"{node.lineno}: imports {private} from {node.module}")
        elif isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            # module._name: the same thing without an import line
            base = node.value
            if isinstance(base, ast.Name) and base.id not in ("self", "cls", "super"):
                out.append(f"{node.lineno}: uses {base.id}.{node.attr}")
    return out


def test_no_cli_module_imports_a_private_name():
    for path in sorted((KH / "cli").glob("*.py")):
        assert private_uses(path.read_text(encoding="utf-8")) == [], path.name


def test_the_private_name_check_sees_both_ways_in():
    source = "from kh.render import _plain, table\nimport kh.text as text\nx = text._fold(1)\nself._y = 2\n"
    assert private_uses(source) == ["1: imports ['_plain'] from kh.render", "3: uses text._fold"]


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
    from kh.cli import _translate_help

    root = typer.main.get_command(app)
    _translate_help(root, "kh")  # help texts are catalogue keys until kh puts them in a language
    return list(_commands(root))


def undocumented(root, sections: dict[str, str]) -> list[str]:
    """What the command reference lacks: each command and option without help text (a command's
    with an example), or without its section of docs/commands.md, or not named in it."""
    problems = []
    for path, cmd in _commands(root):
        words = [w for w in path if w != "one"]  # `kh record …` is the hidden `one`
        name = " ".join(words)
        if not (cmd.help or "").strip():
            problems.append(f"kh {name} has no help text")
        elif "Example" not in cmd.help and "example" not in cmd.help:
            problems.append(f"kh {name}: its help has no example")
        # A command's own section, else its group's (kh admin documents its four together).
        section = next((sections[" ".join(words[:i])] for i in range(len(words), 0, -1)
                        if " ".join(words[:i]) in sections), None)
        if section is None:
            problems.append(f"docs/commands.md has no section for kh {name}")
            continue
        for param in cmd.params:
            if param.name == "help":
                continue
            label = "/".join(param.opts)
            if not (getattr(param, "help", None) or "").strip():
                problems.append(f"kh {name} {label} has no help text")
            if param.param_type_name == "argument":
                names = [param.metavar or param.name.upper()]
            else:
                names = [o for o in param.opts if o.startswith("--")]
            if not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", section) for n in names):
                problems.append(f"kh {name} {label} is not described in its section of docs/commands.md")
    return problems


def test_every_command_and_option_has_help_and_a_section_in_the_command_reference():
    sections = command_sections((ROOT / "docs" / "commands.md").read_text(encoding="utf-8"))
    leaves = _leaves()
    assert len(leaves) > 20  # the walk reached the subcommands
    root = typer.main.get_command(app)
    from kh.cli import _translate_help

    _translate_help(root, "kh")
    assert undocumented(root, sections) == []


def test_the_command_check_sees_what_is_missing():
    toy = typer.Typer()

    @toy.command()
    def shown(plan: str = typer.Option(..., "--plan", help="Which plan."),
              quiet: bool = typer.Option(False, "--quiet")) -> None:
        """Shows it. Example: kh shown --plan x"""

    @toy.command()
    def hidden() -> None:
        """Hides it."""

    @toy.command()
    def bare() -> None:
        pass

    root = typer.main.get_command(toy)
    sections = command_sections("## `kh shown`\nTakes `--plan`.\n## `kh bare`\nNothing.\n")
    assert sorted(undocumented(root, sections)) == sorted([
        "kh shown --quiet has no help text",
        "kh shown --quiet is not described in its section of docs/commands.md",
        "kh hidden: its help has no example",
        "docs/commands.md has no section for kh hidden",
        "kh bare has no help text",
    ])


def test_the_section_reader_splits_on_command_headings():
    text = "# Top\n## `kh plan import`\na `--x`\n## `kh plan list`\nb\n## Other\nc\n"
    assert command_sections(text) == {"plan import": "a `--x`", "plan list": "b"}


def layer_breaches(source: str, layer: str, clock_in: tuple[str, ...] = ()) -> list[str]:
    """Imports against the layering of docs/architecture.md: the core never imports ``kh.cli``
    and imports ``kh.store`` only inside a function (demo and synthetic ``build``); the store
    never imports ``kh.cli``; only the store imports SQLAlchemy, SQLModel or alembic at all. The
    core and the store read no clock, but in the functions ``clock_in`` names."""
    out = []

    def visit(node, function, top_level):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        for name in names:
            if layer != "cli" and name.split(".")[:2] == ["kh", "cli"]:
                out.append(f"{node.lineno}: {layer} imports kh.cli")
            if layer != "store" and name.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic"):
                out.append(f"{node.lineno}: {layer} imports {name.split('.')[0]}")
            if layer == "core" and name.split(".")[:2] == ["kh", "store"] and top_level:
                out.append(f"{node.lineno}: core imports kh.store at module level")
        if layer != "cli" and isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in ("today", "now", "utcnow") and isinstance(node.func.value, ast.Name) \
                and node.func.value.id in ("date", "datetime") and function not in clock_in:
            out.append(f"{node.lineno}: {layer} reads the clock ({node.func.value.id}.{node.func.attr})")
        inner = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for child in ast.iter_child_nodes(node):
            visit(child, node.name if inner else function,
                  top_level and not inner and not isinstance(node, ast.ClassDef))

    visit(ast.parse(source), None, True)
    return out


# Where a clock is read on purpose: the one UTC "now", and a restore's local file-name stamp.
CLOCK = {"periods.py": ("utc_now",), "backup.py": ("_keep",)}


@pytest.mark.parametrize("layer", ["core", "store", "cli"])
def test_each_layer_imports_only_what_it_may(layer):
    packages = sorted(p.parent for p in KH.rglob("__init__.py"))
    folders = {"core": [f for f in packages if f.name not in ("store", "cli")],
               "store": [KH / "store"], "cli": [KH / "cli"]}[layer]
    assert len(folders) >= (3 if layer == "core" else 1)
    for folder in folders:
        for path in sorted(folder.glob("*.py")):
            if path.name == "__main__.py":  # python -m kh: the way into the CLI
                continue
            source = path.read_text(encoding="utf-8")
            assert layer_breaches(source, layer, CLOCK.get(path.name, ())) == [], f"{path.relative_to(ROOT)}"


def test_the_layer_check_sees_a_breach():
    source = ("import sqlalchemy as sa\nfrom kh.store import plans\nfrom kh.cli.options import render\n"
              "def build():\n    from kh.store import db\n    return date.today()\n")
    assert layer_breaches(source, "core") == [
        "1: core imports sqlalchemy", "2: core imports kh.store at module level",
        "3: core imports kh.cli", "6: core reads the clock (date.today)"]
    assert layer_breaches(source, "store") == ["3: store imports kh.cli", "6: store reads the clock (date.today)"]
    assert layer_breaches(source, "store", ("build",)) == ["3: store imports kh.cli"]
