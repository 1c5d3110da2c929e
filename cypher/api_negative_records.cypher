// name: api_negative_records
// params: $kind: record kind ('' for all); $skip: rows to skip; $limit: max rows
// returns: id, kind, date, amount, source, document_id, subject_name, subject_ref, description — negative records, newest first
// example: {"kind": "", "skip": 0, "limit": 10}
MATCH (n:NegativeRecord) WHERE $kind = '' OR n.kind = $kind
RETURN n.id AS id, n.kind AS kind, n.date AS date, n.amount AS amount, n.source AS source,
       n.document_id AS document_id, n.subject_name AS subject_name,
       n.subject_ref AS subject_ref, n.description AS description
ORDER BY date DESC, id SKIP $skip LIMIT $limit
