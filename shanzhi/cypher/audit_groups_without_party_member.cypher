// title: 没有党员的楼管小组 — Building management groups without a party member
// answers: Which 楼管小组 (Org of kind $group_kind) have no member (Person MEMBER_OF it on $on)
//          who is a party member (definition: shanzhi/graph/queries/audit.py).
// param: on: date = 2026-11-27 — the day; MEMBER_OF relations not valid that day do not count
// param: group_kind: string = building_management_group — the Org kind of a 楼管小组
// returns: id, name, dataset, members (uids of the members that day, possibly repeated)

// Plan: a group is kept only if no member that day is a party member (stops at the first one);
// the members are listed for the groups kept.
MATCH (o:Org {kind: $group_kind})
WHERE NOT EXISTS {
  MATCH (p:Person)-[m:MEMBER_OF]->(o)
  WHERE p.party_member = true
    AND (m.valid_from IS NULL OR m.valid_from <= date($on)) AND (m.valid_to IS NULL OR m.valid_to >= date($on))
}
RETURN o.id AS id, o.name AS name, o.dataset AS dataset,
       [(p:Person)-[m:MEMBER_OF]->(o)
        WHERE (m.valid_from IS NULL OR m.valid_from <= date($on)) AND (m.valid_to IS NULL OR m.valid_to >= date($on))
        | p.uid] AS members
