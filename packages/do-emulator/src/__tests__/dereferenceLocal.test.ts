import { dereference } from '@apidevtools/json-schema-ref-parser';
import { loadOpenApiSpec } from '@backstage-docr/digitalocean-openapi';
import { OpenAPIValidator } from 'openapi-backend';
import { dereferenceLocal } from '../http/dereferenceLocal';

describe('dereferenceLocal', () => {
  it.each([false, true])(
    'gives the document json-schema-ref-parser gives for the spec, with the same objects shared (mended: %s)',
    async mendKnownGaps => {
      const fast = dereferenceLocal(loadOpenApiSpec({ mendKnownGaps }));
      const reference = await dereference(loadOpenApiSpec({ mendKnownGaps }));
      expect(fast).toBeDefined();
      // openapi-backend compiles decycled copies, in which an object met again becomes a $ref to
      // where it was first met: equal copies mean the same validators.
      const decycle = (OpenAPIValidator as any).decycle.bind(OpenAPIValidator);
      expect(decycle(fast)).toEqual(decycle(reference));
      expect(JSON.stringify(fast)).not.toContain('"$ref"');
    },
  );

  it('leaves references it does not handle to json-schema-ref-parser', () => {
    const circular = {
      components: {
        schemas: {
          node: {
            properties: { next: { $ref: '#/components/schemas/node' } },
          },
        },
      },
    };
    expect(dereferenceLocal(circular)).toBeUndefined();
    const extended = {
      a: { type: 'string' },
      b: { $ref: '#/a', description: 'sibling keys' },
    };
    expect(dereferenceLocal(extended)).toBeUndefined();
    expect(dereferenceLocal({ a: { $ref: 'other.yaml#/a' } })).toBeUndefined();
    expect(dereferenceLocal({ a: { $ref: '#/missing' } })).toBeUndefined();
  });

  it('shares one object among the references to it, and follows references to references', () => {
    const document = {
      a: { type: 'string' },
      b: { $ref: '#/a' },
      c: { items: { $ref: '#/b' }, other: { $ref: '#/a' } },
      'd/e': { $ref: '#/c/items' },
      f: { $ref: '#/d~1e' },
    };
    const result = dereferenceLocal(document) as any;
    expect(result.b).toBe(document.a);
    expect(result.c.items).toBe(document.a);
    expect(result.c.other).toBe(document.a);
    expect(result.f).toBe(document.a);
  });
});
