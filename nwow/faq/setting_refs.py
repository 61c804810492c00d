"""Settings an FAQ answer may quote, written `{setting:NAME}`: the bot fills in the value it runs with.

So that an answer about the assistant says what the running bot does ("deleted after 730 days", "groups of
at least 5") even when a deployment changes the setting. `nwow faq check` refuses an unknown name.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

# NAME -> the environment variable it comes from (named in messages for ambassadors).
ANSWER_SETTINGS: Final[Mapping[str, str]] = {
    "min_group_size": "NWOW_MIN_GROUP_SIZE",
    "retention_days": "NWOW_RETENTION_DAYS",
}
SETTING_REF: Final = re.compile(r"\{setting:([^}]*)\}")


def fill_settings(text: str, values: Mapping[str, str]) -> str:
    """`text` with every `{setting:NAME}` replaced by `values[NAME]` (left as written when not given)."""
    if "{setting:" not in text:
        return text
    return SETTING_REF.sub(lambda found: values.get(found.group(1).strip(), found.group(0)), text)
