import { request } from 'node:https';
import {
  type HttpLibrary,
  Observable,
  type RequestContext,
  ResponseContext,
} from '@kubernetes/client-node';

/**
 * The most a page of a cluster's list call may hold (500 objects; a pod is a few KiB): a larger
 * answer is refused before it is all in memory, so a broken or hostile API server cannot make
 * the backend hold an unbounded body.
 */
export const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** An answer over the byte bound: `listAll` asks for smaller pages. */
export class PageTooLargeError extends Error {
  name = 'PageTooLargeError';
  constructor(maxBytes: number) {
    super(
      `the cluster's API answered with more than ${maxBytes} bytes for one page`,
    );
  }
}

/**
 * The Kubernetes client's HTTP library, reading each response body with a byte bound. HTTPS
 * only (`kubeConfigFor` refuses anything else); the agent carries the cluster's CA and client
 * certificate as the client set it up.
 */
export function boundedHttpLibrary(maxBytes = MAX_PAGE_BYTES): HttpLibrary {
  return {
    send: context => new Observable(sendBounded(context, maxBytes)),
  };
}

function sendBounded(
  context: RequestContext,
  maxBytes: number,
): Promise<ResponseContext> {
  return new Promise((resolve, reject) => {
    const req = request(
      context.getUrl(),
      {
        method: context.getHttpMethod(),
        headers: context.getHeaders(),
        agent: context.getAgent(),
        signal: context.getSignal(),
      },
      res => {
        const tooLarge = () => new PageTooLargeError(maxBytes);
        if (Number(res.headers['content-length'] ?? 0) > maxBytes) {
          res.destroy();
          reject(tooLarge());
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            res.destroy();
            reject(tooLarge());
          } else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers))
            if (value !== undefined)
              headers[name] = Array.isArray(value) ? value.join(', ') : value;
          resolve(
            new ResponseContext(res.statusCode ?? 0, headers, {
              text: async () => body.toString('utf8'),
              binary: async () => body,
            }),
          );
        });
      },
    );
    req.on('error', reject);
    const body = context.getBody();
    if (body) req.write(body);
    req.end();
  });
}
