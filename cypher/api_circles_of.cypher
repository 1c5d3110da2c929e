// name: api_circles_of
// params: $id: Person or Company id
// returns: id, size, risk_score, total_balance — guarantee circles the entity belongs to (riskiest first within the entity's label)
// example: {"id": "P:1"}
MATCH (m:Person {id: $id})-[:IN_CIRCLE]->(k:Circle)
RETURN k.id AS id, k.size AS size, k.risk_score AS risk_score, k.total_balance AS total_balance
ORDER BY risk_score DESC, id
UNION ALL
MATCH (m:Company {id: $id})-[:IN_CIRCLE]->(k:Circle)
RETURN k.id AS id, k.size AS size, k.risk_score AS risk_score, k.total_balance AS total_balance
ORDER BY risk_score DESC, id
