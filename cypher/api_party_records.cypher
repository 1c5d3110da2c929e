// name: api_party_records
// params: $id: Person or Company id; $limit: max rows
// returns: subject, id, kind, date, amount, source, document_id, subject_name, description — negative records about the party, newest first
// example: {"id": "P:1", "limit": 10}
MATCH (s:Person {id: $id})-[:SUBJECT_OF]->(n:NegativeRecord)
RETURN s.id AS subject, n.id AS id, n.kind AS kind, n.date AS date, n.amount AS amount,
       n.source AS source, n.document_id AS document_id, n.subject_name AS subject_name,
       n.description AS description
ORDER BY date DESC, id LIMIT $limit
UNION ALL
MATCH (s:Company {id: $id})-[:SUBJECT_OF]->(n:NegativeRecord)
RETURN s.id AS subject, n.id AS id, n.kind AS kind, n.date AS date, n.amount AS amount,
       n.source AS source, n.document_id AS document_id, n.subject_name AS subject_name,
       n.description AS description
ORDER BY date DESC, id LIMIT $limit
