import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('loadOpenApiBackend', () => {
  it('loads openapi-backend without the modules it stands in for, whose calls still reach the real modules, which anything else gets', () => {
    // Node's own module cache, in a new process (Jest has its own module registry).
    const script = `
      const { loadOpenApiBackend } = require(${JSON.stringify(
        path.resolve(__dirname, '../http/loadOpenApiBackend'),
      )});
      const standIns = ['@apidevtools/json-schema-ref-parser', 'qs', 'mock-json-schema', 'openapi-schema-validator'];
      const loaded = () => standIns.filter(name =>
        Object.keys(require.cache).some(f => f.includes('/node_modules/' + name + '/')),
      );
      const { OpenAPIBackend, OpenAPIRouter } = loadOpenApiBackend();
      const before = loaded();
      const query = new OpenAPIRouter({ definition: { paths: {} } }).parseRequestQuery({
        method: 'get',
        path: '/v2/registries?page=2&tags[]=a',
        headers: {},
      });
      const schema = { type: 'object', properties: { a: { type: 'string', example: 'b' } } };
      const definition = {
        openapi: '3.0.0',
        info: { title: 't', version: '1' },
        paths: { '/x': { get: { operationId: 'x', responses: {
          200: { description: 'ok', content: { 'application/json': { schema } } },
        } } } },
      };
      // The full mode parses, checks and dereferences the definition.
      const api = new OpenAPIBackend({ definition, strict: true });
      api.init().then(async () => {
        let invalid;
        try {
          await new OpenAPIBackend({ definition: { openapi: '3.0.0', paths: {} }, strict: true }).init();
        } catch (error) {
          invalid = 'rejected';
        }
        console.log(JSON.stringify({
          backend: typeof OpenAPIBackend,
          before,
          query,
          invalid,
          mock: api.mockResponseForOperation('x'),
          after: loaded(),
          real: [typeof require('@apidevtools/json-schema-ref-parser').$RefParser, typeof require('qs').stringify],
        }));
      });
    `;
    const output = execFileSync(
      process.execPath,
      [
        '-r',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
        '-e',
        script,
      ],
      { encoding: 'utf8', cwd: __dirname },
    );
    expect(JSON.parse(output.trim().split('\n').pop()!)).toEqual({
      backend: 'function',
      before: [],
      query: { page: '2', tags: ['a'] },
      invalid: 'rejected',
      mock: { status: 200, mock: { a: 'b' } },
      after: [
        '@apidevtools/json-schema-ref-parser',
        'qs',
        'mock-json-schema',
        'openapi-schema-validator',
      ],
      real: ['function', 'function'],
    });
  }, 30_000);
});
