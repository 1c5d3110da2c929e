// name: nlp_records_citing
// params: $refs: document references as a bank extract writes them (case number, file stem, Document id)
// returns: id, kind, subject_name, subject_ref, document_id — negative records loaded from the bank whose document_id is one of the refs
// example: {"refs": ["（2018）皖1024民初100号"]}
MATCH (n:NegativeRecord) WHERE n.document_id IN $refs
RETURN n.id AS id, n.kind AS kind, n.subject_name AS subject_name, n.subject_ref AS subject_ref,
       n.document_id AS document_id
ORDER BY id
