// name: api_party_guarantees_given
// params: $id: guarantor id (Person or Company); $limit: max rows
// returns: guarantor, guarantor_name, loan, borrower, borrower_name, gtype, amount, balance, classification — guarantees the party gave, by loan
// example: {"id": "P:2", "limit": 10}
MATCH (g:Person {id: $id})-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b)
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY loan, borrower LIMIT $limit
UNION ALL
MATCH (g:Company {id: $id})-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b)
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY loan, borrower LIMIT $limit
