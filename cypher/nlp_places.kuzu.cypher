// name: nlp_places
// params: $grids: Grid ids; $households: Household ids
// returns: id, name, village, address — grids (name, village) and households (address) for address evidence (kuzu: primary-key lookups)
// example: {"grids": ["G:1"], "households": ["H:1"]}
UNWIND $grids AS x
MATCH (g:Grid {id: x})
RETURN g.id AS id, g.name AS name, g.village AS village, '' AS address
UNION ALL
UNWIND $households AS x
MATCH (h:Household {id: x})
RETURN h.id AS id, '' AS name, '' AS village, h.address AS address
