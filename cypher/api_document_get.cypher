// name: api_document_get
// params: $id: Document id
// returns: id, doc_type, case_number, authority, date, cause, title, outcome, amounts_json
// example: {"id": "D:1"}
MATCH (d:Document {id: $id})
RETURN d.id AS id, d.doc_type AS doc_type, d.case_number AS case_number, d.authority AS authority,
       d.date AS date, d.cause AS cause, d.title AS title, d.outcome AS outcome,
       d.amounts_json AS amounts_json
