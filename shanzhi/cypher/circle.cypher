// title: 善治朋友圈 — The circle of friends of each block
// answers: Who belongs to a block's 善治朋友圈 (Org/Person that PARTNERS the block grid, the
//          block's own party organisations and workstation left out when their kinds are in
//          $own_kinds) and every link between two members: they PARTNER each other, take part in
//          the same project (PARTICIPATES_IN or LEADS it), or share a post holder (a person who
//          HOLDS a post in or is MEMBER_OF both; a member person is their own holder). The weight of
//          a tie is its number of distinct links. Definition: shanzhi/graph/analytics/circle.py.
// param: block: string? = gonghexinlu:G-BLK-SHANYANG — a block grid's uid, id or name; null for every block
// param: own_kinds: list<string>? = party_general_branch,workstation — Org kinds counted as the block's own (left out when they lead or serve a grid of the block); null or empty keeps everyone
// returns: block ({uid, id, name, label, kind}), members (list of {uid, id, name, label, kind}),
//          links (list of {a, b, via: partners|project|holder, through: the project or holder
//          as {uid, id, name, label, kind}, null for partners}; a < b by uid)
MATCH (b:Grid {level: 'block'})
WHERE $block IS NULL OR $block IN [b.uid, b.id, b.name]
CALL (b) {
  MATCH (m)-[:PARTNERS]->(b)
  WHERE (m:Org OR m:Person)
    AND NOT (m:Org AND m.kind IN coalesce($own_kinds, [])
             AND EXISTS {
               (m)-[:PART_OF*0..]->(:Org)-[:LEADS|SERVES]->(:Grid)-[:PART_OF*0..]->(b)
             })
  WITH DISTINCT m
  ORDER BY m.uid
  RETURN collect(m) AS ms
}
CALL (ms) {
  CALL (ms) {
    UNWIND ms AS a
    MATCH (a)-[:PARTNERS]-(c)
    WHERE c IN ms AND a.uid < c.uid
    RETURN a.uid AS a, c.uid AS c, 'partners' AS via, null AS through
    UNION
    UNWIND ms AS a
    MATCH (a)-[:PARTICIPATES_IN|LEADS]->(p:Project)<-[:PARTICIPATES_IN|LEADS]-(c)
    WHERE c IN ms AND a.uid < c.uid
    RETURN a.uid AS a, c.uid AS c, 'project' AS via,
           {uid: p.uid, id: p.id, name: p.name, label: 'Project', kind: p.level} AS through
    UNION
    UNWIND ms AS m
    OPTIONAL MATCH (h:Person)-[:HOLDS|MEMBER_OF]->(m)
    WITH m, collect(h) + CASE WHEN m:Person THEN [m] ELSE [] END AS hs
    UNWIND hs AS h
    WITH h, collect(DISTINCT m) AS held
    UNWIND held AS a
    UNWIND held AS c
    WITH h, a, c
    WHERE a.uid < c.uid
    RETURN a.uid AS a, c.uid AS c, 'holder' AS via,
           {uid: h.uid, id: h.id, name: h.name, label: 'Person', kind: null} AS through
  }
  RETURN collect({a: a, b: c, via: via, through: through}) AS links
}
RETURN {uid: b.uid, id: b.id, name: b.name, label: 'Grid', kind: b.level} AS block,
       [m IN ms | {uid: m.uid, id: m.id, name: m.name,
                   label: CASE WHEN m:Org THEN 'Org' ELSE 'Person' END, kind: m.kind}] AS members,
       links
ORDER BY block.id, block.uid
