// name: fb_loans_of_persons
// params: $ids: list of Person ids
// returns: loan, amount — the distinct loans the persons applied for (BORROWED)
// example: {"ids": ["P:fb-1", "P:fb-2"]}
UNWIND $ids AS i
MATCH (p:Person {id: i})-[:BORROWED]->(l:Loan)
RETURN DISTINCT l.id AS loan, l.amount AS amount
