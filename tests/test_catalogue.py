"""The catalogue of bad input (docs/errors.md): each is refused with exit 1, one line saying
what and where, and nothing written. Every entry here has its row in docs/errors.md."""

import re

import pytest

from tests.conftest import ROOT, store_fingerprint
from tests.core.test_planfile import MINIMAL

RECORD = ["record", "na-2021", "III.1-1"]
AT = ["--unit", "40", "--period", "2021", "--as-of", "2022-01-01"]
CSV_HEAD = "plan,ref,unit,period,value,denominator,note\n"
OPEN = '"ghi chú'  # a note whose quote is never closed


def _blank_pdf(tmp_path):
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    p = tmp_path / "scan.pdf"
    with open(p, "wb") as f:
        w.write(f)
    return p


def _locked_pdf(tmp_path):
    import pypdf

    w = pypdf.PdfWriter()
    w.add_blank_page(width=595, height=842)
    w.encrypt(user_password="mat-khau", owner_password="mat-khau")
    p = tmp_path / "locked.pdf"
    with open(p, "wb") as f:
        w.write(f)
    return p


def file(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# id → (arguments, given the tmp folder; words the one line must hold)
CATALOGUE = {
    "value-malformed": (lambda d: [*RECORD, "12a", *AT], ["VALUE", "not a whole number"]),
    "value-too-large": (lambda d: [*RECORD, "9999999999999999", *AT], ["too large"]),
    "value-ambiguous-thousands": (lambda d: [*RECORD, "1.234", *AT], ["ambiguous", "1234"]),
    "value-negative-dash": (lambda d: [*RECORD, "-5", *AT], ["VALUE", "'-5' is negative"]),
    "by-empty": (lambda d: [*RECORD, "5", *AT, "--by", " "], ["--by", "is empty"]),
    "output-exists": (lambda d: ["plan", "list", "-f", "csv", "-o", file(d, "old.csv", "giữ lại\n")],
                      ["old.csv", "exists", "--force"]),
    "value-decimal": (lambda d: [*RECORD, "1,5", *AT], ["not a whole number"]),
    # A script passing text in-process: PostgreSQL would fail on the NUL deep in the store
    "argument-nul": (lambda d: [*RECORD, "5", "--unit", "4\x000", "--period", "2021"],
                     ["'4\\x000'", "NUL character", "nothing was written"]),
    "value-negative": (lambda d: [*RECORD, "−3", *AT], ["negative"]),
    # An indicator with decimals (na-2021 III.8-2, hectares, decimals = 2; III.4-2, a rate, 1)
    "decimal-thousands-like": (lambda d: ["record", "na-2021", "III.4-2", "60.400", *AT],
                               ["VALUE", "'60.400' looks like a thousands separator", "60400"]),
    "decimal-too-many-places": (lambda d: ["record", "na-2021", "III.4-2", "60,45", *AT],
                                ["VALUE", "has 2 decimal places; the plan allows at most 1"]),
    "decimal-grouped": (lambda d: ["record", "na-2021", "III.8-2", "1.234,5", "--of", "2000", *AT],
                        ["VALUE", "without thousands separators, like 1234,5"]),
    "decimal-malformed": (lambda d: ["record", "na-2021", "III.8-2", "1,5ha", "--of", "2", *AT],
                          ["VALUE", "'1,5ha' is not a number"]),
    "decimal-csv-cell": (lambda d: ["record", "import", file(d, "ha.csv", CSV_HEAD + 'na-2021,III.8-2,40,2021,"1,25","2,5",\n'
                                                                "na-2021,III.8-2,16663,2021,1.500,2,\n")],
                         ["ha.csv:3: value", "'1.500' looks like a thousands separator"]),
    "plan-decimals-range": (lambda d: ["plan", "import", file(d, "p.toml", MINIMAL.replace(
        'counts = "vụ"', 'counts = "vụ"\ndecimals = 9', 1))], ["p.toml:", "decimals", "from 1 to 6"]),
    "date-does-not-exist": (lambda d: ["submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "31/02/2021"],
                            ["--on", "no day 31 in month 2"]),
    "date-29-february-common-year": (lambda d: ["submit", "na-2021", "bc-6-thang", "-a", "Sở Y tế", "--on", "29/02/2021"],
                                     ["no day 29 in month 2"]),
    "period-does-not-exist": (lambda d: [*RECORD, "5", "--unit", "40", "--period", "2021-13"], ["--period", "no month 13"]),
    "period-year-out-of-range": (lambda d: [*RECORD, "5", "--unit", "40", "--period", "0001-01"],
                                 ["--period", "years run from 1900 to 2999"]),
    "period-in-the-future": (lambda d: [*RECORD, "5", "--unit", "40", "--period", "2027", "--as-of", "2026-11-24"],
                             ["in the future"]),
    "unknown-plan": (lambda d: ["gap", "--plan", "na-2012"], ["--plan", "did you mean 'na-2021'"]),
    "unknown-ref": (lambda d: ["record", "na-2021", "III.11", "5", *AT], ["REF", "did you mean 'III.1-1'"]),
    "unknown-unit": (lambda d: [*RECORD, "5", "--unit", "4000", "--period", "2021", "--as-of", "2022-01-01"],
                     ["--unit", "no unit with code '4000'"]),
    "unit-lost-leading-zero": (lambda d: ["figures", "--unit", "6211"], ["--unit", "did you mean '06211'?"]),
    "unit-name-ambiguous": (lambda d: ["figures", "--unit", "Xã Quang Trung", "--period", "2024"],
                            ["--unit", "16 units are named 'Xã Quang Trung'", "01465 (Xã Quang Trung, Huyện Trùng Khánh)", "and 11 more",
                             "give the code"]),
    "unit-name-unknown": (lambda d: ["figures", "--unit", "Xã Không Có"], ["--unit", "no unit named", "kh unit find"]),
    "unit-ceased": (lambda d: ["record", "ls-mtqg-2030", "II.3.a-1", "5", "--unit", "06088", "--period", "2026",
                               "--as-of", "2027-01-05"],
                    ["--unit", "ceased on 2025-07-01; its successor is 06091 Xã Thiện Thuật"]),
    "unit-name-gone": (lambda d: ["record", "ls-mtqg-2030", "II.3.a-1", "5", "--unit", "Xã Lộc Yên", "--period", "2026",
                                  "--as-of", "2027-01-05"],
                       ["--unit", "Xã Lộc Yên (06211) did not exist", "its successor is 06211 Xã Cao Lộc"]),
    "unknown-assignee": (lambda d: ["deadlines", "-a", "Sở Y tê"], ["--assignee", "did you mean 'Sở Y tế'"]),
    "obligation-prefix-ambiguous": (lambda d: ["submit", "na-2021", "bc", "-a", "Sở Y tế"],
                                    ["OBLIGATION", "begins several report obligations", "bc-6-thang (Báo cáo 6 tháng)",
                                     "bc-nam"]),
    "period-is-a-day": (lambda d: [*RECORD, "5", "--unit", "40", "--period", "16/6/2021"],
                        ["--period", "is a day, not a period", "6/2021"]),
    "period-two-digit-year": (lambda d: [*RECORD, "5", "--unit", "40", "--period", "6/21"],
                              ["--period", "four digits"]),
    "unknown-obligation": (lambda d: ["submit", "na-2021", "bc-6-thnag", "-a", "Sở Y tế"],
                           ["OBLIGATION", "did you mean 'bc-6-thang'"]),
    "share-above-100-percent": (lambda d: ["record", "na-2021", "III.4-1", "81", "--of", "80", *AT], ["more than 100 %"]),
    "share-over-zero": (lambda d: ["record", "na-2021", "III.4-1", "0", "--of", "0", *AT], ["must be positive"]),
    "share-without-denominator": (lambda d: ["record", "na-2021", "III.4-1", "70", *AT], ["give the whole"]),
    "recorded-twice": (lambda d: [*RECORD, "5", "--unit", "40", "--period", "2020"], ["already recorded", "--replace"]),
    "csv-duplicate-rows": (lambda d: ["record", "import", file(d, "dup.csv", CSV_HEAD + "na-2021,III.1-1,40,2021-01,1,,\n"
                                                                "na-2021,III.1-1,40,2021-01,2,,\n")],
                           ["dup.csv:3", "same plan, ref, unit and period as line 2"]),
    "csv-bad-cell": (lambda d: ["record", "import", file(d, "bad.csv", CSV_HEAD + "na-2021,III.1-1,40,2021-01,1.500,,\n")],
                     ["bad.csv:2: value", "ambiguous"]),
    "csv-tcvn3": (lambda d: ["record", "import", _tcvn3(d)], ["TCVN3", "Unikey"]),
    "csv-mixed-encodings": (lambda d: ["record", "import", _mixed(d)],
                            ["mixed.csv:3: the file mixes encodings: line 2 is UTF-8 and line 3 is not"]),
    "csv-not-1258": (lambda d: ["record", "import", _west(d)],
                     ["west.csv:2: not UTF-8, and not recognisably Windows-1258"]),
    "csv-nul-byte": (lambda d: ["record", "import", file(d, "nul.csv", CSV_HEAD + "na-2021,III.1-1,40,2021-01,1,,a\x00b\n")],
                     ["nul.csv:2: a NUL character"]),
    "csv-unterminated-quote": (lambda d: ["record", "import", file(d, "quote.csv", CSV_HEAD + "".join(
        f"na-2021,III.1-1,40,2021-{m:02d},{m},,{OPEN if m == 3 else ''}\n" for m in range(1, 10)))],
                               ["quote.csv:4: unterminated quote"]),
    "csv-duplicate-column": (lambda d: ["record", "import", file(d, "twice.csv", CSV_HEAD.strip() + ",value\n"
                                                                 "na-2021,III.1-1,40,2021-01,1,,,2\n")],
                             ["twice.csv:1", "column 8 repeats the column 'value' (column 5)"]),
    "csv-quote-inside-cell": (lambda d: ["record", "import", file(d, "q.csv", CSV_HEAD + 'na-2021,III.1-1,40,2021-01,1,,"ghi" chú\n')],
                              ["q.csv:2", "goes on after its closing quote"]),
    "csv-cell-too-long": (lambda d: ["record", "import", file(d, "long.csv", CSV_HEAD + "na-2021,III.1-1,40,2021-01,1,,"
                                                              + "x" * 140_000 + "\n")],
                          ["long.csv:2", "longer than 131,072 characters"]),
    "plan-duplicate-ref": (lambda d: ["plan", "import", file(d, "dup.toml", MINIMAL + MINIMAL[
        MINIMAL.index("[[indicators]]"):MINIMAL.index("[[obligations]]")])], ["dup.toml:", "already used by indicators[0]"]),
    "plan-year-out-of-span": (lambda d: ["plan", "import", file(d, "bad.toml", MINIMAL.replace(
        'due = { date = 2021-06-16, relation = "before", covers = "2021-H1" }', "due = { year = 0 }"))],
                              ["bad.toml:44: obligations[0].due.year", "outside the plan's span"]),
    "plan-target-not-finite": (lambda d: ["plan", "import", file(d, "bad.toml", MINIMAL.replace("target = 5", "target = inf"))],
                               ["bad.toml:32: indicators[0].target", "inf is not a number"]),
    "plan-unknown-key": (lambda d: ["plan", "import", file(d, "key.toml", MINIMAL.replace("comparator", "comparitor"))],
                         ["key.toml:", "comparitor: unknown key"]),
    "unit-import-cycle": (lambda d: ["unit", "import", file(d, "cyc.csv", "code,name,kind,parent,valid_from,valid_to,successors\n"
                                                         "901,Tỉnh A,province,902,,,\n902,Tỉnh B,province,901,,,\n")],
                          ["cyc.csv:", "would become its own ancestor"]),
    "unit-own-ancestor": (lambda d: ["unit", "add", "20", "--name", "Tỉnh Lạng Sơn", "--kind", "province",
                                     "--parent", "06187"], ["its own ancestor"]),
    "extract-missing-file": (lambda d: ["extract", d / "no-such.txt"], ["no-such.txt", "no such file"]),
    "extract-not-utf8": (lambda d: ["extract", _cp1258(d)], ["cp1258.txt:2", "not UTF-8"]),
    "extract-doc-file": (lambda d: ["extract", file(d, "ke-hoach.doc", "x")], ["ke-hoach.doc", ".doc", ".docx"]),
    "extract-scanned-pdf": (lambda d: ["extract", _blank_pdf(d)], ["scan.pdf", "scanned PDF", "no text layer"]),
    "extract-damaged-pdf": (lambda d: ["extract", file(d, "ke-hoach.pdf", "%PDF-1.7\n")], ["ke-hoach.pdf", "not a readable PDF"]),
    "extract-locked-pdf": (lambda d: ["extract", _locked_pdf(d)], ["locked.pdf", "password-protected"]),
    "extract-empty": (lambda d: ["extract", file(d, "blank.txt", "\n  \n")], ["blank.txt", "empty"]),
    "extract-not-a-plan": (lambda d: ["extract", file(d, "thu-moi.txt", "Kính gửi: các đồng chí.\nMời dự họp lúc 8 giờ.\n")],
                           ["thu-moi.txt", "does not read as a Kế hoạch"]),
    "extract-bad-id": (lambda d: ["extract", ROOT / "examples" / "documents" / "na-2021.txt", "--id", "NA_2021"],
                       ["--id", "NA_2021"]),
    "store-folder-missing": (lambda d: ["--db", str(d / "no" / "such" / "kh.sqlite"), "init"], ["does not exist"]),
    "store-missing": (lambda d: ["--db", str(d / "typo.sqlite"), "plan", "list"], ["no store at", "kh --db"]),
    "xlsx-without-output": (lambda d: ["gap", "-f", "xlsx"], ["--format", "-o FILE.xlsx"]),
    "output-folder-missing": (lambda d: ["plan", "list", "-f", "csv", "-o", d / "no" / "x.csv"],
                              ["x.csv", "cannot write", "does not exist"]),
    "xlsx-period-as-date": (lambda d: ["record", "import", _xlsx(d, period=__import__("datetime").datetime(2021, 6, 1))],
                            ["t6.xlsx [Sheet] row 2, column D (period)", "date cell"]),
    "xlsx-code-as-number": (lambda d: ["record", "import", _xlsx(d, unit=40)],
                            ["t6.xlsx [Sheet] row 2, column C (unit)", "codes are text"]),
    "report-period-outside-plan": (lambda d: ["report", "na-2021", "--period", "2030", "-o", d / "r.docx"],
                                   ["--period", "no period 2030"]),
    "report-template-without-place": (lambda d: ["report", "na-2021", "--period", "2021", "-o", d / "r.docx",
                                                 "--template", _template(d)], ["--template", "{{noi_dung}}"]),
    "xlsx-not-a-workbook": (lambda d: ["record", "import", file(d, "t6.xlsx", CSV_HEAD)],
                            ["t6.xlsx", "not a readable .xlsx workbook"]),
}


def _template(d):
    import docx

    doc = docx.Document()
    doc.add_paragraph("CÔNG AN TỈNH NGHỆ AN")
    doc.save(str(d / "mau.docx"))
    return d / "mau.docx"


def _xlsx(d, **cells):
    from openpyxl import Workbook

    row = dict(plan="na-2021", ref="III.1-1", unit="40", period="2021-01", value=1, **{})
    row.update(cells)
    wb = Workbook()
    wb.active.title = "Sheet"
    wb.active.append(list(row))
    wb.active.append(list(row.values()))
    wb.save(d / "t6.xlsx")
    return d / "t6.xlsx"


def _cp1258(d):
    p = d / "cp1258.txt"
    p.write_bytes("KẾ HOẠCH\n".encode() + "Thực hiện công tác phòng, chống ma túy".encode("cp1258", errors="replace"))
    return p


def _west(d):
    p = d / "west.csv"
    p.write_bytes(CSV_HEAD.encode() + "na-2021,III.1-1,40,2021-01,1,,Šibenik\n".encode("cp1252"))
    return p


def _mixed(d):
    p = d / "mixed.csv"
    p.write_bytes(CSV_HEAD.encode() + "na-2021,III.1-1,40,2021-01,1,,Người\n".encode()
                  + "na-2021,III.1-1,40,2021-02,1,,Đà\n".encode("cp1258"))
    return p


def _tcvn3(d):
    p = d / "tcvn3.csv"
    p.write_bytes(CSV_HEAD.encode() + b"na-2021,III.1-1,40,2021-01,1,,T\xd8nh Ngh\xd6 An \xae\xb7 g\xf6i b\xb8o c\xb8o\n")
    return p


@pytest.mark.parametrize("entry", CATALOGUE, ids=list(CATALOGUE))
def test_refused_with_one_line_and_nothing_written(entry, world, tmp_path):
    world.ok(*RECORD, "1504", "--unit", "40", "--period", "2020")  # for "recorded-twice"
    before = store_fingerprint(world.db)
    args, words = CATALOGUE[entry]
    r = world.refused(*args(tmp_path))
    for w in words:
        assert w in r.err, r.err
    assert store_fingerprint(world.db) == before


def test_every_entry_is_documented():
    doc = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", doc, flags=re.M))
    assert documented == set(CATALOGUE)


@pytest.mark.parametrize("entry", CATALOGUE, ids=list(CATALOGUE))
def test_refusals_speak_vietnamese_when_asked(entry, world, tmp_path):
    world.ok(*RECORD, "1504", "--unit", "40", "--period", "2020")
    args = CATALOGUE[entry][0](tmp_path)
    english = world.refused(*args).err
    vietnamese = world.refused("--lang", "vi", *args).err
    assert vietnamese != english
    # The sentence itself is translated, not only a suffix ("; did you mean …") or the place:
    # of the English prose words (outside quotes, parentheses and the values the message
    # repeats), at most a third survive in the Vietnamese line.
    prose = _prose_words(english)
    kept = [w for w in prose if re.search(rf"\b{w}\b", _prose(vietnamese))]
    assert prose and len(kept) * 3 <= len(prose), (english, vietnamese, kept)
    vietnamese_words = re.findall(r"\w*[ăâđêôơưàáảãạèéẻẽẹìíỉĩịòóỏõọùúủũụỳýỷỹỵ]\w*", vietnamese)
    assert len(vietnamese_words) >= 2


# Names, not English: they stay as they are in either language.
_NAMES = {"word", "libreoffice", "excel", "unikey", "tcvn", "windows", "utf", "sqlite", "postgresql", "toml",
          "csv", "docx", "xlsx", "pdf", "bom", "text"}  # Excel's Text format


def _prose(line: str) -> str:
    """A refusal without "kh: where:", paths, item paths, lists of keys, quoted values,
    (hints), --options and kh commands."""
    body = line.strip().removeprefix("kh: ")
    head, _, rest = body.partition(": ")
    if rest and (" " not in head or "/" in head.split(" ", 1)[0]):  # file:line (sheet, row), --option, PLAN
        body = rest
    body = re.sub(r"\S*/\S*", " ", body)
    body = re.sub(r"[a-z_]+(?:\[\d+\])+(?:\.[a-z_]+)*|[a-z_]+\.[a-z_.]+|(?:[a-z_]+, ){2,}[a-z_]+", " ", body)
    body = re.sub(r"'[^']*'|\"[^\"]*\"|“[^”]*”|`[^`]*`|\([^)]*\)|--?[a-z][a-z-]*|\bkh(?: [a-z]+)+", " ", body)
    return body.lower()


def _prose_words(line: str) -> list[str]:
    return [w for w in re.findall(r"[a-z]{3,}", _prose(line)) if w not in _NAMES]


def test_the_vietnamese_check_sees_an_untranslated_sentence():
    # What the check above does with a pattern that no longer matches: the English sentence
    # with only the did-you-mean tail translated must fail it.
    english = "kh: --plan: no plan 'na-2012' in the store; did you mean 'na-2021'?"
    broken = "kh: --plan: no plan 'na-2012' in the store; có phải là 'na-2021'?"
    prose = _prose_words(english)
    kept = [w for w in prose if re.search(rf"\b{w}\b", _prose(broken))]
    assert len(kept) * 3 > len(prose)
