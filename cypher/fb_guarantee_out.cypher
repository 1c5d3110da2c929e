// name: fb_guarantee_out
// params: $ids: list of Person ids
// returns: src, dst, key, ts — every person-to-person GUARANTEES_PARTY edge leaving one of the persons
// example: {"ids": ["P:fb-1", "P:fb-2"]}
UNWIND $ids AS i
MATCH (a:Person {id: i})-[r:GUARANTEES_PARTY]->(b:Person)
RETURN a.id AS src, b.id AS dst, r.key AS key, r.ts AS ts
