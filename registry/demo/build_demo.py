"""Build the demo province (tỉnh Sông Lam, fictional) data files, checked against the rules.

Run from the project root: `.venv/bin/python registry/demo/build_demo.py`. The output is fixed for
the seed below; the files written next to this script are the product, this script only makes
them reproducible. Before writing, every grant is checked against the grant rules and every act is
traced by a small reference tracer, so each `expected_verdict` is what the rules say.
"""

from __future__ import annotations

import csv
import json
import random
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 2025
OUT = Path(__file__).resolve().parent
LOCAL = timedelta(hours=7)  # Asia/Ho_Chi_Minh, no daylight saving


def day(text: str, hour: int = 0, minute: int = 0) -> str:
    """Local (UTC+7) date and time of day as an ISO UTC instant: '2025-07-01' -> 30 June 17:00Z."""
    local = datetime.fromisoformat(text).replace(hour=hour, minute=minute, tzinfo=UTC)
    return (local - LOCAL).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(instant: str) -> datetime:
    return datetime.fromisoformat(instant.replace("Z", "+00:00"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------

PROVINCE = "Sông Lam"
PROVINCE_EN = "Song Lam"
FROM_OLD = day("2004-04-01")  # HĐND/UBND tỉnh: long-standing bodies
FROM_REORG = day("2025-03-01")  # departments re-formed by the March 2025 mergers
FROM_TWO_TIER = day("2025-07-01")  # communes of the two-tier system


@dataclass
class Unit:
    code: str
    name_vi: str
    name_en: str
    kind: str
    tier: str
    parent_code: str
    works_collectively: bool
    valid_from: str
    valid_to: str = ""


@dataclass
class Position:
    code: str
    unit_code: str
    title_vi: str
    title_en: str
    is_head: bool
    is_deputy: bool
    valid_from: str
    valid_to: str = ""


UNITS: list[Unit] = []
POSITIONS: list[Position] = []


def unit(*args: Any, **kwargs: Any) -> Unit:
    made = Unit(*args, **kwargs)
    UNITS.append(made)
    return made


def post(
    unit_code: str,
    suffix: str,
    title_vi: str,
    title_en: str,
    *,
    head: bool = False,
    deputy: bool = False,
    valid_from: str | None = None,
    valid_to: str = "",
) -> Position:
    owner = next(u for u in UNITS if u.code == unit_code)
    made = Position(
        f"{unit_code}.{suffix}",
        unit_code,
        title_vi,
        title_en,
        head,
        deputy,
        valid_from or owner.valid_from,
        valid_to or owner.valid_to,
    )
    POSITIONS.append(made)
    return made


unit(
    "HDND-T",
    f"Hội đồng nhân dân tỉnh {PROVINCE}",
    f"People's Council of {PROVINCE_EN} Province",
    "people_council",
    "province",
    "",
    True,
    FROM_OLD,
)
unit(
    "UBND-T",
    f"Ủy ban nhân dân tỉnh {PROVINCE}",
    f"People's Committee of {PROVINCE_EN} Province",
    "people_committee",
    "province",
    "HDND-T",
    True,
    FROM_OLD,
)
unit(
    "VP-UBND",
    "Văn phòng Ủy ban nhân dân tỉnh",
    "Office of the Provincial People's Committee",
    "office",
    "province",
    "UBND-T",
    False,
    FROM_REORG,
)

# code, name_vi, name_en, kind, head post, head title vi/en, deputies
DEPARTMENTS: list[tuple[str, str, str, str, int]] = [
    ("STC", "Sở Tài chính", "Department of Finance", "department", 3),
    ("SXD", "Sở Xây dựng", "Department of Construction", "department", 3),
    (
        "SNNMT",
        "Sở Nông nghiệp và Môi trường",
        "Department of Agriculture and Environment",
        "department",
        3,
    ),
    ("SYT", "Sở Y tế", "Department of Health", "department", 2),
    ("SGDDT", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "department", 2),
    ("STP", "Sở Tư pháp", "Department of Justice", "department", 1),
    ("SNV", "Sở Nội vụ", "Department of Home Affairs", "department", 2),
    ("SCT", "Sở Công Thương", "Department of Industry and Trade", "department", 1),
    (
        "SVHTTDL",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
        "department",
        1,
    ),
    ("SKHCN", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "department", 1),
    ("TTR-T", "Thanh tra tỉnh", "Provincial Inspectorate", "inspectorate", 1),
    (
        "BQL-KCN",
        "Ban Quản lý các khu công nghiệp tỉnh",
        "Industrial Zones Management Board",
        "board",
        1,
    ),
]
for code, name_vi, name_en, kind, _ in DEPARTMENTS:
    unit(code, name_vi, name_en, kind, "province", "UBND-T", False, FROM_REORG)
unit(
    "SKHDT",
    "Sở Kế hoạch và Đầu tư",
    "Department of Planning and Investment",
    "department",
    "province",
    "UBND-T",
    False,
    day("2008-04-01"),
    FROM_REORG,
)

DIVISIONS = [
    ("STC-DKKD", "STC", "Phòng Đăng ký kinh doanh", "Business Registration Division"),
    ("SXD-QLXD", "SXD", "Phòng Quản lý xây dựng", "Construction Management Division"),
    ("SNNMT-QLDD", "SNNMT", "Phòng Quản lý đất đai", "Land Management Division"),
    ("STP-HCTP", "STP", "Phòng Hành chính tư pháp", "Judicial Administration Division"),
]
for code, parent, name_vi, name_en in DIVISIONS:
    unit(
        code,
        name_vi + " - " + next(u.name_vi for u in UNITS if u.code == parent),
        f"{name_en}, " + next(u.name_en for u in UNITS if u.code == parent),
        "division",
        "province",
        parent,
        False,
        FROM_REORG,
    )

unit(
    "VPDKDD",
    "Văn phòng Đăng ký đất đai tỉnh",
    "Provincial Land Registration Office",
    "public_service_unit",
    "province",
    "SNNMT",
    False,
    FROM_REORG,
)
unit(
    "TTPVHCC",
    "Trung tâm Phục vụ hành chính công tỉnh",
    "Provincial Public Administrative Service Centre",
    "public_service_unit",
    "province",
    "VP-UBND",
    False,
    FROM_REORG,
)
unit(
    "BVDK-T",
    "Bệnh viện Đa khoa tỉnh",
    "Provincial General Hospital",
    "public_service_unit",
    "province",
    "SYT",
    False,
    FROM_OLD,
)

# code, kind, name (without the kind word), deputies of the chairman
COMMUNES: list[tuple[str, str, str, int]] = [
    ("P-DONG-HAI", "ward", "Đông Hải", 2),
    ("P-DA-GIANG", "ward", "Đà Giang", 2),
    ("P-BAC-SON", "ward", "Bắc Sơn", 2),
    ("P-NAM-THANH", "ward", "Nam Thành", 2),
    ("P-TAN-LAP", "ward", "Tân Lập", 1),
    ("P-HOA-BINH", "ward", "Hòa Bình", 1),
    ("XA-AN-PHU", "commune", "An Phú", 1),
    ("XA-YEN-HOA", "commune", "Yên Hòa", 1),
    ("XA-THANH-LUONG", "commune", "Thanh Lương", 1),
    ("XA-HUNG-DAO", "commune", "Hưng Đạo", 1),
    ("XA-QUYNH-LAM", "commune", "Quỳnh Lâm", 1),
    ("XA-CAT-VAN", "commune", "Cát Văn", 1),
    ("XA-MINH-KHAI", "commune", "Minh Khai", 1),
    ("XA-LAC-SON", "commune", "Lạc Sơn", 1),
    ("XA-DUC-THINH", "commune", "Đức Thịnh", 1),
    ("XA-TAM-HOP", "commune", "Tam Hợp", 1),
    ("XA-CHAU-PHONG", "commune", "Châu Phong", 1),
    ("XA-MUONG-QUANG", "commune", "Mường Quàng", 1),
    ("XA-DA-LOC", "commune", "Đà Lộc", 1),
    ("DK-HON-MAY", "special_zone", "Hòn Mây", 2),
]
KIND_WORD = {
    "ward": ("phường", "Ward"),
    "commune": ("xã", "Commune"),
    "special_zone": ("đặc khu", "Special Zone"),
}


def ascii_name(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


for code, kind, name, _ in COMMUNES:
    word_vi, word_en = KIND_WORD[kind]
    unit(
        code,
        f"Ủy ban nhân dân {word_vi} {name}",
        f"People's Committee of {ascii_name(name)} {word_en}",
        kind,
        "commune",
        "UBND-T",
        True,
        FROM_TWO_TIER,
    )
    unit(
        f"HDND-{code}",
        f"Hội đồng nhân dân {word_vi} {name}",
        f"People's Council of {ascii_name(name)} {word_en}",
        "people_council",
        "commune",
        code,
        True,
        FROM_TWO_TIER,
    )

# Positions ----------------------------------------------------------------------------------
post(
    "HDND-T",
    "CT",
    f"Chủ tịch Hội đồng nhân dân tỉnh {PROVINCE}",
    "Chairman of the Provincial People's Council",
    head=True,
)
post(
    "HDND-T",
    "PCT1",
    f"Phó Chủ tịch Hội đồng nhân dân tỉnh {PROVINCE}",
    "Vice-Chairman of the Provincial People's Council",
    deputy=True,
)
post(
    "UBND-T",
    "CT",
    f"Chủ tịch Ủy ban nhân dân tỉnh {PROVINCE}",
    "Chairman of the Provincial People's Committee",
    head=True,
)
for n in range(1, 5):
    post(
        "UBND-T",
        f"PCT{n}",
        f"Phó Chủ tịch Ủy ban nhân dân tỉnh {PROVINCE}",
        "Vice-Chairman of the Provincial People's Committee",
        deputy=True,
    )
post("VP-UBND", "CVP", "Chánh Văn phòng Ủy ban nhân dân tỉnh", "Chief of Office", head=True)
post(
    "VP-UBND",
    "PCVP1",
    "Phó Chánh Văn phòng Ủy ban nhân dân tỉnh",
    "Deputy Chief of Office",
    deputy=True,
)
HEAD_TITLES = {
    "department": ("Giám đốc", "Director", "GD", "Phó Giám đốc", "Deputy Director", "PGD"),
    "inspectorate": (
        "Chánh Thanh tra",
        "Chief Inspector",
        "CTT",
        "Phó Chánh Thanh tra",
        "Deputy Chief Inspector",
        "PCTT",
    ),
    "board": ("Trưởng ban", "Head", "TB", "Phó Trưởng ban", "Deputy Head", "PTB"),
}
for code, name_vi, name_en, kind, deputies in DEPARTMENTS:
    hv, he, hp, dv, de, dp = HEAD_TITLES[kind]
    post(code, hp, f"{hv} {name_vi}", f"{he}, {name_en}", head=True)
    for n in range(1, deputies + 1):
        post(code, f"{dp}{n}", f"{dv} {name_vi}", f"{de}, {name_en}", deputy=True)
post(
    "SKHDT",
    "GD",
    "Giám đốc Sở Kế hoạch và Đầu tư",
    "Director, Department of Planning and Investment",
    head=True,
)
for code, _parent, name_vi, name_en in DIVISIONS:
    post(code, "TP", f"Trưởng {name_vi[0].lower()}{name_vi[1:]}", f"Head, {name_en}", head=True)
post(
    "VPDKDD",
    "GD",
    "Giám đốc Văn phòng Đăng ký đất đai tỉnh",
    "Director, Provincial Land Registration Office",
    head=True,
)
post(
    "VPDKDD",
    "PGD1",
    "Phó Giám đốc Văn phòng Đăng ký đất đai tỉnh",
    "Deputy Director, Provincial Land Registration Office",
    deputy=True,
)
post(
    "TTPVHCC",
    "GD",
    "Giám đốc Trung tâm Phục vụ hành chính công tỉnh",
    "Director, Provincial Public Administrative Service Centre",
    head=True,
)
post(
    "BVDK-T",
    "GD",
    "Giám đốc Bệnh viện Đa khoa tỉnh",
    "Director, Provincial General Hospital",
    head=True,
)
for code, kind, name, deputies in COMMUNES:
    word_vi, word_en = KIND_WORD[kind]
    post(
        code,
        "CT",
        f"Chủ tịch Ủy ban nhân dân {word_vi} {name}",
        f"Chairman, People's Committee of {ascii_name(name)} {word_en}",
        head=True,
    )
    for n in range(1, deputies + 1):
        post(
            code,
            f"PCT{n}",
            f"Phó Chủ tịch Ủy ban nhân dân {word_vi} {name}",
            f"Vice-Chairman, People's Committee of {ascii_name(name)} {word_en}",
            deputy=True,
        )
    post(
        f"HDND-{code}",
        "CT",
        f"Chủ tịch Hội đồng nhân dân {word_vi} {name}",
        f"Chairman, People's Council of {ascii_name(name)} {word_en}",
        head=True,
    )

UNIT_BY = {u.code: u for u in UNITS}
POSITION_BY = {p.code: p for p in POSITIONS}


def head_of(unit_code: str) -> str:
    return next(p.code for p in POSITIONS if p.unit_code == unit_code and p.is_head)


# --------------------------------------------------------------------------------------------
# Instruments
# --------------------------------------------------------------------------------------------


@dataclass
class Instrument:
    number: str
    type: str
    normative: bool
    title_vi: str
    title_en: str
    issuing_unit_code: str
    signer_official_code: str
    signer_position_code: str
    signature_form: str
    signed_at: str
    effective_from: str
    effective_to: str
    public: bool


INSTRUMENTS: dict[str, Instrument] = {}


def law(number: str, type_: str, title_vi: str, title_en: str, signed: str, effective: str) -> str:
    INSTRUMENTS[number] = Instrument(
        number,
        type_,
        True,
        title_vi,
        title_en,
        "",
        "",
        "",
        "",
        day(signed, 9),
        day(effective),
        "",
        True,
    )
    return number


law(
    "72/2025/QH15",
    "law",
    "Luật Tổ chức chính quyền địa phương",
    "Law on Organisation of Local Government",
    "2025-06-16",
    "2025-07-01",
)
law("31/2024/QH15", "law", "Luật Đất đai", "Land Law", "2024-01-18", "2024-08-01")
law("50/2014/QH13", "law", "Luật Xây dựng", "Construction Law", "2014-06-18", "2015-01-01")
law("61/2020/QH14", "law", "Luật Đầu tư", "Investment Law", "2020-06-17", "2021-01-01")
law("58/2024/QH15", "law", "Luật Đầu tư công", "Public Investment Law", "2024-11-29", "2025-01-01")
law(
    "15/2017/QH14",
    "law",
    "Luật Quản lý, sử dụng tài sản công",
    "Law on Management and Use of Public Property",
    "2017-06-21",
    "2018-01-01",
)
law("59/2020/QH14", "law", "Luật Doanh nghiệp", "Law on Enterprises", "2020-06-17", "2021-01-01")
law(
    "15/2023/QH15",
    "law",
    "Luật Khám bệnh, chữa bệnh",
    "Law on Medical Examination and Treatment",
    "2023-01-09",
    "2024-01-01",
)
law("105/2016/QH13", "law", "Luật Dược", "Law on Pharmacy", "2016-04-06", "2017-01-01")
law("43/2019/QH14", "law", "Luật Giáo dục", "Education Law", "2019-06-14", "2020-07-01")
law("60/2014/QH13", "law", "Luật Hộ tịch", "Law on Civil Status", "2014-11-20", "2016-01-01")
law(
    "28/2009/QH12",
    "law",
    "Luật Lý lịch tư pháp",
    "Law on Judicial Records",
    "2009-06-17",
    "2010-07-01",
)
law(
    "72/2020/QH14",
    "law",
    "Luật Bảo vệ môi trường",
    "Law on Environmental Protection",
    "2020-11-17",
    "2022-01-01",
)
law("79/2015/QH13", "law", "Luật Thú y", "Veterinary Law", "2015-06-19", "2016-07-01")
law("35/2024/QH15", "law", "Luật Đường bộ", "Road Law", "2024-06-27", "2025-01-01")
law("45/2019/QH14", "law", "Bộ luật Lao động", "Labour Code", "2019-11-20", "2021-01-01")
law("09/2017/QH14", "law", "Luật Du lịch", "Law on Tourism", "2017-06-19", "2018-01-01")
law(
    "15/2012/QH13",
    "law",
    "Luật Xử lý vi phạm hành chính",
    "Law on Handling Administrative Violations",
    "2012-06-20",
    "2013-07-01",
)
law(
    "23/2015/NĐ-CP",
    "decree",
    "Nghị định về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản "
    "chính, chứng thực chữ ký và chứng thực hợp đồng, giao dịch",
    "Decree on copies from master "
    "registers, certification of copies, signatures, contracts and transactions",
    "2015-02-16",
    "2015-04-10",
)
law(
    "83/2014/NĐ-CP",
    "decree",
    "Nghị định về kinh doanh xăng dầu",
    "Decree on petroleum trading",
    "2014-09-03",
    "2014-11-01",
)
# Fictional resolution for the fictional province's special zone (devolution by the NA).
law(
    "268/2025/QH15",
    "na_resolution",
    f"Nghị quyết của Quốc hội về thí điểm một số cơ chế, chính "
    f"sách đặc thù phát triển đặc khu Hòn Mây, tỉnh {PROVINCE}",
    "National Assembly resolution "
    "piloting special mechanisms and policies for the development of Hon May Special Zone",
    "2025-06-27",
    "2025-07-01",
)

# Officials are needed before the provincial instruments (signers); see below.

# --------------------------------------------------------------------------------------------
# Officials and assignments
# --------------------------------------------------------------------------------------------

FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trịnh",
    "Cao",
    "Lương",
]
FAMILY_WEIGHTS = [30, 11, 9, 7, 5, 2, 4, 3, 3, 3, 3, 3, 2, 2, 2, 1, 2, 1, 1, 1]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Thanh", "Xuân", "Công", "Ngọc", "Hoàng"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Kim"]
GIVEN_M = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hải",
    "Hùng",
    "Huy",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phúc",
    "Quân",
    "Sơn",
    "Thắng",
    "Thành",
    "Trung",
    "Tuấn",
    "Tùng",
    "Việt",
    "Vinh",
    "Hiếu",
    "Lâm",
    "Toàn",
    "Đạt",
    "Hưng",
    "Kiên",
]
GIVEN_F = [
    "Anh",
    "Bích Ngọc",
    "Chi",
    "Dung",
    "Hà",
    "Hằng",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Oanh",
    "Phương",
    "Thảo",
    "Thủy",
    "Trang",
    "Vân",
    "Yến",
]


@dataclass
class Official:
    code: str
    full_name: str
    display_name: str
    staff_number: str
    email: str
    phone: str


@dataclass
class Assignment:
    official_code: str
    position_code: str
    valid_from: str
    valid_to: str
    instrument_number: str


OFFICIALS: list[Official] = []
ASSIGNMENTS: list[Assignment] = []
RNG = random.Random(SEED)


def new_official() -> Official:
    used = {o.full_name for o in OFFICIALS}
    while True:
        female = RNG.random() < 0.3
        family = RNG.choices(FAMILY, FAMILY_WEIGHTS)[0]
        middle = RNG.choice(MIDDLE_F if female else MIDDLE_M)
        given = RNG.choice(GIVEN_F if female else GIVEN_M)
        full = nfc(f"{family} {middle} {given}")
        if full not in used:
            break
    number = len(OFFICIALS) + 1
    parts = ascii_name(full).lower().split()
    email = f"{parts[-1]}{''.join(p[0] for p in parts[:-1])}.{number:04d}@songlam.gov.vn"
    phone = "09" + "".join(str(RNG.randrange(10)) for _ in range(8))
    made = Official(
        f"CB-{number:04d}", full, full, f"SL-{RNG.randrange(1995, 2021)}-{number:05d}", email, phone
    )
    OFFICIALS.append(made)
    return made


class NumberBook:
    """Hands out instrument and act numbers per symbol and year, never the same number twice."""

    def __init__(self) -> None:
        self.next: dict[tuple[str, int], int] = {}
        self.used: set[str] = set()

    def take(self, symbol: str, year: int, start: int = 1, *, with_year: bool = False) -> str:
        key = (symbol, year)
        n = max(self.next.get(key, start), start)
        while True:
            number = f"{n:02d}/{year}/{symbol}" if with_year else f"{n}/{symbol}"
            n += RNG.choice((1, 1, 1, 2, 3, 5))
            if number not in self.used and number not in INSTRUMENTS:
                break
        self.next[key] = n
        self.used.add(number)
        return number


BOOK = NumberBook()
# Assignment instruments, created lazily: (number -> instrument), signer filled after officials.
PENDING_ASSIGNMENT_INSTRUMENTS: list[tuple[str, str, str, str]] = []


def assign(official: Official, position: str, start: str, end: str = "") -> None:
    """Record an assignment and the decision (or council resolution) behind it."""
    unit_code = POSITION_BY[position].unit_code
    year = int(start[:4]) if start[5:7] != "12" or start[8:10] != "31" else int(start[:4]) + 1
    elected = POSITION_BY[position].code.split(".")[1] in {"CT", "PCT1", "PCT2", "PCT3", "PCT4"}
    if unit_code == "HDND-T" or (unit_code == "UBND-T" and elected):
        number = BOOK.take("NQ-HĐND", year, 30)
        kind = "council_resolution"
        title = f"Nghị quyết xác nhận kết quả bầu chức danh {POSITION_BY[position].title_vi}"
    else:
        number = BOOK.take("QĐ-UBND", year, 300 if year == 2025 else 40)
        kind = "decision"
        verb = "phê chuẩn kết quả bầu" if elected else "bổ nhiệm"
        title = f"Quyết định {verb} {POSITION_BY[position].title_vi}"
    PENDING_ASSIGNMENT_INSTRUMENTS.append((number, kind, title, start))
    ASSIGNMENTS.append(Assignment(official.code, position, start, end, number))


CT_T = new_official()  # Chairman of the provincial People's Committee
assign(CT_T, "UBND-T.CT", day("2021-06-25"))
CT_HDND = new_official()
assign(CT_HDND, "HDND-T.CT", day("2021-06-25"))
assign(new_official(), "HDND-T.PCT1", day("2021-06-25"))
PCT = {}
for n in (1, 2, 3):
    PCT[n] = new_official()
    assign(PCT[n], f"UBND-T.PCT{n}", day("2021-06-25" if n != 3 else "2023-05-12"))
OLD_SKHDT = new_official()
assign(OLD_SKHDT, "SKHDT.GD", day("2021-09-01"), FROM_REORG)
HOLDER: dict[str, Official] = {"UBND-T.CT": CT_T, **{f"UBND-T.PCT{n}": PCT[n] for n in PCT}}
for p in POSITIONS:
    if p.code in HOLDER or p.unit_code in {"HDND-T", "SKHDT"} or p.code == "UBND-T.PCT4":
        continue
    if p.code in {"SYT.PGD2", "P-DONG-HAI.PCT1"}:
        continue  # handled with the transfers below
    if p.code == "STC.GD":
        HOLDER[p.code] = OLD_SKHDT  # the old planning director leads the merged finance dept
        assign(OLD_SKHDT, p.code, FROM_REORG)
        continue
    official = new_official()
    HOLDER[p.code] = official
    assign(
        official, p.code, p.valid_from if p.valid_from > day("2020-01-01") else day("2022-03-01")
    )

# Transfers: an assignment ends and another starts the same instant (the next local day).
TRANSFER_1 = day("2025-10-01")
# Chairman of Đông Hải becomes the fourth provincial Vice-Chairman; his first deputy replaces him.
dong_hai_ct = HOLDER["P-DONG-HAI.CT"]
ASSIGNMENTS[:] = [a for a in ASSIGNMENTS if a.position_code != "P-DONG-HAI.CT"]
assign(dong_hai_ct, "P-DONG-HAI.CT", FROM_TWO_TIER, TRANSFER_1)
assign(dong_hai_ct, "UBND-T.PCT4", TRANSFER_1)
dong_hai_pct1 = new_official()
assign(dong_hai_pct1, "P-DONG-HAI.PCT1", FROM_TWO_TIER, TRANSFER_1)
assign(dong_hai_pct1, "P-DONG-HAI.CT", TRANSFER_1)
assign(new_official(), "P-DONG-HAI.PCT1", day("2025-11-17"))
HOLDER["UBND-T.PCT4"] = dong_hai_ct
# Director of Construction moves to Agriculture and Environment; his first deputy is promoted.
TRANSFER_2 = day("2026-02-01")
sxd_gd, snnmt_gd, sxd_pgd1 = HOLDER["SXD.GD"], HOLDER["SNNMT.GD"], HOLDER["SXD.PGD1"]
for a in ASSIGNMENTS:
    if a.position_code in {"SXD.GD", "SNNMT.GD", "SXD.PGD1"}:
        a.valid_to = TRANSFER_2
assign(sxd_gd, "SNNMT.GD", TRANSFER_2)
assign(sxd_pgd1, "SXD.GD", TRANSFER_2)
SNNMT_GD_RETIRED = snnmt_gd  # retires on the transfer date (no further assignment)
assign(new_official(), "SXD.PGD1", day("2026-03-02"))
# A Deputy Director of Finance is rotated to chair An Phú commune.
TRANSFER_3 = day("2025-08-15")
stc_pgd2, an_phu_ct = HOLDER["STC.PGD2"], HOLDER["XA-AN-PHU.CT"]
for a in ASSIGNMENTS:
    if a.position_code in {"STC.PGD2", "XA-AN-PHU.CT"}:
        a.valid_to = TRANSFER_3
assign(stc_pgd2, "XA-AN-PHU.CT", TRANSFER_3)
assign(an_phu_ct, "STC.PGD2", TRANSFER_3)  # a swap of posts
# The vacancy: the second Deputy Director of Health retires on 1 March 2026 and is not replaced.
VACANCY_FROM = day("2026-03-01")
syt_pgd2 = new_official()
assign(syt_pgd2, "SYT.PGD2", FROM_REORG, VACANCY_FROM)


def holder_at(position: str, instant: str) -> str | None:
    for a in ASSIGNMENTS:
        if (
            a.position_code == position
            and a.valid_from <= instant
            and (not a.valid_to or instant < a.valid_to)
        ):
            return a.official_code
    return None


def instrument(
    number: str,
    type_: str,
    normative: bool,
    title_vi: str,
    title_en: str,
    issuer: str,
    signer_position: str,
    form: str,
    signed: str,
    effective: str,
    effective_to: str = "",
) -> str:
    signer = holder_at(signer_position, signed) if signer_position else ""
    if signer_position and signer is None:
        raise AssertionError(f"nobody holds {signer_position} on {signed} for {number}")
    INSTRUMENTS[number] = Instrument(
        number,
        type_,
        normative,
        nfc(title_vi),
        title_en,
        issuer,
        signer or "",
        signer_position,
        form,
        signed,
        effective,
        effective_to,
        True,
    )
    return number


for number, kind, title, start in PENDING_ASSIGNMENT_INSTRUMENTS:
    signed = (parse(start) - timedelta(days=RNG.randrange(3, 12))).strftime("%Y-%m-%dT02:30:00Z")
    if not holder_at("HDND-T.CT" if kind == "council_resolution" else "UBND-T.CT", signed):
        signed = (parse(start) + timedelta(hours=9, minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "council_resolution":
        instrument(
            number,
            kind,
            False,
            title,
            "People's Council resolution confirming an election",
            "HDND-T",
            "HDND-T.CT",
            "direct",
            signed,
            start,
        )
    else:
        signer = "UBND-T.CT" if holder_at("UBND-T.CT", signed) else "UBND-T.PCT1"
        instrument(
            number,
            kind,
            False,
            title,
            "Decision on an appointment",
            "UBND-T",
            signer,
            "direct" if signer == "UBND-T.CT" else "KT",
            signed,
            start,
        )
INSTRUMENTS["1050/QĐ-UBND"] = Instrument(
    "1050/QĐ-UBND",
    "working_regulation",
    False,
    f"Quy chế làm việc của Ủy ban nhân dân tỉnh {PROVINCE} nhiệm kỳ 2021 - 2026",
    "Working regulation of the Provincial People's Committee, 2021-2026 term",
    "UBND-T",
    CT_T.code,
    "UBND-T.CT",
    "TM",
    day("2025-07-04", 10),
    day("2025-07-04"),
    "",
    True,
)
BOOK.used.add("1050/QĐ-UBND")

# --------------------------------------------------------------------------------------------
# Powers
# --------------------------------------------------------------------------------------------


@dataclass
class Power:
    code: str
    title_vi: str
    title_en: str
    sector: str
    legal_basis_number: str
    legal_basis_article: str
    holder: str
    act_types: list[str]
    grant_kinds: list[str]
    non_delegable: bool
    max_depth: int
    amount_ceiling: int | None
    exclusive: bool


POWERS: dict[str, Power] = {}
AUTH, DEC, DEV = "authorization", "decentralization", "devolution"
BILLION = 1_000_000_000


def power(
    code: str,
    title_vi: str,
    title_en: str,
    sector: str,
    basis: str,
    article: str,
    holder: str,
    act_types: str,
    kinds: Iterable[str],
    depth: int,
    ceiling: int | None = None,
    *,
    exclusive: bool = False,
) -> None:
    kinds = list(kinds)
    POWERS[code] = Power(
        code,
        nfc(title_vi),
        title_en,
        sector,
        basis,
        nfc(article),
        holder,
        act_types.split("|"),
        kinds,
        not kinds,
        depth if kinds else 0,
        ceiling,
        exclusive,
    )


power(
    "DD-01",
    "Giao đất, cho thuê đất, cho phép chuyển mục đích sử dụng đất đối với tổ chức",
    "Allocating, leasing land and permitting change of land use to organisations",
    "dat_dai",
    "31/2024/QH15",
    "Điều 123 khoản 1, khoản 4",
    "unit:UBND-T",
    "quyet_dinh_giao_dat|quyet_dinh_cho_thue_dat|quyet_dinh_chuyen_muc_dich_su_dung_dat",
    (),
    0,
    exclusive=True,
)
power(
    "DD-02",
    "Quyết định thu hồi đất",
    "Deciding land recovery",
    "dat_dai",
    "31/2024/QH15",
    "Điều 83",
    "unit:UBND-T",
    "quyet_dinh_thu_hoi_dat",
    (AUTH,),
    1,
)
power(
    "DD-03",
    "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất cho tổ chức",
    "Issuing land use right certificates to organisations",
    "dat_dai",
    "31/2024/QH15",
    "Điều 136 khoản 1",
    "unit:UBND-T",
    "cap_giay_chung_nhan|cap_doi_giay_chung_nhan",
    (AUTH,),
    3,
)
power(
    "DD-04",
    "Quyết định giá đất cụ thể",
    "Deciding specific land prices",
    "dat_dai",
    "31/2024/QH15",
    "Điều 155",
    "position:UBND-T.CT",
    "quyet_dinh_gia_dat",
    (AUTH,),
    1,
)
power(
    "DD-05",
    "Xử phạt vi phạm hành chính trong lĩnh vực đất đai",
    "Sanctioning administrative violations on land",
    "dat_dai",
    "15/2012/QH13",
    "Điều 38, Điều 54",
    "position:UBND-T.CT",
    "quyet_dinh_xu_phat",
    (AUTH,),
    1,
    500_000_000,
)
power(
    "DD-06",
    "Phê duyệt phương án bồi thường, hỗ trợ, tái định cư",
    "Approving compensation, support and resettlement plans",
    "dat_dai",
    "31/2024/QH15",
    "Điều 87",
    "unit:UBND-T",
    "phe_duyet_phuong_an_boi_thuong",
    (AUTH, DEC, DEV),
    2,
)
power(
    "XD-01",
    "Cấp giấy phép xây dựng công trình trên địa bàn tỉnh",
    "Issuing construction permits for works in the province",
    "xay_dung",
    "50/2014/QH13",
    "Điều 103 khoản 2 (sửa đổi bởi Luật số 62/2020/QH14)",
    "unit:UBND-T",
    "cap_giay_phep_xay_dung|dieu_chinh_giay_phep_xay_dung|gia_han_giay_phep_xay_dung",
    (DEC, AUTH, DEV),
    3,
)
power(
    "XD-02",
    "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
    "Appraising construction feasibility study reports",
    "xay_dung",
    "50/2014/QH13",
    "Điều 58",
    "position:SXD.GD",
    "thong_bao_ket_qua_tham_dinh",
    (AUTH,),
    1,
)
power(
    "XD-03",
    "Xử phạt vi phạm hành chính trong lĩnh vực xây dựng",
    "Sanctioning administrative violations in construction",
    "xay_dung",
    "15/2012/QH13",
    "Điều 38, Điều 54",
    "position:UBND-T.CT",
    "quyet_dinh_xu_phat",
    (AUTH,),
    1,
    1 * BILLION,
)
power(
    "XD-04",
    "Cấp phép thi công công trình trên đường bộ đang khai thác",
    "Permitting works on roads in operation",
    "giao_thong",
    "35/2024/QH15",
    "Điều 44",
    "position:SXD.GD",
    "cap_phep_thi_cong",
    (AUTH,),
    1,
)
power(
    "DT-01",
    "Chấp thuận chủ trương đầu tư dự án ngoài khu công nghiệp",
    "Approving investment policy for projects outside industrial zones",
    "dau_tu",
    "61/2020/QH14",
    "Điều 32",
    "unit:UBND-T",
    "chap_thuan_chu_truong_dau_tu|dieu_chinh_chu_truong_dau_tu",
    (DEV, AUTH),
    1,
    exclusive=True,
)
power(
    "DT-02",
    "Cấp, điều chỉnh Giấy chứng nhận đăng ký đầu tư",
    "Issuing and amending investment registration certificates",
    "dau_tu",
    "61/2020/QH14",
    "Điều 39 khoản 2",
    "position:STC.GD",
    "cap_giay_chung_nhan_dang_ky_dau_tu|dieu_chinh_giay_chung_nhan_dang_ky_dau_tu",
    (AUTH,),
    1,
)
power(
    "DT-03",
    "Cấp, điều chỉnh Giấy chứng nhận đăng ký đầu tư trong khu công nghiệp",
    "Issuing investment registration certificates in industrial zones",
    "dau_tu",
    "61/2020/QH14",
    "Điều 39 khoản 3",
    "position:BQL-KCN.TB",
    "cap_giay_chung_nhan_dang_ky_dau_tu|dieu_chinh_giay_chung_nhan_dang_ky_dau_tu",
    (AUTH,),
    1,
)
power(
    "DT-04",
    "Quyết định chủ trương đầu tư dự án nhóm B, nhóm C sử dụng vốn ngân sách địa phương",
    "Deciding investment policy of group B and C public projects",
    "dau_tu",
    "58/2024/QH15",
    "Điều 18",
    "unit:HDND-T",
    "quyet_dinh_chu_truong_dau_tu",
    (DEC, AUTH),
    3,
    2300 * BILLION,
)
power(
    "DT-05",
    "Quyết định đầu tư dự án đầu tư công",
    "Deciding public investment projects",
    "dau_tu",
    "58/2024/QH15",
    "Điều 40",
    "position:UBND-T.CT",
    "quyet_dinh_dau_tu|phe_duyet_dieu_chinh_du_an",
    (AUTH, DEC),
    3,
    2300 * BILLION,
)
power(
    "TC-01",
    "Quyết định mua sắm tài sản công",
    "Deciding purchases of public property",
    "tai_chinh",
    "15/2017/QH14",
    "Điều 31",
    "unit:HDND-T",
    "quyet_dinh_mua_sam",
    (DEC, AUTH),
    3,
)
power(
    "TC-02",
    "Quyết định thanh lý tài sản công",
    "Deciding disposal of public property",
    "tai_chinh",
    "15/2017/QH14",
    "Điều 45",
    "unit:UBND-T",
    "quyet_dinh_thanh_ly",
    (DEC, AUTH),
    2,
)
power(
    "DN-01",
    "Đăng ký doanh nghiệp",
    "Enterprise registration",
    "doanh_nghiep",
    "59/2020/QH14",
    "Điều 215",
    "unit:STC",
    "cap_giay_chung_nhan_dang_ky_doanh_nghiep|thu_hoi_giay_chung_nhan_dang_ky_doanh_nghiep",
    (AUTH,),
    1,
)
power(
    "YT-01",
    "Cấp giấy phép hành nghề khám bệnh, chữa bệnh",
    "Issuing medical practice licences",
    "y_te",
    "15/2023/QH15",
    "Điều 28",
    "position:SYT.GD",
    "cap_giay_phep_hanh_nghe",
    (AUTH,),
    1,
)
power(
    "YT-02",
    "Cấp giấy phép hoạt động cơ sở khám bệnh, chữa bệnh",
    "Licensing medical facilities",
    "y_te",
    "15/2023/QH15",
    "Điều 52",
    "position:SYT.GD",
    "cap_giay_phep_hoat_dong",
    (AUTH,),
    1,
)
power(
    "YT-03",
    "Cấp chứng chỉ hành nghề dược",
    "Issuing pharmacy practice certificates",
    "y_te",
    "105/2016/QH13",
    "Điều 23",
    "position:SYT.GD",
    "cap_chung_chi_hanh_nghe_duoc",
    (AUTH,),
    1,
)
power(
    "YT-04",
    "Xử phạt vi phạm hành chính trong lĩnh vực y tế",
    "Sanctioning administrative violations in health",
    "y_te",
    "15/2012/QH13",
    "Điều 38, Điều 54",
    "position:UBND-T.CT",
    "quyet_dinh_xu_phat",
    (AUTH,),
    1,
    200_000_000,
)
power(
    "GD-01",
    "Cho phép thành lập trường trung học phổ thông tư thục",
    "Permitting the founding of private upper secondary schools",
    "giao_duc",
    "43/2019/QH14",
    "Điều 52",
    "position:UBND-T.CT",
    "quyet_dinh_cho_phep_thanh_lap",
    (AUTH, DEC),
    2,
)
power(
    "GD-02",
    "Cho phép hoạt động giáo dục đối với trường trung học phổ thông",
    "Permitting upper secondary schools to operate",
    "giao_duc",
    "43/2019/QH14",
    "Điều 49",
    "position:SGDDT.GD",
    "quyet_dinh_cho_phep_hoat_dong_giao_duc",
    (AUTH,),
    1,
)
power(
    "TP-01",
    "Cấp Phiếu lý lịch tư pháp",
    "Issuing judicial record certificates",
    "tu_phap",
    "28/2009/QH12",
    "Điều 44",
    "position:STP.GD",
    "cap_phieu_ly_lich_tu_phap",
    (AUTH,),
    2,
)
power(
    "MT-01",
    "Cấp giấy phép môi trường",
    "Issuing environmental permits",
    "moi_truong",
    "72/2020/QH14",
    "Điều 41 khoản 3",
    "unit:UBND-T",
    "cap_giay_phep_moi_truong|cap_doi_giay_phep_moi_truong",
    (AUTH,),
    3,
)
power(
    "MT-02",
    "Phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi trường",
    "Approving environmental impact assessment appraisals",
    "moi_truong",
    "72/2020/QH14",
    "Điều 35 khoản 3",
    "unit:UBND-T",
    "phe_duyet_ket_qua_tham_dinh_dtm",
    (AUTH, DEV),
    2,
)
power(
    "NN-01",
    "Công bố dịch bệnh động vật",
    "Declaring animal epidemics",
    "nong_nghiep",
    "79/2015/QH13",
    "Điều 26",
    "position:UBND-T.CT",
    "cong_bo_dich|cong_bo_het_dich",
    (),
    0,
    exclusive=True,
)
power(
    "LD-01",
    "Cấp giấy phép lao động cho người lao động nước ngoài",
    "Issuing work permits to foreign workers",
    "lao_dong",
    "45/2019/QH14",
    "Điều 151, Điều 153",
    "position:SNV.GD",
    "cap_giay_phep_lao_dong",
    (AUTH,),
    1,
)
power(
    "VH-01",
    "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa",
    "Licensing domestic travel services",
    "van_hoa",
    "09/2017/QH14",
    "Điều 32",
    "position:SVHTTDL.GD",
    "cap_giay_phep_lu_hanh",
    (AUTH,),
    1,
)
power(
    "CT-01",
    "Cấp Giấy chứng nhận cửa hàng đủ điều kiện bán lẻ xăng dầu",
    "Certifying petrol retail stations",
    "cong_thuong",
    "83/2014/NĐ-CP",
    "Điều 25",
    "position:SCT.GD",
    "cap_giay_chung_nhan_du_dieu_kien",
    (AUTH,),
    1,
)
POWER_COMMUNES = ["P-DONG-HAI", "P-DA-GIANG", "XA-AN-PHU", "DK-HON-MAY"]
for c in POWER_COMMUNES:
    cname = UNIT_BY[c].name_vi.replace("Ủy ban nhân dân ", "")
    ename = UNIT_BY[c].name_en.replace("People's Committee of ", "")
    power(
        f"HT-01.{c}",
        f"Đăng ký khai sinh, kết hôn, khai tử ({cname})",
        f"Registering births, marriages and deaths ({ename})",
        "ho_tich",
        "60/2014/QH13",
        "Điều 7 khoản 1",
        f"unit:{c}",
        "dang_ky_khai_sinh|dang_ky_ket_hon|dang_ky_khai_tu",
        (AUTH,),
        1,
    )
    power(
        f"TP-03.{c}",
        f"Chứng thực hợp đồng, giao dịch liên quan đến đất đai, nhà ở ({cname})",
        f"Certifying land and housing contracts ({ename})",
        "tu_phap",
        "23/2015/NĐ-CP",
        "Điều 5 khoản 2",
        f"position:{c}.CT",
        "chung_thuc_hop_dong",
        (AUTH,),
        1,
    )
    power(
        f"XD-05.{c}",
        f"Cấp giấy phép xây dựng nhà ở riêng lẻ ({cname})",
        f"Issuing building permits for detached houses ({ename})",
        "xay_dung",
        "50/2014/QH13",
        "Điều 103 khoản 3 (sửa đổi bởi Luật số 62/2020/QH14)",
        f"unit:{c}",
        "cap_giay_phep_xay_dung_nha_o",
        (AUTH,),
        1,
    )

# --------------------------------------------------------------------------------------------
# Instruments behind grants
# --------------------------------------------------------------------------------------------

SYMBOL = {
    "UBND-T": "UBND",
    "HDND-T": "HĐND",
    "STC": "STC",
    "SXD": "SXD",
    "SNNMT": "SNNMT",
    "SYT": "SYT",
    "SGDDT": "SGDĐT",
    "STP": "STP",
    "SNV": "SNV",
    "SCT": "SCT",
    "SVHTTDL": "SVHTTDL",
    "BQL-KCN": "BQLKCN",
    "VPDKDD": "VPĐKĐĐ",
    "SKHCN": "SKHCN",
    "TTR-T": "TTr",
    "VP-UBND": "VP",
    "BVDK-T": "BVĐK",
    "TTPVHCC": "TTPVHCC",
}


def symbol_of(unit_code: str) -> str:
    return SYMBOL.get(unit_code, "UBND")


def signer_form(position: str, unit_code: str) -> str:
    pos = POSITION_BY[position]
    if pos.is_deputy:
        return "KT"
    return "TM" if UNIT_BY[unit_code].works_collectively else "direct"


def decision(
    issuer: str,
    signer: str,
    title_vi: str,
    title_en: str,
    signed: str,
    *,
    normative: bool = False,
    effective: str | None = None,
    type_: str = "decision",
) -> str:
    year = int(signed[:4])
    if normative:
        symbol = "NQ-HĐND" if issuer == "HDND-T" else f"QĐ-{symbol_of(issuer)}"
        number = BOOK.take(symbol, year, 12, with_year=True)
    elif type_ == "authorization_letter":
        number = BOOK.take(f"GUQ-{symbol_of(issuer)}", year, 3)
    elif type_ == "official_letter":
        number = BOOK.take(
            f"{symbol_of(issuer)}-KT" if issuer == "UBND-T" else symbol_of(issuer),
            year,
            2100 if issuer == "UBND-T" else 150,
        )
    else:
        number = BOOK.take(
            f"QĐ-{symbol_of(issuer)}", year, 1400 if issuer == "UBND-T" and year == 2025 else 120
        )
    form = signer_form(signer, issuer)
    if issuer == "HDND-T":
        form = "direct"
    return instrument(
        number,
        "council_resolution" if issuer == "HDND-T" else type_,
        normative,
        title_vi,
        title_en,
        issuer,
        signer,
        form,
        signed,
        effective or signed,
    )


# --------------------------------------------------------------------------------------------
# Grants
# --------------------------------------------------------------------------------------------


@dataclass
class Grant:
    ref: str
    kind: str
    power: str
    grantor: str
    grantee: str
    parent_ref: str | None
    scope: dict[str, Any]
    valid_from: str
    valid_to: str | None
    may_pass_on: bool
    conditions_vi: str | None
    instrument: str
    recorded_at: str
    events: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in (
                "ref",
                "kind",
                "power",
                "grantor",
                "grantee",
                "parent_ref",
                "scope",
                "valid_from",
                "valid_to",
                "may_pass_on",
                "conditions_vi",
                "instrument",
                "recorded_at",
                "events",
            )
        }


GRANTS: list[Grant] = []
GRANT_BY: dict[str, Grant] = {}


def party_unit(party: str) -> str:
    kind, code = party.split(":", 1)
    if kind == "unit":
        return code
    if kind == "position":
        return POSITION_BY[code].unit_code
    raise ValueError(party)


def grant(
    kind: str,
    power_code: str,
    grantor: str,
    grantee: str,
    start: str,
    end: str | None,
    instr: str,
    *,
    parent: Grant | None = None,
    territory: list[str] | None = None,
    act_types: list[str] | None = None,
    ceiling: int | None = None,
    pass_on: bool = False,
    cond: str | None = None,
) -> Grant:
    pw = POWERS[power_code]
    if territory is None:
        territory = parent.scope["territory"] if parent else [party_unit(pw.holder)]
    if ceiling is None:
        ceiling = parent.scope["amount_ceiling"] if parent else pw.amount_ceiling
    if act_types is None:
        act_types = parent.scope["act_types"] if parent else list(pw.act_types)
    signed = INSTRUMENTS[instr].signed_at
    recorded = (
        parse(max(signed, start if start < day("2025-07-01") else signed))
        + timedelta(days=1, hours=2)
    ).strftime("%Y-%m-%dT%H:%M:%SZ")
    recorded = max(recorded, day("2025-07-03", 9))  # the registry opened on 3 July 2025
    made = Grant(
        f"G{len(GRANTS) + 1:03d}",
        kind,
        power_code,
        grantor,
        grantee,
        parent.ref if parent else None,
        {
            "territory": territory,
            "sectors": [pw.sector],
            "act_types": act_types,
            "amount_ceiling": ceiling,
        },
        start,
        end,
        pass_on,
        nfc(cond) if cond else None,
        instr,
        recorded,
    )
    GRANTS.append(made)
    GRANT_BY[made.ref] = made
    return made


def event(
    g: Grant,
    type_: str,
    at: str,
    reason: str,
    instr: str | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    entry: dict[str, Any] = {"type": type_, "at": at, "reason_vi": nfc(reason), "instrument": instr}
    if changes is not None:
        entry["changes"] = changes
    g.events.append(entry)


T0 = day("2025-07-03")  # the Chairman's decisions after the new apparatus started
TERM_END = day("2026-07-01")
CT, PCT1, PCT2, PCT3, PCT4 = (
    "position:UBND-T.CT",
    "position:UBND-T.PCT1",
    "position:UBND-T.PCT2",
    "position:UBND-T.PCT3",
    "position:UBND-T.PCT4",
)
UB, HD = "unit:UBND-T", "unit:HDND-T"
REPORT = (
    "Báo cáo kết quả thực hiện hằng quý; chịu trách nhiệm trước Chủ tịch UBND tỉnh và "
    "trước pháp luật về nội dung được ủy quyền."
)
NOT_PASSED_ON = "Không được ủy quyền tiếp."

# 1. The Chairman's giao quyền xử phạt and other authorizations to Vice-Chairmen.
q_xp = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định về việc giao quyền xử phạt vi phạm hành chính "
    "cho các Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Decision delegating sanctioning powers to the Vice-Chairmen",
    day("2025-07-02", 9),
)
g_dd05 = grant(AUTH, "DD-05", CT, PCT2, T0, TERM_END, q_xp, cond=NOT_PASSED_ON)
g_xd03 = grant(AUTH, "XD-03", CT, PCT2, T0, TERM_END, q_xp, cond=NOT_PASSED_ON)
g_yt04 = grant(AUTH, "YT-04", CT, PCT3, T0, TERM_END, q_xp, cond=NOT_PASSED_ON)
q_xp4 = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định về việc giao quyền xử phạt vi phạm hành "
    "chính trong lĩnh vực y tế cho Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Decision delegating health sanctioning powers",
    day("2025-10-03", 10),
)
grant(AUTH, "YT-04", CT, PCT4, day("2025-10-06"), TERM_END, q_xp4, cond=NOT_PASSED_ON)
q_gia = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho Phó Chủ tịch Ủy ban nhân dân tỉnh quyết định giá đất cụ thể",
    "Decision authorizing specific land prices",
    day("2025-07-02", 10),
)
g_dd04 = grant(AUTH, "DD-04", CT, PCT2, T0, day("2026-01-15"), q_gia, cond=REPORT)
q_gia2 = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho Phó Chủ tịch Ủy ban nhân dân tỉnh quyết định giá đất cụ thể năm 2026",
    "Decision renewing the authorization on specific land prices",
    day("2026-02-25", 9),
)
grant(AUTH, "DD-04", CT, PCT2, day("2026-03-01"), day("2027-01-01"), q_gia2, cond=REPORT)
q_dt = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền quyết định đầu tư dự án đầu tư công sử dụng vốn ngân sách tỉnh",
    "Decision authorizing public investment decisions",
    day("2025-07-02", 11),
)
grant(AUTH, "DT-05", CT, PCT1, T0, TERM_END, q_dt, ceiling=500 * BILLION, cond=REPORT)
q_gd = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho phép thành lập trường trung học phổ thông tư thục",
    "Decision authorizing permits for private schools",
    day("2025-07-02", 14),
)
grant(AUTH, "GD-01", CT, PCT3, T0, TERM_END, q_gd, cond=REPORT)
# A new authorization signed in November 2026 that starts in December (not yet in force).
q_xp_new = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định giao quyền xử phạt vi phạm hành chính "
    "trong lĩnh vực đất đai cho Phó Chủ tịch Ủy ban nhân dân tỉnh",
    "Decision delegating land sanctioning powers (2027)",
    day("2026-11-09", 9),
)
g_dd05_new = grant(
    AUTH, "DD-05", CT, PCT4, day("2026-12-01"), day("2027-12-01"), q_xp_new, cond=NOT_PASSED_ON
)

# 2. Chairman -> Director of Finance -> Deputy Director (depth 2, under may_pass_on).
l_stc = decision(
    "UBND-T",
    "UBND-T.CT",
    "Giấy ủy quyền cho Giám đốc Sở Tài chính quyết định đầu tư dự án nhóm C",
    "Letter authorizing the Director of Finance to decide group C projects",
    day("2025-07-10", 9),
    type_="authorization_letter",
)
g_dt05_stc = grant(
    AUTH,
    "DT-05",
    CT,
    "position:STC.GD",
    day("2025-07-15"),
    day("2026-12-31"),
    l_stc,
    ceiling=45 * BILLION,
    pass_on=True,
    cond="Chỉ áp dụng đối với dự án nhóm C; được ủy quyền tiếp cho Phó Giám đốc.",
)
l_stc2 = decision(
    "STC",
    "STC.GD",
    "Giấy ủy quyền cho Phó Giám đốc Sở Tài chính quyết định đầu "
    "tư dự án có tổng mức đầu tư dưới 15 tỷ đồng",
    "Letter sub-authorizing the Deputy Director",
    day("2025-07-28", 9),
    type_="authorization_letter",
)
grant(
    AUTH,
    "DT-05",
    "position:STC.GD",
    "position:STC.PGD1",
    day("2025-08-01"),
    day("2026-06-30"),
    l_stc2,
    parent=g_dt05_stc,
    ceiling=15 * BILLION,
    cond=NOT_PASSED_ON,
)

# 3. Collective UBND tỉnh: authorizations to communes (Điều 83) and to departments.
q_th = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho Ủy ban nhân dân cấp xã quyết định thu hồi đất",
    "Decision authorizing communes to decide land recovery",
    day("2025-07-18", 9),
)
g_th: dict[str, Grant] = {}
for c in ("P-DONG-HAI", "XA-AN-PHU", "P-DA-GIANG", "P-BAC-SON"):
    g_th[c] = grant(
        AUTH,
        "DD-02",
        UB,
        f"unit:{c}",
        day("2025-07-20"),
        day("2026-07-20"),
        q_th,
        territory=[c],
        cond="Thu hồi đất trên địa bàn; báo cáo UBND tỉnh trước ngày 15 hằng tháng.",
    )
q_bt = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền phê duyệt phương án bồi thường, hỗ trợ, tái định cư",
    "Decision authorizing approval of compensation plans",
    day("2025-07-29", 9),
)
for c in ("P-DONG-HAI", "XA-AN-PHU"):
    grant(
        AUTH,
        "DD-06",
        UB,
        f"unit:{c}",
        day("2025-08-01"),
        day("2026-08-01"),
        q_bt,
        territory=[c],
        cond=REPORT,
    )
q_gcn = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho Sở Nông nghiệp và Môi trường "
    "cấp Giấy chứng nhận quyền sử dụng đất cho tổ chức",
    "Decision authorizing the Department of Agriculture and Environment to issue land certificates",
    day("2025-07-08", 9),
)
g_dd03 = grant(
    AUTH,
    "DD-03",
    UB,
    "unit:SNNMT",
    day("2025-07-10"),
    day("2027-01-01"),
    q_gcn,
    pass_on=True,
    cond="Được ủy quyền tiếp cho Văn phòng Đăng ký đất đai.",
)
l_gcn = decision(
    "SNNMT",
    "SNNMT.GD",
    "Giấy ủy quyền cho Giám đốc Văn phòng Đăng ký đất đai ký Giấy chứng nhận",
    "Letter authorizing the Land Registration Office director",
    day("2025-07-17", 9),
    type_="authorization_letter",
)
g_dd03b = grant(
    AUTH,
    "DD-03",
    "unit:SNNMT",
    "position:VPDKDD.GD",
    day("2025-07-20"),
    day("2026-12-31"),
    l_gcn,
    parent=g_dd03,
    pass_on=True,
    cond="Được ủy quyền tiếp cho Phó Giám đốc trong thời gian Giám đốc vắng mặt.",
)
l_gcn2 = decision(
    "VPDKDD",
    "VPDKDD.GD",
    "Giấy ủy quyền cho Phó Giám đốc Văn phòng Đăng ký đất đai ký Giấy chứng nhận",
    "Letter sub-authorizing the deputy director",
    day("2025-07-30", 9),
    type_="authorization_letter",
)
grant(
    AUTH,
    "DD-03",
    "position:VPDKDD.GD",
    "position:VPDKDD.PGD1",
    day("2025-08-01"),
    day("2026-06-30"),
    l_gcn2,
    parent=g_dd03b,
    cond=NOT_PASSED_ON,
)
q_mt = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho Sở Nông nghiệp và Môi trường cấp "
    "giấy phép môi trường và phê duyệt kết quả thẩm định báo cáo đánh giá tác động môi "
    "trường",
    "Decision authorizing environmental permits and EIA approvals",
    day("2025-07-08", 10),
)
g_mt01 = grant(
    AUTH, "MT-01", UB, "unit:SNNMT", day("2025-07-10"), day("2026-07-10"), q_mt, cond=REPORT
)
grant(AUTH, "MT-02", UB, "unit:SNNMT", day("2025-07-10"), day("2026-07-10"), q_mt, cond=REPORT)
q_tl = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định ủy quyền cho Sở Tài chính quyết định thanh lý tài sản công",
    "Decision authorizing disposal of public property",
    day("2025-07-14", 9),
)
grant(
    AUTH,
    "TC-02",
    UB,
    "unit:STC",
    day("2025-07-15"),
    day("2026-07-15"),
    q_tl,
    ceiling=2 * BILLION,
    cond=REPORT,
)

# 4. Decentralization by normative decisions and resolutions.
n_xd = decision(
    "UBND-T",
    "UBND-T.CT",
    f"Quyết định quy định phân cấp cấp giấy phép xây dựng trên địa bàn tỉnh {PROVINCE}",
    "Normative decision decentralizing construction permits",
    day("2025-07-08", 15),
    normative=True,
    effective=day("2025-07-20"),
)
g_xd01 = grant(DEC, "XD-01", UB, "unit:SXD", day("2025-07-20"), None, n_xd, pass_on=True)
grant(
    DEC,
    "XD-01",
    UB,
    "unit:BQL-KCN",
    day("2025-07-20"),
    None,
    n_xd,
    territory=["XA-AN-PHU", "P-NAM-THANH"],
    act_types=["cap_giay_phep_xay_dung"],
)
for c in ("P-DONG-HAI", "P-DA-GIANG", "P-BAC-SON"):
    grant(
        DEC,
        "XD-01",
        UB,
        f"unit:{c}",
        day("2025-07-20"),
        None,
        n_xd,
        territory=[c],
        act_types=["cap_giay_phep_xay_dung", "gia_han_giay_phep_xay_dung"],
    )
q_xd_pgd = decision(
    "SXD",
    "SXD.GD",
    "Quyết định ủy quyền cho Phó Giám đốc Sở Xây dựng ký giấy phép xây dựng",
    "Decision authorizing the Deputy Director to sign permits",
    day("2025-07-28", 9),
)
grant(
    AUTH,
    "XD-01",
    "unit:SXD",
    "position:SXD.PGD1",
    day("2025-08-01"),
    day("2026-08-01"),
    q_xd_pgd,
    parent=g_xd01,
    cond=NOT_PASSED_ON,
)
n_dt = decision(
    "HDND-T",
    "HDND-T.CT",
    "Nghị quyết quy định phân cấp thẩm quyền quyết định chủ trương đầu tư dự án đầu tư công",
    "Council resolution decentralizing public investment policy decisions",
    day("2025-07-16", 10),
    normative=True,
    effective=day("2025-08-01"),
)
g_dt04 = grant(
    DEC, "DT-04", HD, UB, day("2025-08-01"), None, n_dt, ceiling=500 * BILLION, pass_on=True
)
n_dt2 = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định phân cấp quyết định chủ trương đầu tư dự án nhóm C cho Ủy ban nhân dân cấp xã",
    "Normative decision decentralizing group C investment policy to communes",
    day("2025-08-20", 9),
    normative=True,
    effective=day("2025-09-01"),
)
for c, cap in (("P-DONG-HAI", 30), ("XA-AN-PHU", 15), ("P-BAC-SON", 15), ("DK-HON-MAY", 30)):
    grant(
        DEC,
        "DT-04",
        UB,
        f"unit:{c}",
        day("2025-09-01"),
        None,
        n_dt2,
        parent=g_dt04,
        territory=[c],
        ceiling=cap * BILLION,
    )
n_dt3 = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định phân cấp quyết định chủ trương đầu tư dự án nhóm C cho Ủy ban nhân dân xã Cát Văn",
    "Normative decision decentralizing group C investment policy to Cat Van",
    day("2026-10-20", 9),
    normative=True,
    effective=day("2026-12-01"),
)
g_catvan = grant(
    DEC,
    "DT-04",
    UB,
    "unit:XA-CAT-VAN",
    day("2026-12-01"),
    None,
    n_dt3,
    parent=g_dt04,
    territory=["XA-CAT-VAN"],
    ceiling=15 * BILLION,
)
n_ts = decision(
    "HDND-T",
    "HDND-T.CT",
    "Nghị quyết quy định phân cấp thẩm quyền quyết định mua sắm tài sản công",
    "Council resolution decentralizing public purchases",
    day("2025-07-16", 11),
    normative=True,
    effective=day("2025-08-01"),
)
grant(DEC, "TC-01", HD, UB, day("2025-08-01"), None, n_ts, pass_on=True)
g_tc_syt = None
for pos in ("SYT.GD", "SGDDT.GD", "SXD.GD", "SNNMT.GD"):
    made = grant(
        DEC,
        "TC-01",
        HD,
        f"position:{pos}",
        day("2025-08-01"),
        None,
        n_ts,
        territory=["UBND-T"],
        ceiling=5 * BILLION,
        pass_on=pos == "SYT.GD",
    )
    g_tc_syt = g_tc_syt or made
for c in ("P-DONG-HAI", "XA-AN-PHU", "P-DA-GIANG", "DK-HON-MAY"):
    grant(
        DEC,
        "TC-01",
        HD,
        f"unit:{c}",
        day("2025-08-01"),
        None,
        n_ts,
        territory=[c],
        ceiling=2 * BILLION,
    )
assert g_tc_syt is not None
l_bv = decision(
    "SYT",
    "SYT.GD",
    "Giấy ủy quyền cho Giám đốc Bệnh viện Đa khoa tỉnh quyết định mua sắm tài sản",
    "Letter authorizing the hospital director to decide purchases",
    day("2025-08-27", 9),
    type_="authorization_letter",
)
grant(
    AUTH,
    "TC-01",
    "position:SYT.GD",
    "position:BVDK-T.GD",
    day("2025-09-01"),
    day("2026-09-01"),
    l_bv,
    parent=g_tc_syt,
    ceiling=1 * BILLION,
    cond=NOT_PASSED_ON,
)

# 5. Devolution to the special zone by the National Assembly's pilot resolution.
for code in ("DT-01", "XD-01", "MT-02", "DD-06"):
    grant(
        DEV,
        code,
        UB,
        "unit:DK-HON-MAY",
        day("2025-07-01"),
        None,
        "268/2025/QH15",
        territory=["DK-HON-MAY"],
        pass_on=True,
    )

# 6. Directors authorizing their deputies (depth 1) and the public service units.
INTERNAL = [
    ("YT-01", "SYT.GD", "SYT.PGD1", "2025-07-15", "2026-07-15"),
    ("YT-02", "SYT.GD", "SYT.PGD1", "2025-07-15", "2026-07-15"),
    ("YT-03", "SYT.GD", "SYT.PGD2", "2025-07-15", "2026-07-15"),
    ("DT-02", "STC.GD", "STC.PGD1", "2025-07-15", "2026-07-15"),
    ("DT-03", "BQL-KCN.TB", "BQL-KCN.PTB1", "2025-07-15", "2026-07-15"),
    ("LD-01", "SNV.GD", "SNV.PGD1", "2025-08-01", "2026-08-01"),
    ("VH-01", "SVHTTDL.GD", "SVHTTDL.PGD1", "2025-08-01", "2026-08-01"),
    ("CT-01", "SCT.GD", "SCT.PGD1", "2025-08-01", "2026-08-01"),
    ("GD-02", "SGDDT.GD", "SGDDT.PGD1", "2025-08-01", "2026-08-01"),
    ("XD-02", "SXD.GD", "SXD.PGD2", "2025-08-01", "2026-08-01"),
    ("XD-04", "SXD.GD", "SXD.PGD1", "2025-08-01", "2026-08-01"),
    ("TP-01", "STP.GD", "STP.PGD1", "2025-07-10", "2026-07-10"),
]
INTERNAL_GRANT: dict[str, Grant] = {}
for code, grantor_pos, grantee_pos, start, end in INTERNAL:
    unit_code = POSITION_BY[grantor_pos].unit_code
    q = decision(
        unit_code,
        grantor_pos,
        f"Quyết định ủy quyền cho "
        f"{POSITION_BY[grantee_pos].title_vi} ký văn bản: {POWERS[code].title_vi}",
        f"Decision authorizing the deputy: {POWERS[code].title_en}",
        (parse(day(start)) - timedelta(days=4)).strftime("%Y-%m-%dT02:00:00Z"),
    )
    INTERNAL_GRANT[code] = grant(
        AUTH,
        code,
        f"position:{grantor_pos}",
        f"position:{grantee_pos}",
        day(start),
        day(end),
        q,
        pass_on=code == "TP-01",
        cond=REPORT.replace("Chủ tịch UBND tỉnh", "Giám đốc Sở")
        if code != "TP-01"
        else "Được ủy quyền tiếp cho Trưởng phòng Hành chính tư pháp.",
    )
l_ll = decision(
    "STP",
    "STP.PGD1",
    "Giấy ủy quyền cho Trưởng phòng Hành chính tư pháp ký Phiếu lý lịch tư pháp",
    "Letter sub-authorizing the head of division",
    day("2025-07-14", 9),
    type_="authorization_letter",
)
g_tp01b = grant(
    AUTH,
    "TP-01",
    "position:STP.PGD1",
    "position:STP-HCTP.TP",
    day("2025-07-15"),
    day("2025-12-01"),
    l_ll,
    parent=INTERNAL_GRANT["TP-01"],
    cond=NOT_PASSED_ON,
)
q_dn = decision(
    "STC",
    "STC.GD",
    "Quyết định ủy quyền cho Trưởng phòng Đăng ký kinh doanh ký Giấy "
    "chứng nhận đăng ký doanh nghiệp",
    "Decision authorizing the head of the business registration division",
    day("2025-07-08", 9),
)
grant(
    AUTH,
    "DN-01",
    "unit:STC",
    "position:STC-DKKD.TP",
    day("2025-07-10"),
    day("2026-12-31"),
    q_dn,
    cond=REPORT.replace("Chủ tịch UBND tỉnh", "Giám đốc Sở"),
)
l_sgd = decision(
    "SGDDT",
    "SGDDT.GD",
    "Giấy ủy quyền cho ông/bà Phó Giám đốc Sở ký quyết định cho phép hoạt động giáo dục",
    "Letter authorizing a named deputy director",
    day("2025-08-28", 9),
    type_="authorization_letter",
)
pgd2 = holder_at("SGDDT.PGD2", day("2025-09-01"))
g_named = grant(
    AUTH,
    "GD-02",
    "position:SGDDT.GD",
    f"official:{pgd2}",
    day("2025-09-01"),
    day("2026-06-01"),
    l_sgd,
    cond="Ủy quyền đích danh; không được ủy quyền tiếp.",
)
q_gd2 = decision(
    "UBND-T",
    "UBND-T.CT",
    "Giấy ủy quyền cho Giám đốc Sở Giáo dục và Đào tạo cho "
    "phép thành lập trường trung học phổ thông tư thục",
    "Letter authorizing the Director of Education on private schools",
    day("2025-07-29", 9),
    type_="authorization_letter",
)
grant(
    AUTH, "GD-01", CT, "position:SGDDT.GD", day("2025-08-01"), day("2026-08-01"), q_gd2, cond=REPORT
)

# 7. Commune-level authorizations.
for c in POWER_COMMUNES:
    q = decision(
        c,
        f"{c}.CT",
        f"Quyết định ủy quyền cho Phó Chủ tịch "
        f"{UNIT_BY[c].name_vi} ký văn bản hộ tịch, chứng thực và giấy phép xây dựng",
        "Commune decision authorizing the Vice-Chairman",
        day("2025-07-08", 9),
    )
    grant(
        AUTH,
        f"HT-01.{c}",
        f"unit:{c}",
        f"position:{c}.PCT1",
        day("2025-07-10"),
        day("2026-07-10"),
        q,
        cond=NOT_PASSED_ON,
    )
    grant(
        AUTH,
        f"TP-03.{c}",
        f"position:{c}.CT",
        f"position:{c}.PCT1",
        day("2025-07-10"),
        day("2026-07-10"),
        q,
        cond=NOT_PASSED_ON,
    )
    if c != "XA-AN-PHU":
        grant(
            AUTH,
            f"XD-05.{c}",
            f"unit:{c}",
            f"position:{c}.PCT1",
            day("2025-07-10"),
            day("2026-07-10"),
            q,
            cond=NOT_PASSED_ON,
        )

# 8. Life events: suspensions, revocations, a renunciation, an amendment.
l_susp = decision(
    "UBND-T",
    "UBND-T.CT",
    "Công văn về việc tạm dừng thực hiện quyền xử phạt được giao để kiểm tra",
    "Letter suspending delegated sanctioning powers",
    day("2026-03-31", 9),
    type_="official_letter",
)
event(
    g_yt04,
    "suspend",
    day("2026-04-01", 8),
    "Tạm dừng để kiểm tra việc ban hành các quyết định "
    "xử phạt trong lĩnh vực y tế theo kiến nghị của Thanh tra tỉnh.",
    l_susp,
)
l_res = decision(
    "UBND-T",
    "UBND-T.CT",
    "Công văn về việc tiếp tục thực hiện quyền xử phạt được giao",
    "Letter resuming delegated sanctioning powers",
    day("2026-05-14", 9),
    type_="official_letter",
)
event(g_yt04, "resume", day("2026-05-15", 8), "Kết thúc kiểm tra, không phát hiện sai phạm.", l_res)
g_dt02 = INTERNAL_GRANT["DT-02"]
l_susp2 = decision(
    "STC",
    "STC.GD",
    "Thông báo tạm dừng ủy quyền ký Giấy chứng nhận đăng ký đầu tư",
    "Notice suspending the authorization",
    day("2026-05-19", 9),
    type_="official_letter",
)
event(
    g_dt02,
    "suspend",
    day("2026-05-20", 8),
    "Tạm dừng ủy quyền trong thời gian rà soát hồ sơ dự án có dấu hiệu vi phạm.",
    l_susp2,
)
q_rev = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định bãi bỏ việc ủy quyền thu hồi đất cho Ủy ban nhân dân phường Đà Giang",
    "Decision revoking the land recovery authorization of Da Giang ward",
    day("2026-03-09", 9),
)
event(
    g_th["P-DA-GIANG"],
    "revoke",
    day("2026-03-10"),
    "Chậm triển khai, để phát sinh khiếu nại "
    "kéo dài về thu hồi đất; UBND tỉnh trực tiếp thực hiện.",
    q_rev,
)
g_xd05 = next(g for g in GRANTS if g.power == "XD-05.P-DA-GIANG")
q_rev2 = decision(
    "P-DA-GIANG",
    "P-DA-GIANG.CT",
    "Quyết định thu hồi quyết định ủy quyền cấp giấy phép xây dựng nhà ở riêng lẻ",
    "Decision revoking the building-permit authorization",
    day("2025-12-19", 9),
)
event(
    g_xd05,
    "revoke",
    day("2025-12-20"),
    "Phân công lại nhiệm vụ giữa các thành viên UBND phường.",
    q_rev2,
)
q_rev3 = decision(
    "STP",
    "STP.GD",
    "Quyết định chấm dứt ủy quyền cấp Phiếu lý lịch tư pháp",
    "Decision ending the judicial-record authorization",
    day("2026-01-30", 9),
)
event(
    INTERNAL_GRANT["TP-01"],
    "revoke",
    day("2026-02-01"),
    "Giám đốc Sở trực tiếp ký do số "
    "lượng hồ sơ giảm sau khi triển khai cấp Phiếu lý lịch tư pháp trên VNeID.",
    q_rev3,
)
event(
    g_named,
    "renounce",
    day("2026-01-12"),
    "Người được ủy quyền đề nghị thôi nhận ủy quyền do "
    "được phân công phụ trách lĩnh vực tổ chức cán bộ.",
)
q_am = decision(
    "UBND-T",
    "UBND-T.CT",
    "Quyết định sửa đổi Quyết định ủy quyền cấp giấy phép môi trường",
    "Decision amending the environmental-permit authorization",
    day("2025-12-12", 9),
)
event(
    g_mt01,
    "amend",
    day("2025-12-15"),
    "Thu hẹp phạm vi: UBND tỉnh trực tiếp cấp mới giấy "
    "phép môi trường; Sở chỉ cấp đổi, điều chỉnh.",
    q_am,
    {"scope": {**g_mt01.scope, "act_types": ["cap_doi_giay_phep_moi_truong"]}},
)

# --------------------------------------------------------------------------------------------
# Grant rules (the same rules the registry enforces), checked before anything is written
# --------------------------------------------------------------------------------------------

INSTRUMENT_TYPES = {
    DEV: {"law", "na_resolution"},
    DEC: {"law", "na_resolution", "council_resolution", "decree", "circular", "decision"},
    AUTH: {"decision", "authorization_letter", "official_letter"},
}
SOURCE_KINDS = {DEV: {DEV}, DEC: {DEV, DEC}, AUTH: {DEV, DEC, AUTH}}


def within(code: str, root: str) -> bool:
    while code:
        if code == root:
            return True
        code = UNIT_BY[code].parent_code if code in UNIT_BY else ""
    return False


def lawful_scope(pw: Power) -> dict[str, Any]:
    return {
        "territory": [party_unit(pw.holder)],
        "sectors": [pw.sector],
        "act_types": pw.act_types,
        "amount_ceiling": pw.amount_ceiling,
    }


def scope_within(inner: dict[str, Any], outer: dict[str, Any]) -> bool:
    if not all(any(within(t, o) for o in outer["territory"]) for t in inner["territory"]):
        return False
    for key in ("sectors", "act_types"):
        if outer[key] is not None and (
            inner[key] is None or not set(inner[key]) <= set(outer[key])
        ):
            return False
    cap_out, cap_in = outer["amount_ceiling"], inner["amount_ceiling"]
    return cap_out is None or (cap_in is not None and cap_in <= cap_out)


def depth(g: Grant) -> int:
    return 1 if g.parent_ref is None else 1 + depth(GRANT_BY[g.parent_ref])


def party_active(party: str, start: str, end: str | None) -> bool:
    kind, code = party.split(":", 1)
    if kind == "official":
        return any(o.code == code for o in OFFICIALS)
    record: Unit | Position | None = UNIT_BY.get(code) if kind == "unit" else POSITION_BY.get(code)
    if record is None:
        return False
    return record.valid_from <= start and (
        not record.valid_to or (end is not None and end <= record.valid_to)
    )


def check_grants() -> None:
    problems: list[str] = []
    seen: set[str] = set()
    for g in GRANTS:
        pw = POWERS[g.power]

        def bad(text: str, g: Grant = g) -> None:
            problems.append(f"{g.ref} {g.power}: {text}")

        if g.kind not in pw.grant_kinds or pw.non_delegable:
            bad("kind not allowed or power not delegable")
        if g.parent_ref is None:
            source_scope = lawful_scope(pw)
            if g.grantor != pw.holder:
                bad("grantor is not the lawful holder")
        else:
            if g.parent_ref not in seen:
                bad("parent after child")
            parent = GRANT_BY[g.parent_ref]
            source_scope = parent.scope
            if g.grantor != parent.grantee or not parent.may_pass_on:
                bad("grantor is not a grantee that may pass on")
            if parent.kind not in SOURCE_KINDS[g.kind]:
                bad("kind not allowed from the source kind")
            if g.valid_from < parent.valid_from:
                bad("starts before its source")
            if parent.valid_to is not None and (g.valid_to is None or g.valid_to > parent.valid_to):
                bad("outlives its source")
            for e in parent.events:
                if e["type"] in {"revoke", "renounce"} and e["at"] <= g.valid_from:
                    bad("source ended before the start")
        if not scope_within(g.scope, source_scope):
            bad("scope exceeds the source")
        if depth(g) > pw.max_depth:
            bad("chain too deep")
        if g.grantor == g.grantee:
            bad("self grant")
        if not party_active(g.grantee, g.valid_from, g.valid_to):
            bad("grantee unknown or inactive")
        ins = INSTRUMENTS.get(g.instrument)
        if ins is None:
            bad("instrument missing")
        else:
            if ins.type not in INSTRUMENT_TYPES[g.kind]:
                bad(f"instrument type {ins.type}")
            if g.kind == DEC and not ins.normative:
                bad("decentralization needs a normative instrument")
            if ins.signed_at > g.valid_from:
                bad("instrument signed after the start")
        if g.kind == AUTH and (g.valid_to is None or g.valid_to <= g.valid_from):
            bad("authorization needs an end after its start")
        for e in g.events:
            if e["type"] == "revoke" and not e["instrument"]:
                bad("revocation without instrument")
            if e["instrument"] and INSTRUMENTS[e["instrument"]].signed_at > e["at"]:
                bad("event instrument signed after the event")
            if e["type"] == "amend" and not scope_within(e["changes"]["scope"], g.scope):
                bad("amendment widens the scope")
        seen.add(g.ref)
    if problems:
        raise SystemExit("invalid demo grants:\n" + "\n".join(problems))


check_grants()

# --------------------------------------------------------------------------------------------
# Reference tracer (what verdict an act gets) and the acts
# --------------------------------------------------------------------------------------------

FAILURE_ORDER = [
    "amount_exceeded",
    "scope_exceeded",
    "grant_suspended",
    "grant_revoked",
    "grant_expired",
    "grant_not_yet_in_force",
    "grant_renounced",
    "void_upstream",
]


def grant_state(g: Grant, t: str) -> tuple[str, dict[str, Any]]:
    """('ok' or why not, the scope in force at t)."""
    scope = g.scope
    if t < g.valid_from:
        return "grant_not_yet_in_force", scope
    if g.valid_to is not None and t >= g.valid_to:
        return "grant_expired", scope
    suspended = False
    for e in sorted(g.events, key=lambda e: e["at"]):
        if e["at"] > t:
            break
        if e["type"] == "revoke":
            return "grant_revoked", scope
        if e["type"] == "renounce":
            return "grant_renounced", scope
        if e["type"] == "suspend":
            suspended = True
        if e["type"] == "resume":
            suspended = False
        if e["type"] == "amend":
            scope = e["changes"]["scope"]
    if suspended:
        return "grant_suspended", scope
    if g.parent_ref is not None and grant_state(GRANT_BY[g.parent_ref], t)[0] != "ok":
        return "void_upstream", scope
    return "ok", scope


def covers(
    scope: dict[str, Any], unit_code: str, sector: str, act_type: str, amount: int | None
) -> str:
    if not any(within(unit_code, root) for root in scope["territory"]):
        return "scope_exceeded"
    if scope["sectors"] is not None and sector not in scope["sectors"]:
        return "scope_exceeded"
    if scope["act_types"] is not None and act_type not in scope["act_types"]:
        return "scope_exceeded"
    if scope["amount_ceiling"] is not None and (amount or 0) > scope["amount_ceiling"]:
        return "amount_exceeded"
    return "ok"


@dataclass
class Act:
    number: str
    type: str
    issuing_unit_code: str
    power_code: str
    signer_official_code: str
    signer_position_code: str
    signature_form: str
    signed_at: str
    unit_code: str
    sector: str
    act_type: str
    amount: int | None
    expected_verdict: str


def expected_forms(subject: str, relation: str, g: Grant | None, signer_position: str) -> set[str]:
    pos = POSITION_BY[signer_position]
    if relation == "head":
        if UNIT_BY[pos.unit_code].works_collectively:
            return {"TM"}
        return {"TUQ"} if g is not None and g.kind == AUTH else {"direct"}
    if subject.startswith("official:"):
        return {"TUQ"}
    if g is None or g.kind != AUTH:
        return {"direct"}
    own = {f"position:{head_of(pos.unit_code)}", f"unit:{pos.unit_code}"}
    return {"KT"} if pos.is_deputy and g.grantor in own else {"TUQ"}


def trace(act: Act) -> tuple[str, Grant | None]:
    """The verdict of an act and the grant it rests on (None: the law itself)."""
    t, position = act.signed_at, act.signer_position_code
    held = any(
        a.official_code == act.signer_official_code
        and a.position_code == position
        and a.valid_from <= t
        and (not a.valid_to or t < a.valid_to)
        for a in ASSIGNMENTS
    )
    if not held:
        return "signer_not_holding_position", None
    pw = POWERS[act.power_code]
    pos = POSITION_BY[position]
    subjects = [(f"position:{position}", "self"), (f"official:{act.signer_official_code}", "self")]
    if pos.is_head:
        subjects.append((f"unit:{pos.unit_code}", "head"))
    failures: list[str] = []
    inconsistent: Grant | None = None
    found_any = False
    for subject, relation in subjects:
        paths: list[Grant | None] = [None] if pw.holder == subject else []
        paths += [g for g in GRANTS if g.power == pw.code and g.grantee == subject]
        for g in paths:
            found_any = True
            state, scope = ("ok", lawful_scope(pw)) if g is None else grant_state(g, t)
            if state == "ok":
                state = covers(scope, act.unit_code, act.sector, act.act_type, act.amount)
            if state != "ok":
                failures.append(state)
                continue
            if act.signature_form in expected_forms(subject, relation, g, position):
                return "within_authority", g
            inconsistent = g
    if (failures and inconsistent is None) or not found_any:
        if not found_any:
            return "no_authority", None
        return min(failures, key=FAILURE_ORDER.index), None
    return "signature_form_inconsistent", inconsistent


ACT_SYMBOL = {
    "quyet_dinh_xu_phat": "QĐ-XPHC",
    "cap_giay_phep_xay_dung": "GPXD",
    "dieu_chinh_giay_phep_xay_dung": "GPXD",
    "gia_han_giay_phep_xay_dung": "GPXD",
    "cap_giay_phep_xay_dung_nha_o": "GPXD",
    "cap_giay_phep_moi_truong": "GPMT",
    "cap_doi_giay_phep_moi_truong": "GPMT",
    "cap_giay_phep_hanh_nghe": "GPHN",
    "cap_giay_phep_hoat_dong": "GPHĐ",
    "cap_chung_chi_hanh_nghe_duoc": "CCHND",
    "cap_giay_phep_lao_dong": "GPLĐ",
    "cap_giay_phep_lu_hanh": "GPLH",
    "cap_giay_chung_nhan_du_dieu_kien": "GCNĐĐK",
    "cap_phieu_ly_lich_tu_phap": "LLTP",
    "dang_ky_khai_sinh": "TLKS",
    "dang_ky_ket_hon": "GCNKH",
    "dang_ky_khai_tu": "TLKT",
    "chung_thuc_hop_dong": "CTHĐ",
    "cap_phep_thi_cong": "GPTC",
    "thong_bao_ket_qua_tham_dinh": "SXD-QLXD",
    "cap_giay_chung_nhan": "GCN",
    "cap_doi_giay_chung_nhan": "GCN",
    "cap_giay_chung_nhan_dang_ky_doanh_nghiep": "GCNĐKDN",
    "thu_hoi_giay_chung_nhan_dang_ky_doanh_nghiep": "QĐ-ĐKKD",
    "cap_giay_chung_nhan_dang_ky_dau_tu": "GCNĐKĐT",
    "dieu_chinh_giay_chung_nhan_dang_ky_dau_tu": "GCNĐKĐT",
}
ACT_START, ACT_END = day("2025-07-01"), day("2026-11-28")
TERRITORIAL = [c for c, *_ in COMMUNES]
ACTS: list[Act] = []


def working_instant(lo: str, hi: str) -> str:
    start, end = parse(max(lo, ACT_START)), parse(min(hi, ACT_END))
    while True:
        moment = start + (end - start) * RNG.random()
        local = moment + LOCAL
        if local.weekday() < 5 and 8 <= local.hour < 17:
            return moment.strftime("%Y-%m-%dT%H:%M:00Z")


def make_act(
    power_code: str,
    position: str,
    form: str,
    when: str,
    unit_code: str,
    act_type: str | None = None,
    amount: int | None = None,
    official: str | None = None,
) -> Act:
    pw = POWERS[power_code]
    signer = official or holder_at(position, when) or ""
    return Act(
        "",
        "decision",
        POSITION_BY[position].unit_code,
        power_code,
        signer,
        position,
        form,
        when,
        unit_code,
        pw.sector,
        act_type or RNG.choice(pw.act_types),
        amount,
        "",
    )


def amount_for(pw: Power, lo: int, hi: int) -> int:
    step = 1_000_000 if hi < 10 * BILLION else 100_000_000
    return RNG.randrange(lo // step, hi // step + 1) * step


def add(act: Act, want: str) -> bool:
    verdict, g = trace(act)
    if verdict != want:
        return False
    if act.signature_form == "TUQ" and g is not None:
        act.issuing_unit_code = party_unit(g.grantor)
    if POWERS[act.power_code].holder.startswith("unit:") and act.signature_form == "TM":
        act.issuing_unit_code = POSITION_BY[act.signer_position_code].unit_code
    act.expected_verdict = verdict
    ACTS.append(act)
    return True


def many(
    count: int,
    power_code: str,
    position: str,
    form: str,
    *,
    units: list[str] | None = None,
    lo: str = ACT_START,
    hi: str = ACT_END,
    amount: tuple[int, int] | None = None,
    act_type: str | None = None,
    official: str | None = None,
    want: str = "within_authority",
) -> None:
    made, tries = 0, 0
    while made < count:
        tries += 1
        if tries > 5000:
            raise SystemExit(f"cannot make {want} acts for {power_code} by {position}")
        when = working_instant(lo, hi)
        pw = POWERS[power_code]
        choices = units or (
            [party_unit(pw.holder)]
            if party_unit(pw.holder) not in {"UBND-T", "HDND-T"}
            else TERRITORIAL
        )
        sum_ = amount_for(pw, *amount) if amount else None
        act = make_act(
            power_code, position, form, when, RNG.choice(choices), act_type, sum_, official
        )
        made += add(act, want)


# Within authority -----------------------------------------------------------------------------
many(7, "DD-05", "UBND-T.PCT2", "KT", amount=(5_000_000, 450_000_000))
many(5, "XD-03", "UBND-T.PCT2", "KT", amount=(10_000_000, 900_000_000))
many(4, "YT-04", "UBND-T.PCT3", "KT", amount=(5_000_000, 180_000_000))
many(3, "YT-04", "UBND-T.PCT4", "KT", amount=(5_000_000, 180_000_000))
many(5, "DD-04", "UBND-T.PCT2", "KT")
many(4, "DT-05", "UBND-T.PCT1", "KT", amount=(50 * BILLION, 480 * BILLION))
many(3, "DT-05", "UBND-T.CT", "direct", amount=(100 * BILLION, 1200 * BILLION))
many(5, "DT-05", "STC.GD", "TUQ", amount=(5 * BILLION, 44 * BILLION))
many(4, "DT-05", "STC.PGD1", "KT", amount=(2 * BILLION, 14 * BILLION))
many(4, "DD-01", "UBND-T.CT", "TM")
many(2, "NN-01", "UBND-T.CT", "direct")
many(3, "DD-02", "UBND-T.CT", "TM")
many(3, "DD-02", "P-DONG-HAI.CT", "TM", units=["P-DONG-HAI"])
many(3, "DD-02", "XA-AN-PHU.CT", "TM", units=["XA-AN-PHU"])
many(2, "DD-02", "P-DA-GIANG.CT", "TM", units=["P-DA-GIANG"], hi=day("2026-03-10"))
many(2, "DD-06", "P-DONG-HAI.CT", "TM", units=["P-DONG-HAI"])
many(2, "DD-06", "DK-HON-MAY.CT", "TM", units=["DK-HON-MAY"])
many(6, "DD-03", "VPDKDD.GD", "TUQ")
many(3, "DD-03", "VPDKDD.PGD1", "KT")
many(3, "DD-03", "SNNMT.GD", "TUQ")
many(3, "MT-01", "SNNMT.GD", "TUQ", act_type="cap_giay_phep_moi_truong", hi=day("2025-12-15"))
many(2, "MT-01", "SNNMT.GD", "TUQ", act_type="cap_doi_giay_phep_moi_truong")
many(2, "MT-01", "UBND-T.CT", "TM", act_type="cap_giay_phep_moi_truong")
many(3, "MT-02", "SNNMT.GD", "TUQ")
many(2, "MT-02", "DK-HON-MAY.CT", "TM", units=["DK-HON-MAY"])
many(3, "TC-02", "STC.GD", "TUQ", amount=(50_000_000, 1_900_000_000))
many(6, "XD-01", "SXD.GD", "direct")
many(4, "XD-01", "SXD.PGD1", "KT")
many(
    2,
    "XD-01",
    "BQL-KCN.TB",
    "direct",
    units=["XA-AN-PHU", "P-NAM-THANH"],
    act_type="cap_giay_phep_xay_dung",
)
many(3, "XD-01", "P-DONG-HAI.CT", "TM", units=["P-DONG-HAI"], act_type="cap_giay_phep_xay_dung")
many(2, "XD-01", "DK-HON-MAY.CT", "TM", units=["DK-HON-MAY"])
many(3, "DT-04", "UBND-T.CT", "TM", amount=(40 * BILLION, 480 * BILLION))
many(2, "DT-04", "P-DONG-HAI.CT", "TM", units=["P-DONG-HAI"], amount=(3 * BILLION, 29 * BILLION))
many(2, "DT-04", "XA-AN-PHU.CT", "TM", units=["XA-AN-PHU"], amount=(3 * BILLION, 14 * BILLION))
many(2, "DT-01", "DK-HON-MAY.CT", "TM", units=["DK-HON-MAY"])
many(2, "DT-01", "UBND-T.CT", "TM")
many(3, "TC-01", "SYT.GD", "direct", units=["SYT", "BVDK-T"], amount=(200_000_000, 4_900_000_000))
many(3, "TC-01", "BVDK-T.GD", "TUQ", units=["BVDK-T"], amount=(80_000_000, 950_000_000))
many(2, "TC-01", "SGDDT.GD", "direct", units=["SGDDT"], amount=(300_000_000, 4_000_000_000))
many(2, "TC-01", "UBND-T.CT", "TM", amount=(6 * BILLION, 40 * BILLION))
many(2, "TC-01", "P-DONG-HAI.CT", "TM", units=["P-DONG-HAI"], amount=(100_000_000, 1_900_000_000))
many(2, "YT-01", "SYT.GD", "direct")
many(4, "YT-01", "SYT.PGD1", "KT")
many(2, "YT-02", "SYT.PGD1", "KT")
many(2, "YT-03", "SYT.PGD2", "KT", hi=VACANCY_FROM)
many(3, "DT-02", "STC.PGD1", "KT")
many(2, "DT-02", "STC.GD", "direct")
many(2, "DT-03", "BQL-KCN.PTB1", "KT")
many(3, "LD-01", "SNV.PGD1", "KT")
many(2, "VH-01", "SVHTTDL.PGD1", "KT")
many(2, "CT-01", "SCT.PGD1", "KT")
many(2, "GD-02", "SGDDT.PGD1", "KT")
many(2, "GD-02", "SGDDT.PGD2", "TUQ", official=pgd2, hi=day("2026-01-12"))
many(2, "XD-02", "SXD.PGD2", "KT")
many(2, "XD-04", "SXD.PGD1", "KT")
many(3, "TP-01", "STP.PGD1", "KT")
many(2, "TP-01", "STP-HCTP.TP", "TUQ")
many(2, "TP-01", "STP.GD", "direct")
many(4, "DN-01", "STC-DKKD.TP", "TUQ")
many(2, "GD-01", "SGDDT.GD", "TUQ")
many(2, "GD-01", "UBND-T.PCT3", "KT")
for c in POWER_COMMUNES:
    many(2, f"HT-01.{c}", f"{c}.PCT1", "KT")
    many(1, f"HT-01.{c}", f"{c}.CT", "TM")
    many(1, f"TP-03.{c}", f"{c}.PCT1", "KT")
    many(1, f"TP-03.{c}", f"{c}.CT", "direct")
    if c != "XA-AN-PHU":
        many(1, f"XD-05.{c}", f"{c}.PCT1", "KT")

# Outside authority: at least two of each way -------------------------------------------------
many(1, "DD-04", "SXD.GD", "direct", want="no_authority")
many(
    1,
    "DT-04",
    "P-TAN-LAP.CT",
    "TM",
    units=["P-TAN-LAP"],
    amount=(2 * BILLION, 9 * BILLION),
    want="no_authority",
)
many(1, "YT-04", "SYT.GD", "direct", amount=(10_000_000, 50_000_000), want="no_authority")
many(
    2,
    "DD-04",
    "UBND-T.PCT2",
    "KT",
    lo=day("2026-01-16"),
    hi=day("2026-02-27"),
    want="grant_expired",
)
many(
    1,
    "TP-01",
    "STP-HCTP.TP",
    "TUQ",
    lo=day("2025-12-02"),
    hi=day("2026-01-30"),
    want="grant_expired",
)
many(
    1,
    "DD-05",
    "UBND-T.PCT2",
    "KT",
    lo=day("2026-07-02"),
    amount=(20_000_000, 90_000_000),
    want="grant_expired",
)
many(
    1,
    "DT-04",
    "XA-CAT-VAN.CT",
    "TM",
    units=["XA-CAT-VAN"],
    lo=day("2026-11-02"),
    amount=(3 * BILLION, 12 * BILLION),
    want="grant_not_yet_in_force",
)
many(
    2,
    "DD-05",
    "UBND-T.PCT4",
    "KT",
    lo=day("2026-11-10"),
    amount=(20_000_000, 90_000_000),
    want="grant_not_yet_in_force",
)
many(
    1,
    "DD-02",
    "P-DA-GIANG.CT",
    "TM",
    units=["P-DA-GIANG"],
    lo=day("2026-03-11"),
    hi=day("2026-07-15"),
    want="grant_revoked",
)
many(
    1,
    "XD-05.P-DA-GIANG",
    "P-DA-GIANG.PCT1",
    "KT",
    lo=day("2025-12-21"),
    hi=day("2026-07-01"),
    want="grant_revoked",
)
many(1, "TP-01", "STP.PGD1", "KT", lo=day("2026-02-02"), hi=day("2026-07-01"), want="grant_revoked")
many(
    2,
    "YT-04",
    "UBND-T.PCT3",
    "KT",
    lo=day("2026-04-02"),
    hi=day("2026-05-14"),
    amount=(5_000_000, 60_000_000),
    want="grant_suspended",
)
many(
    1, "DT-02", "STC.PGD1", "KT", lo=day("2026-05-21"), hi=day("2026-07-10"), want="grant_suspended"
)
many(
    1,
    "DD-02",
    "P-DONG-HAI.CT",
    "TM",
    units=["P-BAC-SON", "P-NAM-THANH"],
    hi=day("2026-07-15"),
    want="scope_exceeded",
)
many(
    1,
    "XD-01",
    "BQL-KCN.TB",
    "direct",
    units=["P-DONG-HAI", "XA-YEN-HOA"],
    act_type="cap_giay_phep_xay_dung",
    want="scope_exceeded",
)
many(
    1,
    "MT-01",
    "SNNMT.GD",
    "TUQ",
    act_type="cap_giay_phep_moi_truong",
    lo=day("2025-12-16"),
    hi=day("2026-07-09"),
    want="scope_exceeded",
)
many(1, "DT-05", "STC.GD", "TUQ", amount=(50 * BILLION, 90 * BILLION), want="amount_exceeded")
many(
    1,
    "DT-04",
    "P-DONG-HAI.CT",
    "TM",
    units=["P-DONG-HAI"],
    lo=day("2025-09-02"),
    amount=(35 * BILLION, 48 * BILLION),
    want="amount_exceeded",
)
many(
    1,
    "TC-01",
    "BVDK-T.GD",
    "TUQ",
    units=["BVDK-T"],
    amount=(1_200_000_000, 2_400_000_000),
    hi=day("2026-08-31"),
    want="amount_exceeded",
)
many(
    1,
    "HT-01.P-DONG-HAI",
    "P-DONG-HAI.CT",
    "TM",
    lo=day("2025-10-02"),
    official=dong_hai_ct.code,
    want="signer_not_holding_position",
)
many(
    1,
    "MT-02",
    "SNNMT.GD",
    "TUQ",
    lo=day("2026-02-02"),
    hi=day("2026-07-09"),
    official=SNNMT_GD_RETIRED.code,
    want="signer_not_holding_position",
)
many(
    1,
    "YT-03",
    "SYT.PGD2",
    "KT",
    lo=day("2026-03-02"),
    hi=day("2026-07-14"),
    official=syt_pgd2.code,
    want="signer_not_holding_position",
)
many(1, "XD-01", "SXD.GD", "TUQ", want="signature_form_inconsistent")
many(1, "DD-03", "VPDKDD.GD", "direct", want="signature_form_inconsistent")
many(1, "DD-01", "UBND-T.CT", "direct", want="signature_form_inconsistent")
many(
    1,
    "DT-05",
    "STC.PGD1",
    "TUQ",
    amount=(1 * BILLION, 9 * BILLION),
    want="signature_form_inconsistent",
)

# Numbers in the order of signing, per symbol and year.
ACTS.sort(key=lambda a: a.signed_at)
for act in ACTS:
    symbol = ACT_SYMBOL.get(act.act_type, "QĐ")
    if act.act_type == "thong_bao_ket_qua_tham_dinh":
        act.type = "official_letter"
    issuer = symbol_of(act.issuing_unit_code)
    full = symbol if symbol in {"SXD-QLXD", "QĐ-XPHC"} else f"{symbol}-{issuer}"
    year = int((parse(act.signed_at) + LOCAL).year)
    first = 1500 if full == "QĐ-UBND" and year == 2025 else RNG.randrange(12, 160)
    act.number = BOOK.take(full, year, first)

# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(value)
    return nfc(str(value))


def write_csv(name: str, header: list[str], rows: Iterable[Any]) -> int:
    count = 0
    with (OUT / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([cell(getattr(row, column)) for column in header])
            count += 1
    return count


def instrument_order(row: Instrument) -> tuple[str, str]:
    return (row.signed_at, row.number)


def assignment_order(row: Assignment) -> tuple[str, str]:
    return (row.valid_from, row.official_code)


def main() -> None:
    counts = {
        "units.csv": write_csv(
            "units.csv",
            [
                "code",
                "name_vi",
                "name_en",
                "kind",
                "tier",
                "parent_code",
                "works_collectively",
                "valid_from",
                "valid_to",
            ],
            UNITS,
        ),
        "positions.csv": write_csv(
            "positions.csv",
            [
                "code",
                "unit_code",
                "title_vi",
                "title_en",
                "is_head",
                "is_deputy",
                "valid_from",
                "valid_to",
            ],
            POSITIONS,
        ),
        "officials.csv": write_csv(
            "officials.csv",
            ["code", "full_name", "display_name", "staff_number", "email", "phone"],
            OFFICIALS,
        ),
        "instruments.csv": write_csv(
            "instruments.csv",
            [
                "number",
                "type",
                "normative",
                "title_vi",
                "title_en",
                "issuing_unit_code",
                "signer_official_code",
                "signer_position_code",
                "signature_form",
                "signed_at",
                "effective_from",
                "effective_to",
                "public",
            ],
            sorted(INSTRUMENTS.values(), key=instrument_order),
        ),
        "assignments.csv": write_csv(
            "assignments.csv",
            ["official_code", "position_code", "valid_from", "valid_to", "instrument_number"],
            sorted(ASSIGNMENTS, key=assignment_order),
        ),
        "powers.csv": write_csv(
            "powers.csv",
            [
                "code",
                "title_vi",
                "title_en",
                "sector",
                "legal_basis_number",
                "legal_basis_article",
                "holder",
                "act_types",
                "grant_kinds",
                "non_delegable",
                "max_depth",
                "amount_ceiling",
                "exclusive",
            ],
            POWERS.values(),
        ),
        "acts.csv": write_csv(
            "acts.csv",
            [
                "number",
                "type",
                "issuing_unit_code",
                "power_code",
                "signer_official_code",
                "signer_position_code",
                "signature_form",
                "signed_at",
                "unit_code",
                "sector",
                "act_type",
                "amount",
                "expected_verdict",
            ],
            ACTS,
        ),
    }
    text = json.dumps([g.to_json() for g in GRANTS], ensure_ascii=False, indent=1)
    (OUT / "grants.json").write_text(nfc(text) + "\n", encoding="utf-8")
    counts["grants.json"] = len(GRANTS)
    verdicts: dict[str, int] = {}
    for act in ACTS:
        verdicts[act.expected_verdict] = verdicts.get(act.expected_verdict, 0) + 1
    print(
        json.dumps({"files": counts, "verdicts": verdicts}, ensure_ascii=False, indent=1),
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
