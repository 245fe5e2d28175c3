// name: builds_on
// description: What a method builds on, transitively (up to 3 steps), with each step's method and paper.
// param method: method - the method, any case, acronym or long form ("retnet", "Retentive Network")
// param limit: integer = 50 - at most this many rows
// columns: ancestor, depth, via, paper
// Level by level, and only as deep as the answer needs: the rows are ordered by depth, so when
// the steps out of the method (or out of it and its ancestors) already fill $limit rows, the
// next level is not read at all. Each level is a list of distinct methods, where a
// variable-length pattern would walk every path (millions at 3 steps on a big graph).
MATCH (m:Method {key: $method})
OPTIONAL MATCH (m)-[s1:BUILDS_ON]->(v1:Method)
WITH m, collect(DISTINCT v1) AS level1, count(s1) AS steps1
UNWIND CASE WHEN steps1 < $limit THEN level1 + [null] ELSE [null] END AS x
OPTIONAL MATCH (x)-[s2:BUILDS_ON]->(v2:Method)
WHERE v2 <> m
WITH m, level1, steps1, collect(DISTINCT v2) AS reached, count(s2) AS steps2
WITH m, level1, steps1, steps2, [v IN reached WHERE NOT v IN level1] AS level2
UNWIND range(0, 2) AS d
UNWIND CASE d WHEN 0 THEN [m] WHEN 1 THEN CASE WHEN steps1 < $limit THEN level1 ELSE [] END
              ELSE CASE WHEN steps1 + steps2 < $limit THEN level2 ELSE [] END END AS via
MATCH (via)-[step:BUILDS_ON]->(ancestor:Method)
WHERE ancestor <> m
WITH ancestor, d + 1 AS depth, via, step
ORDER BY depth, ancestor.name, via.name, step.paper
LIMIT $limit
MATCH (p:Paper {key: step.paper})
RETURN ancestor.name AS ancestor, depth, via.name AS via, p.title AS paper
ORDER BY depth, ancestor, via, paper
LIMIT $limit
