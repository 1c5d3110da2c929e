// name: fb_blocked_signins
// params: $ids: list of Account ids; $t_start, $t_end: epoch ms, open window start < ts < end
// returns: account, medium, medium_type — blocked media that signed in to the accounts inside the window (distinct)
// example: {"ids": ["A:fb-1"], "t_start": 0, "t_end": 4102444800000}
UNWIND $ids AS i
MATCH (a:Account {id: i})<-[s:SIGNED_IN]-(m:Medium)
WHERE m.is_blocked = true AND s.ts > $t_start AND s.ts < $t_end
RETURN DISTINCT a.id AS account, m.id AS medium, m.medium_type AS medium_type
