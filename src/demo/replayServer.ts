import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Anthropic from '@anthropic-ai/sdk';
import { messageToSseEvents } from './sse.js';

export interface ReplayServer {
  url: string;
  /** Requests answered so far. */
  served(): number;
  close(): Promise<void>;
}

/**
 * Serves a recorded session as the Messages API would, on loopback only: the
 * real SDK streams each reply over real SSE, so the demo exercises the same
 * client, loop and tools as a live run.
 */
export async function startReplayServer(recording: Anthropic.Messages.Message[]): Promise<ReplayServer> {
  let next = 0;
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const message = recording[next];
      if (request.method !== 'POST' || !request.url?.startsWith('/v1/messages') || !message) {
        response.writeHead(message ? 404 : 500, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ type: 'error', error: { type: 'api_error', message: `replay: no recorded reply for request ${next + 1}` } }));
        return;
      }
      next += 1;
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      for (const frame of messageToSseEvents(message)) response.write(frame);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => next,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
