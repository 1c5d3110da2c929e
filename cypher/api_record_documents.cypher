// name: api_record_documents
// params: $id: NegativeRecord id
// returns: id, doc_type, case_number, authority, date, cause, title, outcome — documents evidencing the record
// example: {"id": "N:1"}
MATCH (n:NegativeRecord {id: $id})-[:EVIDENCED_BY]->(d:Document)
RETURN d.id AS id, d.doc_type AS doc_type, d.case_number AS case_number, d.authority AS authority,
       d.date AS date, d.cause AS cause, d.title AS title, d.outcome AS outcome
ORDER BY date DESC, id
