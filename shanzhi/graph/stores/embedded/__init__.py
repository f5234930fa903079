"""The embedded default store (one folder: its store and the reads it answers)."""

from shanzhi.graph.stores.embedded.store import EmbeddedStore

__all__ = ["EmbeddedStore"]
