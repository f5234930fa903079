// title: 朋友圈中心度历史 — Centrality of the circles over time
// answers: How each member's rank and scores in a block's 善治朋友圈 changed from one stored run
//          (`shanzhi --store neo4j centrality --write-back`) to the next: every run of the block,
//          oldest first, each member's rank, betweenness, degree, PageRank and community in it,
//          and its rank and betweenness in the member's previous run (null in its first run).
// param: block: string? = G-BLK-SHANYANG — a block grid's uid, id or name; null for every block
// param: member: string? = 交运巴士 — a member's uid, id or name; null for every member
// returns: block_name, ran_at (ISO time), run (the CentralityRun's uid: its algorithm and params
//          are on it), member_id, member_name, rank, previous_rank, rank_change (positive: moved
//          up), betweenness, betweenness_change, pagerank, community, broker
MATCH (r:CentralityRun)
WHERE $block IS NULL OR $block IN [r.block_uid, r.block_id, r.block_name]
MATCH (r)-[s:SCORED]->(m:Entity)
WHERE $member IS NULL OR $member IN [m.uid, m.id, m.name]
WITH r, s, m
ORDER BY r.ran_at, r.uid
WITH r.block_uid AS block_uid, m, collect({run: r, scores: s}) AS history
UNWIND range(0, size(history) - 1) AS i
WITH block_uid, m, history[i] AS now, CASE WHEN i > 0 THEN history[i - 1] END AS before
RETURN now.run.block_name AS block_name,
       toString(now.run.ran_at) AS ran_at,
       now.run.uid AS run,
       m.id AS member_id,
       m.name AS member_name,
       now.scores.rank AS rank,
       before.scores.rank AS previous_rank,
       before.scores.rank - now.scores.rank AS rank_change,
       now.scores.betweenness AS betweenness,
       round(now.scores.betweenness - before.scores.betweenness, 6) AS betweenness_change,
       now.scores.pagerank AS pagerank,
       now.scores.community AS community,
       now.scores.broker AS broker
ORDER BY block_uid, ran_at, run, rank
