// name: api_guarantees_on_loans
// params: $loans: Loan ids; $limit: max rows
// returns: guarantor, guarantor_name, loan, borrower, borrower_name, gtype, amount, balance, classification — guarantees on the loans
// example: {"loans": ["L:1", "L:2"], "limit": 10}
MATCH (g)-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b)
WHERE l.id IN $loans
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY guarantor, loan LIMIT $limit
