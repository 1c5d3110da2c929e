// name: api_edges_in
// params: $ids: node ids; $types: relationship types to follow; $limit: max rows
// returns: src, dst, type, key, other, other_label, other_name — incoming edges of $ids of the given types
// example: {"ids": ["L:1", "C:1"], "types": ["BORROWED", "GUARANTEES"], "limit": 10}
MATCH (b)-[r]->(a)
WHERE a.id IN $ids AND label(r) IN $types
RETURN b.id AS src, a.id AS dst, label(r) AS type, r.key AS key,
       b.id AS other, label(b) AS other_label, b.name AS other_name
LIMIT $limit
