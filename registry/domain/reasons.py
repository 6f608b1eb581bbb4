"""Reason codes with their Vietnamese and English messages, the one catalogue of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum, auto
from typing import Literal

from registry.domain.kinds import INSTRUMENT_TYPE_LABELS, KIND_RULES, GrantKind, InstrumentType
from registry.domain.scope import format_amount

Lang = Literal["vi", "en"]


class ReasonCode(StrEnum):
    """Stable codes, each equal to its own name; clients match on them, so never rename one."""

    @staticmethod
    def _generate_next_value_(name: str, start: int, count: int, last_values: list[str]) -> str:
        return name

    # Rules of a new grant.
    GRANTOR_LACKS_POWER = auto()
    GRANT_EXCEEDS_SCOPE = auto()
    GRANT_OUTLIVES_SOURCE = auto()
    CHAIN_TOO_DEEP = auto()
    KIND_NOT_ALLOWED_FOR_POWER = auto()
    KIND_NOT_ALLOWED_FROM_SOURCE = auto()
    POWER_NOT_DELEGABLE = auto()
    SOURCE_MAY_NOT_PASS_ON = auto()
    SOURCE_NOT_IN_FORCE = auto()
    SELF_GRANT = auto()
    GRANT_CYCLE = auto()
    GRANTEE_UNKNOWN = auto()
    GRANTEE_INACTIVE = auto()
    INSTRUMENT_MISSING = auto()
    INSTRUMENT_TYPE_NOT_ACCEPTED = auto()
    INSTRUMENT_NOT_NORMATIVE = auto()
    INSTRUMENT_AFTER_START = auto()
    INSTRUMENT_NOT_YET_SIGNED = auto()
    END_REQUIRED = auto()
    END_NOT_AFTER_START = auto()
    DURATION_TOO_LONG = auto()
    AMOUNT_ABOVE_SOURCE = auto()
    # Life of a grant.
    GRANT_ALREADY_REVOKED = auto()
    GRANT_NOT_SUSPENDED = auto()
    GRANT_ALREADY_SUSPENDED = auto()
    REVOCATION_REASON_REQUIRED = auto()
    REVOCATION_INSTRUMENT_REQUIRED = auto()
    ONLY_GRANTEE_MAY_RENOUNCE = auto()
    ONLY_GRANTOR_MAY_ACT = auto()
    AMENDMENT_WIDENS_SCOPE = auto()
    AMENDMENT_STRANDS_SUB_GRANTS = auto()
    # Input validation.
    FIELD_REQUIRED = auto()
    FIELD_TOO_LONG = auto()
    INVALID_DATE = auto()
    INVALID_CHOICE = auto()
    INVALID_NUMBER = auto()
    CONTROL_CHARACTERS = auto()
    INVALID_FORMAT = auto()
    INVALID_CODE = auto()
    INVALID_PARTY = auto()
    UNKNOWN_REFERENCE = auto()
    UNKNOWN_FIELD = auto()
    DUPLICATE_IN_FILE = auto()
    FILE_NOT_UTF8 = auto()
    PASSWORD_TOO_SHORT = auto()
    PASSWORD_CONTAINS_USERNAME = auto()
    # Verdicts of a trace.
    WITHIN_AUTHORITY = auto()
    NO_AUTHORITY = auto()
    GRANT_EXPIRED = auto()
    GRANT_NOT_YET_IN_FORCE = auto()
    GRANT_REVOKED = auto()
    GRANT_RENOUNCED = auto()
    GRANT_SUSPENDED = auto()
    GRANT_VOID_UPSTREAM = auto()
    SCOPE_EXCEEDED = auto()
    AMOUNT_EXCEEDED = auto()
    SIGNER_NOT_HOLDING_POSITION = auto()
    SIGNATURE_FORM_INCONSISTENT = auto()


C = ReasonCode

#: code -> (Vietnamese template, English template); `{field}` is the field's label.
CATALOGUE: Mapping[ReasonCode, tuple[str, str]] = {
    C.GRANTOR_LACKS_POWER: (
        "Bên giao {grantor} không nắm giữ thẩm quyền {power} tại thời điểm bắt đầu hiệu lực.",
        "The grantor {grantor} does not hold power {power} at the start of validity.",
    ),
    C.GRANT_EXCEEDS_SCOPE: (
        "{field} vượt quá phạm vi của nguồn: {value} nằm ngoài {limit}.",
        "{field} exceeds the source's scope: {value} is outside {limit}.",
    ),
    C.GRANT_OUTLIVES_SOURCE: (
        "Thời hạn giao kéo dài quá thời hạn của nguồn (nguồn hết hiệu lực lúc {source_end}).",
        "The grant would outlive its source (the source ends at {source_end}).",
    ),
    C.CHAIN_TOO_DEEP: (
        "Chuỗi giao quyền sẽ có {depth} cấp, vượt quá số cấp tối đa ({max_depth}) "
        "của thẩm quyền {power}.",
        "The chain of grants would be {depth} links deep; power {power} allows at most "
        "{max_depth}.",
    ),
    C.KIND_NOT_ALLOWED_FOR_POWER: (
        "Thẩm quyền {power} không được giao theo hình thức {kind}.",
        "Power {power} may not be passed on by {kind}.",
    ),
    C.KIND_NOT_ALLOWED_FROM_SOURCE: (
        "Thẩm quyền nhận theo hình thức {source_kind} không được giao tiếp theo hình thức {kind}.",
        "A power received by {source_kind} may not be passed on by {kind}.",
    ),
    C.POWER_NOT_DELEGABLE: (
        "Thẩm quyền {power} không được phân cấp, ủy quyền.",
        "Power {power} may not be delegated.",
    ),
    C.SOURCE_MAY_NOT_PASS_ON: (
        "Việc giao quyền số {source} không cho phép giao tiếp cho người khác.",
        "Grant {source} may not be passed on.",
    ),
    C.SOURCE_NOT_IN_FORCE: (
        "Nguồn thẩm quyền không có hiệu lực tại thời điểm bắt đầu ({start}).",
        "The source of the power is not in force at the start ({start}).",
    ),
    C.SELF_GRANT: (
        "Không được tự giao thẩm quyền cho chính mình: bên nhận {grantee} trùng với bên giao "
        "{grantor}.",
        "A grantor may not grant to themselves: grantee {grantee} is the grantor {grantor}.",
    ),
    C.GRANT_CYCLE: (
        "Bên nhận {grantee} đã có trong chuỗi giao quyền phía trên; việc giao này tạo thành "
        "vòng lặp.",
        "Grantee {grantee} already appears up the chain; the grant would make a cycle.",
    ),
    C.GRANTEE_UNKNOWN: (
        "Không tìm thấy bên nhận {grantee} trong danh mục.",
        "Grantee {grantee} is not in the registry.",
    ),
    C.GRANTEE_INACTIVE: (
        "Bên nhận {grantee} không hoạt động trong suốt thời hạn giao.",
        "Grantee {grantee} is not active over the whole validity.",
    ),
    C.INSTRUMENT_MISSING: (
        "Thiếu văn bản làm căn cứ.",
        "The instrument is missing.",
    ),
    C.INSTRUMENT_TYPE_NOT_ACCEPTED: (
        "Hình thức {kind} không thực hiện bằng {instrument_type}; loại văn bản phù hợp: "
        "{accepted}.",
        "{kind} cannot be made by {instrument_type}; accepted: {accepted}.",
    ),
    C.INSTRUMENT_NOT_NORMATIVE: (
        "Hình thức {kind} phải thực hiện bằng văn bản quy phạm pháp luật; văn bản {instrument} "
        "không phải là văn bản quy phạm pháp luật.",
        "{kind} needs a normative legal document; {instrument} is not one.",
    ),
    C.INSTRUMENT_AFTER_START: (
        "Văn bản {instrument} ký lúc {signed_at}, sau thời điểm có hiệu lực ({start}).",
        "Instrument {instrument} was signed at {signed_at}, after it takes effect ({start}).",
    ),
    C.INSTRUMENT_NOT_YET_SIGNED: (
        "Ngày ký của văn bản {instrument} ({signed_at}) chưa đến.",
        "Instrument {instrument} is dated in the future ({signed_at}).",
    ),
    C.END_REQUIRED: (
        "Hình thức {kind} phải có thời hạn: cần nhập ngày hết hiệu lực.",
        "{kind} must be for a defined period: the end of validity is required.",
    ),
    C.END_NOT_AFTER_START: (
        "Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.",
        "The end of validity must be after its start.",
    ),
    C.DURATION_TOO_LONG: (
        "Thời hạn {kind} không được quá {max_days} ngày.",
        "{kind} may last at most {max_days} days.",
    ),
    C.AMOUNT_ABOVE_SOURCE: (
        "Mức tiền tối đa {ceiling} vượt quá mức của nguồn ({source_ceiling}).",
        "The amount ceiling {ceiling} is above the source's ({source_ceiling}).",
    ),
    C.GRANT_ALREADY_REVOKED: (
        "Việc giao quyền số {grant} đã chấm dứt hiệu lực.",
        "Grant {grant} has already ended.",
    ),
    C.GRANT_NOT_SUSPENDED: (
        "Việc giao quyền số {grant} không ở trạng thái tạm đình chỉ.",
        "Grant {grant} is not suspended.",
    ),
    C.GRANT_ALREADY_SUSPENDED: (
        "Việc giao quyền số {grant} đang bị tạm đình chỉ.",
        "Grant {grant} is already suspended.",
    ),
    C.REVOCATION_REASON_REQUIRED: (
        "Cần nêu lý do thu hồi.",
        "A reason for the revocation is required.",
    ),
    C.REVOCATION_INSTRUMENT_REQUIRED: (
        "Việc thu hồi phải có văn bản làm căn cứ.",
        "A revocation needs an instrument.",
    ),
    C.ONLY_GRANTEE_MAY_RENOUNCE: (
        "Chỉ bên nhận ({grantee}) mới được từ bỏ thẩm quyền được giao.",
        "Only the grantee ({grantee}) may renounce the grant.",
    ),
    C.ONLY_GRANTOR_MAY_ACT: (
        "Chỉ bên giao ({grantor}) mới được thực hiện thao tác này.",
        "Only the grantor ({grantor}) may do this.",
    ),
    C.AMENDMENT_WIDENS_SCOPE: (
        "Nội dung sửa đổi mở rộng {field}: {value} nằm ngoài {limit}.",
        "The amendment widens {field}: {value} is outside {limit}.",
    ),
    C.AMENDMENT_STRANDS_SUB_GRANTS: (
        "Nội dung sửa đổi thu hẹp phạm vi dưới phạm vi của các việc giao tiếp số {grants}; "
        "cần sửa đổi hoặc thu hồi các việc giao đó trước.",
        "The amendment narrows the scope below that of sub-grants {grants}; amend or revoke "
        "them first.",
    ),
    C.FIELD_REQUIRED: (
        "Thông tin «{field}» là bắt buộc.",
        "{field} is required.",
    ),
    C.FIELD_TOO_LONG: (
        "«{field}» không được dài quá {max_length} ký tự.",
        "{field} must be at most {max_length} characters long.",
    ),
    C.INVALID_DATE: (
        "«{field}» không phải là ngày giờ hợp lệ.",
        "{field} is not a valid date and time.",
    ),
    C.INVALID_CHOICE: (
        "Giá trị «{value}» không hợp lệ cho «{field}».",
        "{value} is not a valid choice for {field}.",
    ),
    C.INVALID_NUMBER: (
        "«{field}» phải là số nguyên không âm.",
        "{field} must be a whole number, zero or more.",
    ),
    C.CONTROL_CHARACTERS: (
        "«{field}» chứa ký tự điều khiển không được phép.",
        "{field} contains control characters.",
    ),
    C.INVALID_FORMAT: (
        "«{field}» không đúng định dạng (dòng {line}).",
        "{field} is not in the expected format (line {line}).",
    ),
    C.INVALID_CODE: (
        "Mã «{value}» của «{field}» không hợp lệ: chỉ dùng chữ không dấu, chữ số, dấu chấm, "
        "gạch ngang.",
        "Code {value} for {field} is not valid: use unaccented letters, digits, dots, hyphens.",
    ),
    C.INVALID_PARTY: (
        "«{value}» không phải bên hợp lệ cho «{field}» (dạng unit:…, position:… hoặc official:…).",
        "{value} is not a valid party for {field} (unit:…, position:… or official:…).",
    ),
    C.UNKNOWN_REFERENCE: (
        "Không tìm thấy «{value}» (trường «{field}») trong danh mục.",
        "{value} ({field}) is not in the registry.",
    ),
    C.UNKNOWN_FIELD: (
        "Trường «{value}» không được hỗ trợ.",
        "Field {value} is not supported.",
    ),
    C.DUPLICATE_IN_FILE: (
        "Giá trị «{value}» của «{field}» bị trùng trong tệp (đã có ở dòng {line}).",
        "{field} {value} appears twice in the file (first at line {line}).",
    ),
    C.FILE_NOT_UTF8: (
        "Tệp không được mã hóa UTF-8 (lỗi tại vị trí {position}).",
        "The file is not UTF-8 encoded (error at position {position}).",
    ),
    C.PASSWORD_TOO_SHORT: (
        "Mật khẩu phải có ít nhất {min_length} ký tự.",
        "The password must be at least {min_length} characters long.",
    ),
    C.PASSWORD_CONTAINS_USERNAME: (
        "Mật khẩu không được chứa tên đăng nhập.",
        "The password must not contain the user name.",
    ),
    C.WITHIN_AUTHORITY: (
        "Văn bản được ký đúng thẩm quyền.",
        "The act was signed within authority.",
    ),
    C.NO_AUTHORITY: (
        "Người ký không có thẩm quyền có hiệu lực đối với văn bản này tại thời điểm ký.",
        "No authority in force covered the signer for this act when it was signed.",
    ),
    C.GRANT_EXPIRED: (
        "Việc giao quyền số {grant} đã hết thời hạn tại thời điểm ký.",
        "Grant {grant} had expired when the act was signed.",
    ),
    C.GRANT_NOT_YET_IN_FORCE: (
        "Việc giao quyền số {grant} chưa có hiệu lực tại thời điểm ký.",
        "Grant {grant} was not yet in force when the act was signed.",
    ),
    C.GRANT_REVOKED: (
        "Việc giao quyền số {grant} đã bị thu hồi trước thời điểm ký.",
        "Grant {grant} had been revoked when the act was signed.",
    ),
    C.GRANT_RENOUNCED: (
        "Bên nhận đã từ bỏ việc giao quyền số {grant} trước thời điểm ký.",
        "Grant {grant} had been renounced when the act was signed.",
    ),
    C.GRANT_SUSPENDED: (
        "Việc giao quyền số {grant} đang bị tạm đình chỉ tại thời điểm ký.",
        "Grant {grant} was suspended when the act was signed.",
    ),
    C.GRANT_VOID_UPSTREAM: (
        "Nguồn của việc giao quyền số {grant} không còn hiệu lực tại thời điểm ký.",
        "The source of grant {grant} was no longer in force when the act was signed.",
    ),
    C.SCOPE_EXCEEDED: (
        "Văn bản nằm ngoài phạm vi được giao ({field}): {value} không thuộc {limit}.",
        "The act lies outside the granted scope ({field}): {value} is not within {limit}.",
    ),
    C.AMOUNT_EXCEEDED: (
        "Số tiền {amount} vượt mức tối đa được giao ({ceiling}).",
        "The amount {amount} is above the granted ceiling ({ceiling}).",
    ),
    C.SIGNER_NOT_HOLDING_POSITION: (
        "Người ký {signer} không giữ chức vụ {position} tại thời điểm ký.",
        "Signer {signer} did not hold position {position} when the act was signed.",
    ),
    C.SIGNATURE_FORM_INCONSISTENT: (
        "Thể thức ký {form} không phù hợp với căn cứ thẩm quyền (cần {expected}).",
        "Signature form {form} does not match the authority relied on ({expected} expected).",
    ),
}

#: field name -> (Vietnamese label, English label)
FIELD_LABELS: Mapping[str, tuple[str, str]] = {
    "power": ("Thẩm quyền", "Power"),
    "kind": ("Hình thức giao", "Kind"),
    "grantor": ("Bên giao", "Grantor"),
    "grantee": ("Bên nhận", "Grantee"),
    "parent_id": ("Nguồn", "Source"),
    "scope": ("Phạm vi", "Scope"),
    "scope.territory": ("Địa bàn", "Territory"),
    "scope.sectors": ("Lĩnh vực", "Sectors"),
    "scope.act_types": ("Loại việc", "Act types"),
    "scope.amount_ceiling": ("Mức tiền tối đa", "Amount ceiling"),
    "valid_from": ("Ngày bắt đầu hiệu lực", "Valid from"),
    "valid_to": ("Ngày hết hiệu lực", "Valid to"),
    "may_pass_on": ("Được giao tiếp", "May pass on"),
    "instrument": ("Văn bản", "Instrument"),
    "instrument.number": ("Số, ký hiệu văn bản", "Instrument number"),
    "instrument.type": ("Loại văn bản", "Instrument type"),
    "instrument.normative": ("Văn bản quy phạm pháp luật", "Normative document"),
    "instrument.signed_at": ("Ngày ký văn bản", "Instrument signing date"),
    "reason": ("Lý do", "Reason"),
    "actor": ("Người thực hiện", "Actor"),
    "signer": ("Người ký", "Signer"),
    "position": ("Chức vụ", "Position"),
    "signature_form": ("Thể thức ký", "Signature form"),
    "signed_at": ("Thời điểm ký", "Signing time"),
    "unit": ("Cơ quan, đơn vị", "Unit"),
    "sector": ("Lĩnh vực", "Sector"),
    "act_type": ("Loại việc", "Act type"),
    "amount": ("Số tiền", "Amount"),
    "number": ("Số, ký hiệu", "Number"),
    "name": ("Tên", "Name"),
    "code": ("Mã", "Code"),
    "file": ("Tệp", "File"),
    "password": ("Mật khẩu", "Password"),
    "username": ("Tên đăng nhập", "User name"),
    "email": ("Thư điện tử", "Email"),
    "holder": ("Chủ thể nắm giữ", "Holder"),
    "parent": ("Nguồn", "Source"),
    "official": ("Cán bộ, công chức", "Official"),
    "instrument_number": ("Số, ký hiệu văn bản", "Instrument number"),
    "conditions_vi": ("Điều kiện (tiếng Việt)", "Conditions (Vietnamese)"),
    "conditions_en": ("Điều kiện (tiếng Anh)", "Conditions (English)"),
    "instrument_title_vi": ("Trích yếu văn bản", "Instrument title"),
    "instrument_type": ("Loại văn bản", "Instrument type"),
    "instrument_signed_at": ("Ngày ký văn bản", "Instrument signing date"),
    "instrument_file_sha256": ("Mã băm SHA-256 của tệp", "File SHA-256"),
    "territory": ("Địa bàn", "Territory"),
    "sectors": ("Lĩnh vực", "Sectors"),
    "act_types": ("Loại việc", "Act types"),
    "amount_ceiling": ("Mức tiền tối đa", "Amount ceiling"),
    "recorded_for": ("Ghi nhận thay cho", "Recorded for"),
    "at": ("Thời điểm", "Time"),
    "legal_basis_number": ("Số, ký hiệu văn bản căn cứ", "Legal basis number"),
}

_AMOUNT_PARAMS = frozenset({"amount", "ceiling", "source_ceiling"})
_KIND_PARAMS = frozenset({"kind", "source_kind"})


def field_label(name: str, lang: Lang) -> str:
    vi, en = FIELD_LABELS.get(name, (name, name))
    return vi if lang == "vi" else en


def _localise(key: str, value: str, lang: Lang) -> str:
    """Turn codes carried in params into words of the language (kinds, types, amounts)."""
    index = 0 if lang == "vi" else 1
    if key in _KIND_PARAMS and value in GrantKind.__members__.values():
        rule = KIND_RULES[GrantKind(value)]
        return (rule.label_vi, rule.label_en)[index].lower()
    if key in ("instrument_type", "accepted"):
        labels = [
            INSTRUMENT_TYPE_LABELS[InstrumentType(v)][index]
            if v in InstrumentType.__members__.values()
            else v
            for v in value.split(",")
            if v
        ]
        return ", ".join(labels)
    if key in _AMOUNT_PARAMS:
        if value.isdigit():
            return format_amount(int(value), lang)
        if value in ("", "*", "None"):
            return "không giới hạn" if lang == "vi" else "no ceiling"
    return value


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a request was refused (or a verdict given), naming the field it concerns."""

    code: ReasonCode
    field: str | None = None
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "code", ReasonCode(self.code))
        object.__setattr__(self, "params", {k: str(v) for k, v in self.params.items()})

    @classmethod
    def of(cls, code: ReasonCode, field: str | None = None, **params: object) -> Reason:
        return cls(code, field, {key: str(value) for key, value in params.items()})

    def message(self, lang: Lang = "vi") -> str:
        vi, en = CATALOGUE[self.code]
        values = _Params({k: _localise(k, v, lang) for k, v in self.params.items()})
        values["field"] = field_label(self.field, lang) if self.field else ""
        text = (vi if lang == "vi" else en).format_map(values)
        return text[:1].upper() + text[1:]

    def as_json(self) -> dict[str, object]:
        return {
            "code": str(self.code),
            "field": self.field,
            "message_vi": self.message("vi"),
            "message_en": self.message("en"),
            "params": dict(self.params),
        }
