// name: nlp_ties
// params: $ids: Person/Company ids (candidates of the parties of one document)
// returns: a, b, tie, loan, amount — ties between two of the ids: guarantor→borrower of a loan, co-guarantors, co-borrowers, legal representative, shareholder, same household
// example: {"ids": ["P:1", "P:2", "C:1"]}
MATCH (a)-[:GUARANTEES]->(l:Loan)<-[:BORROWED]-(b) WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS a, b.id AS b, 'guarantees_loan_of' AS tie, l.id AS loan, l.amount AS amount
UNION ALL
MATCH (a)-[:GUARANTEES]->(l:Loan)<-[:GUARANTEES]-(b) WHERE a.id IN $ids AND b.id IN $ids AND a.id < b.id
RETURN a.id AS a, b.id AS b, 'co_guarantor' AS tie, l.id AS loan, l.amount AS amount
UNION ALL
MATCH (a)-[:BORROWED]->(l:Loan)<-[:BORROWED]-(b) WHERE a.id IN $ids AND b.id IN $ids AND a.id < b.id
RETURN a.id AS a, b.id AS b, 'co_borrower' AS tie, l.id AS loan, l.amount AS amount
UNION ALL
MATCH (a:Person)-[:LEGAL_REP_OF]->(b:Company) WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS a, b.id AS b, 'legal_rep_of' AS tie, '' AS loan, 0.0 AS amount
UNION ALL
MATCH (a)-[:SHAREHOLDER_OF]->(b:Company) WHERE a.id IN $ids AND b.id IN $ids
RETURN a.id AS a, b.id AS b, 'shareholder_of' AS tie, '' AS loan, 0.0 AS amount
UNION ALL
MATCH (a:Person)-[:MEMBER_OF]->(h:Household)<-[:MEMBER_OF]-(b:Person)
WHERE a.id IN $ids AND b.id IN $ids AND a.id < b.id
RETURN a.id AS a, b.id AS b, 'same_household' AS tie, '' AS loan, 0.0 AS amount
