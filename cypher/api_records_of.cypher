// name: api_records_of
// params: $ids: Person/Company ids; $limit: max rows
// returns: subject, id, kind, date, amount, source, document_id, subject_name, description — negative records about the parties, newest first
// example: {"ids": ["P:1", "C:1"], "limit": 10}
MATCH (s)-[:SUBJECT_OF]->(n:NegativeRecord) WHERE s.id IN $ids
RETURN s.id AS subject, n.id AS id, n.kind AS kind, n.date AS date, n.amount AS amount,
       n.source AS source, n.document_id AS document_id, n.subject_name AS subject_name,
       n.description AS description
ORDER BY date DESC, id LIMIT $limit
