import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { loadOpenApiSpec } from './spec';

describe('DigitalOcean OpenAPI spec', () => {
  it('matches the shared spec, and the committed types are what it generates', () => {
    const script = path.resolve(__dirname, '..', 'scripts', 'generate.js');
    // Fails (exit 1, naming the stale file) when the copy or the generated types drift.
    const output = execFileSync(process.execPath, [script, '--check'], {
      encoding: 'utf8',
    });
    expect(output).toContain('up to date');
  });

  it('mends only the two known gaps, from the spec’s own legacy definitions', () => {
    const published = loadOpenApiSpec() as any;
    const mended = loadOpenApiSpec({ mendKnownGaps: true }) as any;
    const gc = '/v2/registries/{registry_name}/garbage-collection';
    const credentials = '/v2/registries/{registry_name}/docker-credentials';
    expect(published.paths[gc].post.requestBody).toBeUndefined();
    expect(mended.paths[gc].post.requestBody).toEqual(
      published.paths['/v2/registry/{registry_name}/garbage-collection'].post
        .requestBody,
    );
    expect(
      mended.paths[credentials].get.parameters.map((p: any) => p.$ref),
    ).toEqual([
      '#/components/parameters/registry_name',
      '#/components/parameters/registry_expiry_seconds',
      '#/components/parameters/registry_read_write',
    ]);
    delete mended.paths[gc].post.requestBody;
    mended.paths[credentials].get.parameters =
      published.paths[credentials].get.parameters;
    expect(mended).toEqual(published);
  });
});
