// title: 空缺岗位 — Posts left empty
// answers: Which posts nobody holds on $on (definition: shanzhi/graph/queries/audit.py): the posts every
//          building grid ($leader_role), block grid ($grid_chief_role; $block_chief_role twice) and
//          road ($road_chief_role) must have, with fewer holders than needed; and any post on a
//          grid, organisation or place that was held at some time but is held by nobody that day.
// param: on: date = 2026-11-27 — the day; HOLDS relations not valid that day do not count
// param: building_level: string = building — the grid level of a building grid
// param: block_level: string = block — the grid level of a block grid
// param: road_kind: string = road — the place kind of a road
// param: leader_role: string = 楼组长 — the post every building grid needs
// param: grid_chief_role: string = 网格长 — the post every block grid needs once
// param: block_chief_role: string = 街区长 — the post every block grid needs $block_chiefs times
// param: block_chiefs: int = 2 — how many 街区长 a block needs (双街区长制)
// param: road_chief_role: string = 路长 — the post every road needs
// returns: id, name, dataset, kind (grid level or place/org kind), role, holders (distinct uids
//          holding the post that day), need (how many holders the post needs)

// Plans: a post's holders are counted before they are listed (only for the posts left empty);
// posts held by nobody that day are found from the HOLDS that are not valid that day (the
// HOLDS valid_to and valid_from indexes), not by expanding every grid, organisation and place.
MATCH (t:Grid)
WHERE t.level IN [$building_level, $block_level]
UNWIND (CASE t.level WHEN $building_level THEN [[$leader_role, 1]]
        ELSE [[$grid_chief_role, 1], [$block_chief_role, $block_chiefs]] END) AS post
WITH t, post[0] AS role, post[1] AS need
WHERE COUNT {
  MATCH (p:Person)-[h:HOLDS]->(t)
  WHERE h.role = role
    AND (h.valid_from IS NULL OR h.valid_from <= date($on)) AND (h.valid_to IS NULL OR h.valid_to >= date($on))
  RETURN DISTINCT p.uid
} < need
WITH t, role, need,
     [(p:Person)-[h:HOLDS]->(t)
      WHERE h.role = role
        AND (h.valid_from IS NULL OR h.valid_from <= date($on)) AND (h.valid_to IS NULL OR h.valid_to >= date($on))
      | p.uid] AS held
WITH t, role, need, reduce(seen = [], u IN held | CASE WHEN u IN seen THEN seen ELSE seen + u END) AS holders
RETURN t.id AS id, t.name AS name, t.dataset AS dataset, t.level AS kind, role, holders, need
UNION ALL
MATCH (t:Place {kind: $road_kind})
WHERE NOT EXISTS {
  MATCH (:Person)-[h:HOLDS]->(t)
  WHERE h.role = $road_chief_role
    AND (h.valid_from IS NULL OR h.valid_from <= date($on)) AND (h.valid_to IS NULL OR h.valid_to >= date($on))
}
RETURN t.id AS id, t.name AS name, t.dataset AS dataset, t.kind AS kind,
       $road_chief_role AS role, [] AS holders, 1 AS need
UNION ALL
CALL () {
  MATCH (:Person)-[h:HOLDS]->(t)
  WHERE h.valid_to < date($on)
  RETURN t, h.role AS role
  UNION
  MATCH (:Person)-[h:HOLDS]->(t)
  WHERE h.valid_from > date($on)
  RETURN t, h.role AS role
}
WITH t, role
WHERE (t:Grid OR t:Org OR t:Place)
  AND NOT EXISTS {
    MATCH (:Person)-[c:HOLDS]->(t)
    WHERE c.role = role
      AND (c.valid_from IS NULL OR c.valid_from <= date($on)) AND (c.valid_to IS NULL OR c.valid_to >= date($on))
  }
RETURN t.id AS id, t.name AS name, t.dataset AS dataset, coalesce(t.level, t.kind) AS kind,
       role, [] AS holders, 1 AS need
