// name: api_records_by_ids
// params: $ids: NegativeRecord ids
// returns: id, kind, date, amount, source, document_id, subject_name, description — the records, newest first
// example: {"ids": ["N:1"]}
MATCH (n:NegativeRecord) WHERE n.id IN $ids
RETURN n.id AS id, n.kind AS kind, n.date AS date, n.amount AS amount,
       n.source AS source, n.document_id AS document_id, n.subject_name AS subject_name,
       n.description AS description
ORDER BY date DESC, id
