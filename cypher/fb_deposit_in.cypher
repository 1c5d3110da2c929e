// name: fb_deposit_in
// params: $ids: list of Account ids
// returns: src, dst, key, amount, ts — every DEPOSIT edge (src is the Loan) arriving at one of the accounts
// example: {"ids": ["A:fb-1", "A:fb-2"]}
UNWIND $ids AS i
MATCH (b:Account {id: i})<-[r:DEPOSIT]-(l:Loan)
RETURN l.id AS src, b.id AS dst, r.key AS key, r.amount AS amount, r.ts AS ts
