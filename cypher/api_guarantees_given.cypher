// name: api_guarantees_given
// params: $ids: guarantor ids; $limit: max rows
// returns: guarantor, guarantor_name, loan, borrower, borrower_name, gtype, amount, balance, classification — guarantees the parties gave (downstream)
// example: {"ids": ["P:2", "C:1"], "limit": 10}
MATCH (g)-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b)
WHERE g.id IN $ids
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY guarantor, loan LIMIT $limit
