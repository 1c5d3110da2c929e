// name: guarantee_edges
// params: (none)
// returns: guarantor, borrower, loan, gtype, amount (guaranteed), balance (loan), group_id — one row per guarantee of a loan with a known borrower
// example: {}
MATCH (g)-[r:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b)
RETURN g.id AS guarantor, b.id AS borrower, l.id AS loan, r.gtype AS gtype,
       r.amount AS amount, l.balance AS balance, r.group_id AS group_id
ORDER BY loan, guarantor
