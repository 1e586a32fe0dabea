-- Realtime "assigned to you": the conversations.changed payload also lists the conversations that got a
-- (new) assignee in the statement, as [id, queue, assignee] (at most 30, so the payload stays far below
-- NOTIFY's 8,000 bytes), whichever path assigned them: a pipeline batch, a backlog run, an agent or a
-- supervisor. src/http/realtime/routes.ts tells each agent of their own.
-- The one payload both triggers send.
CREATE OR REPLACE FUNCTION earshot_notify_changed(source text, op text, n int, items json, qs text[], assigned json)
RETURNS void LANGUAGE sql AS $$
  SELECT pg_notify('earshot_events', json_build_object(
    'topic', 'conversations.changed',
    'source', source,
    'op', op,
    'many', n > 40,
    'items', CASE WHEN n > 40 THEN '[]'::json ELSE items END,
    'queues', qs,
    'assigned', coalesce(assigned, '[]'::json)
  )::text);
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION earshot_notify_conversations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  items json;
  assigned json;
  n int;
  qs text[];
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
    SELECT json_agg(json_build_array(a.id::text, a.queue, a.assignee_id::text))
      INTO assigned
      FROM (SELECT id, queue, assignee_id FROM new_rows WHERE assignee_id IS NOT NULL LIMIT 30) a;
  END IF;
  IF n = 0 THEN
    RETURN NULL;
  END IF;
  PERFORM earshot_notify_changed(TG_TABLE_NAME, lower(TG_OP), n, items, qs, assigned);
  RETURN NULL;
END;
$$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION earshot_notify_conversations_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  items json;
  assigned json;
  n int;
  qs text[];
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
  SELECT json_agg(json_build_array(a.id::text, a.queue, a.assignee_id::text))
    INTO assigned
    FROM (SELECT nr.id, nr.queue, nr.assignee_id
            FROM new_rows nr JOIN old_rows o ON o.id = nr.id
           WHERE nr.assignee_id IS NOT NULL AND nr.assignee_id IS DISTINCT FROM o.assignee_id
           LIMIT 30) a;
  PERFORM earshot_notify_changed(TG_TABLE_NAME, lower(TG_OP), n, items, qs, assigned);
  RETURN NULL;
END;
$$;
