// name: api_entity_get
// params: $id: any node id
// returns: id, label and the displayable properties of that node (null where the label lacks them); no hashes
// example: {"id": "P:1"}
MATCH (n {id: $id})
RETURN n.id AS id, label(n) AS label, n.name AS name, n.sex AS sex, n.birth_date AS birth_date,
       n.phone_last4 AS phone_last4, n.tier AS tier, n.is_customer AS is_customer, n.tags AS tags,
       n.household_id AS household_id, n.grid_id AS grid_id, n.manager_id AS manager_id,
       n.uscc AS uscc, n.legal_rep_name AS legal_rep_name, n.industry AS industry,
       n.registered_capital AS registered_capital, n.status AS status, n.address AS address,
       n.product AS product, n.amount AS amount, n.balance AS balance, n.rate AS rate,
       n.start_date AS start_date, n.maturity_date AS maturity_date,
       n.classification AS classification, n.overdue_days AS overdue_days,
       n.kind AS kind, n.date AS date, n.subject_name AS subject_name,
       n.description AS description, n.doc_type AS doc_type, n.case_number AS case_number,
       n.authority AS authority, n.cause AS cause, n.title AS title,
       n.size AS size, n.risk_score AS risk_score, n.total_balance AS total_balance,
       n.as_of AS as_of
