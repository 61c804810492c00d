"""Content that must be validated before a production bot serves it, defined in one place.

Example content must never pass for policy. Every answer and office that is not validated is marked on its
card ("example — not yet validated"), but two kinds are not served at all outside development mode unless
the deployment says so with ALLOW_SETTING:

- a **security entry** that is still a draft: an FAQ entry about security (its topic is one of
  SECURITY_TOPICS) or owned by ISPO (its owner names ISPO). Users act on these (how to set up MFA, what to
  do with a stolen phone, what may be shared), so an invented procedure could do harm;
- an **example office** (`example: true`): an invented satellite office, with invented hours and access
  rules, that someone could travel to.

The loaders apply the rule when they are told to (the running bot outside development mode, `nwow faq
check --production`): such content is an error at its line, so a version holding it is treated like a
version with errors (never served; at a first start the bot refuses to start and says why).
"""

from __future__ import annotations

import re
from typing import Final

# The setting that lets a production bot serve draft security entries and example offices (marked as such).
ALLOW_SETTING: Final = "NWOW_ALLOW_UNVALIDATED_CONTENT"
# Topics whose draft entries users may take for security rules.
SECURITY_TOPICS: Final = frozenset({"security", "mfa", "besecure"})
# Owners whose draft entries users may take for security rules, whatever the topic.
SECURITY_OWNER: Final = re.compile(r"\bISPO\b", re.IGNORECASE)


def is_security_entry(topic: str, owner: str) -> bool:
    """A security entry: about security (its topic) or owned by ISPO."""
    return topic in SECURITY_TOPICS or SECURITY_OWNER.search(owner) is not None


def refused_entry_message(entry_id: str, topic: str, owner: str) -> str:
    why = f"topic '{topic}'" if topic in SECURITY_TOPICS else f"owner {owner!r}"
    return (
        f"entry '{entry_id}' is a draft security entry ({why}): outside development mode the bot serves "
        f"security answers only once their owner validated them. Have it validated (status: validated, "
        f"validated_by, validated_on), or set {ALLOW_SETTING}=true to serve it marked as an example"
    )


def refused_office_message(office_id: str) -> str:
    return (
        f"office '{office_id}' is an example (`example: true`): outside development mode the bot does not "
        f"recommend invented offices. Replace it with a real office, or set {ALLOW_SETTING}=true to serve "
        "it marked as an example"
    )
