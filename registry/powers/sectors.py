"""Sectors (lĩnh vực) of administrative procedures, with their labels."""

from __future__ import annotations

from collections.abc import Mapping

SECTOR_LABELS: Mapping[str, tuple[str, str]] = {
    "dat_dai": ("Đất đai", "Land"),
    "xay_dung": ("Xây dựng", "Construction"),
    "dau_tu": ("Đầu tư", "Investment"),
    "tai_chinh": ("Tài chính", "Finance"),
    "doanh_nghiep": ("Doanh nghiệp", "Enterprises"),
    "y_te": ("Y tế", "Health"),
    "giao_duc": ("Giáo dục và Đào tạo", "Education and training"),
    "ho_tich": ("Hộ tịch", "Civil status"),
    "tu_phap": ("Tư pháp", "Justice"),
    "moi_truong": ("Môi trường", "Environment"),
    "nong_nghiep": ("Nông nghiệp", "Agriculture"),
    "giao_thong": ("Giao thông", "Transport"),
    "lao_dong": ("Lao động", "Labour"),
    "van_hoa": ("Văn hóa", "Culture"),
    "cong_thuong": ("Công thương", "Industry and trade"),
}

SECTORS = tuple(SECTOR_LABELS)


def sector_label(code: str, lang: str) -> str:
    vi, en = SECTOR_LABELS.get(code, (code, code))
    return vi if lang == "vi" else en
