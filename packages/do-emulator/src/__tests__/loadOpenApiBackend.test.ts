import { execFileSync } from 'node:child_process';
import path from 'node:path';

describe('loadOpenApiBackend', () => {
  it('loads openapi-backend without json-schema-ref-parser, whose calls still reach the real module, which anything else gets', () => {
    // Node's own module cache, in a new process (Jest has its own module registry).
    const script = `
      const { loadOpenApiBackend } = require(${JSON.stringify(
        path.resolve(__dirname, '../http/loadOpenApiBackend'),
      )});
      const loaded = () => Object.keys(require.cache).some(f => f.includes('json-schema-ref-parser'));
      const { OpenAPIBackend } = loadOpenApiBackend();
      const before = loaded();
      require('openapi-backend/refparser')
        .dereference({ a: { $ref: '#/b' }, b: { type: 'string' } })
        .then(dereferenced => {
          const real = require('@apidevtools/json-schema-ref-parser');
          console.log(JSON.stringify({
            backend: typeof OpenAPIBackend,
            before,
            dereferenced,
            real: typeof real.$RefParser,
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
      before: false,
      dereferenced: { a: { type: 'string' }, b: { type: 'string' } },
      real: 'function',
    });
  }, 30_000);
});
