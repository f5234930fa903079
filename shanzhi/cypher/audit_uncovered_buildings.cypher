// title: 无网格覆盖的楼栋 — Buildings no grid covers
// answers: Which building places have no grid COVERing them on $on (definition: shanzhi/graph/queries/audit.py).
// param: on: date = 2026-11-27 — the day; COVERS relations not valid that day do not count
// param: building_kind: string = building — the place kind of a building
// returns: id, name, dataset — one row per uncovered building
MATCH (b:Place {kind: $building_kind})
WHERE NOT EXISTS {
  MATCH (:Grid)-[c:COVERS]->(b)
  WHERE (c.valid_from IS NULL OR c.valid_from <= date($on)) AND (c.valid_to IS NULL OR c.valid_to >= date($on))
}
RETURN b.id AS id, b.name AS name, b.dataset AS dataset
