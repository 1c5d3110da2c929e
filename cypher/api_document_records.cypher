// name: api_document_records
// params: $id: Document id
// returns: id, kind, date, amount, subject_name, subject_ref — negative records the document evidences
// example: {"id": "D:1"}
MATCH (n:NegativeRecord)-[:EVIDENCED_BY]->(d:Document {id: $id})
RETURN n.id AS id, n.kind AS kind, n.date AS date, n.amount AS amount,
       n.subject_name AS subject_name, n.subject_ref AS subject_ref
ORDER BY id
