"""善治 shanzhi — a knowledge graph of grassroots governance actors and their relations."""

__version__ = "0.1.0"
