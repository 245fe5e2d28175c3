// name: builds_on
// description: What a method builds on, transitively (up to 3 steps), with each step's method and paper.
// param method: method - the method, any case, acronym or long form ("retnet", "Retentive Network")
// param limit: integer = 50 - at most this many rows
// columns: ancestor, depth, via, paper
// Each step is read once, from the methods m reaches in fewer steps: fixed-length patterns give
// distinct nodes, where a variable-length pattern would walk every path (thousands at 3 steps).
MATCH (m:Method {key: $method})
OPTIONAL MATCH (m)-[:BUILDS_ON]->(v1:Method)
WITH m, collect(DISTINCT v1) AS level1
OPTIONAL MATCH (m)-[:BUILDS_ON]->(:Method)-[:BUILDS_ON]->(v2:Method)
WITH m, level1, [v IN collect(DISTINCT v2) WHERE v <> m AND NOT v IN level1] AS level2
UNWIND range(0, 2) AS d
UNWIND CASE d WHEN 0 THEN [m] WHEN 1 THEN level1 ELSE level2 END AS via
MATCH (via)-[step:BUILDS_ON]->(ancestor:Method)
WHERE ancestor <> m
WITH ancestor, d + 1 AS depth, via, step
ORDER BY depth, ancestor.name, via.name, step.paper
LIMIT $limit
MATCH (p:Paper {key: step.paper})
RETURN ancestor.name AS ancestor, depth, via.name AS via, p.title AS paper
ORDER BY depth, ancestor, via, paper
LIMIT $limit
