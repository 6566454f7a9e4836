"""Strategic communications: text items, lexicons, a harm classifier, narratives, spikes and a review queue."""

__all__ = [
    "classifier",
    "datasets",
    "demo",
    "duplicates",
    "items",
    "language",
    "lexicon",
    "model",
    "models",
    "narratives",
    "normalise",
    "privacy",
    "review",
    "spikes",
]
