// title: 党组织引领的一切 — Everything a party organisation leads
// answers: Everything an organisation leads, down the hierarchy: the organisations PART_OF it (any
//          depth: 党总支 → 党支部 → 党小组), the organisations any of them LEADS (楼管小组), the grids
//          they LEAD with every grid PART_OF those (down to building grids), the places those grids
//          COVER and those organisations SERVE (buildings), and the projects they LEAD. Each thing
//          once, reached by its shortest chain of links from the organisation; with $on only the
//          links valid that day count.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: org: string = O-C17-BR2 — the organisation's id or name (e.g. 嘉利明珠城第二党支部)
// param: on: date? = 2026-11-27 — only links valid that day; null: every link whatever its dates
// returns: what (org|grid|place|project), id, name, kind (org or place kind, grid or project
//          level), depth (links from the organisation), via_id, via_name (what it hangs from),
//          relation (the link from via: PART_OF, LEADS, COVERS or SERVES)
MATCH (o:Org)
WHERE (o.id = $org OR o.name = $org) AND ($dataset IS NULL OR o.dataset = $dataset)
CALL (o) {
  MATCH p = (t:Org)-[:PART_OF*0..6]->(o)
  WHERE all(r IN relationships(p)
            WHERE $on IS NULL OR coalesce(r.valid_from, date($on)) <= date($on) <= coalesce(r.valid_to, date($on)))
  RETURN collect({n: t, depth: length(p), via: nodes(p)[1], rel: 'PART_OF'}) AS tree
}
CALL (tree) {
  UNWIND tree AS t
  WITH t, t.n AS tn
  MATCH (tn)-[r:LEADS]->(x:Org)
  WHERE $on IS NULL OR coalesce(r.valid_from, date($on)) <= date($on) <= coalesce(r.valid_to, date($on))
  RETURN collect({n: x, depth: t.depth + 1, via: tn, rel: 'LEADS'}) AS led
}
WITH o, tree + led AS orgs
CALL (orgs) {
  UNWIND orgs AS t
  WITH t, t.n AS tn
  MATCH (tn)-[r:LEADS]->(g:Grid)
  WHERE $on IS NULL OR coalesce(r.valid_from, date($on)) <= date($on) <= coalesce(r.valid_to, date($on))
  MATCH p = (s:Grid)-[:PART_OF*0..4]->(g)
  WHERE all(q IN relationships(p)
            WHERE $on IS NULL OR coalesce(q.valid_from, date($on)) <= date($on) <= coalesce(q.valid_to, date($on)))
  RETURN collect({n: s, depth: t.depth + 1 + length(p),
                  via: CASE WHEN length(p) = 0 THEN tn ELSE nodes(p)[1] END,
                  rel: CASE WHEN length(p) = 0 THEN 'LEADS' ELSE 'PART_OF' END}) AS grids
}
CALL (orgs, grids) {
  UNWIND orgs + grids AS x
  WITH x, x.n AS xn
  MATCH (xn)-[r:COVERS|SERVES]->(pl:Place)
  WHERE $on IS NULL OR coalesce(r.valid_from, date($on)) <= date($on) <= coalesce(r.valid_to, date($on))
  RETURN collect({n: pl, depth: x.depth + 1, via: xn, rel: type(r)}) AS places
}
CALL (orgs) {
  UNWIND orgs AS t
  WITH t, t.n AS tn
  MATCH (tn)-[r:LEADS]->(pj:Project)
  WHERE $on IS NULL OR coalesce(r.valid_from, date($on)) <= date($on) <= coalesce(r.valid_to, date($on))
  RETURN collect({n: pj, depth: t.depth + 1, via: tn, rel: 'LEADS'}) AS projects
}
UNWIND orgs + grids + places + projects AS row
WITH o, row
WHERE row.n <> o
WITH row ORDER BY row.depth, row.via.id, row.rel
WITH row.n AS n, head(collect(row)) AS first
RETURN CASE WHEN n:Org THEN 'org' WHEN n:Grid THEN 'grid' WHEN n:Place THEN 'place'
            ELSE 'project' END AS what,
       n.id AS id, n.name AS name, coalesce(n.level, n.kind) AS kind, first.depth AS depth,
       first.via.id AS via_id, first.via.name AS via_name, first.rel AS relation
ORDER BY depth, what, id
