"""kh remind and kh assignee set-email: the letters written, nothing sent without --send, and
with it the text delivered to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import socket

import pytest

from tests.conftest import store_fingerprint

docx = pytest.importorskip("docx")
aiosmtpd = pytest.importorskip("aiosmtpd")

AS_OF = ["-p", "na-2021", "--as-of", "2021-07-01"]


class Inbox:
    def __init__(self):
        self.mail = []

    async def handle_DATA(self, server, session, envelope):
        self.mail.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch, tmp_path):
    from aiosmtpd.controller import Controller

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    ctl = Controller(inbox, hostname="127.0.0.1", port=port)
    ctl.start()
    env = {"KH_SMTP_HOST": "127.0.0.1", "KH_SMTP_PORT": str(port), "KH_SMTP_TLS": "none",
           "KH_SMTP_FROM": "vanthu.cat@nghean.gov.vn", "KH_SMTP_CONFIG": str(tmp_path / "none.toml")}
    try:
        yield inbox, env
    finally:
        ctl.stop()


def _late(kh):
    late = kh.ok("overdue", *AS_OF, "-f", "json").json()
    return late, list(dict.fromkeys(r["assignee"] for r in late))


def test_one_letter_per_late_assignee_and_nothing_sent_without_send(kh_seeded, tmp_path, smtp):
    inbox, env = smtp
    late, names = _late(kh_seeded)
    kh_seeded.ok("assignee", "set-email", "na-2021", "Cục Hải quan", "vanthu@hq.nghean.gov.vn")
    out = tmp_path / "don-doc"
    r = kh_seeded.ok("remind", *AS_OF, "--by", "15/7/2021", "-o", out, "--from", "Công an tỉnh Nghệ An", env=env)
    assert inbox.mail == []  # a dry run
    assert len(r.out.strip().splitlines()) == len(names)
    assert "Cục Hải quan Nghệ An: 2 item(s) → vanthu@hq.nghean.gov.vn (not sent" in r.out
    letters = sorted(out.glob("*.docx"))
    assert len(letters) == len(names) and len(list(out.glob("*.txt"))) == len(names)
    doc = docx.Document(str(out / "don-doc-cuc-hai-quan-nghe-an.docx"))
    head = doc.tables[0].rows[0].cells
    assert "CÔNG AN TỈNH NGHỆ AN" in head[0].text and "V/v đôn đốc" in head[0].text
    assert "Độc lập - Tự do - Hạnh phúc" in head[1].text
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Kính gửi: Cục Hải quan Nghệ An." in body and "trước ngày 15/07/2021" in body
    rows = [[c.text for c in row.cells] for row in doc.tables[1].rows[1:]]
    mine = [x for x in late if x["assignee"] == "Cục Hải quan Nghệ An"]
    assert len(rows) == len(mine)
    for row, x in zip(rows, mine):
        assert row[1].startswith(x["obligation_name"]) and int(row[4]) == x["days_overdue"]
        if x["deadline_text"]:
            assert x["deadline_text"] in row[1]  # the due day as the plan wrote it
    text = (out / "don-doc-cuc-hai-quan-nghe-an.txt").read_text(encoding="utf-8")
    assert "Kính gửi: Cục Hải quan Nghệ An." in text and "quá hạn 142 ngày" in text


def test_send_delivers_each_text_to_its_address(kh_seeded, tmp_path, smtp):
    inbox, env = smtp
    _, names = _late(kh_seeded)
    for i, who in enumerate(names):
        kh_seeded.ok("assignee", "set-email", "na-2021", who, f"don-vi-{i}@nghean.gov.vn")
    kh_seeded.ok("remind", *AS_OF, "-o", tmp_path / "dd", "--send", env=env)
    assert len(inbox.mail) == len(names)
    to = {rcpt[0]: msg for rcpt, msg in inbox.mail}
    msg = to["don-vi-0@nghean.gov.vn"]
    assert msg["From"] == "vanthu.cat@nghean.gov.vn"
    assert "đôn đốc" in str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert f"Kính gửi: {names[0]}." in msg.get_payload(decode=True).decode("utf-8")


def test_send_is_refused_before_anything_when_an_address_or_the_server_is_missing(kh_seeded, tmp_path, smtp):
    inbox, env = smtp
    out = tmp_path / "dd"
    r = kh_seeded.refused("remind", *AS_OF, "-o", out, "--send", env=env)
    assert "no e-mail address for" in r.err and "kh assignee set-email" in r.err
    assert not out.exists() and inbox.mail == []
    _, names = _late(kh_seeded)
    for i, who in enumerate(names):
        kh_seeded.ok("assignee", "set-email", "na-2021", who, f"x{i}@nghean.gov.vn")
    r = kh_seeded.refused("remind", *AS_OF, "-o", out, "--send", env={**env, "KH_SMTP_HOST": ""})
    assert "no SMTP server set" in r.err and not out.exists()
    # A config file holding a password must be private.
    cfg = tmp_path / "smtp.toml"
    cfg.write_text('[smtp]\nhost = "127.0.0.1"\nfrom = "a@b.vn"\npassword = "bí mật"\n', encoding="utf-8")
    cfg.chmod(0o644)
    r = kh_seeded.refused("remind", *AS_OF, "-o", out, "--send",
                          env={"KH_SMTP_CONFIG": str(cfg), "KH_SMTP_HOST": "", "KH_SMTP_FROM": ""})
    assert "chmod 600" in r.err and "bí mật" not in r.err


def test_set_email_refuses_bad_input_and_writes_nothing(kh_seeded):
    before = store_fingerprint(kh_seeded.db)
    assert "not an e-mail address" in kh_seeded.refused("assignee", "set-email", "na-2021", "Sở Y tế", "syt@").err
    assert "did you mean" in kh_seeded.refused("assignee", "set-email", "na-2021", "Sở Y tê", "a@b.vn").err
    assert "na-2021" in kh_seeded.refused("assignee", "set-email", "na-2012", "Sở Y tế", "a@b.vn").err
    assert store_fingerprint(kh_seeded.db) == before
    out = kh_seeded.ok("assignee", "set-email", "na-2021", "sở y", "a@b.vn").out
    assert out.startswith("Sở Y tế: a@b.vn")
    assert "(was a@b.vn)" in kh_seeded.ok("assignee", "set-email", "na-2021", "Sở Y tế", "c@b.vn").out
    # the address survives importing the plan again
    from tests.conftest import SEEDS

    kh_seeded.ok("plan", "import", *SEEDS)
    assert "(was c@b.vn)" in kh_seeded.ok("assignee", "set-email", "na-2021", "Sở Y tế", "d@b.vn").out


def test_the_dry_run_speaks_vietnamese(kh_seeded, tmp_path):
    r = kh_seeded.ok("--lang", "vi", "remind", *AS_OF, "-o", tmp_path / "dd")
    assert "nội dung → chưa có địa chỉ thư" in r.out and "chưa gửi" in r.out


def test_a_by_day_in_the_past_is_refused(kh_seeded, tmp_path):
    r = kh_seeded.refused("remind", *AS_OF, "--by", "1/6/2021", "-o", tmp_path / "dd")
    assert "--by" in r.err and not (tmp_path / "dd").exists()


# A plan kh has not seen: its title in capitals with places in it, a task far longer than a
# table cell, a report owed by a body whose name is a proper noun.
LONG_TASK = ("Chủ trì, phối hợp với Bộ Chỉ huy Bộ đội Biên phòng tỉnh và Cục Hải quan Hà Giang rà soát, "
             "thống kê, phân loại người sử dụng trái phép chất ma túy tại xã Lũng Cú, huyện Đồng Văn; "
             "lập hồ sơ đưa người nghiện vào cơ sở cai nghiện bắt buộc theo quy định; báo cáo kết quả "
             "về Ban Chỉ đạo tỉnh trước ngày 20/3/2025 để tổng hợp, báo cáo Ủy ban nhân dân tỉnh Hà Giang.")
PLAN_CAPS = f'''format = 1
[plan]
id = "hg-caps"
number = "57/KH-UBND"
title = "TRIỂN KHAI THỰC HIỆN CHỈ THỊ SỐ 36-CT/TW TRÊN ĐỊA BÀN XÃ LŨNG CÚ, HUYỆN ĐỒNG VĂN, TỈNH HÀ GIANG NĂM 2025"
issuer = "UBND tỉnh Hà Giang"
level = "province"
issued_on = 2025-01-10
start = 2025-01-01
end = 2025-12-31
[[assignees]]
name = "Công an tỉnh Hà Giang"
kind = "agency"
[[assignees]]
name = "Đồn Biên phòng Lũng Cú"
kind = "agency"
[[tasks]]
ref = "II.1"
text = "{LONG_TASK}"
lead = ["Công an tỉnh Hà Giang"]
due = {{ date = 2025-03-20, relation = "before" }}
[[obligations]]
key = "bc-quy-1"
name = "Báo cáo kết quả công tác phòng, chống ma túy tại khu vực biên giới Lũng Cú quý I năm 2025"
owed_by = ["Đồn Biên phòng Lũng Cú"]
to = "Công an tỉnh Hà Giang"
deadline_text = "trước ngày 25/3/2025"
due = {{ date = 2025-03-25, relation = "before", covers = "2025-Q1" }}
'''


def test_a_letter_keeps_the_titles_capitals_and_never_cuts_an_item(kh, tmp_path):
    plan = tmp_path / "hg-caps.toml"
    plan.write_text(PLAN_CAPS, encoding="utf-8")
    kh.ok("plan", "import", plan)
    out = tmp_path / "dd"
    kh.ok("remind", "-p", "hg-caps", "--as-of", "2025-05-02", "-o", out, "--from", "Công an tỉnh Hà Giang")
    cited = ("Kế hoạch số 57/KH-UBND ngày 10/1/2025 của UBND tỉnh Hà Giang về triển khai thực hiện "
             "Chỉ thị số 36-CT/TW trên địa bàn xã Lũng Cú, huyện Đồng Văn, tỉnh Hà Giang năm 2025")
    task = docx.Document(str(out / "don-doc-cong-an-tinh-ha-giang.docx"))
    body = "\n".join(p.text for p in task.paragraphs)
    assert cited in body
    assert [c.text for c in task.tables[1].rows[0].cells] == ["STT", "Nội dung", "Kỳ", "Hạn", "Số ngày quá hạn"]
    cells = [c.text for row in task.tables[1].rows[1:] for c in row.cells]
    assert LONG_TASK in cells and not any("…" in c for c in cells)
    report = docx.Document(str(out / "don-doc-don-bien-phong-lung-cu.docx"))
    assert "Kính gửi: Đồn Biên phòng Lũng Cú." in "\n".join(p.text for p in report.paragraphs)
    text = (out / "don-doc-cong-an-tinh-ha-giang.txt").read_text(encoding="utf-8")
    assert cited in text and LONG_TASK in text and "…" not in text
    # The files carry the whole text too; only the terminal table cuts it.
    late = kh.ok("overdue", "-p", "hg-caps", "--as-of", "2025-05-02", "-f", "json").json()
    assert LONG_TASK in [r["obligation_name"] for r in late]
    assert LONG_TASK not in kh.ok("overdue", "-p", "hg-caps", "--as-of", "2025-05-02").out
    kh.ok("overdue", "-p", "hg-caps", "--as-of", "2025-05-02", "-f", "docx", "-o", tmp_path / "qh.docx")
    listed = [c.text for row in docx.Document(str(tmp_path / "qh.docx")).tables[1].rows for c in row.cells]
    assert any("huyện Đồng Văn, tỉnh Hà Giang năm 2025" in c for c in listed)
    assert any(LONG_TASK in c for c in listed) and not any("…" in c for c in listed)
