import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import {
  LoggerService,
  SchedulerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { DoEmulator } from '@backstage-docr/do-emulator';
import { startDemoCatalog } from '../__testUtils__/demoCatalog';
import { TestBackend, eventually } from '../__testUtils__/harness';

const TASK = 'digitalocean-provider:default:refresh';

/** Every plugin's log, as { level, message }. */
function recordingLogger() {
  const lines: Array<{ level: string; message: string }> = [];
  const logger = (): LoggerService => ({
    error: message => void lines.push({ level: 'error', message }),
    warn: message => void lines.push({ level: 'warn', message }),
    info: message => void lines.push({ level: 'info', message }),
    debug: message => void lines.push({ level: 'debug', message }),
    child: () => logger(),
  });
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.logger,
      deps: {},
      factory: logger,
    }),
  };
}

/**
 * A user registers `resource:default/docr-acme-prod`, owned by their group, before the provider
 * emits the real registry's entity: the catalog keeps the registered one (it holds the ref), and
 * the provider says so in the log at every refresh.
 */
describe('a registry entity registered from a location before the provider emits it', () => {
  let emulator: DoEmulator;
  let backend: TestBackend;
  let scheduler: SchedulerService;
  const log = recordingLogger();
  let lookAlike: string;

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'docr-shadow-'));
    lookAlike = path.join(dir, 'look-alike.yaml');
    fs.writeFileSync(
      lookAlike,
      `apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: docr-acme-prod
  annotations: { digitalocean.com/registry-name: acme-prod }
spec: { type: container-registry, owner: group:default/team-a }
`,
    );
    ({ emulator, backend, scheduler } = await startDemoCatalog({
      locations: [lookAlike],
      features: [log.factory],
    }));
  }, 60_000);

  afterAll(async () => {
    await backend?.stop();
    await emulator?.stop();
  });

  const getEntity = (name: string) =>
    request(backend.server)
      .get(`/api/catalog/entities/by-name/resource/default/${name}`)
      .set('authorization', mockCredentials.service.header());

  it('is kept by the catalog, and the provider warns that the registry’s entity is not its own', async () => {
    await eventually(
      () => getEntity('docr-acme-prod'),
      res => expect(res.status).toBe(200),
      30_000,
    );
    await scheduler.triggerTask(TASK);
    // The provider's other entities are in; the registered look-alike still holds acme-prod's ref.
    await eventually(
      () => getEntity('docr-acme-dev'),
      res => expect(res.status).toBe(200),
      30_000,
    );
    const held = await getEntity('docr-acme-prod');
    expect(held.body.spec.owner).toBe('group:default/team-a');
    expect(
      held.body.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(`file:${lookAlike}`);

    const warnings = log.lines
      .filter(line => line.level === 'warn')
      .map(line => line.message);
    expect(warnings).toContainEqual(
      expect.stringContaining(
        `resource:default/docr-acme-prod is held by an entity registered from file:${lookAlike}, not by digitalocean-provider:default`,
      ),
    );
    // Only the shadowed ref is named.
    expect(
      warnings.filter(w => w.includes('is held by an entity registered from')),
    ).toHaveLength(1);
  }, 90_000);
});
