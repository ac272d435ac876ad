/**
 * Server-Sent Events to the open preview pages (`GET /events`): `reload`,
 * `error` and `ok`, each with a JSON payload. A page that connects (or
 * reconnects after a restart) first gets the current state, so it never has
 * to guess what it missed.
 */
import type { ServerResponse } from 'node:http';

export interface PreviewEvent {
  readonly name: 'reload' | 'error' | 'ok';
  readonly data: unknown;
}

export interface EventHub {
  /** Take over `response` as an event stream and send it `initial`. */
  connect(response: ServerResponse, initial: readonly PreviewEvent[]): void;
  broadcast(events: readonly PreviewEvent[]): void;
  /** End every stream (the pages' EventSource will try to reconnect). */
  close(): void;
}

function encode(events: readonly PreviewEvent[]): string {
  // JSON.stringify never emits a raw line break, so `data:` stays one line.
  return events
    .map((event) => `event: ${event.name}\ndata: ${JSON.stringify(event.data)}\n\n`)
    .join('');
}

export function createEventHub(): EventHub {
  const clients = new Set<ServerResponse>();
  return {
    connect(response, initial) {
      response.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      });
      // Reconnect quickly when the preview is restarted.
      response.write(`retry: 500\n\n${encode(initial)}`);
      clients.add(response);
      response.on('close', () => clients.delete(response));
    },
    broadcast(events) {
      const chunk = encode(events);
      for (const client of clients) client.write(chunk);
    },
    close() {
      for (const client of clients) client.end();
      clients.clear();
    },
  };
}
