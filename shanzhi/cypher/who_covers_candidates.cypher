// title: 楼栋名录 — Every building and the names people call it by
// answers: Each building place with its id, name, aliases and address and the names and aliases
//          of the places it is PART_OF (its estate), whatever the date: the rows the building
//          finder of `shanzhi who-covers` indexes (read once per process on Neo4j).
// param: kind: string = building — the place kind to list (the finder asks for building)
// returns: uid, id, dataset, name, address, aliases, parents (list of {name, aliases})
MATCH (b:Place {kind: $kind})
RETURN b.uid AS uid, b.id AS id, b.dataset AS dataset, b.name AS name, b.address AS address,
       b.aliases AS aliases,
       [(b)-[:PART_OF]->(p:Place) | p {.name, .aliases}] AS parents
