"""Words people read — table headers, statuses, messages — in English and Vietnamese.

JSON and CSV keys and codes stay English (scripts depend on them); only the table view and
messages are translated. Vietnamese when ``--lang vi`` or the locale (LANG, LC_ALL,
LC_MESSAGES) says so.
"""

from __future__ import annotations

import os

_lang = "en"

# key → (English, Vietnamese)
WORDS: dict[str, tuple[str, str]] = {
    # columns
    "id": ("Id", "Mã"),
    "number": ("Number", "Số hiệu"),
    "title": ("Title", "Tên kế hoạch"),
    "issuer": ("Issuer", "Cơ quan ban hành"),
    "issued_on": ("Issued", "Ngày ban hành"),
    "start": ("From", "Từ ngày"),
    "end": ("To", "Đến ngày"),
    "plan": ("Plan", "Kế hoạch"),
    "ref": ("Ref", "Mục"),
    "name": ("Name", "Tên"),
    "kind": ("Kind", "Loại"),
    "comparator": ("Cmp", "So sánh"),
    "target": ("Target", "Chỉ tiêu"),
    "unit": ("Unit", "Đơn vị"),
    "baseline": ("Baseline", "Mốc so sánh"),
    "periodicity": ("Periodicity", "Kỳ"),
    "measure": ("Flow/stock", "Dòng/tồn"),
    "counts": ("Counts", "Đếm"),
    "target_text": ("Target as written", "Chỉ tiêu theo văn bản"),
    "units_expected": ("Units expected", "Số đơn vị phải báo cáo"),
    "units_reported": ("Units reported", "Số đơn vị đã báo cáo"),
    "coverage": ("Reported", "Đã báo cáo"),
    "carried_forward": ("last figure carried forward", "lấy số liệu kỳ trước"),
    "group": ("Group", "Nhóm"),
    "sent_on_time": ("On time", "Đúng hạn"),
    "sent_late": ("Late", "Quá hạn"),
    "missing": ("Missing", "Chưa gửi"),
    "rate_sent": ("Sent %", "Đã gửi %"),
    "rate_on_time": ("On time %", "Đúng hạn %"),
    "total": ("Total", "Tổng"),
    "reports_due": ("Due", "Phải gửi"),
    "rates_title": ("Reporting rate as of {as_of}", "Tỷ lệ báo cáo đúng hạn đến ngày {as_of}"),
    "target_basis": ("Target basis", "Cơ sở chỉ tiêu"),
    "task": ("Task", "Nhiệm vụ"),
    "assignee": ("Assignee", "Cơ quan thực hiện"),
    "role": ("Role", "Vai trò"),
    "due": ("Due", "Hạn"),
    "done_on": ("Done on", "Ngày hoàn thành"),
    "status": ("Status", "Trạng thái"),
    "obligation": ("Obligation", "Nghĩa vụ"),
    "obligation_name": ("What", "Nội dung"),
    "to": ("To", "Gửi đến"),
    "period": ("Period", "Kỳ"),
    "period_start": ("Period start", "Đầu kỳ"),
    "period_end": ("Period end", "Cuối kỳ"),
    "deadline_text": ("Deadline as written", "Thời hạn theo văn bản"),
    "code": ("Code", "Mã"),
    "parent": ("Parent", "Trực thuộc"),
    "valid_from": ("Valid from", "Hiệu lực từ"),
    "valid_to": ("Valid to", "Hiệu lực đến"),
    "successors": ("Successors", "Đơn vị kế thừa"),
    "phases": ("Phases", "Giai đoạn"),
    "steps": ("Steps", "Các bước"),
    "step": ("Step", "Bước"),
    "text": ("Content", "Nội dung"),
    "assignees": ("Assignees", "Cơ quan được giao"),
    "tasks": ("Tasks", "Nhiệm vụ"),
    "indicators": ("Indicators", "Chỉ tiêu"),
    "obligations": ("Report obligations", "Chế độ báo cáo"),
    "implements": ("Implements", "Căn cứ"),
    "level": ("Level", "Cấp"),
    "cutoff": ("Periods", "Kỳ báo cáo"),
    # roles and values
    "lead": ("lead", "chủ trì"),
    "support": ("support", "phối hợp"),
    "open": ("open", "chưa có hạn"),
    "calendar": ("calendar months", "tháng dương lịch"),
    "nd09": ("15th–14th (Nghị định 09/2019)", "từ ngày 15 đến ngày 14 (Nghị định 09/2019)"),
    "province": ("province", "tỉnh"),
    "district": ("district", "huyện"),
    "commune": ("commune", "xã"),
    "village": ("village", "thôn"),
    # workbook sheets (--format xlsx), by command
    "sheet_indicator_list": ("Indicators", "Chỉ tiêu"),
    "sheet_task_list": ("Tasks", "Nhiệm vụ"),
    "sheet_deadlines": ("Deadlines", "Thời hạn báo cáo"),
    "sheet_overdue": ("Overdue", "Quá hạn"),
    "sheet_figures": ("Figures", "Số liệu"),
    "sheet_gap": ("Gap", "Kết quả thực hiện chỉ tiêu"),
    "sheet_history": ("History", "Lịch sử thay đổi"),
    "sheet_plan_list": ("Plans", "Kế hoạch"),
    "sheet_unit_list": ("Units", "Đơn vị hành chính"),
    "sheet_admin_list": ("Access", "Phân quyền"),
    # kh remind, kh assignee set-email
    "remind_line": ("{who}: {n} item(s) → {to} (not sent; --send sends it)",
                    "{who}: {n} nội dung → {to} (chưa gửi; thêm --send để gửi)"),
    "remind_no_address": ("no e-mail address (kh assignee set-email)", "chưa có địa chỉ thư (kh assignee set-email)"),
    "remind_sent": ("sent {n} reminder(s) from {sender} via {host}", "đã gửi {n} thư đôn đốc từ {sender} qua {host}"),
    "remind_nothing": ("Nothing is overdue: no letter written.", "Không có gì quá hạn: không viết thư nào."),
    "email_was": (" (was {old})", " (trước đây: {old})"),
    # messages
    "nothing": ("Nothing matches.", "Không có kết quả."),
    "imported": ("Imported", "Đã nhập"),
    "updated": ("Updated", "Đã cập nhật"),
    "store_created": ("Created the store", "Đã tạo kho dữ liệu"),
    "store_upgraded": ("Upgraded the store", "Đã nâng cấp kho dữ liệu"),
    "store_current": ("The store is up to date", "Kho dữ liệu đã ở phiên bản mới nhất"),
    "units_loaded": ("units: {added} added, {updated} updated", "đơn vị: thêm {added}, cập nhật {updated}"),
    "demo_built": ("Demo store: {path}\n  {units} units, {plans} plans, {figures} sample figures, {submissions} submissions",
                   "Kho dữ liệu mẫu: {path}\n  {units} đơn vị, {plans} kế hoạch, {figures} số liệu mẫu, {submissions} báo cáo đã gửi"),
    "backed_up": ("Backed up to {file} (schema {version})", "Đã sao lưu vào {file} (phiên bản {version})"),
    "restored": ("Restored from {file} (schema {version})", "Đã khôi phục từ {file} (phiên bản {version})"),
    "kept_old": ("The store it replaced is kept as {path}", "Kho dữ liệu cũ được giữ lại tại {path}"),
    "synthetic_built": ("Synthetic store: {path}\n  {communes} communes, {indicators} indicators, {figures} figures, {submissions} reports sent",
                        "Kho dữ liệu tổng hợp: {path}\n  {communes} xã, {indicators} chỉ tiêu, {figures} số liệu, {submissions} báo cáo đã gửi"),
    "synthetic_try": ("Try: kh --db {path} gap --plan ls-mtqg-2030 --period 2027 --as-of {as_of}",
                      "Thử: kh --db {path} gap --plan ls-mtqg-2030 --period 2027 --as-of {as_of}"),
    "demo_gap": ("Gap report: {plan}, as of {as_of}", "Tiến độ chỉ tiêu: {plan}, tính đến {as_of}"),
    "demo_explore": ("\nExplore it:\n  kh --db {path} plan show na-2021\n  kh --db {path} gap --as-of {as_of}\n"
                     "  kh --db {path} deadlines --plan na-2021 --as-of {as_of}",
                     "\nXem thêm:\n  kh --db {path} plan show na-2021\n  kh --db {path} gap --as-of {as_of}\n"
                     "  kh --db {path} deadlines --plan na-2021 --as-of {as_of}"),
    "figures_recorded": ("figures: {added} added, {replaced} replaced", "số liệu: thêm {added}, thay thế {replaced}"),
    "indicator": ("Indicator", "Chỉ tiêu"),
    "submitted_on": ("Sent on", "Ngày gửi"),
    "days_overdue": ("Days late", "Số ngày quá hạn"),
    "marked": ("Recorded: {item} by {who} {period} on {on}", "Đã ghi nhận: {item} của {who} {period} ngày {on}"),
    "already_marked": ("Already recorded: {item} by {who} {period} on {on}; nothing changed",
                       "Đã ghi nhận trước đó: {item} của {who} {period} ngày {on}; không thay đổi"),
    "undone": ("Taken back: {item} by {who} {period} (was {on})", "Đã hủy: {item} của {who} {period} (ngày {on})"),
    "overdue_title": ("Overdue as of {as_of}", "Danh sách quá hạn tính đến ngày {as_of}"),
    "overdue_heading": ("Overdue reports and tasks", "Danh sách báo cáo, nhiệm vụ quá hạn"),
    "issued_by": ("Plan issued by", "Cơ quan ban hành kế hoạch"),
    "sent_by": ("Compiled by", "Cơ quan tổng hợp"),
    "as_of": ("As of", "Tính đến ngày"),
    "nothing_overdue": ("Nothing is overdue.", "Không có báo cáo, nhiệm vụ nào quá hạn."),
    "what": ("What is owed", "Nội dung"),
    "total_late": ("{n} overdue", "{n} quá hạn"),
    "unit_name": ("Unit", "Đơn vị"),
    "value": ("Value", "Số liệu"),
    "denominator": ("Out of", "Trên tổng"),
    "actual": ("Actual", "Thực hiện"),
    "actual_text": ("Actual", "Thực hiện"),
    "gap": ("Gap", "Còn thiếu"),
    "needed": ("Needed", "Cần thêm"),
    "note": ("Note", "Ghi chú"),
    "at": ("When", "Thời điểm"),
    "by": ("By", "Người thực hiện"),
    "action": ("Action", "Thao tác"),
    "key": ("Item", "Mục"),
    "old": ("Old", "Giá trị cũ"),
    "new": ("New", "Giá trị mới"),
    "reason": ("Reason", "Lý do"),
    "changed": ("Changed", "Đối tượng"),
    "recorded_at": ("Recorded at", "Thời điểm ghi"),
    "recorded_by": ("Recorded by", "Người ghi"),
    "replaced_at": ("Replaced at", "Thời điểm thay"),
    "replaced_by": ("Replaced by", "Người thay"),
    "role": ("Role", "Vai trò"),
    "access": ("Access", "Quyền"),
    "reports_for": ("Reports for", "Báo cáo thay cho"),
}


# Values shown in table cells, by column: codes stay English in csv/json.
VALUES: dict[str, tuple[str, str]] = {
    "role:lead": ("lead", "chủ trì"),
    "role:support": ("support", "phối hợp"),
    "kind:province": ("province", "tỉnh"),
    "kind:district": ("district", "huyện"),
    "kind:commune": ("commune", "xã"),
    "kind:village": ("village", "thôn"),
    "kind:change": ("change", "tăng/giảm so với mốc"),
    "kind:share": ("share", "tỷ lệ"),
    "kind:share_of_baseline": ("share of baseline", "tỷ lệ so với năm gốc"),
    "kind:count": ("count", "số lượng"),
    "kind:zero": ("zero", "không để xảy ra"),
    "kind:decrease": ("decrease", "giảm"),
    "kind:milestones": ("milestones", "theo mốc năm"),
    "measure:flow": ("flow", "cộng dồn"),
    "measure:stock": ("stock", "số cuối kỳ"),
    "status:met": ("met", "Đạt"),
    "status:not_met": ("not met", "Chưa đạt"),
    "status:on_track": ("on track", "Đúng tiến độ"),
    "status:behind": ("behind", "Chậm tiến độ"),
    "status:no_data": ("no data", "Chưa có số liệu"),
    "status:incomplete": ("incomplete", "Chưa đủ số liệu"),
    "target_basis:plan": ("plan", "theo kế hoạch"),
    "target_basis:pro_rata": ("pro rata", "chia theo thời gian"),
    "target_basis:interpolated": ("interpolated", "nội suy giữa các mốc"),
    "status:not_due": ("not due", "Chưa đến hạn"),
    "status:due_soon": ("due soon", "Sắp đến hạn"),
    "status:overdue": ("overdue", "Quá hạn"),
    "status:done_on_time": ("done on time", "Hoàn thành đúng hạn"),
    "status:done_late": ("done late", "Hoàn thành quá hạn"),
    "status:open": ("open", "Chưa có hạn"),
}


def value(column: str, v: str) -> str:
    pair = VALUES.get(f"{column}:{v}")
    if pair is None:
        return v
    return pair[1] if _lang == "vi" else pair[0]


def set_lang(lang: str | None) -> str:
    global _lang
    if lang is None:
        env = os.environ.get("LC_ALL") or os.environ.get("LC_MESSAGES") or os.environ.get("LANG") or ""
        lang = "vi" if env.lower().startswith("vi") else "en"
    _lang = "vi" if lang.lower().startswith("vi") else "en"
    return _lang


def lang() -> str:
    return _lang


def t(key: str, **kw) -> str:
    pair = WORDS.get(key)
    if pair is None:
        return key.format(**kw) if kw else key
    word = pair[1] if _lang == "vi" else pair[0]
    return word.format(**kw) if kw else word


# Refusals in Vietnamese: the English message is matched and rewritten (the catalogue of
# docs/errors.md and the store's messages; anything not listed stays in English).
_ERRORS: list[tuple[str, str]] = [
    (r"'(.+)' is not a whole number; write digits only, like 1234",
     r"'\1' không phải số nguyên; chỉ viết chữ số, ví dụ 1234"),
    (r"'(.+)' is too large: kh counts up to 15 digits", r"'\1' quá lớn: kh chỉ nhận tới 15 chữ số"),
    (r"'(.+)' is ambiguous: it reads as (\d+) in Vietnamese and as a decimal in English; write digits only: (\d+)",
     r"'\1' không rõ nghĩa: tiếng Việt đọc là \2, tiếng Anh đọc là số thập phân; chỉ viết chữ số: \3"),
    (r"'(.+)' is not a whole number; cases, people and communes are counted whole",
     r"'\1' không phải số nguyên; số vụ, số người, số xã phải là số nguyên"),
    (r"'(.+)' is negative; a count of cases, people or communes cannot be",
     r"'\1' là số âm; số vụ, số người, số xã không thể âm"),
    (r"'(.+)' is not a date: there is no day (\d+) in month (\d+) of (\d+)",
     r"'\1' không phải ngày hợp lệ: tháng \3 năm \4 không có ngày \2"),
    (r"'(.+)' is not a date; write 2021-06-16, 16/6/2021 or 'ngày 16 tháng 6 năm 2021'",
     r"'\1' không phải ngày; hãy viết 2021-06-16, 16/6/2021 hoặc 'ngày 16 tháng 6 năm 2021'"),
    (r"'(.+)' is not a period: there is no month (\d+)", r"'\1' không phải kỳ báo cáo: không có tháng \2"),
    (r"'(.+)' is not a period; write 2021, 2021-H1, 2021-Q2 or 2021-06",
     r"'\1' không phải kỳ báo cáo; hãy viết 2021, 2021-H1, 2021-Q2 hoặc 2021-06"),
    (r"period (\S+) starts on (\S+), after (\S+): it lies in the future",
     r"kỳ \1 bắt đầu ngày \2, sau ngày \3: kỳ này chưa đến"),
    (r"no plan '(.+?)' in the store(.*)", r"không có kế hoạch '\1' trong kho dữ liệu\2"),
    (r"plan (\S+) has no indicator '(.+?)'(.*)", r"kế hoạch \1 không có chỉ tiêu '\2'\3"),
    (r"no unit with code '(.+?)'(.*)", r"không có đơn vị mã '\1'\2"),
    (r"no assignee '(.+?)'(.*)", r"không có cơ quan '\1'\2"),
    (r"'(.+?)' matches several assignees: (.+); type more of the name",
     r"'\1' khớp với nhiều cơ quan: \2; hãy gõ thêm tên"),
    (r"plan (\S+) has no report obligation '(.+?)'(.*)", r"kế hoạch \1 không có chế độ báo cáo '\2'\3"),
    (r"plan (\S+) has no task '(.+?)'(.*)", r"kế hoạch \1 không có nhiệm vụ '\2'\3"),
    (r"(\d+) out of (\d+) is more than 100 %", r"\1 trên \2 là vượt quá 100 %"),
    (r"the denominator of a share must be positive", r"mẫu số của tỷ lệ phải lớn hơn 0"),
    (r"(\S+) is a share \((.+)\): give the whole it is out of \(--of, or the denominator column\)",
     r"\1 là chỉ tiêu tỷ lệ (\2): hãy ghi cả tổng số (--of, hoặc cột denominator)"),
    (r"(\S+) (\S+) for (\S+) in (\S+) is already recorded \((.+), by (.+) on (\S+)\); use --replace to correct it",
     r"\1 \2 của đơn vị \3 kỳ \4 đã được ghi (\5, do \6 ghi ngày \7); dùng --replace để sửa"),
    (r"(\S+) overlaps (\S+), already recorded for (\S+): record either the months or the whole period, not both",
     r"kỳ \1 trùng với kỳ \2 đã ghi cho đơn vị \3: chỉ ghi theo tháng hoặc theo cả kỳ, không ghi cả hai"),
    (r"the same plan, ref, unit and period as line (\d+)", r"trùng kế hoạch, mục, đơn vị và kỳ với dòng \1"),
    (r"the same plan, ref, unit and period as row (\d+)", r"trùng kế hoạch, mục, đơn vị và kỳ với hàng \1"),
    (r"an xlsx workbook is a file: give it a name with -o FILE\.xlsx",
     "bảng tính xlsx là một tệp: hãy đặt tên tệp bằng -o TỆP.xlsx"),
    (r"a date cell \((\S+)\) where kh needs a period \(.*\)",
     r"ô kiểu ngày (\1) ở chỗ cần kỳ báo cáo (Excel đã đổi kỳ thành ngày: hãy gõ dạng văn bản, như 2021-06 hoặc 2021-Q2)"),
    (r"a date cell \((\S+)\) where kh needs a (\S+)", r"ô kiểu ngày (\1) ở chỗ cần \2"),
    (r"a number cell \((\S+)\); codes are text: .*",
     r"ô kiểu số (\1); mã phải là văn bản: hãy định dạng cột là Text và gõ mã như văn bản gốc (giữ số 0 ở đầu, như 01)"),
    (r"a true/false cell \((\S+)\); write the (\S+) itself", r"ô kiểu đúng/sai (\1); hãy ghi chính giá trị \2"),
    (r"not a readable \.xlsx workbook.*", "không đọc được bảng tính .xlsx (hãy lưu lại từ Excel dưới dạng .xlsx)"),
    (r"the sheet is empty; it needs the header (.+)", r"trang tính trống; cần hàng tiêu đề \1"),
    (r"missing column\(s\) (.+); the columns are (.+)", r"thiếu cột \1; các cột là \2"),
    (r"unknown column\(s\) (.+); the columns are (.+)", r"cột không hợp lệ \1; các cột là \2"),
    (r"cannot write: the folder (.+) does not exist", r"không ghi được: thư mục \1 không tồn tại"),
    (r"cannot write: (.+)", r"không ghi được: \1"),
    (r"is a folder; give a file name", "đây là thư mục; hãy cho tên tệp"),
    (r"the template needs exactly one paragraph reading \{\{noi_dung\}\}, where the paper goes; it has (\d+)",
     r"tệp mẫu phải có đúng một đoạn ghi {{noi_dung}} (chỗ đặt nội dung văn bản); tệp này có \1"),
    (r"not a readable \.docx file \(save the template from Word as \.docx\)",
     "tệp mẫu .docx bị hỏng hoặc không đọc được (hãy lưu lại từ Word dưới dạng .docx)"),
    (r"plan (\S+) runs from (\S+) to (\S+); it has no period (\S+)",
     r"kế hoạch \1 thực hiện từ \2 đến \3; không có kỳ \4"),
    (r"name the file …(\S+): it is written as a (\S+) file", r"tên tệp phải có đuôi \1: tệp được ghi dạng \2"),
    (r"'(.*)' is not an e-mail address \(ten@donvi\.gov\.vn\)", r"'\1' không phải địa chỉ thư điện tử (ten@donvi.gov.vn)"),
    (r"no e-mail address for (.+?)(?: and (\d+) more)?; set it with: (.+)",
     lambda m: f"chưa có địa chỉ thư điện tử của {m.group(1)}" + (f" và {m.group(2)} cơ quan khác" if m.group(2) else "")
               + f"; hãy đặt bằng lệnh: {m.group(3)}"),
    (r"no SMTP server set: .*", "chưa cấu hình máy chủ thư (SMTP): đặt KH_SMTP_HOST và KH_SMTP_FROM, hoặc host và from trong "
     "mục [smtp] của tệp cấu hình (docs/reports.md)"),
    (r"the file holds a password and others may read it; run: (.+)",
     r"tệp có mật khẩu mà người khác đọc được; hãy chạy: \1"),
    (r"(\S+) is before (\S+): give a day still to come", r"ngày \1 trước ngày \2: hãy cho một ngày chưa tới"),
    (r"sent (\d+) of (\d+); (.+)", r"đã gửi \1 trên \2 thư; \3"),
    (r"a Word file is a file: give it a name with -o FILE\.docx", "tệp Word cần có tên: hãy thêm -o TỆP.docx"),
    (r"the file is in TCVN3 .*", "tệp dùng bảng mã TCVN3 (phông .VnTime), không phải Unicode; hãy chuyển mã bằng "
     "Unikey (Ctrl+Shift+F6: TCVN3 → Unicode) rồi lưu thành CSV UTF-8"),
    (r"not UTF-8, and not recognisably Windows-1258(?: \(it reads most like (\S+)\))?; .*",
     lambda m: "tệp không ở bảng mã UTF-8 hay Windows-1258" + (f" (trông giống bảng mã {m[1]})" if m[1] else "")
     + "; hãy lưu thành 'CSV UTF-8 (Comma delimited)'"),
    (r"the file mixes encodings: line (\d+) is UTF-8 and line (\d+) is not .*",
     r"tệp lẫn hai bảng mã: dòng \1 là UTF-8 còn dòng \2 thì không (dán từ hai tệp?); hãy lưu cả tệp "
     r"thành 'CSV UTF-8 (Comma delimited)'"),
    (r"a NUL character \(byte 0\) inside a cell; .*",
     "có ký tự NUL (byte 0) trong một ô; tệp bị hỏng hoặc không phải tệp CSV dạng văn bản: hãy lưu lại "
     "thành 'CSV UTF-8 (Comma delimited)'"),
    (r"(\S+): '(.+)' is already used by (\S+)", r"\1: '\2' đã được dùng ở \3"),
    (r"(\S+): unknown key; the keys here are: (.+)", r"\1: khóa không hợp lệ; các khóa được phép: \2"),
    (r"unit (\S+) would become its own ancestor: (.+)", r"đơn vị \1 sẽ trở thành cấp trên của chính nó: \2"),
    (r"cannot create the store: the folder (.+) does not exist",
     r"không tạo được kho dữ liệu: thư mục \1 không tồn tại"),
    (r"cannot create the store: the folder (.+) is not writable",
     r"không tạo được kho dữ liệu: không có quyền ghi vào thư mục \1"),
    (r"no store at (.+); create it with: (.+)", r"không có kho dữ liệu tại \1; hãy tạo bằng lệnh: \2"),
    (r"(.+) is empty; create the store with: (.+)", r"\1 còn trống; hãy tạo kho dữ liệu bằng lệnh: \2"),
    (r"the store has schema version (\d+), this kh needs (\d+); upgrade it with: kh init",
     r"kho dữ liệu ở phiên bản \1, kh này cần phiên bản \2; hãy nâng cấp bằng lệnh: kh init"),
    (r"(\S+) does not owe (\S+) \((.+)\) in plan (\S+)", r"\1 không có nghĩa vụ \2 (\3) trong kế hoạch \4"),
    # kh extract: the document it cannot read.
    (r"no such file", "không có tệp này"),
    (r"is a folder, not a document", "đây là thư mục, không phải văn bản"),
    (r"cannot read the document: (.+)", r"không đọc được văn bản: \1"),
    (r"the document is empty", "văn bản trống, không có nội dung"),
    (r"cannot read an old Word \.doc file; .*",
     "không đọc được tệp Word .doc kiểu cũ; hãy mở bằng Word hoặc LibreOffice rồi lưu thành .docx"),
    (r"a scanned PDF: it has no text layer to read; .*",
     "tệp PDF là bản quét: không có lớp chữ để đọc; hãy dùng tệp .docx, tệp PDF xuất từ Word, hoặc nhận dạng chữ (OCR) trước"),
    (r"the PDF is password-protected; .*",
     "tệp PDF có mật khẩu; hãy mở và lưu một bản không có mật khẩu, hoặc dùng tệp .docx"),
    (r"not a readable PDF file(.*)", r"tệp PDF bị hỏng hoặc không đọc được\1"),
    (r"this does not read as a Kế hoạch: it names no year",
     "văn bản này không giống một Kế hoạch: không nêu năm nào"),
    (r"cannot read an? (?:RTF|OpenDocument) file; .*", "không đọc được định dạng tệp này; hãy lưu thành .docx hoặc văn bản UTF-8"),
    (r"not UTF-8 text \(Windows-1258 or TCVN3\?\); .*",
     "văn bản không ở bảng mã UTF-8 (có thể là Windows-1258 hoặc TCVN3); hãy lưu thành văn bản UTF-8 hoặc .docx"),
    (r"the file is UTF-16; save it as UTF-8 text", "tệp ở bảng mã UTF-16; hãy lưu thành văn bản UTF-8"),
    (r"not a text document \(it holds NUL bytes\)", "không phải tệp văn bản (có byte NUL)"),
    (r"not a readable \.docx file(.*)", r"tệp .docx bị hỏng hoặc không đọc được\1"),
    (r"'(.+)' must be lower-case letters, digits and '-'", r"'\1' chỉ được gồm chữ thường, chữ số và dấu '-'"),
    (r"(\S+) is after (\S+): a report cannot be sent in the future",
     r"ngày \1 sau ngày \2: không thể gửi báo cáo trong tương lai"),
    (r"role (\S+) may not write figures for unit (\S+) \(it may write for (.+)\); .*",
     r"vai trò \1 không được ghi số liệu cho đơn vị \2 (chỉ được ghi cho \3); hãy hỏi người quản trị kho dữ liệu (kh admin list)"),
    (r"role (\S+) may not write figures for unit (\S+) \(it may write figures for no unit\); .*",
     r"vai trò \1 không được ghi số liệu cho đơn vị \2 (không được ghi cho đơn vị nào); hãy hỏi người quản trị kho dữ liệu (kh admin list)"),
    (r"role (\S+) may not record reports or tasks of (.+) \(it records for (.+)\); .*",
     r"vai trò \1 không được ghi báo cáo, nhiệm vụ của \2 (chỉ được ghi cho \3); hãy hỏi người quản trị kho dữ liệu (kh admin list)"),
    (r"role (\S+) may not record reports or tasks of (.+) \(it records reports for no one\); .*",
     r"vai trò \1 không được ghi báo cáo, nhiệm vụ của \2 (không được ghi cho ai); hãy hỏi người quản trị kho dữ liệu (kh admin list)"),
    (r"on a PostgreSQL store changes are recorded as the database role \((\S+)\); .*",
     r"trên kho PostgreSQL, thay đổi được ghi theo vai trò cơ sở dữ liệu (\1); muốn ghi thay người khác, hãy kết nối bằng vai trò của họ"),
    (r"access control needs a PostgreSQL store .*",
     "phân quyền cần kho dữ liệu PostgreSQL (docs/deploy-postgresql.md); kho SQLite là một tệp, được bảo vệ bằng "
     "quyền truy cập tệp (chỉ chủ sở hữu)"),
    (r"the database refused: (.+); this role has no access to the store .*",
     r"cơ sở dữ liệu từ chối: \1; vai trò này chưa được cấp quyền vào kho dữ liệu (người quản trị chạy kh admin)"),
    (r"the database refused: (.+); nothing was written .*",
     r"cơ sở dữ liệu từ chối: \1; chưa ghi gì (kh admin list cho biết ai được ghi gì)"),
    (r"role (\S+) may not change (plans|units): .*",
     lambda m: f"vai trò {m.group(1)} không được sửa {'kế hoạch' if m.group(2) == 'plans' else 'đơn vị hành chính'}: "
               "người quản trị kho dữ liệu nhập các mục này (docs/deploy-postgresql.md)"),
    (r"this does not read as a Kế hoạch: .*",
     "tệp này không phải một kế hoạch: không tìm thấy chỉ tiêu, cơ quan được phân công, nhiệm vụ hay thời hạn nào"),
    (r"'(.+)' is not a usable role name: .*",
     r"'\1' không dùng được làm tên vai trò: chỉ chữ thường không dấu, chữ số và _, bắt đầu bằng chữ (ca_xa_quang_trung)"),
    # Issue 14: damaged files, a store that moved under a command, the limits of the input.
    (r"unterminated quote: .*",
     'dấu ngoặc kép chưa đóng: ô bắt đầu từ dòng này bằng " không bao giờ được đóng lại; hãy đóng nó, hoặc '
     'viết dấu ngoặc kép trong ô thành hai dấu ("")'),
    (r"a cell longer than ([\d,]+) characters; .*",
     r"có ô dài hơn \1 ký tự; đây không phải tệp số liệu hay đơn vị, hoặc thiếu một dấu ngoặc kép"),
    (r"a quoted cell goes on after its closing quote; .*",
     'ô trong ngoặc kép còn tiếp sau dấu đóng ngoặc; hãy viết dấu ngoặc kép trong ô thành hai dấu ("") '
     'và đặt cả ô trong ngoặc kép'),
    (r"not a readable CSV line \((.+)\)", r"dòng CSV không đọc được (\1)"),
    (r"the disk holding the store (.+) is full; .*",
     r"ổ đĩa chứa kho dữ liệu \1 đã đầy; chưa ghi gì: hãy giải phóng bớt dung lượng (hoặc chuyển kho dữ liệu) rồi thử lại"),
    (r"the store (.+) is read-only here .*",
     r"kho dữ liệu \1 ở đây chỉ đọc (tệp, thư mục hoặc ổ đĩa); chưa ghi gì. Vẫn đọc được; muốn ghi, hãy dùng một bản sao có quyền ghi"),
    (r"cannot write the output: (.+); the output is incomplete",
     r"không ghi được kết quả: \1; kết quả bị thiếu"),
    (r"cannot write: (.+)", r"không ghi được: \1"),
    (r"exists; kh does not overwrite a file unless you add --force",
     "tệp đã có; kh không ghi đè tệp trừ khi thêm --force"),
    (r"role (\S+) may not manage access: .*",
     r"vai trò \1 không được quản lý quyền: kh admin do người quản trị kho dữ liệu chạy (vai trò đã chạy kh init)"),
    (r"is empty: give the name of who records it, or leave --by out",
     "để trống: hãy ghi tên người ghi nhận, hoặc bỏ --by"),
    (r"(\S+): (\S+) lies outside the plan's span (.+?); if that is right, add outside_span = true(.*)",
     lambda m: f"{m.group(1)}: {m.group(2)} nằm ngoài thời gian của kế hoạch ({m.group(3)}); nếu đúng như vậy, "
               f"thêm outside_span = true" + (" (hoặc covers = kỳ mà báo cáo nói về)" if m.group(4) else "")),
    (r"(\S+): (\S+) lies outside (the plan's span|the years a baseline can be|the years kh works in) \((.+)\)",
     lambda m: f"{m.group(1)}: {m.group(2)} nằm ngoài " + {"the plan's span": "thời gian của kế hoạch",
                                                           "the years a baseline can be": "các năm được làm năm gốc",
                                                           "the years kh works in": "các năm kh xử lý"}[m.group(3)]
               + f" ({m.group(4)})"),
    (r"(\S+): (nan|inf|-inf) is not a number a target can have(.*)",
     r"\1: \2 không phải là số chỉ tiêu hợp lệ; hãy ghi đúng con số trong văn bản"),
    (r"(\S+): (\S+) is too large: kh counts up to 15 digits", r"\1: \2 quá lớn: kh chỉ nhận tới 15 chữ số"),
    (r"(\S+): holds a NUL character .*", r"\1: có ký tự NUL (\\u0000); hãy xoá ký tự này"),
    (r"arrays or tables nested too deeply .*", "mảng hoặc bảng lồng nhau quá sâu (một tệp kế hoạch không bao giờ cần); "
     "hãy kiểm tra các dấu ngoặc"),
    (r"'(.+)' is not a (period|date) kh can use: years run from (\d+) to (\d+)",
     lambda m: f"'{m.group(1)}' không phải {'kỳ báo cáo' if m.group(2) == 'period' else 'ngày'} kh dùng được: "
               f"năm phải từ {m.group(3)} đến {m.group(4)}"),
    (r"(\S+): (\S+) is not a date kh can use: years run from (\d+) to (\d+)",
     r"\1: \2 không phải ngày kh dùng được: năm phải từ \3 đến \4"),
    (r"(skipped: )?its stored rows hold values no plan file may have \((.+)\); .*",
     lambda m: ("bỏ qua: " if m.group(1) else "") + f"dữ liệu của kế hoạch này trong kho có giá trị không hợp lệ "
               f"({m.group(2)}); hãy nhập lại tệp kế hoạch bằng kh plan import"),
    (r"column (\d+) repeats the column '(.+)' \(column (\d+)\); keep one of them",
     r"cột \1 lặp lại cột '\2' (cột \3); hãy giữ lại một cột"),
    (r"the store was restored or upgraded while this command waited for it; .*",
     "kho dữ liệu vừa được khôi phục hoặc nâng cấp trong lúc lệnh này chờ; chưa ghi gì, hãy chạy lại lệnh"),
    (r"unit (\S+) \((.*)\) is not in the area of plan (\S+) \((\S+), (.*)\) during (\S+)",
     r"đơn vị \1 (\2) không thuộc địa bàn của kế hoạch \3 (\4, \5) trong kỳ \6"),
    (r"unit (\S+) did not exist during (\S+) \((\S+) – (\S+)\); it was merged into (.+) on (\S+)",
     r"đơn vị \1 không tồn tại trong kỳ \2 (\3 – \4); đã sáp nhập vào \5 từ ngày \6"),
    (r"(.+): only a stock \(or a share of a stock\) carries forward",
     r"\1: chỉ số tồn (hoặc tỷ lệ trên số tồn) mới được lấy số liệu kỳ trước"),
    (r"the plan fixes the whole of (\S+) at (\S+): give the numerator only",
     r"kế hoạch đã cố định mẫu số của \1 là \2: chỉ nhập tử số"),
    (r"the store is busy: another command has been writing to it for (\d+) s; nothing was (written|restored), try again",
     lambda m: f"kho dữ liệu đang bận: một lệnh khác đã ghi vào kho {m.group(1)} giây; "
               f"chưa {'ghi' if m.group(2) == 'written' else 'khôi phục'} gì, hãy thử lại"),
]


def add_errors(pairs: list) -> None:
    """More refusals in Vietnamese, from a command module that owns them."""
    _ERRORS.extend(pairs)


_DID_YOU_MEAN = (r"; did you mean (.+)\?", r"; có phải là \1?")


def error(message: str) -> str:
    """``message`` in the language chosen (refusals are written in English in the code)."""
    if _lang != "vi":
        return message
    import re

    for pattern, vietnamese in _ERRORS:
        if re.fullmatch(pattern, message, flags=re.S):
            message = re.sub(pattern, vietnamese, message, flags=re.S)
            break
    message = re.sub(_DID_YOU_MEAN[0], lambda m: "; có phải là " + m.group(1).replace(" or ", " hoặc ") + "?", message)
    return message
