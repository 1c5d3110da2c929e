// name: api_community_members
// params: $id: Community id; $skip: rows to skip; $limit: max rows
// returns: id, label, name, rank, is_customer — members of the community, highest rank first
// example: {"id": "Y:1", "skip": 0, "limit": 10}
MATCH (m)-[r:IN_COMMUNITY]->(c:Community {id: $id})
RETURN m.id AS id, labels(m)[0] AS label, m.name AS name, r.rank AS rank, m.is_customer AS is_customer
ORDER BY rank DESC, id SKIP $skip LIMIT $limit
