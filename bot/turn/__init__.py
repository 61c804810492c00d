"""One turn: run once (deduplicated across replicas), with its state saved or retried, its ids in the logs,
a typing indicator while it runs, and a polite message when it fails."""

__all__: list[str] = []
