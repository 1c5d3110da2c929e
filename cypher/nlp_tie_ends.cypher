// name: nlp_tie_ends
// params: $ids: Person/Company ids (candidates of the parties of documents)
// returns: id, rel, via, amount — the ties of each id: loans it guarantees or borrowed (rel GUARANTEES/BORROWED, via the loan id, amount the loan amount), its household (MEMBER_OF), companies it represents (LEGAL_REP_OF) or holds shares in (SHAREHOLDER_OF); linking pairs them into ties between two ids
// example: {"ids": ["P:1", "C:1"]}
MATCH (a:Person)-[:GUARANTEES]->(l:Loan) WHERE a.id IN $ids
RETURN a.id AS id, 'GUARANTEES' AS rel, l.id AS via, l.amount AS amount
UNION ALL
MATCH (a:Company)-[:GUARANTEES]->(l:Loan) WHERE a.id IN $ids
RETURN a.id AS id, 'GUARANTEES' AS rel, l.id AS via, l.amount AS amount
UNION ALL
MATCH (a:Person)-[:BORROWED]->(l:Loan) WHERE a.id IN $ids
RETURN a.id AS id, 'BORROWED' AS rel, l.id AS via, l.amount AS amount
UNION ALL
MATCH (a:Company)-[:BORROWED]->(l:Loan) WHERE a.id IN $ids
RETURN a.id AS id, 'BORROWED' AS rel, l.id AS via, l.amount AS amount
UNION ALL
MATCH (a:Person)-[:MEMBER_OF]->(h:Household) WHERE a.id IN $ids
RETURN a.id AS id, 'MEMBER_OF' AS rel, h.id AS via, 0.0 AS amount
UNION ALL
MATCH (a:Person)-[:LEGAL_REP_OF]->(b:Company) WHERE a.id IN $ids
RETURN a.id AS id, 'LEGAL_REP_OF' AS rel, b.id AS via, 0.0 AS amount
UNION ALL
MATCH (a:Person)-[:SHAREHOLDER_OF]->(b:Company) WHERE a.id IN $ids
RETURN a.id AS id, 'SHAREHOLDER_OF' AS rel, b.id AS via, 0.0 AS amount
UNION ALL
MATCH (a:Company)-[:SHAREHOLDER_OF]->(b:Company) WHERE a.id IN $ids
RETURN a.id AS id, 'SHAREHOLDER_OF' AS rel, b.id AS via, 0.0 AS amount
