// title: 两个主体之间的最短路径 — The shortest paths between two actors
// answers: How two actors (people or organisations) are connected: every shortest chain of
//          relations of any type, in either direction, of at most 8 steps between them (none if
//          they are further apart), at most $max_paths of them in text order.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: source: string = 强碧薇 — the first actor's id or name (a person or an organisation)
// param: target: string = 交运巴士 — the second actor's id or name
// param: max_paths: int = 10 — at most this many paths
// returns: source_id, target_id, steps, path (text: name -TYPE(role)-> name <-TYPE- name …),
//          ids (the ids along the path)
CALL () {
  MATCH (a:Person) WHERE a.id = $source OR a.name = $source RETURN a
  UNION
  MATCH (a:Org) WHERE a.id = $source OR a.name = $source RETURN a
}
CALL () {
  MATCH (b:Person) WHERE b.id = $target OR b.name = $target RETURN b
  UNION
  MATCH (b:Org) WHERE b.id = $target OR b.name = $target RETURN b
}
WITH a, b
WHERE ($dataset IS NULL OR a.dataset = $dataset) AND b.dataset = a.dataset AND a <> b
MATCH p = allShortestPaths((a)-[*..8]-(b))
WITH a, b, p, nodes(p) AS ns, relationships(p) AS rs
WITH a, b, length(p) AS steps, [n IN ns | n.id] AS ids,
     ns[0].name + reduce(text = '', i IN range(0, size(rs) - 1) |
       text + CASE WHEN startNode(rs[i]) = ns[i]
                   THEN ' -' + type(rs[i]) + coalesce('(' + rs[i].role + ')', '') + '-> '
                   ELSE ' <-' + type(rs[i]) + coalesce('(' + rs[i].role + ')', '') + '- ' END
            + ns[i + 1].name) AS path
RETURN a.id AS source_id, b.id AS target_id, steps, path, ids
ORDER BY steps, source_id, target_id, path
LIMIT $max_paths
