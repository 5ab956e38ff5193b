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
