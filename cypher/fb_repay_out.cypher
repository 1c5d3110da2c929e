// name: fb_repay_out
// params: $ids: list of Account ids
// returns: src, dst, key, amount, ts — every REPAY edge (dst is the Loan) leaving one of the accounts
// example: {"ids": ["A:fb-1", "A:fb-2"]}
UNWIND $ids AS i
MATCH (a:Account {id: i})-[r:REPAY]->(l:Loan)
RETURN a.id AS src, l.id AS dst, r.key AS key, r.amount AS amount, r.ts AS ts
