// title: 谁负责这栋楼 — Who covers a building
// answers: Everything `shanzhi who-covers` needs about one building, in one row and one round trip
//          starting from an index seek on its uid: the places it lies in (PART_OF, up to 8 levels)
//          with the grids covering each and the organisations serving each (with their post
//          holders and members); every grid up to 4 PART_OF levels above those grids, with its
//          parents, the organisations leading or serving it (with their post holders and the
//          persons liaising with them), its own post holders and liaisons and its partners; the
//          posts held on the building; and the road of the nearest place that names one (road_id)
//          with its post holders. Only relations valid on $on count. shanzhi/graph/queries/who_covers.py
//          assembles the chain from this row, exactly as from the embedded store's.
// param: building_uid: string = gonghexinlu:P-JLMZ-B12 — the building's uid (dataset:id)
// param: on: date = 2026-11-27 — the day; relations with valid_from after it or valid_to before it are ignored
// returns: building, ancestry, grids, place_holders, road, road_holders — one row (none if no place
//          has that uid); nodes as maps of uid/id/name/kind|level, people with party_member and
//          phone, posts as {person, role}
MATCH (b:Entity {uid: $building_uid})
WHERE b:Place
WITH b,
     [path = (b)-[:PART_OF*0..8]->(a:Place)
      WHERE all(r IN relationships(path)
                WHERE (r.valid_from IS NULL OR r.valid_from <= date($on))
                  AND (r.valid_to IS NULL OR r.valid_to >= date($on)))
      | {depth: length(path), place: a}] AS climbs
UNWIND climbs AS climb
WITH b, climb.depth AS depth, climb.place AS a
WITH b, depth, a,
     [(g:Grid)-[c:COVERS]->(a)
      WHERE (c.valid_from IS NULL OR c.valid_from <= date($on)) AND (c.valid_to IS NULL OR c.valid_to >= date($on))
      | g] AS covering
WITH b,
     collect({
       depth: depth,
       place: a {.uid, .id, .name, .kind, .road_id},
       grids: [g IN covering | g.uid],
       serving: [(o:Org)-[s:SERVES]->(a)
                 WHERE (s.valid_from IS NULL OR s.valid_from <= date($on))
                   AND (s.valid_to IS NULL OR s.valid_to >= date($on))
                 | {org: o {.uid, .id, .name, .kind},
                    holders: [(p:Person)-[h:HOLDS]->(o)
                              WHERE (h.valid_from IS NULL OR h.valid_from <= date($on))
                                AND (h.valid_to IS NULL OR h.valid_to >= date($on))
                              | {person: p {.uid, .id, .name, .party_member, .phone}, role: h.role}],
                    members: [(p:Person)-[m:MEMBER_OF]->(o)
                              WHERE (m.valid_from IS NULL OR m.valid_from <= date($on))
                                AND (m.valid_to IS NULL OR m.valid_to >= date($on))
                              | p {.uid, .id, .name, .party_member, .phone}]}]
     }) AS ancestry,
     collect(covering) AS coverings
WITH b, ancestry, reduce(acc = [], gs IN coverings | acc + gs) AS covering
UNWIND (CASE WHEN size(covering) = 0 THEN [null] ELSE covering END) AS cg
OPTIONAL MATCH up = (cg)-[:PART_OF*0..4]->(g:Grid)
WHERE all(r IN relationships(up)
          WHERE (r.valid_from IS NULL OR r.valid_from <= date($on)) AND (r.valid_to IS NULL OR r.valid_to >= date($on)))
WITH b, ancestry, collect(DISTINCT g) AS chain
WITH b, ancestry,
     [g IN chain | g {.uid, .id, .name, .level, .code,
       parents: [(g)-[r:PART_OF]->(p:Grid)
                 WHERE (r.valid_from IS NULL OR r.valid_from <= date($on))
                   AND (r.valid_to IS NULL OR r.valid_to >= date($on))
                 | p.uid],
       orgs: [(o:Org)-[r:LEADS|SERVES]->(g)
              WHERE (r.valid_from IS NULL OR r.valid_from <= date($on))
                AND (r.valid_to IS NULL OR r.valid_to >= date($on))
              | {org: o {.uid, .id, .name, .kind}, rel: type(r),
                 holders: [(p:Person)-[h:HOLDS]->(o)
                           WHERE (h.valid_from IS NULL OR h.valid_from <= date($on))
                             AND (h.valid_to IS NULL OR h.valid_to >= date($on))
                           | {person: p {.uid, .id, .name, .party_member, .phone}, role: h.role}],
                 liaisons: [(p:Person)-[l:LIAISES]->(o)
                            WHERE (l.valid_from IS NULL OR l.valid_from <= date($on))
                              AND (l.valid_to IS NULL OR l.valid_to >= date($on))
                            | {person: p {.uid, .id, .name, .party_member, .phone}, role: l.role}]}],
       holders: [(p:Person)-[h:HOLDS]->(g)
                 WHERE (h.valid_from IS NULL OR h.valid_from <= date($on))
                   AND (h.valid_to IS NULL OR h.valid_to >= date($on))
                 | {person: p {.uid, .id, .name, .party_member, .phone}, role: h.role}],
       liaisons: [(p:Person)-[l:LIAISES]->(g)
                  WHERE (l.valid_from IS NULL OR l.valid_from <= date($on))
                    AND (l.valid_to IS NULL OR l.valid_to >= date($on))
                  | {person: p {.uid, .id, .name, .party_member, .phone}, role: l.role}],
       partners: [(x)-[r:PARTNERS]->(g)
                  WHERE (r.valid_from IS NULL OR r.valid_from <= date($on))
                    AND (r.valid_to IS NULL OR r.valid_to >= date($on))
                  | x.uid]
     }] AS grids,
     reduce(best = null, x IN ancestry |
       CASE WHEN x.place.road_id IS NULL THEN best
            WHEN best IS NULL OR x.depth < best.depth
                 OR (x.depth = best.depth AND x.place.uid < best.place.uid) THEN x
            ELSE best END) AS nearest
OPTIONAL MATCH (road:Place {id: nearest.place.road_id})
WHERE road.dataset = b.dataset
RETURN b {.uid, .id, .name, .address, .road_id, .dataset} AS building,
       ancestry,
       grids,
       [(p:Person)-[h:HOLDS]->(b)
        WHERE (h.valid_from IS NULL OR h.valid_from <= date($on)) AND (h.valid_to IS NULL OR h.valid_to >= date($on))
        | {person: p {.uid, .id, .name, .party_member, .phone}, role: h.role}] AS place_holders,
       road {.uid, .id, .name} AS road,
       CASE WHEN road IS NULL THEN [] ELSE
         [(p:Person)-[h:HOLDS]->(road)
          WHERE (h.valid_from IS NULL OR h.valid_from <= date($on)) AND (h.valid_to IS NULL OR h.valid_to >= date($on))
          | {person: p {.uid, .id, .name, .party_member, .phone}, role: h.role}] END AS road_holders
