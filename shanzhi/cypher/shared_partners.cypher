// title: 两个街区共同的伙伴 — Partners two blocks share
// answers: Which organisations or people PARTNER both blocks — members of both 善治朋友圈 —
//          with their kind. With $on only the partnerships valid that day count.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: block_a: string = 善养街区网格 — the first block grid's id or name
// param: block_b: string = G-BLK-SHANYE — the second block grid's id or name
// param: on: date? = 2026-11-27 — only partnerships valid that day; null: whatever their dates
// returns: partner_id, partner_name, label (Org|Person), kind (org kind; null for a person),
//          block_a_id, block_b_id
MATCH (a:Grid)
WHERE (a.id = $block_a OR a.name = $block_a) AND ($dataset IS NULL OR a.dataset = $dataset)
  AND a.level = 'block'
MATCH (b:Grid)
WHERE (b.id = $block_b OR b.name = $block_b) AND b.dataset = a.dataset AND b.level = 'block'
  AND a <> b
MATCH (a)<-[ra:PARTNERS]-(m)-[rb:PARTNERS]->(b)
WHERE (m:Org OR m:Person)
  AND ($on IS NULL OR
       (coalesce(ra.valid_from, date($on)) <= date($on) <= coalesce(ra.valid_to, date($on))
        AND coalesce(rb.valid_from, date($on)) <= date($on) <= coalesce(rb.valid_to, date($on))))
WITH DISTINCT a, b, m
RETURN m.id AS partner_id, m.name AS partner_name,
       CASE WHEN m:Org THEN 'Org' ELSE 'Person' END AS label, m.kind AS kind,
       a.id AS block_a_id, b.id AS block_b_id
ORDER BY partner_id
