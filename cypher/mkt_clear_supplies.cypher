// name: mkt_clear_supplies
// params: $min_score: delete inferred SUPPLIES edges scoring at least this (0.0: all of them)
// returns: deleted — number of SUPPLIES edges removed before a new supply-chain run writes its own
// example: {"min_score": 2.0}
MATCH ()-[r:SUPPLIES]->()
WHERE r.score >= $min_score
DELETE r
RETURN count(*) AS deleted
