"""Generate a synthetic province in the demo import formats, at any scale, for benchmarks.

`python bench/generate.py --seed 1 --scale 1 --out DIR` writes units.csv, positions.csv,
officials.csv, instruments.csv, assignments.csv, powers.csv, grants.json and acts.csv. Scale 1 is
province scale: about 1 province, 20 departments, 120 communes, 20,000 officials, 2,000 powers,
100,000 grants (all valid under the grant rules, chains up to depth 3) and 1,000,000 acts. Every
act's expected_verdict is computed by a small tracer with the rules of registry/demo/README.md.
Output is deterministic for a seed. Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

FILES = (
    "units",
    "positions",
    "officials",
    "instruments",
    "assignments",
    "powers",
    "grants",
    "acts",
)
SECTORS = [
    "dat_dai",
    "xay_dung",
    "dau_tu",
    "tai_chinh",
    "doanh_nghiep",
    "y_te",
    "giao_duc",
    "ho_tich",
    "tu_phap",
    "moi_truong",
    "nong_nghiep",
    "giao_thong",
    "lao_dong",
    "van_hoa",
    "cong_thuong",
]
ACT_VERBS = [
    "cap_giay_phep",
    "dieu_chinh",
    "gia_han",
    "thu_hoi",
    "phe_duyet",
    "quyet_dinh",
    "chap_thuan",
    "cong_nhan",
]
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
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quang", "Thu", "Xuân"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Đức",
    "Hà",
    "Hải",
    "Hằng",
    "Hùng",
    "Hương",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Sơn",
    "Thảo",
    "Trang",
    "Tuấn",
    "Tùng",
    "Yến",
]
SOURCE_KINDS = {
    "devolution": {"devolution"},
    "decentralization": {"devolution", "decentralization"},
    "authorization": {"devolution", "decentralization", "authorization"},
}
BASE = datetime(2025, 1, 1, tzinfo=UTC) - timedelta(hours=7)
ACT_START = datetime(2025, 7, 1, tzinfo=UTC) - timedelta(hours=7)
ACT_END = datetime(2026, 12, 1, tzinfo=UTC) - timedelta(hours=7)
LAWS = ("72/2025/QH15", "31/2024/QH15", "50/2014/QH13", "61/2020/QH14", "58/2024/QH15")


def iso(moment: datetime) -> str:
    # isoformat is several times faster than strftime; instants here are all UTC
    return moment.isoformat()[:19] + "Z"


def log(text: str) -> None:
    print(f"[generate] {text}", file=sys.stderr, flush=True)


class Province:
    """The whole synthetic province, built in memory except the acts, which are streamed."""

    def __init__(self, seed: int, scale: float) -> None:
        self.rng = random.Random(seed)
        self.scale = scale
        self.units: list[list[Any]] = []
        self.parent: dict[str, str] = {}
        self.collective: set[str] = set()
        self.positions: list[list[Any]] = []
        self.unit_of: dict[str, str] = {}
        self.head: dict[str, str] = {}
        self.deputies: dict[str, list[str]] = defaultdict(list)
        self.children: dict[str, list[str]] = defaultdict(list)
        self.communes: list[str] = []
        self.officials: list[list[Any]] = []
        self.assignments: list[list[Any]] = []
        self.holders: dict[str, list[tuple[datetime, datetime | None, str]]] = defaultdict(list)
        self.instruments: list[list[Any]] = []
        self.powers: list[dict[str, Any]] = []
        self.grants: list[dict[str, Any]] = []
        self.by_grantee: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        self.numbers = 0
        self.ancestors: dict[str, frozenset[str]] = {}
        self.commune_of: dict[str, str] = {}
        self.candidate_cache: dict[tuple[str, str], list[str]] = {}

    # -- organisation ----------------------------------------------------------------------
    def unit(
        self, code: str, name: str, kind: str, tier: str, parent: str, collective: bool = False
    ) -> str:
        self.units.append(
            [
                code,
                name,
                f"{kind} {code}",
                kind,
                tier,
                parent,
                "true" if collective else "false",
                iso(BASE - timedelta(days=400)),
                "",
            ]
        )
        if parent:
            self.parent[code] = parent
            self.children[parent].append(code)
        if collective:
            self.collective.add(code)
        return code

    def post(
        self, unit: str, post: str, title: str, *, head: bool = False, deputy: bool = False
    ) -> str:
        code = f"{unit}.{post}"
        self.positions.append(
            [
                code,
                unit,
                title,
                title,
                "true" if head else "false",
                "true" if deputy else "false",
                iso(BASE - timedelta(days=400)),
                "",
            ]
        )
        self.unit_of[code] = unit
        if head:
            self.head[unit] = code
        if deputy:
            self.deputies[unit].append(code)
        return code

    def build_organisation(self) -> None:
        n_depts = max(2, round(20 * self.scale))
        n_communes = max(3, round(120 * self.scale))
        self.unit(
            "HDND-T", "Hội đồng nhân dân tỉnh Tổng Hợp", "people_council", "province", "", True
        )
        self.unit(
            "UBND-T",
            "Ủy ban nhân dân tỉnh Tổng Hợp",
            "people_committee",
            "province",
            "HDND-T",
            True,
        )
        self.post("HDND-T", "CT", "Chủ tịch HĐND tỉnh", head=True)
        self.post("UBND-T", "CT", "Chủ tịch UBND tỉnh", head=True)
        for n in range(1, 5):
            self.post("UBND-T", f"PCT{n}", "Phó Chủ tịch UBND tỉnh", deputy=True)
        staff_units: list[str] = []
        for d in range(1, n_depts + 1):
            dept = self.unit(f"SO-{d:02d}", f"Sở số {d:02d}", "department", "province", "UBND-T")
            self.post(dept, "GD", f"Giám đốc Sở số {d:02d}", head=True)
            for n in range(1, 4):
                self.post(dept, f"PGD{n}", f"Phó Giám đốc Sở số {d:02d}", deputy=True)
            for k in range(1, 6):
                div = self.unit(
                    f"{dept}-P{k}", f"Phòng {k} - Sở số {d:02d}", "division", "province", dept
                )
                self.post(div, "TP", f"Trưởng phòng {k}", head=True)
                self.post(div, "PTP1", f"Phó Trưởng phòng {k}", deputy=True)
                staff_units.append(div)
        for c in range(1, n_communes + 1):
            kind = "ward" if c % 3 == 0 else ("special_zone" if c == 1 else "commune")
            word = {"ward": "phường", "commune": "xã", "special_zone": "đặc khu"}[kind]
            commune = self.unit(
                f"XA-{c:03d}", f"Ủy ban nhân dân {word} số {c:03d}", kind, "commune", "UBND-T", True
            )
            self.communes.append(commune)
            self.unit(
                f"HDND-{commune}",
                f"Hội đồng nhân dân {word} số {c:03d}",
                "people_council",
                "commune",
                commune,
                True,
            )
            self.post(commune, "CT", f"Chủ tịch UBND {word} số {c:03d}", head=True)
            for n in range(1, 3):
                self.post(commune, f"PCT{n}", f"Phó Chủ tịch UBND {word} số {c:03d}", deputy=True)
            self.post(f"HDND-{commune}", "CT", f"Chủ tịch HĐND {word} số {c:03d}", head=True)
            staff_units.append(commune)
        target = max(len(self.positions) + 1, round(20000 * self.scale))
        transfers = max(1, target // 100)
        staff = max(0, target - transfers - len(self.positions))
        for i in range(staff):
            where = staff_units[i % len(staff_units)]
            self.post(where, f"CV{i // len(staff_units) + 1:03d}", "Chuyên viên")

    def build_people(self) -> None:
        rng = self.rng
        start = BASE - timedelta(days=300)

        def person() -> str:
            code = f"CB-{len(self.officials) + 1:06d}"
            name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
            n = len(self.officials) + 1
            self.officials.append(
                [
                    code,
                    name,
                    name,
                    f"NV-{n:07d}",
                    f"cb{n:06d}@tonghop.gov.vn",
                    f"09{rng.randrange(10**8):08d}",
                ]
            )
            return code

        target = max(len(self.positions) + 1, round(20000 * self.scale))
        for row in self.positions:
            code = person()
            self.assignments.append([code, row[0], iso(start), "", "QĐ-BỔ-NHIỆM"])
            self.holders[row[0]].append((start, None, code))
        moves = target - len(self.officials)
        for position in rng.sample([p[0] for p in self.positions], min(moves, len(self.positions))):
            when = ACT_START + timedelta(days=rng.randrange(30, 480))
            old = self.holders[position][0]
            self.holders[position] = [(old[0], when, old[2]), (when, None, person())]
            for row in self.assignments:
                if row[1] == position and row[3] == "":
                    row[3] = iso(when)
                    break
            self.assignments.append(
                [self.holders[position][1][2], position, iso(when), "", "QĐ-BỔ-NHIỆM"]
            )

    def holder_at(self, position: str, moment: datetime) -> str:
        for start, end, official in self.holders[position]:
            if start <= moment and (end is None or moment < end):
                return official
        return ""

    # -- powers and grants -----------------------------------------------------------------
    def instrument(
        self, type_: str, normative: bool, issuer: str, signer_position: str, signed: datetime
    ) -> str:
        self.numbers += 1
        symbol = {
            "decision": "QĐ",
            "authorization_letter": "GUQ",
            "law": "QH15",
            "council_resolution": "NQ-HĐND",
        }[type_]
        number = (
            f"{self.numbers}/{signed.year}/{symbol}-TH"
            if normative and type_ != "law"
            else f"{self.numbers}/{symbol}-TH"
        )
        if type_ == "law":
            number = f"{self.numbers}/{signed.year}/QH15"
        official = self.holder_at(signer_position, signed) if signer_position else ""
        form = (
            "KT"
            if signer_position and signer_position.split(".")[1].startswith("P")
            else ("TM" if issuer in self.collective else "direct")
        )
        self.instruments.append(
            [
                number,
                type_,
                "true" if normative else "false",
                f"Văn bản số {number}",
                f"Instrument {number}",
                issuer,
                official,
                signer_position,
                form if signer_position else "",
                iso(signed),
                iso(signed),
                "",
                "true",
            ]
        )
        return number

    def build_powers(self) -> None:
        rng = self.rng
        n = max(5, round(2000 * self.scale))
        depts = [u for u in self.head if u.startswith("SO-") and "-P" not in u]
        for i in range(n):
            roll = rng.random()
            if roll < 0.4:
                holder = "position:UBND-T.CT"
            elif roll < 0.6:
                holder = "unit:UBND-T"
            elif roll < 0.9:
                holder = f"position:{self.head[rng.choice(depts)]}"
            else:
                holder = f"unit:{rng.choice(self.communes)}"
            sector = SECTORS[i % len(SECTORS)]
            act_types = sorted(
                {
                    f"{rng.choice(ACT_VERBS)}_{sector}_{rng.randrange(1, 6)}"
                    for _ in range(rng.randrange(1, 4))
                }
            )
            non_delegable = rng.random() < 0.03
            kinds = (
                []
                if non_delegable
                else sorted(
                    {"authorization"}
                    | ({"decentralization"} if rng.random() < 0.5 else set())
                    | ({"devolution"} if rng.random() < 0.1 else set())
                )
            )
            ceiling = rng.choice([None, None, 500_000_000, 5 * 10**9, 100 * 10**9])
            self.powers.append(
                {
                    "code": f"P-{i + 1:05d}",
                    "title_vi": f"Thẩm quyền số {i + 1}",
                    "title_en": f"Power {i + 1}",
                    "sector": sector,
                    "legal_basis_number": rng.choice(LAWS),
                    "legal_basis_article": f"Điều {rng.randrange(1, 120)}",
                    "holder": holder,
                    "act_types": act_types,
                    "grant_kinds": kinds,
                    "non_delegable": non_delegable,
                    "max_depth": 0 if non_delegable else rng.choice([1, 2, 2, 3, 3]),
                    "amount_ceiling": ceiling,
                    "exclusive": False,
                }
            )

    def holder_unit(self, party: str) -> str:
        kind, code = party.split(":", 1)
        return code if kind == "unit" else self.unit_of[code]

    def candidates(self, party: str, kind: str) -> list[str]:
        """Parties a holder may pass a power to, for a kind."""
        cached = self.candidate_cache.get((party, kind))
        if cached is not None:
            return cached
        unit = self.holder_unit(party)
        below = [u for u in self.children.get(unit, []) if not u.startswith("HDND-")]
        if kind == "authorization":
            out = [f"position:{p}" for p in self.deputies.get(unit, [])]
            out += [f"position:{self.head[u]}" for u in below if u in self.head]
            out += [f"unit:{u}" for u in below if u in self.head and u not in self.collective]
        else:
            out = [f"unit:{u}" for u in below if u in self.head]
        result = self.candidate_cache[(party, kind)] = [p for p in out if p != party]
        return result

    def within(self, code: str, root: str) -> bool:
        ancestors = self.ancestors.get(code)
        if ancestors is None:
            chain = {code}
            walk = self.parent.get(code, "")
            while walk:
                chain.add(walk)
                walk = self.parent.get(walk, "")
            ancestors = self.ancestors[code] = frozenset(chain)
        return root in ancestors

    def add_grant(
        self,
        power: dict[str, Any],
        kind: str,
        grantor: str,
        grantee: str,
        parent: dict[str, Any] | None,
        start: datetime,
        end: datetime | None,
        may_pass_on: bool,
    ) -> dict[str, Any]:
        rng = self.rng
        outer = (
            parent["scope"]
            if parent
            else {
                "territory": [self.holder_unit(power["holder"])],
                "sectors": [power["sector"]],
                "act_types": power["act_types"],
                "amount_ceiling": power["amount_ceiling"],
            }
        )
        grantee_unit = self.holder_unit(grantee)
        territory = outer["territory"]
        if any(self.within(grantee_unit, root) for root in territory) and rng.random() < 0.5:
            if not self.commune_of:
                self.commune_of = {
                    u[0]: c for c in self.communes for u in self.units if self.within(u[0], c)
                }
            commune = self.commune_of.get(grantee_unit)
            if commune is not None:
                territory = [commune]
        act_types = outer["act_types"]
        if len(act_types) > 1 and rng.random() < 0.4:
            act_types = sorted(rng.sample(act_types, rng.randrange(1, len(act_types))))
        ceiling = outer["amount_ceiling"]
        if ceiling is not None and rng.random() < 0.5:
            ceiling = ceiling // rng.choice([2, 5, 10])
        issuer = self.holder_unit(grantor)
        signer = self.head.get(issuer, "")
        signed = start - timedelta(days=rng.randrange(1, 20))
        if kind == "devolution":
            number = self.instrument("law", True, "", "", signed)
        elif kind == "decentralization":
            type_ = "council_resolution" if issuer == "HDND-T" else "decision"
            number = self.instrument(type_, True, issuer, signer, signed)
        else:
            type_ = rng.choice(["decision", "authorization_letter"])
            number = self.instrument(type_, False, issuer, signer, signed)
        grant = {
            "ref": f"G{len(self.grants) + 1:06d}",
            "kind": kind,
            "power": power["code"],
            "grantor": grantor,
            "grantee": grantee,
            "parent_ref": parent["ref"] if parent else None,
            "scope": {
                "territory": territory,
                "sectors": [power["sector"]],
                "act_types": act_types,
                "amount_ceiling": ceiling,
            },
            "valid_from": iso(start),
            "valid_to": iso(end) if end else None,
            "may_pass_on": may_pass_on,
            "conditions_vi": None,
            "instrument": number,
            "recorded_at": iso(max(signed, start - timedelta(days=1)) + timedelta(hours=3)),
            "events": [],
        }
        roll = rng.random()
        last = end or ACT_END + timedelta(days=200)
        if roll < 0.05 and not may_pass_on:
            at = start + (last - start) * rng.uniform(0.3, 0.8)
            grant["events"].append(
                {
                    "type": "revoke",
                    "at": iso(at),
                    "reason_vi": "Thu hồi do phân công lại nhiệm vụ.",
                    "instrument": self.instrument(
                        "decision", False, issuer, signer, at - timedelta(days=1)
                    ),
                }
            )
        elif roll < 0.09 and not may_pass_on:
            at = start + (last - start) * rng.uniform(0.2, 0.6)
            grant["events"].append(
                {
                    "type": "suspend",
                    "at": iso(at),
                    "reason_vi": "Tạm dừng để kiểm tra.",
                    "instrument": None,
                }
            )
            if rng.random() < 0.6:
                grant["events"].append(
                    {
                        "type": "resume",
                        "at": iso(at + timedelta(days=30)),
                        "reason_vi": "Kết thúc kiểm tra.",
                        "instrument": None,
                    }
                )
        self.grants.append(grant)
        self.by_grantee[(grantee, power["code"])].append(grant)
        return grant

    def chain(
        self,
        power: dict[str, Any],
        grantor: str,
        parent: dict[str, Any] | None,
        depth: int,
        budget: int,
        start: datetime,
        end: datetime | None,
    ) -> int:
        rng = self.rng
        kinds = [
            k for k in power["grant_kinds"] if parent is None or parent["kind"] in SOURCE_KINDS[k]
        ]
        made = 0
        while kinds and made < budget:
            kind = rng.choice(kinds)
            options = self.candidates(grantor, kind)
            if not options:
                kinds.remove(kind)
                continue
            grantee = rng.choice(options)
            g_start = start + timedelta(days=rng.randrange(0, 60))
            if kind == "authorization" or (end is not None):
                limit = end or g_start + timedelta(days=720)
                span = max(30, (limit - g_start).days)
                g_end: datetime | None = min(
                    limit, g_start + timedelta(days=rng.randrange(min(span, 90), span + 1))
                )
                if g_end is not None and g_end <= g_start:
                    break
            else:
                g_end = (
                    None
                    if rng.random() < 0.7
                    else g_start + timedelta(days=rng.randrange(180, 720))
                )
            may_pass_on = depth < power["max_depth"] and rng.random() < 0.5
            grant = self.add_grant(
                power, kind, grantor, grantee, parent, g_start, g_end, may_pass_on
            )
            made += 1
            if may_pass_on and made < budget:
                made += self.chain(
                    power, grantee, grant, depth + 1, min(2, budget - made), g_start, g_end
                )
        return made

    def build_grants(self) -> None:
        rng = self.rng
        target = max(10, round(100_000 * self.scale))
        delegable = [p for p in self.powers if not p["non_delegable"]]
        per_power = max(1, target // max(1, len(delegable)))
        while len(self.grants) < target:
            for power in delegable:
                if len(self.grants) >= target:
                    break
                start = BASE + timedelta(days=rng.randrange(0, 600))
                self.chain(
                    power,
                    power["holder"],
                    None,
                    1,
                    min(per_power, target - len(self.grants)),
                    start,
                    None,
                )
            if len(self.grants) % 10_000 < 50:
                log(f"grants: {len(self.grants)}")

    # -- tracing ---------------------------------------------------------------------------
    def state(self, grant: dict[str, Any], t: str) -> str:
        if t < grant["valid_from"]:
            return "grant_not_yet_in_force"
        if grant["valid_to"] is not None and t >= grant["valid_to"]:
            return "grant_expired"
        suspended = False
        for event in grant["events"]:
            if event["at"] > t:
                break
            if event["type"] == "revoke":
                return "grant_revoked"
            suspended = event["type"] == "suspend"
        if suspended:
            return "grant_suspended"
        if grant["parent_ref"] is not None:
            parent = self.grants[int(grant["parent_ref"][1:]) - 1]
            if self.state(parent, t) != "ok":
                return "void_upstream"
        return "ok"

    def covers(self, scope: dict[str, Any], unit: str, act_type: str, amount: int | None) -> str:
        if not any(self.within(unit, root) for root in scope["territory"]):
            return "scope_exceeded"
        if act_type not in scope["act_types"]:
            return "scope_exceeded"
        if scope["amount_ceiling"] is not None and (amount or 0) > scope["amount_ceiling"]:
            return "amount_exceeded"
        return "ok"

    ORDER = (
        "amount_exceeded",
        "scope_exceeded",
        "grant_suspended",
        "grant_revoked",
        "grant_expired",
        "grant_not_yet_in_force",
        "void_upstream",
    )

    def trace(
        self,
        power: dict[str, Any],
        position: str,
        official: str,
        moment: datetime,
        form: str,
        unit: str,
        act_type: str,
        amount: int | None,
    ) -> str:
        if self.holder_at(position, moment) != official:
            return "signer_not_holding_position"
        t = iso(moment)
        own_unit = self.unit_of[position]
        subjects = [(f"position:{position}", "self")]
        if self.head.get(own_unit) == position:
            subjects.append((f"unit:{own_unit}", "head"))
        failures: list[str] = []
        inconsistent = False
        lawful = {
            "territory": [self.holder_unit(power["holder"])],
            "sectors": [power["sector"]],
            "act_types": power["act_types"],
            "amount_ceiling": power["amount_ceiling"],
        }
        for subject, relation in subjects:
            paths: list[dict[str, Any] | None] = [None] if power["holder"] == subject else []
            paths += self.by_grantee.get((subject, power["code"]), [])
            for grant in paths:
                state = "ok" if grant is None else self.state(grant, t)
                if state == "ok":
                    state = self.covers(
                        lawful if grant is None else grant["scope"], unit, act_type, amount
                    )
                if state != "ok":
                    failures.append(state)
                    continue
                if form in self.forms(relation, grant, position):
                    return "within_authority"
                inconsistent = True
        if inconsistent:
            return "signature_form_inconsistent"
        if not failures:
            return "no_authority"
        return min(failures, key=self.ORDER.index)

    def forms(self, relation: str, grant: dict[str, Any] | None, position: str) -> set[str]:
        unit = self.unit_of[position]
        authorized = grant is not None and grant["kind"] == "authorization"
        if relation == "head":
            if unit in self.collective:
                return {"TM"}
            return {"TUQ"} if authorized else {"direct"}
        if not authorized:
            return {"direct"}
        assert grant is not None
        own = {f"position:{self.head.get(unit, '')}", f"unit:{unit}"}
        deputy = position in self.deputies.get(unit, [])
        return {"KT"} if deputy and grant["grantor"] in own else {"TUQ"}

    def signer_of(self, party: str) -> str:
        kind, code = party.split(":", 1)
        return code if kind == "position" else self.head[code]

    def acts(self, count: int) -> Iterator[list[Any]]:
        rng = self.rng
        usable = [
            g
            for g in self.grants
            if g["valid_from"] < iso(ACT_END)
            and (g["valid_to"] is None or g["valid_to"] > iso(ACT_START))
        ]
        powers = {p["code"]: p for p in self.powers}
        all_positions = [p[0] for p in self.positions]
        span = (ACT_END - ACT_START).total_seconds()
        for n in range(count):
            roll = rng.random()
            grant = rng.choice(usable) if usable else None
            if grant is None or roll < 0.03:
                power = rng.choice(self.powers)
                position = rng.choice(all_positions)
                moment = ACT_START + timedelta(seconds=rng.random() * span)
                unit = rng.choice(self.communes)
                scope = None
            else:
                power = powers[grant["power"]]
                position = self.signer_of(grant["grantee"])
                lo = max(ACT_START, datetime.fromisoformat(grant["valid_from"]))
                hi = min(
                    ACT_END,
                    datetime.fromisoformat(grant["valid_to"]) if grant["valid_to"] else ACT_END,
                )
                if roll < 0.05:
                    moment = ACT_START + timedelta(seconds=rng.random() * span)
                else:
                    moment = lo + (hi - lo) * rng.random()
                scope = grant["scope"]
                unit = rng.choice(scope["territory"])
                if roll > 0.97:
                    unit = rng.choice(self.communes)
            act_type = rng.choice((scope or power)["act_types"])
            ceiling = (scope or power)["amount_ceiling"]
            amount = None
            if ceiling is not None:
                amount = rng.randrange(1, ceiling // 1000 + 1) * 1000
                if roll > 0.95:
                    amount = ceiling + 1_000_000
            official = self.holder_at(position, moment)
            if roll > 0.995 or not official:
                official = rng.choice(self.officials)[0]
            own_unit = self.unit_of[position]
            if grant is not None and scope is not None and roll >= 0.03:
                relation = "head" if grant["grantee"].startswith("unit:") else "self"
                form = rng.choice(sorted(self.forms(relation, grant, position)))
            else:
                form = "TM" if own_unit in self.collective else "direct"
            if roll < 0.01:
                form = rng.choice(["direct", "KT", "TM", "TUQ"])
            verdict = self.trace(power, position, official, moment, form, unit, act_type, amount)
            if verdict == "void_upstream":
                verdict = "grant_revoked"
            year = (moment + timedelta(hours=7)).year
            yield [
                f"{n + 1}/{year}/QĐ-TH",
                "decision",
                own_unit,
                power["code"],
                official,
                position,
                form,
                iso(moment.replace(microsecond=0)),
                unit,
                power["sector"],
                act_type,
                "" if amount is None else amount,
                verdict,
            ]


def write_csv(path: Path, header: list[str], rows: Any, label: str) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
            if count % 200_000 == 0:
                log(f"{label}: {count}")
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--only", default=",".join(FILES), help="comma-separated files to write: " + ",".join(FILES)
    )
    parser.add_argument("--acts", type=int, default=None, help="number of acts (overrides scale)")
    args = parser.parse_args(argv)
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    unknown = only - set(FILES)
    if unknown:
        parser.error(f"unknown files: {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    began = time.monotonic()
    province = Province(args.seed, args.scale)
    province.build_organisation()
    province.build_people()
    log(
        f"units {len(province.units)}, positions {len(province.positions)}, "
        f"officials {len(province.officials)}"
    )
    province.build_powers()
    province.build_grants()
    log(f"powers {len(province.powers)}, grants {len(province.grants)}")
    out = args.out
    if "units" in only:
        write_csv(
            out / "units.csv",
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
            province.units,
            "units",
        )
    if "positions" in only:
        write_csv(
            out / "positions.csv",
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
            province.positions,
            "positions",
        )
    if "officials" in only:
        write_csv(
            out / "officials.csv",
            ["code", "full_name", "display_name", "staff_number", "email", "phone"],
            province.officials,
            "officials",
        )
    if "assignments" in only:
        write_csv(
            out / "assignments.csv",
            ["official_code", "position_code", "valid_from", "valid_to", "instrument_number"],
            province.assignments,
            "assignments",
        )
    if "instruments" in only:
        rows = [
            [
                law,
                "law",
                "true",
                f"Luật số {law}",
                f"Law {law}",
                "",
                "",
                "",
                "",
                "2024-01-01T00:00:00Z",
                "2024-01-01T00:00:00Z",
                "",
                "true",
            ]
            for law in LAWS
        ]
        rows.append(
            [
                "QĐ-BỔ-NHIỆM",
                "decision",
                "false",
                "Các quyết định bổ nhiệm",
                "Appointment decisions",
                "UBND-T",
                "",
                "",
                "",
                "2023-01-01T00:00:00Z",
                "2023-01-01T00:00:00Z",
                "",
                "true",
            ]
        )
        write_csv(
            out / "instruments.csv",
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
            rows + province.instruments,
            "instruments",
        )
    if "powers" in only:
        header = [
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
        ]

        def power_rows() -> Iterator[list[Any]]:
            for p in province.powers:
                yield [
                    (
                        "|".join(v)
                        if isinstance(v, list)
                        else (
                            "true"
                            if v is True
                            else "false"
                            if v is False
                            else ""
                            if v is None
                            else v
                        )
                    )
                    for v in (p[k] for k in header)
                ]

        write_csv(out / "powers.csv", header, power_rows(), "powers")
    if "grants" in only:
        with (out / "grants.json").open("w", encoding="utf-8") as handle:
            handle.write("[\n")
            for i, grant in enumerate(province.grants):
                handle.write(("," if i else "") + json.dumps(grant, ensure_ascii=False) + "\n")
            handle.write("]\n")
    if "acts" in only:
        count = args.acts if args.acts is not None else round(1_000_000 * args.scale)
        write_csv(
            out / "acts.csv",
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
            province.acts(count),
            "acts",
        )
    log(f"done in {time.monotonic() - began:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
