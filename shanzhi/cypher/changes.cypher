// title: 最近一次导入的变化 — What changed in the last load
// answers: Which nodes and relations the last load of a dataset that changed something (or load
//          number $load) created, updated or removed, each with its label or type, its name (a
//          relation: its two ends' names, 甲 → 乙) and the source file and line it came from (for
//          a removed record: where it had come from). Every load that changes a dataset gets the
//          next number and leaves a (:Load) record (when, from which folder, the counts, what it
//          removed); the records it wrote carry load_seq and load_change. A record written again
//          by a later load shows under that load. Same rows as `shanzhi changes`.
// param: dataset: string = gonghexinlu — the dataset
// param: load: int? = 2 — the load's number (see `shanzhi changes --list`); null: the last load
// returns: load, loaded_at, source (the folder loaded), change (created|updated|removed),
//          what (node|relation), kind (label or relation type), uid, name, source_file,
//          source_line
MATCH (l:Load {dataset: $dataset})
WHERE $load IS NULL OR l.seq = $load
WITH l ORDER BY l.seq DESC LIMIT 1
CALL (l) {
  MATCH (n:Entity)
  WHERE n.dataset = l.dataset AND n.load_seq = l.seq
  RETURN n.load_change AS change, 'node' AS what, [x IN labels(n) WHERE x <> 'Entity'][0] AS kind,
         n.uid AS uid, n.name AS name, n.source_file AS source_file, n.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:LEADS]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:SERVES]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:PARTNERS]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:PART_OF]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:COVERS]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:MEMBER_OF]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:HOLDS]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:LIAISES]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:PARTICIPATES_IN]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  MATCH (a)-[r:LOCATED_IN]->(b)
  WHERE r.dataset = l.dataset AND r.load_seq = l.seq
  RETURN r.load_change AS change, 'relation' AS what, type(r) AS kind, r.uid AS uid,
         coalesce(a.name, '?') + ' → ' + coalesce(b.name, '?') AS name,
         r.source_file AS source_file, r.source_line AS source_line
  UNION ALL
  UNWIND range(0, size(l.removed_uids) - 1) AS i
  RETURN 'removed' AS change, l.removed_whats[i] AS what, l.removed_kinds[i] AS kind,
         l.removed_uids[i] AS uid, l.removed_names[i] AS name,
         l.removed_source_files[i] AS source_file, l.removed_source_lines[i] AS source_line
}
RETURN l.seq AS load, toString(l.at) AS loaded_at, l.source AS source, change, what, kind, uid,
       name, source_file, source_line
ORDER BY CASE change WHEN 'created' THEN 0 WHEN 'updated' THEN 1 ELSE 2 END,
         what, kind, uid
