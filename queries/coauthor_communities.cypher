// name: coauthor_communities
// description: Connected groups of the co-author graph, largest first (kg build computes each author's community).
// param limit: integer = 10 - at most this many communities
// param members: integer = 10 - at most this many names shown per community
// columns: community, size, members
MATCH (a:Author)
WHERE a.community IS NOT NULL
WITH a.community AS community, count(a) AS size, collect(a.name) AS names
RETURN community, size, names[0..$members] AS members
ORDER BY size DESC, community
LIMIT $limit
