import { spawn } from 'node:child_process';
import path from 'node:path';
import { demoSeedPath } from '../demoSeed';

const bin = path.resolve(__dirname, '../../bin/do-emulator');

function run(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const firstLine = new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', chunk => {
      out += chunk;
      if (out.includes('\n')) resolve(out.split('\n')[0]);
    });
    child.on('exit', code => reject(new Error(`exited ${code}: ${out}`)));
  });
  return { child, firstLine };
}

describe('do-emulator command', () => {
  it('starts on a free port with the demo seed and serves the API', async () => {
    const { child, firstLine } = run([
      '--port',
      '0',
      '--seed',
      demoSeedPath,
      '--token',
      'tkn',
    ]);
    try {
      const line = await firstLine;
      expect(line).toMatch(
        /^do-emulator listening on http:\/\/127\.0\.0\.1:\d+$/,
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
