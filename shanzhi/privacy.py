"""Personal data: phone numbers are masked unless the user asks to see them.

>>> mask_phone("13800005678"), mask_phone("１３８００００５６７８"), mask_phone("021-5555")
('138****5678', '138****5678', '****')
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["mask_phone"]


def mask_phone(phone: str) -> str:
    """Keep the first 3 and last 4 digits of a mobile number; hide anything shorter entirely."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", phone))
    if len(digits) < 11:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"
