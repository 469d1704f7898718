import fs from 'node:fs';
import { packagePath } from '../packagePath';

const tlsFile = (name: string) => fs.readFileSync(packagePath('tls', name));

/**
 * The Kubernetes API stand-in serves HTTPS, as a DOKS API server does, with a certificate for
 * 127.0.0.1 and localhost signed by a test CA (`tls/`, valid for a century; the CA's key was
 * discarded once it signed). Clusters' credentials name that CA, so a client verifies the server
 * as it would on DigitalOcean instead of skipping TLS checks.
 */
export function kubernetesTls(): { key: Buffer; cert: Buffer; ca: Buffer } {
  return {
    key: tlsFile('server.key'),
    cert: tlsFile('server.crt'),
    ca: tlsFile('ca.crt'),
  };
}
