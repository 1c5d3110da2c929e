// name: load_naive_merge_transfer
// params: $src, $dst: Account ids; $key: INT64 edge key; $id: transfer id; $amount: yuan; $ts: epoch ms; $channel; $memo
// returns: key — the TRANSFER merged (no row when an endpoint does not exist); the row-by-row baseline of bench/load.py
// example: {"src": "A:none", "dst": "A:none2", "key": 1, "id": "T0", "amount": 1.5, "ts": 0, "channel": "网银", "memo": "x"}
// kuzu: the serial number and memo live in the side node table TRANSFER_side (docs/backends.md).
MATCH (a:Account {id: $src}), (b:Account {id: $dst})
MERGE (a)-[r:TRANSFER {key: $key}]->(b)
SET r.amount = $amount, r.ts = $ts, r.channel = $channel
MERGE (s:TRANSFER_side {key: $key})
SET s.id = $id, s.memo = $memo
RETURN r.key AS key
