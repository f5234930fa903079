// title: 即将到期的岗位 — Posts that end soon
// answers: Which posts (HOLDS with a valid_to) end within $days days of $on (or of today) —
//          valid_to between that day and $days days later, both inclusive — and who holds them;
//          soonest first. A post that ends is where a successor is needed (路长 rotations, a 楼组长
//          stepping down …).
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: on: date? = 2025-06-15 — the day to count from; null: today (the server's date)
// param: days: int = 30 — how many days ahead to look
// returns: valid_to, days_left, role, person_id, person_name, target_id, target_name,
//          target_label (Grid|Org|Place), target_kind (grid level, org or place kind), valid_from
WITH coalesce(date($on), date()) AS day
MATCH (p:Person)-[h:HOLDS]->(t)
WHERE ($dataset IS NULL OR h.dataset = $dataset)
  AND h.valid_to >= day
  AND h.valid_to <= day + duration({days: $days})
RETURN h.valid_to AS valid_to,
       duration.inDays(day, h.valid_to).days AS days_left,
       h.role AS role, p.id AS person_id, p.name AS person_name,
       t.id AS target_id, t.name AS target_name,
       CASE WHEN t:Grid THEN 'Grid' WHEN t:Org THEN 'Org' ELSE 'Place' END AS target_label,
       coalesce(t.level, t.kind) AS target_kind, h.valid_from AS valid_from
ORDER BY valid_to, target_id, person_id
