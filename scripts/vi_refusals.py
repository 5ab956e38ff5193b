"""Writes docs/vi/tu-choi.md, the page of refusals in plain Vietnamese, from the program itself.

Each entry of the refusal catalogue (the cases of tests/test_catalogue.py, the ids of
docs/errors.md) is run through the real command line, in Vietnamese, on a demo store; the page
shows the one line kh printed, beside when it happens and what to do. A refusal that is reworded
in the program changes the page; tests/test_docs.py fails until the page is regenerated, so the
page cannot drift:

    python scripts/vi_refusals.py            # rewrites docs/vi/tu-choi.md
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "vi" / "tu-choi.md"

# id → (when it happens, what to do), in the officer's words. Every id of the catalogue needs one
# (render() refuses to write the page otherwise).
PLAIN: dict[str, tuple[str, str]] = {
    "value-malformed": ("Số liệu có chữ hoặc ký hiệu (`12a`).", "Chỉ gõ chữ số: `12`."),
    "value-too-large": ("Số liệu dài quá 15 chữ số, thường do gõ nhầm.", "Kiểm tra lại số liệu."),
    "value-ambiguous-thousands": ("Số có dấu chấm ngăn hàng nghìn (`1.234`).",
                                  "Bỏ dấu chấm, gõ liền: `1234`. `kh` không đoán, vì tiếng Anh đọc `1.234` là số thập phân."),
    "value-decimal": ("Số có phần thập phân (`1,5`) ở chỉ tiêu đếm số vụ, số người, số xã.",
                      "Số đếm phải là số nguyên. Tỷ lệ thì nhập tử số và mẫu số (`--of`), `kh` tự tính phần trăm."),
    "value-negative": ("Số âm (`−3`).",
                       "Số liệu là số đếm được trong kỳ, không âm. Chỉ tiêu \"giảm\" được `kh` tự so với kỳ trước."),
    "decimal-thousands-like": ("Số có một dấu chấm hoặc phẩy rồi đúng ba chữ số (`60.400`) ở chỉ tiêu có phần thập phân.",
                               "Nếu là số nguyên, gõ liền: `60400`. Nếu là số thập phân, chỉ ghi số chữ số thập phân kế hoạch cho phép: `60,4`."),
    "decimal-too-many-places": ("Số có nhiều chữ số thập phân hơn kế hoạch cho phép (`60,45` khi chỉ được 1 chữ số).",
                                "Làm tròn theo cách kế hoạch tính, hoặc đề nghị sửa `decimals` trong tệp kế hoạch."),
    "decimal-grouped": ("Số có cả dấu ngăn hàng nghìn và dấu thập phân (`1.234,5`).",
                        "Bỏ dấu ngăn hàng nghìn, chỉ giữ một dấu trước phần thập phân: `1234,5`."),
    "decimal-malformed": ("Số kèm chữ hoặc ký hiệu (`1,5ha`).",
                          "Chỉ ghi số; đơn vị đo (ha) đã có trong kế hoạch."),
    "decimal-csv-cell": ("Ô trong tệp CSV có dạng `1.500` ở chỉ tiêu tính bằng ha.",
                         "Sửa đúng ô ở dòng được nêu: `1500` nếu là số nguyên, `1,5` nếu là số thập phân."),
    "plan-decimals-range": ("Tệp kế hoạch ghi `decimals` ngoài khoảng 1 – 6.",
                            "Ghi từ 1 đến 6; chỉ tiêu đếm (vụ, người, xã) thì bỏ dòng `decimals`."),
    "date-does-not-exist": ("Ngày không có thật (`31/02/2021`).", "Kiểm tra lại ngày, tháng."),
    "date-29-february-common-year": ("Ngày 29/02 của năm không nhuận.", "Chỉ năm nhuận (2024, 2028) có ngày 29/02."),
    "period-does-not-exist": ("Kỳ báo cáo viết sai (`2021-13`).",
                              "Viết kỳ là `2021` (năm), `2021-H1` (6 tháng), `2021-Q2` (quý), `2021-06` (tháng)."),
    "period-in-the-future": ("Nhập số liệu cho kỳ chưa bắt đầu.", "Kiểm tra kỳ; số liệu chỉ nhập cho kỳ đã đến."),
    "unknown-plan": ("Mã kế hoạch gõ sai.", "Xem mã đúng bằng `kh plan list`; `kh` gợi ý mã gần giống nhất."),
    "unknown-ref": ("Mục (chỉ tiêu) không có trong kế hoạch.",
                    "Xem các mục bằng `kh indicator list --plan MÃ-KẾ-HOẠCH`."),
    "unknown-unit": ("Mã đơn vị không có trong danh mục.",
                     "Tìm mã bằng `kh unit find` (gõ tên xã, không dấu cũng được); giữ số 0 ở đầu mã (`06211`, không phải `6211`)."),
    "unit-lost-leading-zero": ("Mã đơn vị bị mất số 0 ở đầu (Excel đổi `06211` thành `6211`).",
                               "Gõ lại mã có số 0 như `kh` gợi ý; trong Excel, định dạng cột mã là Text."),
    "unit-name-ambiguous": ("Gõ tên đơn vị mà có nhiều đơn vị cùng tên (ở các huyện, tỉnh khác nhau).",
                            "Ghi mã đơn vị trong danh sách `kh` đưa ra; `kh unit find` cho xem đơn vị cấp trên của từng đơn vị."),
    "unit-name-unknown": ("Không có đơn vị nào mang tên đã gõ.",
                          "Tìm bằng `kh unit find` với một phần của tên (không dấu cũng được)."),
    "unit-ceased": ("Đơn vị đã sáp nhập (từ ngày 1/7/2025) mà vẫn nhập số liệu cho kỳ sau đó.",
                    "Nhập số liệu cho đơn vị kế thừa mà `kh` nêu tên."),
    "unit-name-gone": ("Gõ tên cũ của một xã đã sáp nhập, mà mã của xã đó nay là của xã mới.",
                       "Dùng tên hoặc mã của đơn vị kế thừa mà `kh` nêu; `kh` không nhầm tên cũ thành xã mới."),
    "unknown-assignee": ("Tên cơ quan không khớp với kế hoạch.",
                         "Gõ đúng tên như trong kế hoạch; không phân biệt chữ hoa, chữ thường; gõ phần đầu tên cũng được nếu không trùng."),
    "obligation-prefix-ambiguous": ("Gõ phần đầu mã (hoặc tên) báo cáo mà khớp với nhiều báo cáo.",
                                    "Gõ thêm cho đến khi chỉ còn một báo cáo, hoặc gõ đủ mã trong danh sách `kh` đưa ra."),
    "period-is-a-day": ("Ghi một ngày (`16/6/2021`) vào chỗ kỳ báo cáo.",
                        "Ghi kỳ: tháng `6/2021`, quý `quý II/2021`, năm `2021`."),
    "period-two-digit-year": ("Kỳ báo cáo ghi năm hai chữ số (`6/21`).", "Ghi năm đủ bốn chữ số: `6/2021`."),
    "unknown-obligation": ("Mã báo cáo gõ sai.", "Xem mã báo cáo (cột `obligation`) bằng `kh deadlines --plan MÃ-KẾ-HOẠCH`."),
    "share-above-100-percent": ("Tử số lớn hơn mẫu số (`81 --of 80`).", "Tử số không thể lớn hơn tổng số; kiểm tra lại hai số."),
    "share-over-zero": ("Mẫu số bằng 0.", "Mẫu số (tổng số) phải lớn hơn 0."),
    "share-without-denominator": ("Chỉ tiêu tỷ lệ mà chỉ nhập một số.",
                                  "Nhập thêm tổng số: `kh record … 70 --of 100 …` (70 trên 100)."),
    "recorded-twice": ("Nhập lại số liệu đã có của cùng kỳ, cùng đơn vị.",
                       "Muốn sửa thì thêm `--replace --reason \"lý do\"`; số cũ vẫn được giữ trong `kh history`."),
    "csv-duplicate-rows": ("Tệp CSV có hai dòng cùng kế hoạch, mục, đơn vị và kỳ.", "Giữ một dòng, xóa dòng kia."),
    "csv-bad-cell": ("Một ô trong tệp CSV sai (ở đây: `1.500`).", "Sửa ô ở đúng dòng và cột được nêu, rồi nạp lại cả tệp."),
    "csv-unterminated-quote": ("Một ô trong tệp CSV mở dấu ngoặc kép (`\"`) mà không đóng.",
                               "Đóng dấu ngoặc kép ở dòng được nêu; dấu ngoặc kép nằm trong ô thì viết hai lần (`\"\"`)."),
    "csv-duplicate-column": ("Dòng tiêu đề của tệp CSV có một cột lặp lại hai lần.", "Xóa một trong hai cột."),
    "csv-cell-too-long": ("Một ô dài bất thường (hơn 131.072 ký tự): thường do thiếu dấu ngoặc kép, hoặc nhầm tệp.",
                          "Kiểm tra lại tệp và các dấu ngoặc kép."),
    "csv-quote-inside-cell": ("Trong tệp CSV, sau dấu ngoặc kép đóng một ô vẫn còn chữ (`\"ghi\" chú`).",
                              "Đặt cả ô trong ngoặc kép và viết dấu ngoặc kép bên trong hai lần: `\"\"\"ghi\"\" chú\"`."),
    "value-negative-dash": ("Số liệu gõ số âm với dấu trừ thường (`-5`).",
                            "Số liệu là số đếm được trong kỳ, không âm."),
    "argument-nul": ("Một tham số có ký tự NUL (`\\x00`): chỉ xảy ra khi một chương trình gọi `kh` trực tiếp, không qua dòng lệnh.",
                     "Bỏ ký tự đó đi; PostgreSQL không lưu được ký tự NUL trong văn bản."),
    "by-empty": ("Ghi `--by` mà để trống tên.", "Ghi tên người nhập, hoặc bỏ `--by` để ghi theo tên đăng nhập."),
    "output-exists": ("Ghi ra tệp (`-o`) trùng tên một tệp đã có.",
                      "Đặt tên khác, hoặc thêm `--force` nếu muốn ghi đè tệp cũ."),
    "period-year-out-of-range": ("Kỳ báo cáo hoặc ngày có năm vô lý (`0001`, `9999`).",
                                 "Năm phải từ 1900 đến 2999; kiểm tra lại."),
    "plan-year-out-of-span": ("Trong tệp kế hoạch, hạn báo cáo hoặc hạn nhiệm vụ nằm ngoài thời gian của kế hoạch (`year = 0`).",
                              "Sửa lại năm, ngày; nếu hạn thật sự ngoài thời gian kế hoạch thì thêm `outside_span = true`."),
    "plan-target-not-finite": ("Trong tệp kế hoạch, chỉ tiêu là `nan`, `inf` hoặc một số quá lớn.",
                               "Ghi đúng con số trong văn bản kế hoạch."),
    "unit-import-cycle": ("Trong tệp đơn vị, các đơn vị làm cấp trên của nhau thành vòng.",
                          "Sửa cột `parent` của một trong các đơn vị ở dòng được nêu."),
    "xlsx-without-output": ("Xuất bảng Excel (`-f xlsx`) mà không nêu tên tệp.", "Thêm `-o TÊN-TỆP.xlsx`, ví dụ `-o tien-do.xlsx`."),
    "output-folder-missing": ("Ghi ra tệp (`-o`) trong một thư mục chưa có.", "Tạo thư mục trước, hoặc ghi vào thư mục đã có."),
    "xlsx-period-as-date": ("Trong tệp Excel, Excel đã tự đổi kỳ báo cáo (`2021-06`) thành ngày.",
                            "Định dạng cột `period` là Text rồi gõ lại kỳ: `2021-06`, `2021-Q2`."),
    "xlsx-code-as-number": ("Trong tệp Excel, mã đơn vị bị lưu thành số (mất số 0 ở đầu).",
                            "Định dạng cột `unit` là Text rồi gõ lại mã đủ số 0 ở đầu (`06211`)."),
    "report-period-outside-plan": ("Lập báo cáo cho một kỳ nằm ngoài thời gian thực hiện kế hoạch.",
                                   "Chọn kỳ trong thời gian của kế hoạch (`kh plan show`), ví dụ `--period 2021-H1`."),
    "report-template-without-place": ("Tệp mẫu (`--template`) không có chỗ đặt nội dung.",
                                      "Gõ `{{noi_dung}}` thành một dòng riêng ở chỗ đặt báo cáo trong tệp mẫu, rồi lưu lại."),
    "xlsx-not-a-workbook": ("Tệp `.xlsx` hỏng, hoặc là tệp khác bị đổi tên.", "Mở bằng Excel và lưu lại thành .xlsx (không phải .xls)."),
    "csv-tcvn3": ("Tệp CSV gõ bằng phông TCVN3 (.VnTime, ABC).",
                  "Chuyển mã bằng Unikey (Ctrl+Shift+F6: TCVN3 → Unicode), lưu lại thành CSV UTF-8."),
    "csv-mixed-encodings": ("Tệp CSV có dòng ở bảng mã UTF-8 và dòng ở bảng mã khác (dán từ hai tệp).",
                            "Mở tệp bằng Excel hoặc LibreOffice, sửa các dòng bị lỗi chữ, lưu lại thành CSV UTF-8."),
    "csv-not-1258": ("Tệp CSV không ở bảng mã UTF-8 hay Windows-1258 (ví dụ lưu từ máy Windows tiếng Anh).",
                     "Lưu lại thành CSV UTF-8."),
    "csv-nul-byte": ("Tệp CSV có ký tự NUL: tệp hỏng, hoặc không phải tệp CSV.",
                     "Lưu lại bảng tính thành CSV UTF-8."),
    "plan-duplicate-ref": ("Tệp kế hoạch có hai chỉ tiêu cùng một mục.", "Mỗi mục chỉ dùng một lần trong kế hoạch."),
    "plan-unknown-key": ("Tệp kế hoạch có khóa viết sai (`comparitor`).", "Sửa theo danh sách khóa được phép trong thông báo."),
    "unit-own-ancestor": ("Khai báo đơn vị cấp trên tạo thành vòng lặp.", "Kiểm tra mã đơn vị cấp trên (`--parent`)."),
    "store-folder-missing": ("Thư mục của kho dữ liệu chưa có.", "Tạo thư mục trước; `kh` không tự tạo thư mục đồng chí chỉ định."),
    "extract-missing-file": ("Tệp văn bản kế hoạch không có ở đường dẫn đã gõ.", "Kiểm tra tên tệp và thư mục."),
    "extract-not-utf8": ("Tệp văn bản lưu bằng bảng mã cũ (Windows-1258, TCVN3).",
                         "Lưu lại thành văn bản UTF-8 (Notepad: Save as, Encoding UTF-8), hoặc dùng tệp .docx."),
    "extract-doc-file": ("Tệp Word kiểu cũ (.doc).", "Mở bằng Word hoặc LibreOffice, lưu thành .docx."),
    "extract-scanned-pdf": ("Tệp PDF là ảnh chụp (bản quét), không có lớp chữ.",
                            "Dùng tệp .docx hoặc tệp PDF xuất từ Word; hoặc nhận dạng chữ (OCR) trước."),
    "extract-damaged-pdf": ("Tệp PDF bị hỏng hoặc tải về không hết.", "Tải lại tệp, hoặc dùng tệp .docx."),
    "extract-locked-pdf": ("Tệp PDF có mật khẩu mở.", "Mở tệp, lưu một bản không có mật khẩu, hoặc dùng tệp .docx."),
    "extract-empty": ("Tệp văn bản trống.", "Kiểm tra lại tệp."),
    "extract-not-a-plan": ("Tệp không phải Kế hoạch (thư mời, công văn…).", "Kiểm tra lại tệp."),
    "extract-bad-id": ("Mã kế hoạch (`--id`) có chữ hoa hoặc ký hiệu.", "Dùng chữ thường, chữ số và dấu `-`: `--id na-2021`."),
    "store-missing": ("Không có kho dữ liệu ở đường dẫn đã gõ (thường do gõ nhầm `--db`).",
                      "Kiểm tra đường dẫn; lần đầu thì tạo kho bằng lệnh được nêu."),
}

HEADER = """# Khi kh từ chối: thông báo và cách xử lý

<!-- Trang này do scripts/vi_refusals.py tạo ra từ chính chương trình; đừng sửa tay. -->

Khi dữ liệu nhập vào sai, `kh` **từ chối**: in **một dòng** bắt đầu bằng `kh:`, nói sai ở đâu
(số dòng của tệp, tên tùy chọn như `--period`) và sai gì, rồi thoát với mã 1. **Không có gì được
ghi** vào kho dữ liệu: sửa lại rồi chạy lại lệnh, không cần xóa gì.

Mỗi dòng "kh nói" dưới đây là thông báo thật, do chương trình in ra khi chạy bằng tiếng Việt
(`--lang vi`) trên kho dữ liệu mẫu; trang được tạo lại từ chương trình nên luôn khớp với phiên bản
đang dùng. Danh sách đầy đủ bằng tiếng Anh: [docs/errors.md](../errors.md).

## Những trường hợp hay gặp

"""


# The keyed catalogue (kh/catalogue.py: key → (English, Vietnamese)) holds messages, headers and help
# as well; these prefixes are not refusals. Every other key is, grouped by its prefix below.
NOT_REFUSALS = ("help.", "col.", "msg.", "status.", "kind.", "measure.", "role.", "word.", "type.", "sheet.",
                "suggest.")
GROUPS = [  # (prefixes, heading), in the page's order; a prefix not listed goes under "Khác"
    (("count.", "value.", "figure.", "indicator."), "Số liệu"),
    (("date.", "period."), "Ngày và kỳ báo cáo"),
    (("unit.",), "Đơn vị hành chính"),
    (("csv.", "xlsx.", "cell.", "file."), "Tệp nhập, tệp xuất (CSV, Excel)"),
    (("submit.", "obligation.", "task.", "deadline.", "assignee."), "Báo cáo, nhiệm vụ, cơ quan thực hiện"),
    (("plan.", "planfile."), "Tệp kế hoạch (.toml)"),
    (("extract.",), "Đọc văn bản kế hoạch (kh extract)"),
    (("bundle.", "key.", "trust."), "Tệp báo cáo có chữ ký (kh bundle)"),
    (("store.", "backup.", "demo."), "Kho dữ liệu, sao lưu"),
    (("access.",), "Quyền trên máy chủ PostgreSQL"),
]


def _plain(template: str) -> str:
    """A catalogue template as an officer reads it: each value kh fills in shown as …."""
    import re
    from string import Formatter

    text = "".join(literal + ("…" if field is not None else "") for literal, field, _, _ in
                   Formatter().parse(template.strip()))
    text = re.sub(r"'…'", "…", re.sub(r"…+", "…", text))
    return text.replace("|", "\\|").replace("\n", " ")


def catalogue_section() -> str:
    """Every refusal of the keyed catalogue, in Vietnamese, by subject ('' before it exists)."""
    try:
        from kh.catalogue import MESSAGES
    except ImportError:
        return ""
    groups: dict[str, list[str]] = {}
    for key, (_, vi) in MESSAGES.items():
        if key.startswith(NOT_REFUSALS):
            continue
        heading = next((h for prefixes, h in GROUPS if key.startswith(prefixes)), "Khác")
        line = _plain(vi)
        if line not in groups.setdefault(heading, []):
            groups[heading].append(line)
    out = ["## Mọi thông báo từ chối\n\n",
           "Toàn bộ các lời từ chối của `kh`, lấy từ bảng thông báo của chương trình (`kh/catalogue.py`). "
           "Dấu … là chỗ `kh` điền tên tệp, số dòng, giá trị đã gõ.\n\n"]
    for heading in [h for _, h in GROUPS] + ["Khác"]:
        if heading in groups:
            out.append(f"### {heading}\n\n" + "".join(f"- {line}\n" for line in groups[heading]) + "\n")
    return "".join(out)


def _cases():
    sys.path.insert(0, str(ROOT))
    from tests.test_catalogue import CATALOGUE

    return CATALOGUE


def render(store: Path) -> str:
    """The page, from refusals run on a copy of the demo store ``store``."""
    import shutil

    from typer.testing import CliRunner

    from kh.cli import app

    cases = _cases()
    missing = sorted(set(cases) - set(PLAIN))
    if missing:
        raise SystemExit(f"scripts/vi_refusals.py: write when and what-to-do for {', '.join(missing)}")
    out = [HEADER]
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        db = folder / "kh.sqlite"
        shutil.copy(store, db)
        for key, (args, _) in cases.items():
            argv = [str(a) for a in args(folder)]
            if "--db" not in argv:
                argv = ["--db", str(db), *argv]
            r = CliRunner().invoke(app, ["--lang", "vi", *argv], env={"COLUMNS": "80", "KH_DB": None})
            line = r.stderr.strip().replace(f"{folder}/", "")
            assert r.exit_code == 1 and line.startswith("kh: "), (key, r.exit_code, r.stderr)
            when, fix = PLAIN[key]
            out.append(f"### {when}\n\n```text\n{line}\n```\n\n**Cách xử lý:** {fix}\n\n")
    out.append(catalogue_section())
    return "".join(out).rstrip("\n") + "\n"


def main() -> None:
    from typer.testing import CliRunner

    from kh.cli import app

    with tempfile.TemporaryDirectory() as d:
        store = Path(d) / "demo.sqlite"
        r = CliRunner().invoke(app, ["demo", "--into", str(store)])
        assert r.exit_code == 0, r.stderr
        PAGE.write_text(render(store), encoding="utf-8")
    print(f"wrote {PAGE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
