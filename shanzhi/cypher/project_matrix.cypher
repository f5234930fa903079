// title: "个十百"项目矩阵 — The project matrix against its targets
// answers: How many projects of each level (city 市级, district 区级, grassroots 基层党组织品牌,
//          micro 微项目) each organisation LEADS, per block and per street, against the street's
//          "个十百" targets. A project counts in the block and street its landing grid (the grid
//          it is LOCATED_IN) lies in (PART_OF, up to 4 levels), under the organisation that LEADS
//          it (the one with the smallest id if several); with $on only projects running that day
//          (start <= $on <= end, a missing date is open) count. One street (its grids and the grids below), or all.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: street: string? = 共和新路街道总网格 — one street grid's id or name; null: every street
// param: city_target: int = 1 — the street's target of city-level projects (个)
// param: district_target: int = 10 — the street's target of district-level key projects (十)
// param: grassroots_target: int = 166 — the street's target of grassroots brand projects (百)
// param: on: date? = 2026-11-27 — only projects running that day; null: every project
// returns: scope (org: one organisation in one block; block: the block's total; street: the
//          street's total; target: the targets), street_id, street_name, block_id, block_name,
//          org_id, org_name, city, district, grassroots, micro, total, meets_targets (street rows:
//          every level at or above its target)
CALL () {
  MATCH (p:Project)
  WHERE $street IS NULL AND ($dataset IS NULL OR p.dataset = $dataset)
  RETURN p
  UNION
  MATCH (st:Grid)
  WHERE (st.id = $street OR st.name = $street) AND st.level = 'street'
    AND ($dataset IS NULL OR st.dataset = $dataset)
  MATCH (p:Project)-[:LOCATED_IN]->(:Grid)-[:PART_OF*0..4]->(st)
  RETURN p
}
WITH p
WHERE $on IS NULL OR ((p.start IS NULL OR p.start <= date($on)) AND (p.end IS NULL OR p.end >= date($on)))
OPTIONAL MATCH (p)-[:LOCATED_IN]->(g:Grid)
// One walk up the PART_OF tree finds both the street (<= 4 steps) and the block (<= 3 steps).
WITH p, [path = (g)-[:PART_OF*0..4]->(a:Grid)
          WHERE a.level = 'street' OR (a.level = 'block' AND length(path) <= 3)
          | [a.level, a.id, a]] AS ups
WITH p,
     reduce(m = null, u IN ups | CASE WHEN u[0] = 'street' AND (m IS NULL OR u[1] < m[1]) THEN u ELSE m END)[2]
       AS s,
     reduce(m = null, u IN ups | CASE WHEN u[0] = 'block' AND (m IS NULL OR u[1] < m[1]) THEN u ELSE m END)[2]
       AS k,
     COLLECT { MATCH (o:Org)-[:LEADS]->(p) RETURN o ORDER BY o.id }[0] AS o
WITH s, collect({k: k, o: o, level: p.level}) AS rows
CALL (rows) {
  UNWIND rows AS r
  WITH r.k AS k, r.o AS o, r.level AS level
  RETURN 'org' AS scope, k, o,
         count(CASE level WHEN 'city' THEN 1 END) AS city,
         count(CASE level WHEN 'district' THEN 1 END) AS district,
         count(CASE level WHEN 'grassroots' THEN 1 END) AS grassroots,
         count(CASE level WHEN 'micro' THEN 1 END) AS micro,
         count(*) AS total
  UNION ALL
  UNWIND rows AS r
  WITH r.k AS k, r.level AS level
  RETURN 'block' AS scope, k, null AS o,
         count(CASE level WHEN 'city' THEN 1 END) AS city,
         count(CASE level WHEN 'district' THEN 1 END) AS district,
         count(CASE level WHEN 'grassroots' THEN 1 END) AS grassroots,
         count(CASE level WHEN 'micro' THEN 1 END) AS micro,
         count(*) AS total
  UNION ALL
  UNWIND rows AS r
  WITH r.level AS level
  RETURN 'street' AS scope, null AS k, null AS o,
         count(CASE level WHEN 'city' THEN 1 END) AS city,
         count(CASE level WHEN 'district' THEN 1 END) AS district,
         count(CASE level WHEN 'grassroots' THEN 1 END) AS grassroots,
         count(CASE level WHEN 'micro' THEN 1 END) AS micro,
         count(*) AS total
  UNION ALL
  RETURN 'target' AS scope, null AS k, null AS o,
         $city_target AS city, $district_target AS district, $grassroots_target AS grassroots,
         null AS micro, $city_target + $district_target + $grassroots_target AS total
}
RETURN scope, s.id AS street_id, s.name AS street_name, k.id AS block_id, k.name AS block_name,
       o.id AS org_id, o.name AS org_name, city, district, grassroots, micro, total,
       CASE WHEN scope = 'street'
            THEN city >= $city_target AND district >= $district_target
                 AND grassroots >= $grassroots_target END AS meets_targets
ORDER BY street_id,
         CASE scope WHEN 'street' THEN 1 WHEN 'target' THEN 2 ELSE 0 END,
         block_id,
         CASE scope WHEN 'org' THEN 0 ELSE 1 END,
         org_id
