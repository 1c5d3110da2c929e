// name: api_documents
// params: $doc_type: judgment|ruling|enforcement|penalty ('' for all); $skip: rows to skip; $limit: max rows
// returns: id, doc_type, case_number, authority, date, cause, title, outcome — documents (cases and penalties), newest first
// example: {"doc_type": "", "skip": 0, "limit": 10}
MATCH (d:Document) WHERE $doc_type = '' OR d.doc_type = $doc_type
RETURN d.id AS id, d.doc_type AS doc_type, d.case_number AS case_number, d.authority AS authority,
       d.date AS date, d.cause AS cause, d.title AS title, d.outcome AS outcome
ORDER BY date DESC, id SKIP $skip LIMIT $limit
