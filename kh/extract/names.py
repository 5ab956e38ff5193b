"""Names of the bodies a plan gives work to: "Công an tỉnh", "Sở Y tế", "UBND các huyện, thành phố".

A name starts with a head word (Sở, Công an, Ủy ban, Ban, Hội, …) or with "Các" and a kind of body
("Các sở, ban, ngành …"). In the PHÂN CÔNG sections the heading of each numbered item is the name
(up to its colon, or up to its first verb); elsewhere a name is found after "phối hợp với",
"gửi về", "báo cáo", "qua" and ends at the first word that cannot belong to a name.
"""

from __future__ import annotations

from kh.extract import phrases as ph
from kh.text import fold, strip_accents

_LOWER_OK = {"nhân", "dân", "tỉnh", "huyện", "xã", "thị", "phường", "thành", "phố", "và", "các",
             "cấp", "-", "–", "&", "mô", "hình", "quân", "sự", "đội", "thông", "tin",
             "truyền", "của", "thành viên", "an", "tổ", "quốc", "việt", "nam", "tư", "pháp", "y", "tế",
             "nội", "vụ", "đào", "tạo", "đầu", "tư", "chính", "trị", "xã hội", "lao", "động",
             "thương", "binh", "hội", "đoàn", "thể", "ngành", "ban", "sở", "khác", "còn", "lại",
             "liên", "quan", "có", "138", "khu", "vực", "kiểm", "sát", "án", "vùng", "biển",
             # "Ngân hàng Chính sách xã hội", "Cục Cảnh sát điều tra tội phạm về ma túy", "Ban Chỉ đạo"
             "sách", "tra", "tội", "phạm", "về", "ma", "túy", "đạo", "huy", "hải",
             "phòng", "chống", "giáo", "dục", "văn", "hóa", "thể", "thao", "du", "lịch", "trấn"}


def kind_of(name: str) -> str:
    """The assignee kind docs/plan-format.md asks for, from the name's head word."""
    f = fold(name)
    if f.startswith(("ủy ban nhân dân", "ubnd", "uỷ ban nhân dân")):
        return "local_government"
    if f.startswith("các ") or f.startswith(("trung ương",)):
        return "group"
    if f.startswith(("trưởng", "chủ tịch", "tổ trưởng")):
        return "person"
    if f.startswith(("hội", "tỉnh đoàn", "thành đoàn", "huyện đoàn", "đoàn", "liên đoàn", "mặt trận",
                     "ủy ban mặt trận", "ubmttq", "uỷ ban mặt trận")):
        return "organisation"
    return "agency"


def key(name: str) -> str:
    """How names are compared: folded, without tone marks (hoá = hóa, Uỷ = Ủy) or đ→d, and
    without a courtesy "đề nghị" in front."""
    f = fold(name)
    f = ph.ASKED_FOLDED.sub("", f)
    return strip_accents(f).replace("ubnd", "uy ban nhan dan").strip(" .:;,")


def heading_name(body: str) -> str | None:
    """The body named by the heading of a PHÂN CÔNG item: "Sở Y tế", "Đề nghị Tỉnh đoàn, Hội …:
    Trên cơ sở …" → "Tỉnh đoàn, Hội …"; None when the item does not start with a name."""
    s = body.replace("*", "").strip()
    s = ph.ASKED.sub("", s)
    if not (ph.BODY_HEAD.match(s) or ph.BODY_GROUP.match(s) or s[:1].isupper()):
        return None
    colon = s.find(":")
    if 0 < colon < 260:
        name = s[:colon]
    elif len(s.split()) <= 40 and not s.rstrip().endswith((".", ";")):
        name = s  # a heading line of its own: "16. Đề nghị Tỉnh đoàn, Hội …, Liên đoàn lao động tỉnh"
    else:
        inside = [(x.start(), x.end()) for x in ph.VERB_IN_NAME.finditer(s)]
        # "các tổ chức chính trị - xã hội": after "các", a verb's word is a noun of the name.
        m = next((v for v in ph.NAME_VERB.finditer(s) if not any(a <= v.start() < b for a, b in inside)
                  and not s[:v.start()].endswith((" các", " Các"))), None)
        if not m or m.start() > 200:
            return None
        name = s[:m.start()]
    name = name.strip(" .:;,-")
    # "Công an tỉnh (Cơ quan Thường trực …)", "Công an huyện - Cơ quan Thường trực …": the name is
    # before the brackets or the dash that gives its role.
    name = ph.ROLE_IN_BRACKETS.sub("", name).strip(" .:;,-")
    name = ph.STANDING_BODY.sub("", name).strip(" .:;,-")
    if not (ph.BODY_HEAD.match(name) or ph.BODY_GROUP.match(name)):
        return None
    if len(name.split()) > 40:
        return None
    return name


def split_names(name: str) -> list[tuple[str, list[str]]]:
    """One heading may name several bodies: "Viện kiểm sát nhân dân, Tòa án nhân dân tỉnh" →
    both ("tỉnh", which qualifies each, makes an alias of the first); "Sở Lao động, Thương binh và
    Xã hội" stays one name (what follows its comma is not a head word). Returns (name, aliases)."""
    pieces = ph.NAME_SEPARATORS.split(name)
    out: list[str] = []
    for i in range(0, len(pieces), 2):
        part, sep = pieces[i].strip(), (pieces[i - 1] if i else "")
        starts = bool(ph.BODY_HEAD.match(part) or ph.BODY_GROUP.match(part)) and len(part.split()) >= 2
        joined = out and (len(out[-1].split()) == 1  # "Báo và Đài …": a lone head word is no name
                          or ph.ENDS_WITH_COUNCIL.search(out[-1]))  # Văn phòng HĐND và UBND
        if out and starts and not joined:
            out.append(part)
        elif out:
            out[-1] += sep.replace(";", ",") + part  # not a name of its own: it continues the last one
        else:
            out.append(part)
    out = [o[0].upper() + o[1:] for o in out if o]
    named = [(o, []) for o in out]
    if len(out) == 2:
        m = ph.LEVEL_AT_END.search(out[1])
        if m and not ph.LEVEL_AT_END.search(out[0]):
            named[0] = (out[0], [f"{out[0]} {m.group(1)}"])
    return named


def names_in(text: str, known: dict[str, str]) -> list[str]:
    """Bodies named inside a sentence, in order: the plan's known names (``key`` → name) first,
    then any head word followed by a capitalised run ("Bộ Thông tin và Truyền thông")."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []
    low = key(text)
    for k, name in sorted(known.items(), key=lambda kv: -len(kv[0])):
        for m in ph.whole_words(k).finditer(low):
            if any(a <= m.start() < b for a, b in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), name))
    for m in ph.BODY_HEAD.finditer(text):
        pos = len(key(text[:m.start()])) if m.start() else 0
        if any(a <= pos + 1 < b or a <= pos < b for a, b in taken):
            continue
        name = name_run(text[m.start():])
        if name and len(name.split()) >= 2:
            found.append((pos, name))
            taken.append((pos, pos + len(key(name))))
    found.sort()
    out: list[str] = []
    for _, n in found:
        if n not in out:
            out.append(n)
    return out


def name_run(s: str) -> str:
    """The longest name at the start of ``s``: head word, then capitalised words, figures and the
    few lower-case words names are made of; "và" only before a capital."""
    words = s.split()
    out: list[str] = []
    for i, w in enumerate(words):
        bare = w.strip(",.;:()“”\"*")
        if not bare:
            break
        rest = " " + " ".join(words[i:i + 8])
        if i >= 2 and not bare[:1].isupper() and ph.NAME_VERB.match(rest) and not ph.VERB_IN_NAME.match(rest):
            break  # "UBND các xã, thị trấn tổ chức …": the name ends before what it is asked to do
        if i < 2 or bare[:1].isupper() or bare[:1].isdigit():
            pass
        elif bare in ("và",):
            # "Bộ Thông tin và Truyền thông" is one name; "Ủy ban nhân dân tỉnh và Bộ Công an" two.
            nxt = " ".join(words[i + 1:i + 3])
            if not nxt[:1].isupper() or ph.BODY_HEAD.match(nxt):
                break
        elif bare.lower() == "điều" and i + 1 < len(words) and words[i + 1].strip(",.;:()") == "tra":
            pass  # "Cục Cảnh sát điều tra …", not "… điều chỉnh"
        elif bare.lower() == "kiểm" and not (i + 1 < len(words) and words[i + 1].strip(",.;:()") == "sát"):
            break  # "Viện kiểm sát", not "… kiểm soát chặt chẽ"
        elif bare.lower() not in _LOWER_OK:
            break
        # "Công an huyện, thành phố": a comma before "thành"/"thị" stays inside the name.
        if w.endswith(",") and i + 1 < len(words) and words[i + 1] in ("thành", "thị"):
            out.append(bare + ",")
            continue
        out.append(bare)
        if w != bare and w.rstrip(",.;:)”\"*") == bare and w[len(bare):][:1] in ",.;:)":
            break
    while out and (out[-1].lower() in ("và", "các", "của", "-", "–", "có", "liên", "cấp", "về", "phòng", "chống")
                   or (out[-1] == "tạo" and len(out) > 1 and out[-2].lower() != "đào")):
        out.pop()
    return " ".join(out)
