// name: api_party_guarantees_received
// params: $id: borrower id (Person or Company); $limit: max rows
// returns: guarantor, guarantor_name, loan, borrower, borrower_name, gtype, amount, balance, classification — guarantees backing the party's loans
// example: {"id": "P:1", "limit": 10}
MATCH (g)-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b:Person {id: $id})
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY loan, guarantor LIMIT $limit
UNION ALL
MATCH (g)-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b:Company {id: $id})
RETURN g.id AS guarantor, g.name AS guarantor_name, l.id AS loan, b.id AS borrower,
       b.name AS borrower_name, r.gtype AS gtype, r.amount AS amount, l.balance AS balance,
       l.classification AS classification
ORDER BY loan, guarantor LIMIT $limit
