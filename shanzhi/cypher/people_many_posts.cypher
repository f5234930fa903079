// title: 身兼多职的人 — People holding more than N posts
// answers: Who holds more than $more_than posts — a post is a role on one grid, organisation or
//          place (HOLDS: 网格长, 书记, 楼组长, 路长 …), counted once however many periods it was held
//          — with $on only the posts held that day, else every post ever held; most posts first.
// param: dataset: string? = gonghexinlu — the dataset; null for every dataset
// param: more_than: int = 1 — list people with more posts than this
// param: on: date? = 2026-11-27 — only posts held that day; null: every post whatever its dates
// returns: person_id, person_name, party_member, n_posts, posts (sorted "role@name of the grid,
//          organisation or place")
MATCH (p:Person)
WHERE ($dataset IS NULL OR p.dataset = $dataset) AND COUNT { (p)-[:HOLDS]->() } > $more_than
WITH p,
     COLLECT {
       MATCH (p)-[h:HOLDS]->(t)
       WHERE $on IS NULL OR coalesce(h.valid_from, date($on)) <= date($on) <= coalesce(h.valid_to, date($on))
       WITH DISTINCT h.role AS role, t
       RETURN role + '@' + t.name AS post ORDER BY post
     } AS posts
WHERE size(posts) > $more_than
RETURN p.id AS person_id, p.name AS person_name, p.party_member AS party_member,
       size(posts) AS n_posts, posts
ORDER BY n_posts DESC, person_id
