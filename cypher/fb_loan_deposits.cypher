// name: fb_loan_deposits
// params: $id: Loan id; $t_start, $t_end: epoch ms, open window start < ts < end
// returns: loan_amount, account — accounts the loan deposited into inside the window (distinct)
// example: {"id": "L:fb-1", "t_start": 0, "t_end": 4102444800000}
MATCH (l:Loan {id: $id})-[d:DEPOSIT]->(a:Account)
WHERE d.ts > $t_start AND d.ts < $t_end
RETURN DISTINCT l.amount AS loan_amount, a.id AS account
