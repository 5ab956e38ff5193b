"""The catalogue (kh/catalogue.py): every message, refusal and help text by key, in English and
Vietnamese. These tests fail when a key lacks a language, when a refusal is raised without a
key, when a key is used but missing, or when a key is in the catalogue but used nowhere."""

import ast
import string

import pytest

from tests.conftest import ROOT

from kh.catalogue import MESSAGES
from kh.i18n import VALUE_COLUMNS

# Entries whose two languages are rightly the same text (a pure layout, a list of CSV columns).
SAME_IN_BOTH = {"planfile.problem", "help.unit.import.file"}
# Calls whose first argument (for _Problem: second) is a catalogue key.
KEYED = {"KhError": 0, "NotFound": 0, "StoreError": 0, "Msg": 0, "t": 0, "_Problem": 1}


def _sources():
    for path in sorted((ROOT / "kh").rglob("*.py")):
        if path.name != "catalogue.py":
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _fields(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f is not None)


def _module_dicts(tree):
    """Module-level NAME = {…: "key"} tables (kh/extract/read.py's _REFUSED, …)."""
    out = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Dict):
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            if isinstance(target, ast.Name):
                out[target.id] = node.value
    return out


def _keys_of(node, tables):
    """The keys an argument can be, or None when it is not a key written in the code."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        a, b = _keys_of(node.body, tables), _keys_of(node.orelse, tables)
        return None if a is None or b is None else a | b
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id in tables:
        values = [_keys_of(v, tables) for v in tables[node.value.id].values]
        return None if any(v is None for v in values) else set().union(*values)
    if isinstance(node, ast.Attribute) and node.attr == "key":
        return set()  # e.key: an error passed on with its own key
    return None


def _calls():
    """(file:line, function, the keys its key argument can be) for every keyed call in kh/."""
    for path, tree in _sources():
        tables = _module_dicts(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name not in KEYED or len(node.args) <= KEYED[name]:
                continue
            arg = node.args[KEYED[name]]
            yield f"{path.relative_to(ROOT)}:{node.lineno}", name, arg, _keys_of(arg, tables)


def test_every_key_has_both_languages_with_the_same_placeholders():
    bad = []
    for key, pair in MESSAGES.items():
        if not (isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(x, str) and x.strip() for x in pair)):
            bad.append(f"{key}: needs (English, Vietnamese)")
            continue
        en, vi = pair
        if _fields(en) != _fields(vi):
            bad.append(f"{key}: placeholders {_fields(en)} in English, {_fields(vi)} in Vietnamese")
        if en == vi and key not in SAME_IN_BOTH:
            bad.append(f"{key}: the Vietnamese is the English text")
    assert bad == []


def test_every_refusal_and_message_is_raised_with_a_key_in_the_catalogue():
    unkeyed, unknown = [], []
    for where, name, arg, keys in _calls():
        if keys is None:
            if name in ("KhError", "NotFound", "StoreError", "_Problem"):
                unkeyed.append(f"{where}: {name}({ast.unparse(arg)}, …)")
            continue  # t(f"col.{c}") and the like: families, checked below
        unknown += [f"{where}: {name}({k!r})" for k in keys if k not in MESSAGES]
    assert unkeyed == [], "raise with a catalogue key and parameters, not text"
    assert unknown == [], "add these keys to kh/catalogue.py"


def _cli_tree():
    from kh.cli import app
    from typer.main import get_command

    out = []

    def walk(cmd, path):
        out.append((path, cmd))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, f"{path}.{name}".removeprefix("kh."))

    walk(get_command(app), "kh")
    return out


def test_every_key_in_the_catalogue_is_used():
    constants = set()
    for _, tree in _sources():
        constants |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    tree = _cli_tree()
    commands = {f"help.cmd.{path}" for path, _ in tree}
    root_params = {f"help.kh.{p.name}" for p in tree[0][1].params}

    def used(key):
        family, _, rest = key.partition(".")
        if key in constants or key in commands or key in root_params:
            return True
        if family == "col" or family in VALUE_COLUMNS:  # t(f"col.{column}"), value(column, code)
            return rest in constants
        if family == "help" and rest.startswith("word."):  # typer's own words (kh.cli)
            return True
        if family == "sheet":  # a workbook's sheet, by command path (kh.cli.options.sheet)
            return f"help.cmd.{rest}" in commands
        return False

    assert [k for k in MESSAGES if not used(k)] == []


def test_every_command_and_option_has_help_in_the_catalogue():
    missing = []
    for path, cmd in _cli_tree():
        if f"help.cmd.{path}" not in MESSAGES:
            missing.append(f"help.cmd.{path}")
        for p in cmd.params:
            if p.name in ("install_completion", "show_completion"):
                continue
            if getattr(p, "help", None) not in MESSAGES:
                missing.append(f"{path} {p.name}: help={getattr(p, 'help', None)!r}")
    assert missing == []


def test_a_raised_refusal_renders_in_the_language_active_when_shown():
    from kh import i18n
    from kh.errors import KhError

    e = KhError("count.negative", where="VALUE", raw="-3")
    try:
        i18n.set_lang("vi")
        assert str(e) == "VALUE: '-3' là số âm; số vụ, số người, số xã không thể âm"
        i18n.set_lang("en")
        assert str(e) == "VALUE: '-3' is negative; a count of cases, people or communes cannot be"
        assert str(e.at("--of")).startswith("--of: '-3' is negative")
    finally:
        i18n.set_lang("en")


def test_the_checks_above_would_see_an_unkeyed_refusal(tmp_path):
    # Guard against a scan that cannot fail: English text in a raise is not a key.
    tree = ast.parse('raise KhError(f"{x} is wrong", where="--x")\nraise KhError("count.negative", raw=1)\n')
    args = [n.args[0] for n in ast.walk(tree) if isinstance(n, ast.Call)]
    assert _keys_of(args[0], {}) is None
    assert _keys_of(args[1], {}) == {"count.negative"}


@pytest.mark.parametrize("args", [
    ["--lang", "vi", "plan", "list"],
    ["plan", "list", "--lang", "vi"],
    ["plan", "--lang=vi", "list"],
])
def test_lang_is_accepted_wherever_options_are(kh_seeded, args):
    out = kh_seeded.ok(*args).out
    assert "Tên kế hoạch" in out and "Title" not in out


def test_kh_lang_and_the_option_over_it(kh_seeded):
    assert "Tên kế hoạch" in kh_seeded.ok("plan", "list", env={"KH_LANG": "vi"}).out
    assert "Title" in kh_seeded.ok("plan", "list", "--lang", "en", env={"KH_LANG": "vi"}).out


def test_every_option_of_every_command_has_help_in_both_languages(kh):
    """Every help page, hidden commands included (kh record's one-figure form), in both
    languages: each option and argument with a text of its own, and no key left unrendered."""
    import re

    from kh.i18n import set_lang, t

    for path, cmd in _cli_tree():
        words = [] if path == "kh" else path.split(".")
        if words[-1:] == ["one"]:
            words = words[:-1]  # kh record --help shows it
        for lang in ("en", "vi"):
            page = kh.ok(*words, "--help", "--lang", lang).out
            leaked = re.findall(r"\bhelp\.[a-z_]+(?:\.[a-z_]+)+", page)
            assert not leaked, (path, lang, leaked)
            set_lang(lang)
            for p in cmd.params:
                if p.name in ("install_completion", "show_completion"):
                    continue
                text = t(p.help) if p.help in MESSAGES else ""
                assert text.strip() and not text.startswith("help."), (path, p.name, lang)
                assert text.split()[0] in page, (path, p.name, lang)  # shown on the page
    set_lang(None)


def test_record_help_shows_the_one_figure_form_with_an_example(kh):
    for lang, example in (("en", "Example: kh record"), ("vi", "Ví dụ: kh record")):
        page = kh.ok("record", "--help", "--lang", lang).out
        assert example in page and "--unit UNIT" in page and "--period PERIOD" in page and "--note TEXT" in page


def test_a_language_kh_does_not_speak_is_a_usage_error(kh_seeded):
    r = kh_seeded("plan", "list", "--lang", "fr")
    assert r.code == 2 and "'fr'" in r.err


@pytest.mark.parametrize("args", [["--help"], ["plan", "import", "--help"], ["record", "one", "--help"],
                                  ["gap", "--help"]])
def test_help_pages_speak_vietnamese(kh, args):
    vi = kh.ok(*args, "--lang", "vi").out
    en = kh.ok(*args, "--lang", "en").out
    assert vi != en
    assert "Cách dùng:" in vi and "Tùy chọn" in vi and "Hiện trợ giúp này rồi thoát." in vi
    assert "Usage:" in en and "Show this message and exit." in en
    for english in ("Options", "Usage:", "Only this", "The plan's id", "Show this message"):
        assert english not in vi
