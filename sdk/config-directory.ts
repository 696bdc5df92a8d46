/**
 * Where the CLI keeps its sign-in cache and where the SDK looks for the RDS
 * CA bundle by default: the user's configuration directory, the place each
 * platform's users expect per-user settings to live.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * `AURORA_AAD_CONFIG_DIR` when set; otherwise `$XDG_CONFIG_HOME/aurora-aad`
 * (default `~/.config/aurora-aad`) on Linux, `~/Library/Application
 * Support/aurora-aad` on macOS and `%APPDATA%\aurora-aad` on Windows.
 */
function configDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const chosen = env['AURORA_AAD_CONFIG_DIR'];
  if (chosen) return chosen;
  if (process.platform === 'win32') {
    return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'aurora-aad');
  }
  if (process.platform === 'darwin') {
    return join(homedir(), 'Library', 'Application Support', 'aurora-aad');
  }
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'aurora-aad');
}

export { configDirectory };
