// title: 街区善治朋友圈成员 — The members of a block's circle of friends
// answers: Who is in a block's 善治朋友圈 — every organisation or person that PARTNERS the block
//          grid — with each member's kind (for a person: whether a party member), the posts they
//          hold (路长 on a road …) and the projects they take part in or lead. With $on only the
//          partnerships, posts and project links valid that day count.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: block: string = G-BLK-SHANYANG — the block grid's id or name (e.g. 善养街区网格)
// param: on: date? = 2026-11-27 — only links valid that day; null: every link whatever its dates
// returns: block_id, block_name, member_id, member_name, label (Org|Person), kind (org kind;
//          null for a person), party_member (persons only), posts (sorted "role@place or grid
//          name"), projects (sorted "project id project name"), n_projects
MATCH (b:Grid)
WHERE (b.id = $block OR b.name = $block) AND ($dataset IS NULL OR b.dataset = $dataset)
  AND b.level = 'block'
MATCH (m)-[r:PARTNERS]->(b)
WHERE (m:Org OR m:Person)
  AND ($on IS NULL OR coalesce(r.valid_from, date($on)) <= date($on) <= coalesce(r.valid_to, date($on)))
WITH DISTINCT b, m
WITH b, m,
     COLLECT {
       MATCH (m)-[h:HOLDS]->(t)
       WHERE $on IS NULL OR coalesce(h.valid_from, date($on)) <= date($on) <= coalesce(h.valid_to, date($on))
       WITH DISTINCT h.role + '@' + t.name AS post
       RETURN post ORDER BY post
     } AS posts,
     COLLECT {
       MATCH (m)-[j:PARTICIPATES_IN|LEADS]->(p:Project)
       WHERE $on IS NULL OR coalesce(j.valid_from, date($on)) <= date($on) <= coalesce(j.valid_to, date($on))
       WITH DISTINCT p.id + ' ' + p.name AS project
       RETURN project ORDER BY project
     } AS projects
RETURN b.id AS block_id, b.name AS block_name, m.id AS member_id, m.name AS member_name,
       CASE WHEN m:Org THEN 'Org' ELSE 'Person' END AS label,
       m.kind AS kind, m.party_member AS party_member,
       posts, projects, size(projects) AS n_projects
ORDER BY block_id, label, member_id
