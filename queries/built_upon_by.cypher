// name: built_upon_by
// description: What builds on a method, transitively (up to 3 steps): its descendants, with each step's paper.
// param method: method - the method
// param limit: integer = 50 - at most this many rows
// columns: descendant, depth, builds_on, paper
MATCH (m:Method {key: $method})
MATCH path = (descendant:Method)-[:BUILDS_ON*1..3]->(m)
WITH descendant, length(path) AS depth, nodes(path)[1] AS next, relationships(path)[0] AS step
MATCH (p:Paper {key: step.paper})
RETURN descendant.name AS descendant, min(depth) AS depth, next.name AS builds_on, p.title AS paper
ORDER BY depth, descendant, builds_on
LIMIT $limit
