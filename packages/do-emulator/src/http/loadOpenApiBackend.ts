import Module from 'node:module';

type Real = Record<string, any>;

/** Exports that call the real module's functions of these names. */
const calling =
  (...names: string[]) =>
  (real: () => Real) =>
    Object.fromEntries(
      names.map(name => [name, (...args: unknown[]) => real()[name](...args)]),
    );

/**
 * Modules openapi-backend requires at import but calls only in uses the emulator does not make,
 * and their stand-ins' exports, for the functions it calls:
 * - json-schema-ref-parser parses and dereferences a definition given as a file, or in the full
 *   (non-quick) mode; the emulator hands it a dereferenced object in quick mode. It is an ES
 *   module, and loading it took about 45 ms of the emulator's start.
 * - qs parses a query string; the emulator hands the router the query as an object. With the
 *   two dozen small modules it requires, loading it took 25 to 40 ms.
 * - openapi-schema-validator checks the definition in the full mode (about 5 ms, with the
 *   OpenAPI meta-schemas), mock-json-schema makes mock responses (about 3 ms).
 */
const STAND_INS: Record<string, (real: () => Real) => Real> = {
  '@apidevtools/json-schema-ref-parser': calling(
    'parse',
    'dereference',
    'resolve',
  ),
  qs: calling('parse'),
  'mock-json-schema': calling('mock'),
  'openapi-schema-validator': real => ({
    __esModule: true,
    default: function OpenAPISchemaValidator(...args: unknown[]) {
      const Validator = real().default;
      return new Validator(...args);
    },
  }),
};

/**
 * openapi-backend, loaded without loading the modules above with it. While it loads, the module
 * cache holds, at each one's path, a stand-in whose functions load the real module and call it;
 * the stand-ins are removed as soon as openapi-backend has loaded, so anything else that
 * requires those modules gets the real ones. A module loaded already is not stood in for, and
 * when openapi-backend is loaded already this is a plain require.
 */
export function loadOpenApiBackend(): typeof import('openapi-backend') {
  const backendPath = require.resolve('openapi-backend');
  if (require.cache[backendPath]) return require('openapi-backend');
  const fromBackend = Module.createRequire(backendPath);
  const standIns = new Map<string, Module>();
  for (const [id, exports] of Object.entries(STAND_INS)) {
    const path = fromBackend.resolve(id);
    if (require.cache[path]) continue;
    let real: Real | undefined;
    const standIn = new Module(path);
    standIn.filename = path;
    standIn.loaded = true;
    standIn.exports = exports(() => (real ??= fromBackend(id)));
    require.cache[path] = standIn;
    standIns.set(path, standIn);
  }
  try {
    return require('openapi-backend');
  } finally {
    for (const [path, standIn] of standIns) {
      if (require.cache[path] === standIn) delete require.cache[path];
    }
  }
}
