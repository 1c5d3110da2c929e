// name: api_guarantees_any
// params: $limit: max rows
// returns: loan — loans that have a guarantee (to tell whether the store has any)
// example: {"limit": 1}
MATCH (g)-[:GUARANTEES]->(l:Loan)
RETURN l.id AS loan LIMIT $limit
