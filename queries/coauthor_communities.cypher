// name: coauthor_communities
// description: Connected groups of the co-author graph, largest first, with their most published members (kg build ranks the 1,000 largest); a name several people share comes with a label.
// param limit: integer = 10 - at most this many communities (up to 1,000)
// param members: integer = 10 - at most this many names shown per community (up to 50)
// columns: community, size, members, member_keys
// people: members by member_keys
MATCH (a:Author)
WHERE a.community_rank <= $limit
WITH a
ORDER BY a.papers DESC, a.name, a.key
WITH a.community AS community, a.community_size AS size, collect(a.name) AS names, collect(a.key) AS keys
RETURN community, size, names[0..$members] AS members, keys[0..$members] AS member_keys
ORDER BY size DESC, community
LIMIT $limit
