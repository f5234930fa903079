"""Where the bundled 共和新路街道 sample lives (in a checkout, or inside an installed wheel)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from shanzhi.errors import NotFoundError

__all__ = ["sample_path"]


def sample_path() -> Path:
    """The folder of the bundled sample dataset ``gonghexinlu``."""
    checkout = Path(__file__).resolve().parents[1] / "data" / "gonghexinlu"
    if checkout.is_dir():
        return checkout
    bundled = resources.files("shanzhi") / "_sample" / "gonghexinlu"
    if bundled.is_dir():
        return Path(str(bundled))
    raise NotFoundError("the bundled sample dataset is missing; reinstall shanzhi.")
