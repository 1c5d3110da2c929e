// name: api_entity_loan
// params: $id: Loan id (L:…)
// returns: id, label, status, product, amount, balance, rate, start_date, maturity_date, classification, overdue_days, as_of — one Loan by primary key (no hashes)
// example: {"id": "L:1"}
MATCH (n:Loan {id: $id})
RETURN n.id AS id,
       'Loan' AS label,
       n.status AS status,
       n.product AS product,
       n.amount AS amount,
       n.balance AS balance,
       n.rate AS rate,
       n.start_date AS start_date,
       n.maturity_date AS maturity_date,
       n.classification AS classification,
       n.overdue_days AS overdue_days,
       n.as_of AS as_of
