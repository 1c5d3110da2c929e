// name: fb_withdraw_in
// params: $ids: list of Account ids
// returns: src, dst, key, amount, ts — every WITHDRAW arriving at one of the accounts (FinBench traversals)
// example: {"ids": ["A:fb-1", "A:fb-2"]}
UNWIND $ids AS i
MATCH (b:Account {id: i})<-[r:WITHDRAW]-(a:Account)
RETURN a.id AS src, b.id AS dst, r.key AS key, r.amount AS amount, r.ts AS ts
