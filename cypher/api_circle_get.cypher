// name: api_circle_get
// params: $id: Circle id
// returns: id, size, members, loans, total_balance, guaranteed_amount, risk_score, contraction, motifs_json, explanation, computed_at
// example: {"id": "K:1"}
MATCH (k:Circle {id: $id})
RETURN k.id AS id, k.size AS size, k.members AS members, k.loans AS loans,
       k.total_balance AS total_balance, k.guaranteed_amount AS guaranteed_amount,
       k.risk_score AS risk_score, k.contraction AS contraction, k.motifs_json AS motifs_json,
       k.explanation AS explanation, k.computed_at AS computed_at
