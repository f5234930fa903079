// title: 路长排班表 — The road-chief roster for a date range
// answers: Who is 路长 (or another $role held on a road) on which road, for which days, within
//          $from..$to (both inclusive): every post whose validity overlaps the range, clipped to it
//          (on_duty_from, on_duty_to); a post without dates counts as always held. One road or all
//          roads; each road's turns in date order.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: from: date = 2026-01-01 — the first day of the range
// param: to: date = 2026-12-31 — the last day of the range
// param: road: string? = 共和新路 — the road's id or name; null for every road
// param: role: string? = 路长 — the post to list; null: 路长
// returns: road_id, road_name, on_duty_from, on_duty_to, person_id, person_name, party_member,
//          valid_from, valid_to (the post's own dates; null when open)
MATCH (r:Place {kind: 'road'})
WHERE ($dataset IS NULL OR r.dataset = $dataset)
  AND ($road IS NULL OR r.id = $road OR r.name = $road)
MATCH (p:Person)-[h:HOLDS]->(r)
WHERE h.role = coalesce($role, '路长')
  AND (h.valid_from IS NULL OR h.valid_from <= date($to))
  AND (h.valid_to IS NULL OR h.valid_to >= date($from))
WITH r, p, h,
     CASE WHEN h.valid_from IS NULL OR h.valid_from < date($from) THEN date($from) ELSE h.valid_from END
       AS on_duty_from,
     CASE WHEN h.valid_to IS NULL OR h.valid_to > date($to) THEN date($to) ELSE h.valid_to END AS on_duty_to
RETURN r.id AS road_id, r.name AS road_name, on_duty_from, on_duty_to,
       p.id AS person_id, p.name AS person_name, p.party_member AS party_member,
       h.valid_from AS valid_from, h.valid_to AS valid_to
ORDER BY road_id, on_duty_from, person_id
