// title: 图谱概况 — Graph statistics
// answers: How many nodes of each label and kind/level, and relations of each type, a store holds
//          (one dataset, or all when $dataset is null).
// param: dataset: string? = gonghexinlu — the dataset name; null for every dataset
// returns: what (node|relation|relation_target|dataset), key (Label:kind, relation type,
//   TYPE→Label:kind of the target, or dataset name), n
MATCH (n:Entity)
WHERE $dataset IS NULL OR n.dataset = $dataset
WITH n, [l IN labels(n) WHERE l <> 'Entity'][0] AS label
RETURN 'node' AS what,
       CASE WHEN coalesce(n.level, n.kind) IS NULL THEN label
            ELSE label + ':' + coalesce(n.level, n.kind) END AS key,
       count(*) AS n
UNION ALL
MATCH ()-[r]->()
WHERE r.uid IS NOT NULL AND ($dataset IS NULL OR r.dataset = $dataset)
RETURN 'relation' AS what, type(r) AS key, count(*) AS n
UNION ALL
MATCH ()-[r]->(t:Entity)
WHERE r.uid IS NOT NULL AND ($dataset IS NULL OR r.dataset = $dataset)
WITH r, t, [l IN labels(t) WHERE l <> 'Entity'][0] AS label
RETURN 'relation_target' AS what,
       type(r) + '→' + CASE WHEN coalesce(t.level, t.kind) IS NULL THEN label
                            ELSE label + ':' + coalesce(t.level, t.kind) END AS key,
       count(*) AS n
UNION ALL
MATCH (n:Entity)
WHERE $dataset IS NULL OR n.dataset = $dataset
RETURN 'dataset' AS what, n.dataset AS key, count(*) AS n
