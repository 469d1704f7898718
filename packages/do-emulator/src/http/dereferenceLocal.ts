/** A reference this dereferencer leaves to json-schema-ref-parser. */
class Unsupported extends Error {}

/**
 * Replaces each `{ $ref: '#/…' }` in `document` with the value it points to, in place, the way
 * json-schema-ref-parser's `dereference` does: every reference to one target becomes that same
 * object, itself dereferenced. It handles only what DigitalOcean's spec has, local references
 * without sibling keys and without cycles, and returns undefined (the document partly
 * dereferenced) for anything else, so that the caller uses json-schema-ref-parser instead.
 *
 * It takes about 5 ms where json-schema-ref-parser took about 75 ms of the emulator's start; a
 * test checks that both give the same document, with the same objects shared.
 */
export function dereferenceLocal<T extends object>(document: T): T | undefined {
  const targets = new Map<string, unknown>();
  const done = new Set<object>();
  const inProgress = new Set<object>();

  function target(ref: unknown): unknown {
    if (typeof ref !== 'string' || !ref.startsWith('#/')) {
      throw new Unsupported();
    }
    if (targets.has(ref)) return targets.get(ref);
    let value: unknown = document;
    for (const token of ref.slice(2).split('/')) {
      const key = decodeURIComponent(token)
        .replace(/~1/g, '/')
        .replace(/~0/g, '~');
      if (
        !value ||
        typeof value !== 'object' ||
        '$ref' in value ||
        !Object.hasOwn(value, key)
      ) {
        throw new Unsupported();
      }
      value = (value as Record<string, unknown>)[key];
    }
    const resolved = visit(value);
    targets.set(ref, resolved);
    return resolved;
  }

  function visit(value: unknown): unknown {
    if (!value || typeof value !== 'object') return value;
    if ('$ref' in value) {
      if (Object.keys(value).length !== 1) throw new Unsupported();
      return target(value.$ref);
    }
    if (inProgress.has(value)) throw new Unsupported();
    if (done.has(value)) return value;
    inProgress.add(value);
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const resolved = visit(record[key]);
      if (resolved !== record[key]) record[key] = resolved;
    }
    inProgress.delete(value);
    done.add(value);
    return value;
  }

  try {
    return visit(document) as T;
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
