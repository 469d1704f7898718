import type { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type OpenAPIBackend from 'openapi-backend';
import type { Context } from 'openapi-backend';
import { loadOpenApiSpec } from '@backstage-docr/digitalocean-openapi';
import type { OperationResult } from './handlers';
import { dereferenceLocal } from './dereferenceLocal';
import { loadOpenApiBackend } from './loadOpenApiBackend';

const { OpenAPIBackend: OpenAPIBackendClass } = loadOpenApiBackend();

/**
 * An openapi-backend instance for DigitalOcean's spec: routes and validates requests and
 * responses. With `mendKnownGaps` the spec takes the real API's shape where it has known gaps;
 * without, it is the spec as DigitalOcean publishes it.
 *
 * Validators are compiled per operation on first use (openapi-backend's `quick` mode):
 * compiling the whole spec up front took about 4 s on a 2-core machine, and a test or a demo
 * uses a handful of operations. The spec is dereferenced first, to the document
 * json-schema-ref-parser gives as the full mode does, because quick mode's own synchronous
 * dereferencing loses some schemas.
 * `checkDefinition` compiles everything and validates the spec document itself, as the contract
 * test does.
 */
export async function createOpenApiValidator(options: {
  mendKnownGaps: boolean;
  checkDefinition?: boolean;
}): Promise<OpenAPIBackend> {
  const spec = loadOpenApiSpec(options) as any;
  const definition = options.checkDefinition
    ? spec
    : (dereferenceLocal(spec) ?? (await refParserDereference(options)));
  const api = new OpenAPIBackendClass({
    definition,
    strict: false,
    quick: !options.checkDefinition,
    validate: true,
    // Checking each schema against JSON Schema's meta-schema first compiled the meta-schema on
    // the first request (about 100 ms); the contract test's `checkDefinition` still checks them.
    ajvOpts: options.checkDefinition ? {} : { validateSchema: false },
    customizeAjv: ajv => {
      addFormats(ajv as any);
      // `cidr` is not a JSON-Schema format; DigitalOcean uses it for cluster subnets.
      ajv.addFormat('cidr', true);
      // App Platform's autoscaling counts are `type: integer, format: uint32`.
      ajv.addFormat('uint32', {
        type: 'number',
        validate: n => Number.isInteger(n) && n >= 0 && n <= 0xffffffff,
      });
      return ajv;
    },
  });
  if (!options.checkDefinition) {
    // Quick mode parses the definition with json-schema-ref-parser (a deep copy of it, then a
    // walk) into `document`, which only the full mode reads; the definition is that document.
    api.loadDocument = async () => (api.document = definition);
  }
  await api.init();
  if (!options.checkDefinition) validateLazily(api);
  return api;
}

/** The spec dereferenced by json-schema-ref-parser, for what dereferenceLocal does not handle. */
async function refParserDereference(options: { mendKnownGaps: boolean }) {
  const refParser: typeof import('@apidevtools/json-schema-ref-parser') = require('@apidevtools/json-schema-ref-parser');
  return refParser.dereference(loadOpenApiSpec(options));
}

/**
 * Trims the work openapi-backend does on an operation's first use, which was most of the
 * emulator's first request, without changing what is validated:
 * - each Ajv validator compiles when it first validates. openapi-backend builds an operation's
 *   validators together: one per response status for the body, and four per status for the
 *   headers (one per set match type), of which the emulator uses the one for the status it
 *   answers, in `superset` mode. Each still validates against exactly the schema
 *   openapi-backend built for it, decycled when it is built, as before;
 * - the validators share an Ajv instance per set of options (two: with and without
 *   `coerceTypes`) where openapi-backend made one, with its formats, for each operation's each
 *   kind of validator (`customizeAjv` above is the same for every kind);
 * - the router lists the operations once: it rebuilt the list from the definition, which does
 *   not change after `init`, on each lookup (several per request).
 */
function validateLazily(api: OpenAPIBackend): void {
  const validator = api.validator;
  const getAjv = validator.getAjv.bind(validator);
  const instances = new Map<string, ReturnType<typeof getAjv>>();
  validator.getAjv = (context, opts = {}) => {
    const key = JSON.stringify(opts);
    const existing = instances.get(key);
    if (existing) return existing;
    const ajv = getAjv(context, opts);
    const compile = ajv.compile.bind(ajv);
    ajv.compile = ((schema: object) => {
      let compiled: ValidateFunction | undefined;
      const validate = ((data: unknown) => {
        compiled ??= compile(schema);
        const valid = compiled(data);
        validate.errors = compiled.errors;
        return valid;
      }) as ValidateFunction;
      return validate;
    }) as typeof ajv.compile;
    instances.set(key, ajv);
    return ajv;
  };
  const operations = api.router.getOperations();
  api.router.getOperations = () => [...operations];
}

/** DigitalOcean's 422 for a request that does not match the spec, naming each problem. */
export function requestValidationFailure(c: Context): OperationResult {
  return {
    status: 422,
    body: {
      id: 'unprocessable_entity',
      message: (c.validation.errors ?? [])
        .map(e => `${e.instancePath || 'request'} ${e.message}`.trim())
        .join('; '),
    },
  };
}

/** Why a response does not match the spec, or undefined when it does. */
export function responseProblem(
  api: OpenAPIBackend,
  operationId: string,
  response: {
    status: number;
    headers: Record<string, string>;
    body?: unknown;
  },
): string | undefined {
  if (response.body !== undefined) {
    const result = api.validateResponse(
      response.body,
      operationId,
      response.status,
    );
    if (result.errors?.length) {
      return result.errors
        .map(e => `${e.instancePath} ${e.message}`)
        .join('; ');
    }
  }
  const headerResult = api.validateResponseHeaders(
    response.headers,
    operationId,
    {
      statusCode: response.status,
      setMatchType: 'superset' as any,
    },
  );
  if (headerResult.errors?.length) {
    return headerResult.errors
      .map(e => `${e.instancePath} ${e.message}`)
      .join('; ');
  }
  return undefined;
}
