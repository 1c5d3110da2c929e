// name: api_loans_by_ids
// params: $ids: Loan ids
// returns: id, product, amount, balance, classification, overdue_days, status, maturity_date, borrower, borrower_name
// example: {"ids": ["L:1", "L:2"]}
MATCH (l:Loan) WHERE l.id IN $ids
OPTIONAL MATCH (b)-[:BORROWED]->(l)
RETURN l.id AS id, l.product AS product, l.amount AS amount, l.balance AS balance,
       l.classification AS classification, l.overdue_days AS overdue_days, l.status AS status,
       l.maturity_date AS maturity_date, b.id AS borrower, b.name AS borrower_name
ORDER BY id
