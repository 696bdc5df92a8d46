import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a fresh RSA-2048 private key as PEM and returns its path. */
function brokerKeyFile(): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const path = join(mkdtempSync(join(tmpdir(), 'aurora-aad-key-')), 'broker.pem');
  writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }),
    { mode: 0o600 });
  return path;
}

export { brokerKeyFile };
