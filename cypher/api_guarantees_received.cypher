// name: api_guarantees_received
// params: $ids: borrower ids; $limit: max rows
// returns: guarantor, guarantor_name, loan, borrower, borrower_name, gtype, amount, balance, classification — guarantees backing the parties' loans (upstream)
// example: {"ids": ["P:1", "C:1"], "limit": 10}
MATCH (g)-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b)
WHERE b.id IN $ids
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY borrower, loan LIMIT $limit
