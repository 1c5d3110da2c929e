// name: api_circles
// params: $min_size: smallest circle size; $skip: rows to skip; $limit: max rows
// returns: id, size, total_balance, guaranteed_amount, risk_score, contraction, computed_at — guarantee circles, riskiest first
// example: {"min_size": 0, "skip": 0, "limit": 10}
MATCH (k:Circle) WHERE k.size >= $min_size
RETURN k.id AS id, k.size AS size, k.total_balance AS total_balance,
       k.guaranteed_amount AS guaranteed_amount, k.risk_score AS risk_score,
       k.contraction AS contraction, k.computed_at AS computed_at
ORDER BY risk_score DESC, id SKIP $skip LIMIT $limit
