// name: nlp_tie_ends
// params: $ids: Person/Company ids (candidates of the parties of documents)
// returns: id, rel, via, amount — the ties of each id: loans it guarantees or borrowed (rel GUARANTEES/BORROWED, via the loan id, amount the loan amount), its household (MEMBER_OF), companies it represents (LEGAL_REP_OF) or holds shares in (SHAREHOLDER_OF) (kuzu: the ids joined by primary key; `IN $ids` compares every row with every id)
// example: {"ids": ["P:1", "C:1"]}
UNWIND $ids AS x
MATCH (a:Person:Company {id: x})-[:GUARANTEES]->(l:Loan)
RETURN a.id AS id, 'GUARANTEES' AS rel, l.id AS via, l.amount AS amount
UNION ALL
UNWIND $ids AS x
MATCH (a:Person:Company {id: x})-[:BORROWED]->(l:Loan)
RETURN a.id AS id, 'BORROWED' AS rel, l.id AS via, l.amount AS amount
UNION ALL
UNWIND $ids AS x
MATCH (a:Person {id: x})-[:MEMBER_OF]->(h:Household)
RETURN a.id AS id, 'MEMBER_OF' AS rel, h.id AS via, 0.0 AS amount
UNION ALL
UNWIND $ids AS x
MATCH (a:Person {id: x})-[:LEGAL_REP_OF]->(b:Company)
RETURN a.id AS id, 'LEGAL_REP_OF' AS rel, b.id AS via, 0.0 AS amount
UNION ALL
UNWIND $ids AS x
MATCH (a:Person:Company {id: x})-[:SHAREHOLDER_OF]->(b:Company)
RETURN a.id AS id, 'SHAREHOLDER_OF' AS rel, b.id AS via, 0.0 AS amount
