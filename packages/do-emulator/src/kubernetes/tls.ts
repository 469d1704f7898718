import fs from 'node:fs';
import path from 'node:path';

const TLS_DIR = path.resolve(__dirname, '../../tls');

/**
 * The Kubernetes API stand-in serves HTTPS, as a DOKS API server does, with a certificate for
 * 127.0.0.1 and localhost signed by a test CA (`tls/`, valid for a century; the CA's key was
 * discarded once it signed). Clusters' credentials name that CA, so a client verifies the server
 * as it would on DigitalOcean instead of skipping TLS checks.
 */
export function kubernetesTls(): { key: Buffer; cert: Buffer; ca: Buffer } {
  return {
    key: fs.readFileSync(path.join(TLS_DIR, 'server.key')),
    cert: fs.readFileSync(path.join(TLS_DIR, 'server.crt')),
    ca: fs.readFileSync(path.join(TLS_DIR, 'ca.crt')),
  };
}
