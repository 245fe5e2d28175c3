// name: built_upon_by
// description: What builds on a method, transitively (up to 3 steps): its descendants, with each step's paper.
// param method: method - the method
// param limit: integer = 50 - at most this many rows
// columns: descendant, depth, builds_on, paper
// Level by level and only as deep as the answer needs, as in builds_on.cypher.
MATCH (m:Method {key: $method})
OPTIONAL MATCH (n1:Method)-[s1:BUILDS_ON]->(m)
WITH m, collect(DISTINCT n1) AS level1, count(s1) AS steps1
UNWIND CASE WHEN steps1 < $limit THEN level1 + [null] ELSE [null] END AS x
OPTIONAL MATCH (n2:Method)-[s2:BUILDS_ON]->(x)
WHERE n2 <> m
WITH m, level1, steps1, collect(DISTINCT n2) AS reached, count(s2) AS steps2
WITH m, level1, steps1, steps2, [n IN reached WHERE NOT n IN level1] AS level2
UNWIND range(0, 2) AS d
UNWIND CASE d WHEN 0 THEN [m] WHEN 1 THEN CASE WHEN steps1 < $limit THEN level1 ELSE [] END
              ELSE CASE WHEN steps1 + steps2 < $limit THEN level2 ELSE [] END END AS next
MATCH (descendant:Method)-[step:BUILDS_ON]->(next)
WHERE descendant <> m
WITH descendant, d + 1 AS depth, next, step
ORDER BY depth, descendant.name, next.name, step.paper
LIMIT $limit
MATCH (p:Paper {key: step.paper})
RETURN descendant.name AS descendant, depth, next.name AS builds_on, p.title AS paper
ORDER BY depth, descendant, builds_on, paper
LIMIT $limit
