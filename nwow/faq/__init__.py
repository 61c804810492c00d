"""The FAQ knowledge base: files ambassadors edit (faq/), their validation, and the multilingual matcher.

`load_knowledge_base(folder)` reads and validates the folder and builds the index once;
`KnowledgeBase.match(question, locale)` answers from memory (threshold and gap derived from the KB);
`KnowledgeBaseHolder` keeps the live version and swaps in valid edits while the bot runs.
"""

from nwow.faq.holder import KnowledgeBaseHolder, KnowledgeBaseLoadError
from nwow.faq.knowledge_base import KnowledgeBase
from nwow.faq.loader import LoadResult, load_knowledge_base
from nwow.faq.model import (
    Answer,
    Candidate,
    FaqEntry,
    KbVersion,
    Link,
    LocalizedContent,
    MatchResult,
    TopicSummary,
)

__all__ = [
    "Answer",
    "Candidate",
    "FaqEntry",
    "KbVersion",
    "KnowledgeBase",
    "KnowledgeBaseHolder",
    "KnowledgeBaseLoadError",
    "Link",
    "LoadResult",
    "LocalizedContent",
    "MatchResult",
    "TopicSummary",
    "load_knowledge_base",
]
