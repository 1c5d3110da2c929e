// name: api_loans_of_parties
// params: $ids: Person/Company ids; $limit: max rows
// returns: borrower, id, amount, balance, classification, overdue_days, status — loans the parties borrowed
// example: {"ids": ["P:1", "C:1"], "limit": 10}
MATCH (b)-[:BORROWED]->(l:Loan) WHERE b.id IN $ids
RETURN b.id AS borrower, l.id AS id, l.amount AS amount, l.balance AS balance,
       l.classification AS classification, l.overdue_days AS overdue_days, l.status AS status
ORDER BY borrower, id LIMIT $limit
