import { existsSync } from 'node:fs';

/**
 * The real peers the conformance tests compare against are Debian's
 * packages, at fixed paths so that no other installation is picked up by
 * accident. A missing peer fails the test with the command that installs it.
 */
const debianPython = '/usr/bin/python3';
const debianAwsCli = '/usr/bin/aws';

function requirePeer(path: string, aptPackage: string): string {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install Debian's ${aptPackage} ` +
        `(apt-get install -y ${aptPackage}).`,
    );
  }
  return path;
}

export { debianAwsCli, debianPython, requirePeer };
