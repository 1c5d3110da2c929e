// name: fb_deposits_into
// params: $ids: list of Account ids; $t_start, $t_end: epoch ms, open window start < ts < end
// returns: account, loan, amount, balance — loans that deposited into the accounts inside the window (distinct)
// example: {"ids": ["A:fb-1"], "t_start": 0, "t_end": 4102444800000}
UNWIND $ids AS i
MATCH (a:Account {id: i})<-[d:DEPOSIT]-(l:Loan)
WHERE d.ts > $t_start AND d.ts < $t_end
RETURN DISTINCT a.id AS account, l.id AS loan, l.amount AS amount, l.balance AS balance
