"""The Neo4j store (one folder: its store, its reads and the one module of Cypher it sends)."""

from shanzhi.graph.stores.neo4j.store import Neo4jStore, plan_batches

__all__ = ["Neo4jStore", "plan_batches"]
