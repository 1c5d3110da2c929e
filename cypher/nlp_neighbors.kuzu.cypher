// name: nlp_neighbors
// params: $ids: Person/Company ids already linked in documents
// returns: src, id, label, via — per linked id (`src`), the persons/companies tied to it through a shared loan (borrower or guarantor), legal representation or a household (candidates for masked co-parties) (kuzu: the ids joined by primary key)
// example: {"ids": ["P:1", "C:1"]}
UNWIND $ids AS x
MATCH (a:Person:Company {id: x})-[:GUARANTEES|BORROWED]->(l:Loan)<-[:GUARANTEES|BORROWED]-(b:Person)
RETURN DISTINCT a.id AS src, b.id AS id, 'Person' AS label, 'loan' AS via
UNION ALL
UNWIND $ids AS x
MATCH (a:Person:Company {id: x})-[:GUARANTEES|BORROWED]->(l:Loan)<-[:GUARANTEES|BORROWED]-(b:Company)
RETURN DISTINCT a.id AS src, b.id AS id, 'Company' AS label, 'loan' AS via
UNION ALL
UNWIND $ids AS x
MATCH (b:Person)-[:LEGAL_REP_OF]->(a:Company {id: x})
RETURN DISTINCT a.id AS src, b.id AS id, 'Person' AS label, 'legal_rep' AS via
UNION ALL
UNWIND $ids AS x
MATCH (a:Person {id: x})-[:MEMBER_OF]->(h:Household)<-[:MEMBER_OF]-(b:Person)
RETURN DISTINCT a.id AS src, b.id AS id, 'Person' AS label, 'household' AS via
