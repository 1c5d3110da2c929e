// name: loans_of_party
// params: $id: Person or Company id
// returns: loan, amount, balance, classification, overdue_days — loans the party borrowed
// example: {"id": "P:0"}
MATCH (p {id: $id})-[:BORROWED]->(l:Loan)
RETURN l.id AS loan, l.amount AS amount, l.balance AS balance,
       l.classification AS classification, l.overdue_days AS overdue_days
ORDER BY loan
