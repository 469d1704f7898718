import type { createTemplateAction } from '@backstage/plugin-scaffolder-node';

type SchemaOfAction = NonNullable<
  NonNullable<Parameters<typeof createTemplateAction>[0]['schema']>['input']
>;

/**
 * The zod that `createTemplateAction` hands to each schema function (scaffolder-node's own), so
 * an action's schema can be declared apart from the action: `(z: ActionZod) => z.string()`.
 */
export type ActionZod = Parameters<
  Extract<SchemaOfAction, (...args: never[]) => unknown>
>[0];
