// name: api_communities_of
// params: $id: Person, Company or Account id
// returns: id, size, rank — communities the entity belongs to
// example: {"id": "P:1"}
MATCH (m:Person {id: $id})-[r:IN_COMMUNITY]->(c:Community)
RETURN c.id AS id, c.size AS size, r.rank AS rank
ORDER BY id
UNION ALL
MATCH (m:Company {id: $id})-[r:IN_COMMUNITY]->(c:Community)
RETURN c.id AS id, c.size AS size, r.rank AS rank
ORDER BY id
UNION ALL
MATCH (m:Account {id: $id})-[r:IN_COMMUNITY]->(c:Community)
RETURN c.id AS id, c.size AS size, r.rank AS rank
ORDER BY id
