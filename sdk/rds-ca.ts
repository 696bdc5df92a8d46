/**
 * The CA bundle that verifies Aurora's TLS certificates. IAM authentication
 * sends the token as a clear-text password, so the connection must be TLS
 * with a verified server; the bundle is AWS's (connection.tls.caBundleUrl)
 * and is read from a file, never fetched at run time.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configDirectory } from './config-directory.js';
import { AuroraAadError } from './errors.js';

/** Where the trusted CAs come from; the first one given wins. */
interface RdsCaOptions {
  /** PEM text (or bytes) of the CA bundle. */
  readonly ca?: string | Buffer;
  /** A PEM file; else `AURORA_AAD_RDS_CA_BUNDLE`, else {@link defaultRdsCaPath}. */
  readonly caPath?: string;
}

/** The global bundle's public address, for error messages and docs. */
const GLOBAL_BUNDLE_URL = 'https://truststore.pki.rds.amazonaws.com/global/global-bundle.pem';

/** `<config directory>/rds-global-bundle.pem`, e.g. ~/.config/aurora-aad/rds-global-bundle.pem. */
function defaultRdsCaPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDirectory(env), 'rds-global-bundle.pem');
}

/** The file the bundle is read from when no PEM is given. */
function rdsCaPath(options: RdsCaOptions = {}, env: NodeJS.ProcessEnv = process.env): string {
  return options.caPath ?? (env['AURORA_AAD_RDS_CA_BUNDLE'] || defaultRdsCaPath(env));
}

/**
 * The PEM text to trust. Throws `rds_ca_missing` with the download command
 * when the file is not there, rather than connecting without verification.
 */
async function loadRdsCa(options: RdsCaOptions = {}, bundleUrl = GLOBAL_BUNDLE_URL):
  Promise<string> {
  if (options.ca !== undefined) return options.ca.toString();
  const path = rdsCaPath(options);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new AuroraAadError(
      'rds_ca_missing',
      `The RDS CA bundle is not at ${path}. Download it once with ` +
        `\`curl -o '${path}' ${bundleUrl}\`, or set AURORA_AAD_RDS_CA_BUNDLE or the ` +
        'caPath option.',
      { cause: error },
    );
  }
}

export { defaultRdsCaPath, GLOBAL_BUNDLE_URL, loadRdsCa, rdsCaPath };
export type { RdsCaOptions };
