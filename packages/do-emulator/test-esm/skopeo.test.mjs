// A standard OCI client, skopeo, pushes a multi-arch image to the emulator's registry host and
// copies it back, digests unchanged. Skipped (with the reason) when skopeo is not installed: the
// suite must not need it. The emulator runs as its own command, as a user would start it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = path.resolve(here, '../bin/do-emulator');
const seed = path.resolve(here, '../seeds/demo.yaml');
const TOKEN = 'skopeo-test-token';
const hasSkopeo = spawnSync('skopeo', ['--version']).status === 0;
const skip = hasSkopeo
  ? false
  : 'skopeo is not on PATH (apt-get install skopeo to run this test)';

let emulator;
let apiUrl;
let registryHost;
let workDir;

const sha256 = bytes => createHash('sha256').update(bytes).digest('hex');

/** Writes a blob into an OCI layout and returns its descriptor. */
function writeBlob(layout, mediaType, bytes) {
  const hex = sha256(bytes);
  fs.writeFileSync(path.join(layout, 'blobs/sha256', hex), bytes);
  return { mediaType, digest: `sha256:${hex}`, size: bytes.length };
}

/** One file in a tar archive (header, content, padding, end of archive), gzipped. */
function tarGz(name, content) {
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${content.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write('00000000000\0', 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const padding = Buffer.alloc((512 - (content.length % 512)) % 512);
  return gzipSync(
    Buffer.concat([header, content, padding, Buffer.alloc(1024)]),
  );
}

/** An OCI image layout holding a linux/amd64 + linux/arm64 index tagged `1.0`. */
function writeMultiArchLayout(layout) {
  fs.mkdirSync(path.join(layout, 'blobs/sha256'), { recursive: true });
  fs.writeFileSync(
    path.join(layout, 'oci-layout'),
    JSON.stringify({ imageLayoutVersion: '1.0.0' }),
  );
  const platforms = ['amd64', 'arm64'].map(architecture => {
    const layer = writeBlob(
      layout,
      'application/vnd.oci.image.layer.v1.tar+gzip',
      tarGz('hello.txt', Buffer.from(`hello from ${architecture}\n`)),
    );
    const config = writeBlob(
      layout,
      'application/vnd.oci.image.config.v1+json',
      Buffer.from(
        JSON.stringify({
          architecture,
          os: 'linux',
          rootfs: { type: 'layers', diff_ids: [layer.digest] },
        }),
      ),
    );
    const manifest = writeBlob(
      layout,
      'application/vnd.oci.image.manifest.v1+json',
      Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          config,
          layers: [layer],
        }),
      ),
    );
    return { ...manifest, platform: { architecture, os: 'linux' } };
  });
  const index = writeBlob(
    layout,
    'application/vnd.oci.image.index.v1+json',
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: platforms,
      }),
    ),
  );
  fs.writeFileSync(
    path.join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [
        {
          ...index,
          annotations: { 'org.opencontainers.image.ref.name': '1.0' },
        },
      ],
    }),
  );
  return { index, platforms };
}

function skopeo(args) {
  const result = spawnSync('skopeo', args, { encoding: 'utf8' });
  assert.equal(result.status, 0, `skopeo ${args[0]} failed: ${result.stderr}`);
  return result.stdout;
}

async function readDockerCredentials(readWrite) {
  const res = await fetch(
    `${apiUrl}/v2/registries/acme-dev/docker-credentials?read_write=${readWrite}`,
    { headers: { authorization: `Bearer ${TOKEN}` } },
  );
  const { auths } = await res.json();
  return Buffer.from(
    auths['registry.digitalocean.com'].auth,
    'base64',
  ).toString();
}

before(async () => {
  if (skip) return;
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'do-emulator-skopeo-'));
  emulator = spawn(
    process.execPath,
    [bin, '--port', '0', '--seed', seed, '--token', TOKEN],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  [apiUrl, registryHost] = await new Promise((resolve, reject) => {
    let out = '';
    emulator.stdout.on('data', chunk => {
      out += chunk;
      const api = out.match(/do-emulator listening on (\S+)/);
      const registry = out.match(/registry host listening on http:\/\/(\S+)/);
      if (api && registry) resolve([api[1], registry[1]]);
    });
    emulator.on('exit', code =>
      reject(new Error(`emulator exited with ${code}`)),
    );
  });
});

after(() => {
  emulator?.kill('SIGTERM');
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test(
  'skopeo pushes a multi-arch OCI image with read-write credentials and copies it back with read-only ones, digests unchanged',
  { skip },
  async () => {
    const source = path.join(workDir, 'source');
    const { index, platforms } = writeMultiArchLayout(source);
    const destination = `docker://${registryHost}/acme-dev/skopeo-multi:1.0`;
    skopeo([
      'copy',
      '--all',
      '--preserve-digests',
      '--dest-creds',
      await readDockerCredentials(true),
      '--dest-tls-verify=false',
      `oci:${source}:1.0`,
      destination,
    ]);
    const readOnly = await readDockerCredentials(false);
    const raw = skopeo([
      'inspect',
      '--raw',
      '--creds',
      readOnly,
      '--tls-verify=false',
      destination,
    ]);
    assert.equal(`sha256:${sha256(Buffer.from(raw))}`, index.digest);

    const copy = path.join(workDir, 'copy');
    skopeo([
      'copy',
      '--all',
      '--preserve-digests',
      '--src-creds',
      readOnly,
      '--src-tls-verify=false',
      destination,
      `oci:${copy}:1.0`,
    ]);
    const copied = JSON.parse(
      fs.readFileSync(path.join(copy, 'index.json'), 'utf8'),
    );
    assert.equal(copied.manifests[0].digest, index.digest);
    for (const file of fs.readdirSync(path.join(source, 'blobs/sha256'))) {
      assert.ok(
        fs.existsSync(path.join(copy, 'blobs/sha256', file)),
        `blob ${file} copied back`,
      );
    }
    assert.equal(platforms.length, 2);
  },
);
