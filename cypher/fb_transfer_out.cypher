// name: fb_transfer_out
// params: $ids: list of Account ids
// returns: src, dst, key, amount, ts — every TRANSFER leaving one of the accounts (FinBench traversals)
// example: {"ids": ["A:fb-1", "A:fb-2"]}
UNWIND $ids AS i
MATCH (a:Account {id: i})-[r:TRANSFER]->(b:Account)
RETURN a.id AS src, b.id AS dst, r.key AS key, r.amount AS amount, r.ts AS ts
