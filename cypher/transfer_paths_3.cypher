// name: transfer_paths_3
// params: $id: start Account id; $min_amount: minimum amount of every hop
// returns: dst, hops — accounts reachable in 1..3 transfers each ≥ $min_amount (no repeated transfer)
// example: {"id": "A:0", "min_amount": 0.0}
MATCH p = (a:Account {id: $id})-[:TRANSFER*1..3]->(b:Account)
WHERE all(r IN relationships(p) WHERE r.amount >= $min_amount)
RETURN DISTINCT b.id AS dst, length(p) AS hops
ORDER BY hops, dst
