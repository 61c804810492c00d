"""Personal data in free text: found and replaced before the text is shown to DRI or put in a report."""

from nwow.privacy.scrub import Scrubbed, scrub_personal_data

__all__ = ["Scrubbed", "scrub_personal_data"]
