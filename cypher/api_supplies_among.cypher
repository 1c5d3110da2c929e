// name: api_supplies_among
// params: $ids: Company/Merchant ids; $limit: max rows
// returns: src, dst, score, n_transfers, amount — inferred supplier → buyer edges among the ids
// example: {"ids": ["C:1"], "limit": 10}
MATCH (a)-[r:SUPPLIES]->(b)
WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS src, b.id AS dst, r.score AS score, r.n_transfers AS n_transfers, r.amount AS amount
ORDER BY src, dst LIMIT $limit
