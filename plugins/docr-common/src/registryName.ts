import { z } from 'zod';

/**
 * DigitalOcean's own rule for registry names (the `name` pattern in its OpenAPI spec).
 *
 * @public
 */
export const REGISTRY_NAME_PATTERN = /^[a-z0-9-]{1,63}$/;
/** @public */
export const REGISTRY_NAME_MAX_LENGTH = 63;

/**
 * Explains why a registry name is not acceptable, or returns undefined when it is.
 *
 * DigitalOcean's pattern allows a leading or trailing hyphen, but such a name reads badly in image
 * references and in DNS-style tooling, so we refuse it with its own message.
 *
 * @public
 */
export function registryNameProblem(name: string): string | undefined {
  if (name.length === 0) {
    return 'Registry name must not be empty';
  }
  if (name.length > REGISTRY_NAME_MAX_LENGTH) {
    return `Registry name must be at most ${REGISTRY_NAME_MAX_LENGTH} characters, got ${name.length}`;
  }
  if (/[A-Z]/.test(name)) {
    return `Registry name must be lowercase: "${name}" contains uppercase letters (try "${name.toLowerCase()}")`;
  }
  const invalid = name.match(/[^a-z0-9-]/);
  if (invalid) {
    return `Registry name may contain only lowercase letters, digits and "-": "${name}" contains "${invalid[0]}"`;
  }
  if (name.startsWith('-') || name.endsWith('-')) {
    return `Registry name must not start or end with a hyphen: "${name}"`;
  }
  return undefined;
}

/**
 * A zod schema for registry names whose error messages say what is wrong.
 *
 * @public
 */
export const registryNameSchema = z.string().superRefine((name, ctx) => {
  const problem = registryNameProblem(name);
  if (problem) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
  }
});

/**
 * The image server address of a registry, as used in `docker push`.
 *
 * @public
 */
export function registryServerUrl(name: string): string {
  return `registry.digitalocean.com/${name}`;
}
