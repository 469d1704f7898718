import Module from 'node:module';

/**
 * openapi-backend, loaded without loading json-schema-ref-parser with it. openapi-backend
 * requires json-schema-ref-parser at import, but calls it only to parse and dereference a
 * definition given as a file or in its full (non-quick) mode; the emulator hands it a
 * dereferenced object in quick mode, where it only starts a parse whose result nothing reads.
 * json-schema-ref-parser is an ES module, and loading it took about 45 ms of the emulator's
 * start (more under Backstage's module hooks).
 *
 * While openapi-backend loads, the module cache holds, at json-schema-ref-parser's path, a
 * stand-in whose `parse`, `dereference` and `resolve` load the real module and call it; the
 * stand-in is removed as soon as openapi-backend has loaded, so anything else that requires
 * json-schema-ref-parser gets the real module. When either module is loaded already, this is a
 * plain require.
 */
export function loadOpenApiBackend(): typeof import('openapi-backend') {
  const backendPath = require.resolve('openapi-backend');
  const fromBackend = Module.createRequire(backendPath);
  const refParser = '@apidevtools/json-schema-ref-parser';
  const refParserPath = fromBackend.resolve(refParser);
  if (require.cache[backendPath] || require.cache[refParserPath]) {
    return require('openapi-backend');
  }
  let real: Record<string, (...args: unknown[]) => unknown> | undefined;
  const load = () => (real ??= fromBackend(refParser));
  const standIn = new Module(refParserPath);
  standIn.filename = refParserPath;
  standIn.loaded = true;
  standIn.exports = {
    parse: (...args: unknown[]) => load().parse(...args),
    dereference: (...args: unknown[]) => load().dereference(...args),
    resolve: (...args: unknown[]) => load().resolve(...args),
  };
  require.cache[refParserPath] = standIn;
  try {
    return require('openapi-backend');
  } finally {
    if (require.cache[refParserPath] === standIn) {
      delete require.cache[refParserPath];
    }
  }
}
