// name: api_entity_negative_record
// params: $id: NegativeRecord id (N:…)
// returns: id, label, amount, kind, date, subject_name, description — one NegativeRecord by primary key (no hashes)
// example: {"id": "N:1"}
MATCH (n:NegativeRecord {id: $id})
RETURN n.id AS id,
       'NegativeRecord' AS label,
       n.amount AS amount,
       n.kind AS kind,
       n.date AS date,
       n.subject_name AS subject_name,
       n.description AS description
