// name: api_party_loans
// params: $id: Person or Company id; $limit: max rows
// returns: borrower, id, amount, balance, classification, overdue_days, status — loans the party borrowed, by loan id
// example: {"id": "P:1", "limit": 10}
MATCH (b:Person {id: $id})-[:BORROWED]->(l:Loan)
RETURN b.id AS borrower, l.id AS id, l.amount AS amount, l.balance AS balance,
       l.classification AS classification, l.overdue_days AS overdue_days, l.status AS status
ORDER BY id LIMIT $limit
UNION ALL
MATCH (b:Company {id: $id})-[:BORROWED]->(l:Loan)
RETURN b.id AS borrower, l.id AS id, l.amount AS amount, l.balance AS balance,
       l.classification AS classification, l.overdue_days AS overdue_days, l.status AS status
ORDER BY id LIMIT $limit
