// name: builds_on
// description: What a method builds on, transitively (up to 3 steps), with each step's method and paper.
// param method: method - the method, any case, acronym or long form ("retnet", "Retentive Network")
// param limit: integer = 50 - at most this many rows
// columns: ancestor, depth, via, paper
MATCH path = (m:Method {key: $method})-[:BUILDS_ON*1..3]->(ancestor:Method)
WITH ancestor, length(path) AS depth, nodes(path)[length(path) - 1] AS via, relationships(path)[length(path) - 1] AS step
MATCH (p:Paper {key: step.paper})
RETURN ancestor.name AS ancestor, min(depth) AS depth, via.name AS via, p.title AS paper
ORDER BY depth, ancestor, via
LIMIT $limit
