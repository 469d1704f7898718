import type http from 'node:http';
import type { RequestLog } from '../http/RequestLog';
import type { EmulatedAccount } from '../model/account';
import { RegistryError } from '../model/registryErrors';
import { authorize, issueToken } from './auth';
import { continueUpload, getBlob, startUpload, unsupported } from './blobs';
import { deleteManifest, getManifest, putManifest } from './manifests';
import { listReferrers } from './referrers';
import { RegistryResponse, errorResponse, send } from './response';
import {
  RepositoryCall,
  RepositoryRoute,
  actionOf,
  matchRepositoryRoute,
  splitName,
} from './routes';
import { listTags } from './tags';
import { TokenSigner } from './TokenSigner';

export interface RegistryHostDeps {
  /** Read at each request: a reset replaces the account. */
  account(): EmulatedAccount;
  /** The registry host's base URL (the token realm is under it). */
  url(): string;
  /** Where each request is recorded on arrival, with its status once answered. */
  requests?: RequestLog;
}

interface IncomingCall {
  method: string;
  url: URL;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * The stand-in for registry.digitalocean.com: the OCI Distribution API (v1.1) over the same
 * store as the DigitalOcean API, with DOCR's token authentication.
 */
export class RegistryHost {
  private readonly signer = new TokenSigner();

  constructor(private readonly deps: RegistryHostDeps) {}

  /** Node's request listener; a request whose handling throws is answered 500. */
  readonly listener = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): void => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://registry');
    const entry = this.deps.requests?.record(
      method,
      url.pathname,
      operationOf(method, url.pathname),
    );
    readBody(req)
      .then(body => {
        const response = this.answer({
          method,
          url,
          headers: req.headers,
          body,
        });
        if (entry) entry.status = response.status;
        send(res, response, method === 'HEAD');
      })
      .catch(error => {
        if (res.headersSent) return;
        if (entry) entry.status = 500;
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [
              { code: 'UNKNOWN', message: String(error?.message ?? error) },
            ],
          }),
        );
      });
  };

  private answer(call: IncomingCall): RegistryResponse {
    try {
      return this.route(call);
    } catch (error) {
      return errorResponse(error);
    }
  }

  private route(call: IncomingCall): RegistryResponse {
    const auth = {
      account: this.deps.account(),
      signer: this.signer,
      registryUrl: this.deps.url(),
      authorization: call.headers.authorization,
    };
    const { pathname } = call.url;
    if (pathname === '/v2/token') return issueToken(auth, call.url);
    if (pathname === '/v2/' || pathname === '/v2') {
      authorize(auth);
      return { status: 200, body: {} };
    }
    const matched = matchRepositoryRoute(pathname);
    if (!matched) {
      throw new RegistryError(404, 'UNSUPPORTED', `no route for ${pathname}`);
    }
    const { registry, repository } = splitName(matched.name);
    authorize(auth, { name: matched.name, action: actionOf(call.method) });
    auth.account.settle();
    const registryState = auth.account.registries.get(registry);
    if (!registryState) {
      throw new RegistryError(
        404,
        'NAME_UNKNOWN',
        `registry ${registry} is not known`,
      );
    }
    return dispatch(
      {
        ...call,
        account: auth.account,
        registry: registryState,
        repository,
        name: matched.name,
      },
      matched.route,
    );
  }
}

function dispatch(
  call: RepositoryCall,
  route: RepositoryRoute,
): RegistryResponse {
  const { method } = call;
  const read = method === 'GET' || method === 'HEAD';
  switch (route.kind) {
    case 'manifest':
      if (read) return getManifest(call, route.reference);
      if (method === 'PUT') return putManifest(call, route.reference);
      if (method === 'DELETE') return deleteManifest(call, route.reference);
      break;
    case 'blob':
      if (read) return getBlob(call, route.digest);
      break;
    case 'upload':
      if (route.id) return continueUpload(call, route.id);
      if (method === 'POST') return startUpload(call);
      break;
    case 'tags':
      if (read) return listTags(call);
      break;
    case 'referrers':
      if (read) return listReferrers(call, route.digest);
      break;
    default:
  }
  throw unsupported(call);
}

/** The log's name for a request: its route and method (`manifest_head`); undefined for no route. */
function operationOf(method: string, pathname: string): string | undefined {
  let kind: string | undefined;
  if (pathname === '/v2/token') kind = 'token';
  else if (pathname === '/v2/' || pathname === '/v2') kind = 'base';
  else kind = matchRepositoryRoute(pathname)?.route.kind;
  return kind && `${kind}_${method.toLowerCase()}`;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', chunk => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
