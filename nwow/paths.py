"""Where the shipped data lives, whether the package is installed from a wheel or from a checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

_CHECKOUT_ROOT = Path(__file__).resolve().parent.parent


def _shipped(name: str) -> Path:
    """The shipped folder `name` (faq, app_manifest): inside the wheel, else in the checkout."""
    packaged = Path(str(resources.files("nwow"))) / "shipped" / name
    if packaged.is_dir():
        return packaged
    return _CHECKOUT_ROOT / name


def default_faq_dir() -> Path:
    return _shipped("faq")


def default_manifest_dir() -> Path:
    return _shipped("app_manifest")


def default_data_dir() -> Path:
    """`./data` beside the checkout when run from one, else `~/.local/share/nwow`."""
    if (_CHECKOUT_ROOT / "pyproject.toml").is_file():
        return _CHECKOUT_ROOT / "data"
    return Path.home() / ".local" / "share" / "nwow"
