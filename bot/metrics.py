"""Prometheus metrics of one bot process, in a registry of its own (no module-level globals)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE_LATEST", "BotMetrics"]

_LATENCY_BUCKETS = (0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5)


@dataclass
class BotMetrics:
    registry: CollectorRegistry = field(default_factory=lambda: CollectorRegistry(auto_describe=True))

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "nwow_requests", "Requests to /api/messages by outcome", ["outcome"], registry=r
        )
        self.answer_latency = Histogram(
            "nwow_answer_latency_seconds",
            "Time to match a question against the knowledge base",
            buckets=_LATENCY_BUCKETS,
            registry=r,
        )
        self.turn_latency = Histogram(
            "nwow_turn_latency_seconds", "Time to process one turn", buckets=_LATENCY_BUCKETS, registry=r
        )
        self.questions = Counter(
            "nwow_questions",
            "FAQ questions by result (answered, ambiguous, unanswered)",
            ["result"],
            registry=r,
        )
        self.feedback = Counter(
            "nwow_feedback_submissions",
            "Feedback stored by kind (survey, vote) and novelty",
            ["kind", "new"],
            registry=r,
        )
        self.storage_conflicts = Counter(
            "nwow_storage_conflicts", "Turns retried after a state e_tag conflict", registry=r
        )
        self.proactive = Counter(
            "nwow_proactive_deliveries",
            "Proactive deliveries by kind (private-reply, pulse, ...) and outcome (sent, gone, ...)",
            ["kind", "outcome"],
            registry=r,
        )
        self.kb_entries = Gauge("nwow_kb_entries", "Entries in the loaded knowledge base", registry=r)
        self.kb_info = Gauge(
            "nwow_kb_version_info", "The loaded knowledge-base version", ["content_hash"], registry=r
        )

    def set_kb_version(self, entries: int, content_hash: str) -> None:
        self.kb_entries.set(entries)
        self.kb_info.clear()
        self.kb_info.labels(content_hash=content_hash).set(1)

    def render(self) -> bytes:
        return generate_latest(self.registry)
