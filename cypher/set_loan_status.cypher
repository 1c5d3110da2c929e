// name: set_loan_status
// params: $id: Loan id; $status: new status text
// returns: id — the loan updated (no row when it does not exist)
// example: {"id": "L:0", "status": "closed"}
MATCH (l:Loan {id: $id})
SET l.status = $status
RETURN l.id AS id
