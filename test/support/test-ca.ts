/**
 * A throwaway certificate authority and a server certificate it signed, made
 * with the openssl command for each test run: the tests verify TLS the way
 * production does (a CA bundle, full name checks) without AWS's bundle.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM texts, and the CA's file for clients that want a path (PGSSLROOTCERT). */
interface TestCertificates {
  readonly caPem: string;
  readonly caPath: string;
  readonly keyPem: string;
  readonly certPem: string;
}

function openssl(directory: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: directory, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * A CA and a server certificate valid for `names` (DNS names) and
 * 127.0.0.1. Needs the openssl command (.ci/run installs it).
 */
function makeTestCertificates(names: readonly string[]): TestCertificates {
  const directory = mkdtempSync(join(tmpdir(), 'aurora-aad-ca-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(directory, ['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem',
    '-days', '2', '-subj', '/CN=aurora-aad test CA']);
  openssl(directory, ['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', `/CN=${names[0] ?? 'localhost'}`]);
  const alternatives = [...names.map((name) => `DNS:${name}`), 'IP:127.0.0.1'].join(',');
  writeFileSync(join(directory, 'server.ext'), `subjectAltName=${alternatives}\n`);
  openssl(directory, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);

  const read = (file: string) => readFileSync(join(directory, file), 'utf8');
  return {
    caPem: read('ca.pem'),
    caPath: join(directory, 'ca.pem'),
    keyPem: read('server.key'),
    certPem: read('server.pem'),
  };
}

export { makeTestCertificates };
export type { TestCertificates };
