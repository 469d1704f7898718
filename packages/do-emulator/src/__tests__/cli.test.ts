import { spawn } from 'node:child_process';
import path from 'node:path';
import { demoSeedPath } from '../demoSeed';

const bin = path.resolve(__dirname, '../../bin/do-emulator');

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const firstLines = new Promise<string[]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
      const lines = out.split('\n');
      if (lines.length > 2) resolve(lines.slice(0, 2));
    });
    child.on('exit', code => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, firstLines };
}

describe('do-emulator command', () => {
  it('starts on free ports with the demo seed and serves the API and the registry host', async () => {
    const { child, firstLines } = run([
      '--port',
      '0',
      '--seed',
      demoSeedPath,
      '--token',
      'tkn',
    ]);
    try {
      const [line, registryLine] = await firstLines;
      expect(line).toMatch(
        /^do-emulator listening on http:\/\/127\.0\.0\.1:\d+$/,
      );
      const registryUrl = registryLine.replace(
        'do-emulator registry host listening on ',
        '',
      );
      expect(registryUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const challenge = await fetch(`${registryUrl}/v2/`);
      expect(challenge.headers.get('www-authenticate')).toBe(
        `Bearer realm="${registryUrl}/v2/token",service="registry.digitalocean.com"`,
      );
      const url = line.replace('do-emulator listening on ', '');
      const res = await fetch(`${url}/v2/registries`, {
        headers: { authorization: 'Bearer tkn' },
      });
      const body = await res.json();
      expect(body.registries.map((r: any) => r.name)).toEqual([
        'acme-dev',
        'acme-prod',
        'acme-staging',
      ]);
      const clusters = await (
        await fetch(`${url}/v2/kubernetes/clusters`, {
          headers: { authorization: 'Bearer tkn' },
        })
      ).json();
      expect(clusters.kubernetes_clusters).toHaveLength(2);
    } finally {
      child.kill('SIGTERM');
    }
  }, 30_000);

  it('refuses a bad option value with a clear message', async () => {
    const child = spawn(process.execPath, [bin, '--port', 'abc'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', chunk => (err += chunk));
    const code = await new Promise(resolve => child.on('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain('--port must be a non-negative integer, got "abc"');
  }, 30_000);
});
