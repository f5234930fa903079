// title: 图谱概况 — Graph statistics
// answers: How many nodes of each label and kind/level, and relations of each type, a store holds
//          (one dataset, or all when $dataset is null).
// param: dataset: string? = gonghexinlu — the dataset name; null for every dataset
// returns: what (node|relation|relation_target|dataset), key (Label:kind, relation type,
//   TYPE→Label:kind of the target, or dataset name), n

// Counts what the store writes: nodes with :Entity and one model label (Grid and Project keep
// their kind as `level`, Place and Org as `kind`, Person has none), relations of the model's
// types, each with a uid, joining two nodes of its own dataset. Two plans, one per case:
// * one dataset: its nodes by the dataset index, its relations from their source nodes;
// * every dataset (the city: ~1.1 million nodes): node counts from the label/kind indexes and
//   the count store, the relations by type from their targets (one expansion per kinded node),
//   datasets from the dataset index; no node or relation property is read.
// Labels and relation types are spelt out; tests/test_cypher_stats.py checks that they are the
// model's (shanzhi.graph.model: Label, RelType).
CALL () {
  MATCH (n:Entity {dataset: $dataset})
  RETURN [l IN labels(n) WHERE l <> 'Entity'][0] AS label, coalesce(n.level, n.kind) AS kind,
         count(*) AS n
  UNION ALL
  UNWIND CASE WHEN $dataset IS NULL THEN [true] ELSE [] END AS whole
  CALL (whole) {
    MATCH (n:Grid) WHERE n.level IS NOT NULL RETURN 'Grid' AS label, n.level AS kind, count(*) AS n
    UNION ALL
    MATCH (n:Place) WHERE n.kind IS NOT NULL RETURN 'Place' AS label, n.kind AS kind, count(*) AS n
    UNION ALL
    MATCH (n:Org) WHERE n.kind IS NOT NULL RETURN 'Org' AS label, n.kind AS kind, count(*) AS n
    UNION ALL
    MATCH (n:Project) WHERE n.level IS NOT NULL
    RETURN 'Project' AS label, n.level AS kind, count(*) AS n
    UNION ALL
    MATCH (n:Person) WITH count(n) AS n RETURN 'Person' AS label, null AS kind, n
  }
  RETURN label, kind, n
}
WITH label, kind, n
WHERE n > 0
RETURN 'node' AS what, CASE WHEN kind IS NULL THEN label ELSE label + ':' + kind END AS key, n
UNION ALL
CALL () {
  MATCH (:Entity {dataset: $dataset})-[r]->(t)
  WHERE r.uid IS NOT NULL AND r.dataset = $dataset
  RETURN type(r) AS type, [l IN labels(t) WHERE l <> 'Entity'][0] AS label, t:Entity AS entity,
         coalesce(t.level, t.kind) AS kind, count(*) AS n
  UNION ALL
  UNWIND CASE WHEN $dataset IS NULL THEN [true] ELSE [] END AS whole
  CALL (whole) {
    MATCH (t:Grid)<-[r:LEADS|SERVES|PARTNERS|PART_OF|COVERS|MEMBER_OF|HOLDS|LIAISES|PARTICIPATES_IN|LOCATED_IN]-()
    WHERE t.level IS NOT NULL
    RETURN type(r) AS type, 'Grid' AS label, t.level AS kind, count(*) AS n
    UNION ALL
    MATCH (t:Place)<-[r:LEADS|SERVES|PARTNERS|PART_OF|COVERS|MEMBER_OF|HOLDS|LIAISES|PARTICIPATES_IN|LOCATED_IN]-()
    WHERE t.kind IS NOT NULL
    RETURN type(r) AS type, 'Place' AS label, t.kind AS kind, count(*) AS n
    UNION ALL
    MATCH (t:Org)<-[r:LEADS|SERVES|PARTNERS|PART_OF|COVERS|MEMBER_OF|HOLDS|LIAISES|PARTICIPATES_IN|LOCATED_IN]-()
    WHERE t.kind IS NOT NULL
    RETURN type(r) AS type, 'Org' AS label, t.kind AS kind, count(*) AS n
    UNION ALL
    MATCH (t:Project)<-[r:LEADS|SERVES|PARTNERS|PART_OF|COVERS|MEMBER_OF|HOLDS|LIAISES|PARTICIPATES_IN|LOCATED_IN]-()
    WHERE t.level IS NOT NULL
    RETURN type(r) AS type, 'Project' AS label, t.level AS kind, count(*) AS n
    UNION ALL
    MATCH ()-[r:LEADS]->(:Person) WITH count(r) AS n
    RETURN 'LEADS' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:SERVES]->(:Person) WITH count(r) AS n
    RETURN 'SERVES' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:PARTNERS]->(:Person) WITH count(r) AS n
    RETURN 'PARTNERS' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:PART_OF]->(:Person) WITH count(r) AS n
    RETURN 'PART_OF' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:COVERS]->(:Person) WITH count(r) AS n
    RETURN 'COVERS' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:MEMBER_OF]->(:Person) WITH count(r) AS n
    RETURN 'MEMBER_OF' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:HOLDS]->(:Person) WITH count(r) AS n
    RETURN 'HOLDS' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:LIAISES]->(:Person) WITH count(r) AS n
    RETURN 'LIAISES' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:PARTICIPATES_IN]->(:Person) WITH count(r) AS n
    RETURN 'PARTICIPATES_IN' AS type, 'Person' AS label, null AS kind, n
    UNION ALL
    MATCH ()-[r:LOCATED_IN]->(:Person) WITH count(r) AS n
    RETURN 'LOCATED_IN' AS type, 'Person' AS label, null AS kind, n
  }
  RETURN type, label, true AS entity, kind, n
}
WITH type, label, entity, kind, n
WHERE n > 0
WITH type, collect({entity: entity, key: CASE WHEN kind IS NULL THEN label ELSE label + ':' + kind END, n: n}) AS targets
UNWIND [{what: 'relation', key: type, n: reduce(s = 0, x IN targets | s + x.n)}]
       + [x IN targets WHERE x.entity | {what: 'relation_target', key: type + '→' + x.key, n: x.n}]
       AS row
WITH row.what AS what, row.key AS key, sum(row.n) AS n
RETURN what, key, n
UNION ALL
CALL () {
  MATCH (n:Entity {dataset: $dataset})
  RETURN n.dataset AS key, count(*) AS n
  UNION ALL
  UNWIND CASE WHEN $dataset IS NULL THEN [true] ELSE [] END AS whole
  CALL (whole) {
    MATCH (n:Entity) WHERE n.dataset IS NOT NULL RETURN n.dataset AS key, count(*) AS n
  }
  RETURN key, n
}
RETURN 'dataset' AS what, key, n
