// name: api_edges_out
// params: $ids: node ids; $types: relationship types to follow; $limit: max rows
// returns: src, dst, type, key, other, other_label, other_name — outgoing edges of $ids of the given types
// example: {"ids": ["P:1", "C:1"], "types": ["BORROWED", "GUARANTEES"], "limit": 10}
MATCH (a)-[r]->(b)
WHERE a.id IN $ids AND label(r) IN $types
RETURN a.id AS src, b.id AS dst, label(r) AS type, r.key AS key,
       b.id AS other, label(b) AS other_label, b.name AS other_name
LIMIT $limit
