// title: 居民区楼栋与楼组长 — A community's buildings, their 楼组长 and party-member share
// answers: The buildings of a 居民区 — places of kind building PART_OF its community place (up to 3
//          levels) or COVERed by a grid PART_OF its community grid (up to 3 levels) — each with its
//          $leader_role holders (HOLDS on the building or on a grid covering it) and the share of
//          party members among its people: the members of the organisations that SERVE it
//          (楼管小组) and the holders of any post on it or on a grid covering it. With $on only the
//          links valid that day count.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: community: string = G-C17 — the community's grid or place id or name (e.g. 示例·嘉禾居民区)
// param: leader_role: string? = 楼组长 — the post that leads a building group; null: 楼组长
// param: on: date? = 2026-11-27 — only links valid that day; null: every link whatever its dates
// returns: building_id, building_name, address, grids (ids of the grids covering it), leaders
//          (sorted names), people, party_members, party_share (party_members / people, 3
//          decimals; null when nobody is known)
CALL () {
  MATCH (c:Grid) WHERE c.id = $community OR c.name = $community RETURN c
  UNION
  MATCH (c:Place) WHERE c.id = $community OR c.name = $community RETURN c
}
WITH c
WHERE ($dataset IS NULL OR c.dataset = $dataset)
  AND ((c:Grid AND c.level = 'community') OR (c:Place AND c.kind = 'community'))
CALL (c) {
  MATCH (c:Place)<-[:PART_OF*1..3]-(b:Place {kind: 'building'})
  RETURN b
  UNION
  MATCH (c:Grid)<-[:PART_OF*1..3]-(:Grid)-[:COVERS]->(b:Place {kind: 'building'})
  RETURN b
  UNION
  MATCH (c:Grid)-[:COVERS]->(:Place {kind: 'community'})
        <-[:PART_OF*1..3]-(b:Place {kind: 'building'})
  RETURN b
  UNION
  MATCH (c:Place)<-[:COVERS]-(:Grid {level: 'community'})<-[:PART_OF*1..3]-(:Grid)
        -[:COVERS]->(b:Place {kind: 'building'})
  RETURN b
}
WITH DISTINCT b
WITH b,
     COLLECT {
       MATCH (g:Grid)-[v:COVERS]->(b)
       WHERE $on IS NULL OR coalesce(v.valid_from, date($on)) <= date($on) <= coalesce(v.valid_to, date($on))
       RETURN DISTINCT g ORDER BY g.id
     } AS grids
WITH b, grids,
     COLLECT {
       UNWIND [b] + grids AS t
       MATCH (p:Person)-[h:HOLDS]->(t)
       WHERE h.role = coalesce($leader_role, '楼组长')
         AND ($on IS NULL OR coalesce(h.valid_from, date($on)) <= date($on) <= coalesce(h.valid_to, date($on)))
       WITH DISTINCT p
       RETURN p.name ORDER BY p.name
     } AS leaders,
     COLLECT {
       UNWIND [b] + grids AS t
       MATCH (p:Person)-[h:HOLDS]->(t)
       WHERE $on IS NULL OR coalesce(h.valid_from, date($on)) <= date($on) <= coalesce(h.valid_to, date($on))
       RETURN p
       UNION
       MATCH (p:Person)-[m:MEMBER_OF]->(:Org)-[s:SERVES]->(b)
       WHERE $on IS NULL OR
             (coalesce(m.valid_from, date($on)) <= date($on) <= coalesce(m.valid_to, date($on))
              AND coalesce(s.valid_from, date($on)) <= date($on) <= coalesce(s.valid_to, date($on)))
       RETURN p
     } AS people
WITH b, grids, leaders, size(people) AS n,
     size([p IN people WHERE p.party_member = true]) AS party
RETURN b.id AS building_id, b.name AS building_name, b.address AS address,
       [g IN grids | g.id] AS grids, leaders, n AS people, party AS party_members,
       CASE WHEN n = 0 THEN null ELSE round(toFloat(party) / n, 3) END AS party_share
ORDER BY building_id
