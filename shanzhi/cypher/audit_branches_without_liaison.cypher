// title: 没有联系社工的支部 — Party branches without a liaising social worker
// answers: Which party branches (Org of kind $branch_kind; a branch that leads a grid of another
//          level than $branch_level acts as a community's party organisation and is left out) no
//          Person LIAISES with on $on (definition: shanzhi/graph/queries/audit.py).
// param: on: date = 2026-11-27 — the day; relations not valid that day do not count
// param: branch_kind: string = party_branch — the Org kind of a party branch
// param: branch_level: string = branch — the grid level of a branch block (支部块)
// returns: id, name, dataset — one row per branch without a liaison
MATCH (o:Org {kind: $branch_kind})
WHERE NOT EXISTS {
  MATCH (o)-[l:LEADS]->(g:Grid)
  WHERE g.level <> $branch_level
    AND (l.valid_from IS NULL OR l.valid_from <= date($on)) AND (l.valid_to IS NULL OR l.valid_to >= date($on))
}
AND NOT EXISTS {
  MATCH (:Person)-[x:LIAISES]->(o)
  WHERE (x.valid_from IS NULL OR x.valid_from <= date($on)) AND (x.valid_to IS NULL OR x.valid_to >= date($on))
}
RETURN o.id AS id, o.name AS name, o.dataset AS dataset
