// The server's and the client's API files, shaped as Backstage's typescript-backstage-server and
// typescript-backstage-client templates shape them (@backstage/repo-tools).
import {
  doc,
  header,
  operations,
  requestType,
  returnType,
} from './typescript.mjs';

const modelImports = (refs, from) =>
  [...refs]
    .sort()
    .map(name => `import type { ${name} } from '${from}/${name}.model';\n`)
    .join('');

/** apis/Api.server.ts: each operation's request and response, and the EndpointMap. */
export function serverApi(spec) {
  const refs = new Set();
  const ops = operations(spec);
  const types = ops.map(op => requestType(op, refs, { server: true }));
  const map = ops.map(
    op =>
      `  '#${op.method === 'delete' ? '_delete' : op.method}|${op.path}': ${op.type};`,
  );
  // The models are docr-common's (one definition of each wire type, shared with the client).
  const imports = `import type {\n${[...refs]
    .sort()
    .map(n => `  ${n},\n`)
    .join('')}} from '../models';\n`;
  return `${header}\n${imports}\n${types.join('\n')}
/**
 * @public
 */
export type EndpointMap = {
${map.join('\n')}
};
`;
}

/** router.ts: the spec, and a router validating requests against it (as repo-tools writes it). */
export function serverRouter(spec) {
  return `${header}
import { createValidatedOpenApiRouterFromGeneratedEndpointMap } from '@backstage/backend-openapi-utils';
import type { EndpointMap } from './apis';

export const spec = ${JSON.stringify(spec, null, 2)} as const;
export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouterFromGeneratedEndpointMap>['1'],
) => createValidatedOpenApiRouterFromGeneratedEndpointMap<EndpointMap>(spec, options);
`;
}

function clientMethod(op, refs) {
  const params = op.params.filter(p => p.in === 'path');
  const query = op.params.filter(p => p.in === 'query');
  const template = `${op.path}${
    query.length ? `{?${query.map(p => p.name).join(',')}}` : ''
  }`;
  const expand = [
    ...params.map(p => `      ${p.name}: request.path.${p.name},`),
    ...(query.length ? ['      ...request.query,'] : []),
  ];
  const used = params.length || query.length || op.body;
  const comment = doc(
    [op.op.summary],
    '  ',
    op.params.map(p => `@param ${p.name} - ${p.description ?? ''}`),
  );
  return `${comment}  public async ${op.id}(
    ${used ? 'request' : '_request'}: ${op.type},
    options?: RequestOptions,
  ): Promise<TypedResponse<${returnType(op, refs)}>> {
    const baseUrl = await this.discoveryApi.getBaseUrl(pluginId);

    const uriTemplate = \`${template}\`;

    const uri = parser.parse(uriTemplate).expand({
${expand.join('\n')}
    });

    return await this.fetchApi.fetch(\`\${baseUrl}\${uri}\`, {
      headers: {
        'Content-Type': 'application/json',
        ...(options?.token && { Authorization: \`Bearer \${options?.token}\` }),
      },
      method: '${op.method.toUpperCase()}',${
        op.body ? '\n      body: JSON.stringify(request.body),' : ''
      }
    });
  }
`;
}

/** apis/Api.client.ts: the request types and DefaultApiClient, a method per operation. */
export function clientApi(spec) {
  const refs = new Set();
  const ops = operations(spec);
  const types = ops.map(op => requestType(op, refs, { server: false }));
  const methods = ops.map(op => clientMethod(op, refs));
  return `${header}
import { DiscoveryApi } from '../types/discovery';
import { FetchApi } from '../types/fetch';
import crossFetch from 'cross-fetch';
import { pluginId } from '../pluginId';
import * as parser from 'uri-template';
${modelImports(refs, '../models')}
/**
 * Wraps the Response type to convey a type on the json call.
 *
 * @public
 */
export type TypedResponse<T> = Omit<Response, 'json'> & {
  json: () => Promise<T>;
};

/**
 * Options you can pass into a request for additional information.
 *
 * @public
 */
export interface RequestOptions {
  token?: string;
}

${types.join('\n')}
/**
 * @public
 */
export class DefaultApiClient {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: {
    discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
    fetchApi?: { fetch: typeof fetch };
  }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi || { fetch: crossFetch };
  }

${methods.join('\n')}}
`;
}

export const clientSupport = pluginId => ({
  'types/discovery.ts': `${header}
/**
 * This is a copy of the DiscoveryApi, to avoid importing core-plugin-api.
 */
export type DiscoveryApi = {
  getBaseUrl(pluginId: string): Promise<string>;
};
`,
  'types/fetch.ts': `${header}
/**
 * This is a copy of FetchApi, to avoid importing core-plugin-api.
 */
export type FetchApi = {
  fetch: typeof fetch;
};
`,
  'pluginId.ts': `${header}\nexport const pluginId = '${pluginId}';\n`,
  'apis/index.ts': `${header}\nexport * from './Api.client';\n`,
  'index.ts': `${header}\nexport * from './apis';\nexport * from './models';\n`,
});

export const serverSupport = () => ({
  'apis/index.ts': `${header}\nexport * from './Api.server';\n`,
  'index.ts': `${header}\nexport * from './apis';\nexport * from './models';\n`,
});
