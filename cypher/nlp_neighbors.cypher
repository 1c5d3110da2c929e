// name: nlp_neighbors
// params: $ids: Person/Company ids already linked in documents
// returns: src, id, label, via — per linked id (`src`), the persons/companies tied to it through a shared loan (borrower or guarantor), legal representation or a household (candidates for masked co-parties)
// example: {"ids": ["P:1", "C:1"]}
MATCH (a)-[:GUARANTEES|BORROWED]->(l:Loan)<-[:GUARANTEES|BORROWED]-(b:Person) WHERE a.id IN $ids
RETURN DISTINCT a.id AS src, b.id AS id, 'Person' AS label, 'loan' AS via
UNION ALL
MATCH (a)-[:GUARANTEES|BORROWED]->(l:Loan)<-[:GUARANTEES|BORROWED]-(b:Company) WHERE a.id IN $ids
RETURN DISTINCT a.id AS src, b.id AS id, 'Company' AS label, 'loan' AS via
UNION ALL
MATCH (b:Person)-[:LEGAL_REP_OF]->(a:Company) WHERE a.id IN $ids
RETURN DISTINCT a.id AS src, b.id AS id, 'Person' AS label, 'legal_rep' AS via
UNION ALL
MATCH (a:Person)-[:MEMBER_OF]->(h:Household)<-[:MEMBER_OF]-(b:Person) WHERE a.id IN $ids
RETURN DISTINCT a.id AS src, b.id AS id, 'Person' AS label, 'household' AS via
