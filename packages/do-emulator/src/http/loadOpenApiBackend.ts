import Module from 'node:module';

/**
 * Modules openapi-backend requires at import but calls only in uses the emulator does not make,
 * with the functions it calls:
 * - json-schema-ref-parser parses and dereferences a definition given as a file, or in the full
 *   (non-quick) mode; the emulator hands it a dereferenced object in quick mode. It is an ES
 *   module, and loading it took about 45 ms of the emulator's start.
 * - qs parses a query string; the emulator hands the router the query as an object. With the
 *   two dozen small modules it requires, loading it took 25 to 40 ms.
 */
const STAND_INS: Record<string, string[]> = {
  '@apidevtools/json-schema-ref-parser': ['parse', 'dereference', 'resolve'],
  qs: ['parse'],
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
  for (const [id, functions] of Object.entries(STAND_INS)) {
    const path = fromBackend.resolve(id);
    if (require.cache[path]) continue;
    let real: Record<string, (...args: unknown[]) => unknown> | undefined;
    const load = () => (real ??= fromBackend(id));
    const standIn = new Module(path);
    standIn.filename = path;
    standIn.loaded = true;
    standIn.exports = Object.fromEntries(
      functions.map(name => [
        name,
        (...args: unknown[]) => load()[name](...args),
      ]),
    );
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
