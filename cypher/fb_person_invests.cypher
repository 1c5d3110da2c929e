// name: fb_person_invests
// params: $ids: list of Person ids
// returns: src, dst, key, ts — every INVESTS edge from one of the persons to a Company (company investors never)
// example: {"ids": ["P:fb-1", "P:fb-2"]}
UNWIND $ids AS i
MATCH (p:Person {id: i})-[r:INVESTS]->(c:Company)
RETURN p.id AS src, c.id AS dst, r.key AS key, r.ts AS ts
