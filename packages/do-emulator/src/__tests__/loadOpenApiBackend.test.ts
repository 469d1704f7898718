import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('loadOpenApiBackend', () => {
  it('loads openapi-backend without json-schema-ref-parser and qs, whose calls still reach the real modules, which anything else gets', () => {
    // Node's own module cache, in a new process (Jest has its own module registry).
    const script = `
      const { loadOpenApiBackend } = require(${JSON.stringify(
        path.resolve(__dirname, '../http/loadOpenApiBackend'),
      )});
      const loaded = name => Object.keys(require.cache).some(f => f.includes('/node_modules/' + name + '/'));
      const { OpenAPIBackend, OpenAPIRouter } = loadOpenApiBackend();
      const before = { refParser: loaded('@apidevtools/json-schema-ref-parser'), qs: loaded('qs') };
      const query = new OpenAPIRouter({ definition: { paths: {} } }).parseRequestQuery({
        method: 'get',
        path: '/v2/registries?page=2&tags[]=a',
        headers: {},
      });
      require('openapi-backend/refparser')
        .dereference({ a: { $ref: '#/b' }, b: { type: 'string' } })
        .then(dereferenced => {
          console.log(JSON.stringify({
            backend: typeof OpenAPIBackend,
            before,
            query,
            dereferenced,
            refParser: typeof require('@apidevtools/json-schema-ref-parser').$RefParser,
            qs: typeof require('qs').stringify,
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
      before: { refParser: false, qs: false },
      query: { page: '2', tags: ['a'] },
      dereferenced: { a: { type: 'string' }, b: { type: 'string' } },
      refParser: 'function',
      qs: 'function',
    });
  }, 30_000);
});
