/**
 * Realtime event bus over PostgreSQL LISTEN/NOTIFY: any process (web or worker) publishes, every
 * process listening receives. Payloads are small JSON (ids, not bodies: NOTIFY caps at 8000 bytes).
 * The listening connection reconnects on failure.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';

export const BUS_CHANNEL = 'earshot_events';

export interface BusEvent {
  topic: string;
  [key: string]: unknown;
}

export interface EventBus {
  publish(event: BusEvent): Promise<void>;
  subscribe(topic: string | '*', handler: (event: BusEvent) => void): () => void;
  close(): Promise<void>;
}

export async function openEventBus(
  url: string,
  pool: pg.Pool,
  log: (msg: string) => void = () => {},
): Promise<EventBus> {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  let client: pg.Client | undefined;
  let closed = false;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: url, application_name: 'earshot-bus' });
    c.on('notification', (msg) => {
      if (msg.channel !== BUS_CHANNEL || !msg.payload) return;
      let event: BusEvent;
      try {
        event = JSON.parse(msg.payload) as BusEvent;
      } catch {
        return;
      }
      emitter.emit(event.topic, event);
      emitter.emit('*', event);
    });
    c.on('error', (err) => {
      log(`event bus connection lost: ${err.message}`);
      c.end().catch(() => {});
      if (!closed) setTimeout(() => void connect().catch(() => {}), 500);
    });
    await c.connect();
    await c.query(`LISTEN ${BUS_CHANNEL}`);
    client = c;
  };
  await connect();

  return {
    async publish(event) {
      const payload = JSON.stringify(event);
      if (Buffer.byteLength(payload) > 7900) throw new Error(`event ${event.topic} too large for NOTIFY`);
      await pool.query('select pg_notify($1, $2)', [BUS_CHANNEL, payload]);
    },
    subscribe(topic, handler) {
      emitter.on(topic, handler);
      return () => emitter.off(topic, handler);
    },
    async close() {
      closed = true;
      emitter.removeAllListeners();
      await client?.end().catch(() => {});
    },
  };
}
