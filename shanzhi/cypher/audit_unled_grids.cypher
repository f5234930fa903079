// title: 无党组织引领的网格 — Grids no party organisation leads
// answers: Which grids, at any level, no party organisation (an Org of a kind in $party_kinds)
//          LEADS on $on (definition: shanzhi/graph/queries/audit.py).
// param: on: date = 2026-11-27 — the day; LEADS relations not valid that day do not count
// param: party_kinds: list<string> = party_working_committee,party_committee,party_general_branch,party_branch,party_group — the Org kinds that are party organisations
// returns: id, name, dataset, level — one row per unled grid
MATCH (g:Grid)
WHERE NOT EXISTS {
  MATCH (o:Org)-[l:LEADS]->(g)
  WHERE o.kind IN $party_kinds
    AND (l.valid_from IS NULL OR l.valid_from <= date($on)) AND (l.valid_to IS NULL OR l.valid_to >= date($on))
}
RETURN g.id AS id, g.name AS name, g.dataset AS dataset, g.level AS level
