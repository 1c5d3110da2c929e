// name: transfer_paths_3
// params: $id: start Account id; $min_amount: minimum amount of every hop
// returns: dst, hops — accounts reachable in 1..3 transfers each ≥ $min_amount (no repeated transfer)
// example: {"id": "A:0", "min_amount": 0.0}
// kuzu: TRAIL gives Neo4j's no-repeated-edge semantics; the filter sits inside the pattern.
MATCH p = (a:Account {id: $id})-[:TRANSFER* TRAIL 1..3 (r, n | WHERE r.amount >= $min_amount)]->(b:Account)
RETURN DISTINCT b.id AS dst, length(p) AS hops
ORDER BY hops, dst
