-- Realtime "assigned to you": besides `conversations.changed`, a statement that gives conversations a
-- (new) assignee sends one `conversations.assigned` NOTIFY, whichever path assigned them (a pipeline
-- batch, a backlog run, an agent or a supervisor):
--   {topic, by, assigned: [[id, queue, assignee], …] (the first 30), counts: [[assignee, queue, n], …]}
-- `by` is the account that did it (`earshot.actor`, set by src/services/conversations.ts), null for
-- Earshot itself; `counts` (at most 50 rows) lets an agent hear of all their assignments when a big batch
-- lists only 30. Worst case ≈ 30 × 110 + 50 × 70 bytes ≈ 7 kB, within NOTIFY's 8,000 (queue names are
-- cut to 20 characters).
CREATE OR REPLACE FUNCTION earshot_notify_assigned(assigned json, counts json) RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.assigned',
    'by', nullif(current_setting('earshot.actor', true), ''),
    'assigned', assigned,
    'counts', counts
  )::text)
  WHERE assigned IS NOT NULL;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION earshot_notify_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  items json;
  n int;
  qs text[];
  assigned json;
  counts json;
BEGIN
  IF TG_TABLE_NAME = 'posts' THEN
    SELECT count(*), json_agg(json_build_array(c.id::text, c.queue))
      INTO n, items
      FROM conversations c
      WHERE c.id IN (SELECT DISTINCT conversation_id FROM new_rows WHERE conversation_id IS NOT NULL LIMIT 41);
    qs := NULL;
  ELSE
    SELECT count(*), json_agg(json_build_array(s.id::text, s.queue))
      INTO n, items
      FROM (SELECT id, queue FROM new_rows LIMIT 41) s;
    IF n > 40 THEN
      SELECT array_agg(DISTINCT queue) INTO qs FROM new_rows;
    END IF;
    SELECT json_agg(json_build_array(a.id::text, left(a.queue, 20), a.assignee_id::text))
      INTO assigned
      FROM (SELECT id, queue, assignee_id FROM new_rows WHERE assignee_id IS NOT NULL LIMIT 30) a;
    IF assigned IS NOT NULL THEN
      SELECT json_agg(json_build_array(g.assignee_id::text, left(g.queue, 20), g.n))
        INTO counts
        FROM (SELECT assignee_id, queue, count(*) AS n FROM new_rows WHERE assignee_id IS NOT NULL
               GROUP BY assignee_id, queue LIMIT 50) g;
    END IF;
  END IF;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.changed',
    'source', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'many', n > 40,
    'items', CASE WHEN n > 40 THEN '[]'::json ELSE items END,
    'queues', qs
  )::text);
  PERFORM earshot_notify_assigned(assigned, counts);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION earshot_notify_conversations_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  items json;
  n int;
  qs text[];
  assigned json;
  counts json;
BEGIN
  SELECT count(DISTINCT s.id), json_agg(json_build_array(s.id::text, s.queue))
    INTO n, items
    FROM (
      SELECT x.id, q.queue
      FROM (SELECT nr.id, nr.queue AS new_queue, o.queue AS old_queue
            FROM new_rows nr LEFT JOIN old_rows o ON o.id = nr.id LIMIT 41) x
      CROSS JOIN LATERAL (SELECT x.new_queue AS queue
                          UNION SELECT x.old_queue WHERE x.old_queue IS NOT NULL) q
    ) s;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  IF n > 40 THEN
    SELECT array_agg(DISTINCT queue) INTO qs FROM (SELECT queue FROM new_rows UNION SELECT queue FROM old_rows) u;
  END IF;
  PERFORM pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.changed',
    'source', TG_TABLE_NAME,
    'op', lower(TG_OP),
    'many', n > 40,
    'items', CASE WHEN n > 40 THEN '[]'::json ELSE items END,
    'queues', qs
  )::text);
  WITH changed AS (
    SELECT nr.id, nr.queue, nr.assignee_id
      FROM new_rows nr JOIN old_rows o ON o.id = nr.id
     WHERE nr.assignee_id IS NOT NULL AND nr.assignee_id IS DISTINCT FROM o.assignee_id)
  SELECT (SELECT json_agg(json_build_array(a.id::text, left(a.queue, 20), a.assignee_id::text))
            FROM (SELECT * FROM changed LIMIT 30) a),
         (SELECT json_agg(json_build_array(g.assignee_id::text, left(g.queue, 20), g.n))
            FROM (SELECT assignee_id, queue, count(*) AS n FROM changed GROUP BY assignee_id, queue LIMIT 50) g)
    INTO assigned, counts;
  PERFORM earshot_notify_assigned(assigned, counts);
  RETURN NULL;
END;
$$;
