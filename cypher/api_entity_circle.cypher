// name: api_entity_circle
// params: $id: Circle id (K:…)
// returns: id, label, size, risk_score, total_balance — one Circle by primary key (no hashes)
// example: {"id": "K:1"}
MATCH (n:Circle {id: $id})
RETURN n.id AS id,
       'Circle' AS label,
       n.size AS size,
       n.risk_score AS risk_score,
       n.total_balance AS total_balance
