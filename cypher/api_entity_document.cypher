// name: api_entity_document
// params: $id: Document id (D:…)
// returns: id, label, date, doc_type, case_number, authority, cause, title — one Document by primary key (no hashes)
// example: {"id": "D:1"}
MATCH (n:Document {id: $id})
RETURN n.id AS id,
       'Document' AS label,
       n.date AS date,
       n.doc_type AS doc_type,
       n.case_number AS case_number,
       n.authority AS authority,
       n.cause AS cause,
       n.title AS title
