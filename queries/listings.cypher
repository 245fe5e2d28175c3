// name: listings
// description: The listings in the graph, by name, with their layout, owner, page date, papers and the file each was read from (kg remove takes these names).
// param limit: integer = 1000 - at most this many listings
// columns: listing, layout, owner, page_date, papers, path
// kg build counts each listing's papers on its node; a listing loaded without that count (by a
// kg before it) has its papers counted here.
MATCH (l:Listing)
OPTIONAL MATCH (p:Paper)-[:LISTED_IN]->(l)
WHERE l.papers IS NULL
WITH l, count(p) AS counted
RETURN l.key AS listing, l.layout AS layout, l.owner AS owner, l.page_date AS page_date,
       coalesce(l.papers, counted) AS papers, l.path AS path
ORDER BY listing
LIMIT $limit
