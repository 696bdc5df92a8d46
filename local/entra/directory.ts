/**
 * The development directory the Entra stand-in serves: tenants, groups, users,
 * the public client engineers sign in through, app principals and the API's
 * own registration. Read from `directory.yaml` and checked once, at start, so
 * a typo fails loudly with the line that holds it instead of minting a token
 * that quietly lacks a claim.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';

const DEFAULT_DIRECTORY_PATH = fileURLToPath(new URL('./directory.yaml', import.meta.url));

const nameSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, {
  message: 'use lower-case letters, digits, ".", "_" or "-"',
});

const fileSchema = z.strictObject({
  api: z.strictObject({
    clientId: z.guid(),
    appIdUri: z.string().min(1),
    scope: z.string().min(1),
    appRole: z.string().min(1),
    accessTokenVersion: z.union([z.literal(1), z.literal(2)]).default(2),
  }),
  tenants: z
    .array(z.strictObject({ id: z.guid(), name: nameSchema, domain: z.string().min(3) }))
    .min(1),
  groups: z.array(z.strictObject({ id: z.guid(), name: nameSchema })).default([]),
  clients: z.array(z.strictObject({ id: z.guid(), name: nameSchema })).min(1),
  users: z
    .array(
      z.strictObject({
        name: nameSchema,
        tenant: nameSchema,
        oid: z.guid(),
        upn: z.string().includes('@'),
        displayName: z.string().min(1),
        groups: z.array(nameSchema).default([]),
        guest: z.boolean().default(false),
        homeTenant: nameSchema.optional(),
        overage: z.boolean().default(false),
      }),
    )
    .default([]),
  apps: z
    .array(
      z.strictObject({
        name: nameSchema,
        tenant: nameSchema,
        appId: z.guid(),
        oid: z.guid(),
        secret: z.string().min(8),
        appRoles: z.array(z.string().min(1)).default([]),
      }),
    )
    .default([]),
});

type DirectoryFile = z.infer<typeof fileSchema>;

/** A tenant; `id` is what tokens carry in `tid` and what URL paths name. */
interface Tenant {
  readonly id: string;
  readonly name: string;
  readonly domain: string;
}

/** The API's registration: the audiences, scope and app role tokens target. */
interface ApiRegistration {
  readonly clientId: string;
  readonly appIdUri: string;
  readonly scope: string;
  readonly appRole: string;
  /** Entra's accessTokenAcceptedVersion: what the token endpoint issues. */
  readonly accessTokenVersion: 1 | 2;
}

/** A person; group names are already resolved to the object ids tokens carry. */
interface User {
  readonly kind: 'user';
  readonly name: string;
  readonly tenant: Tenant;
  readonly oid: string;
  readonly upn: string;
  readonly displayName: string;
  readonly groupIds: readonly string[];
  /** Set for guests: the tenant that vouches for the person (the `idp`). */
  readonly homeTenant: Tenant | undefined;
  /** Too many groups for a token: tokens carry the overage marker instead. */
  readonly overage: boolean;
}

/** A service principal that calls the API with app-only tokens. */
interface App {
  readonly kind: 'app';
  readonly name: string;
  readonly tenant: Tenant;
  readonly appId: string;
  readonly oid: string;
  readonly secret: string;
  readonly appRoles: readonly string[];
}

/** A public client (the CLI) that delegated tokens name in `appid`/`azp`. */
interface Client {
  readonly id: string;
  readonly name: string;
}

/** The whole directory, cross-references resolved. */
interface Directory {
  readonly api: ApiRegistration;
  readonly tenants: readonly Tenant[];
  /** The client delegated tokens are issued to: the first of `clients`. */
  readonly cliClient: Client;
  readonly users: readonly User[];
  readonly apps: readonly App[];
}

/** A directory file that does not parse or does not hold together. */
class DirectoryError extends Error {
  override readonly name = 'DirectoryError';
  readonly code = 'invalid_directory';
}

/**
 * Reads and checks a directory file; the default is the checked-in
 * `directory.yaml` beside this module.
 */
async function loadDirectory(path: string = DEFAULT_DIRECTORY_PATH): Promise<Directory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new DirectoryError(`Cannot read the Entra stand-in directory ${path}.`, { cause });
  }
  return parseDirectory(text, path);
}

/**
 * Checks directory YAML and resolves its names. Errors name the source and
 * line, e.g. `directory.yaml:31: users.1.groups.0: no group named "x"`.
 */
function parseDirectory(text: string, source = 'directory.yaml'): Directory {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  const [yamlError] = doc.errors;
  if (yamlError !== undefined) {
    throw new DirectoryError(`${source}: ${yamlError.message}`);
  }

  const parsed = fileSchema.safeParse(doc.toJS());
  const issue = parsed.success ? findReferenceIssue(parsed.data) : parsed.error.issues[0];
  if (issue !== undefined || !parsed.success) {
    const path = (issue?.path ?? []).map((key) => (typeof key === 'number' ? key : String(key)));
    const line = lineOf(doc, lineCounter, path);
    const where = line === undefined ? source : `${source}:${line}`;
    throw new DirectoryError(`${where}: ${path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return resolve(parsed.data);
}

interface ReferenceIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

function findReferenceIssue(file: DirectoryFile): ReferenceIssue | undefined {
  const tenants = new Set(file.tenants.map((tenant) => tenant.name));
  const groups = new Set(file.groups.map((group) => group.name));
  const principals = new Set<string>();
  const checks: (ReferenceIssue | undefined)[] = [];

  file.users.forEach((user, index) => {
    checks.push(unknownName(tenants, user.tenant, 'tenant', ['users', index, 'tenant']));
    user.groups.forEach((group, at) => {
      checks.push(unknownName(groups, group, 'group', ['users', index, 'groups', at]));
    });
    if (user.guest && user.homeTenant === undefined) {
      checks.push({ path: ['users', index], message: 'a guest needs homeTenant (the idp)' });
    } else if (user.homeTenant !== undefined) {
      const path = ['users', index, 'homeTenant'];
      checks.push(unknownName(tenants, user.homeTenant, 'tenant', path));
    }
    checks.push(duplicate(principals, user.name, ['users', index, 'name']));
  });
  file.apps.forEach((app, index) => {
    checks.push(unknownName(tenants, app.tenant, 'tenant', ['apps', index, 'tenant']));
    checks.push(duplicate(principals, app.name, ['apps', index, 'name']));
  });
  return checks.find((check) => check !== undefined);
}

function unknownName(
  known: ReadonlySet<string>,
  name: string,
  what: string,
  path: (string | number)[],
): ReferenceIssue | undefined {
  if (known.has(name)) return undefined;
  return { path, message: `no ${what} named "${name}" (known: ${[...known].join(', ')})` };
}

function duplicate(
  seen: Set<string>,
  name: string,
  path: (string | number)[],
): ReferenceIssue | undefined {
  if (!seen.has(name)) {
    seen.add(name);
    return undefined;
  }
  return { path, message: `"${name}" is already a user or app name; names must be unique` };
}

function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
  path: (string | number)[],
): number | undefined {
  for (let length = path.length; length >= 0; length -= 1) {
    const node = length === 0 ? doc.contents : doc.getIn(path.slice(0, length), true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

function resolve(file: DirectoryFile): Directory {
  const tenantNamed = (name: string): Tenant => {
    const tenant = file.tenants.find((candidate) => candidate.name === name);
    if (tenant === undefined) throw new DirectoryError(`No tenant named "${name}".`);
    return tenant;
  };
  const groupIds = new Map(file.groups.map((group) => [group.name, group.id]));
  const [cliClient] = file.clients;
  if (cliClient === undefined) throw new DirectoryError('The directory lists no client.');

  return {
    api: file.api,
    tenants: file.tenants,
    cliClient,
    users: file.users.map((user) => ({
      kind: 'user' as const,
      name: user.name,
      tenant: tenantNamed(user.tenant),
      oid: user.oid,
      upn: user.upn,
      displayName: user.displayName,
      groupIds: user.groups.map((group) => groupIds.get(group) ?? group),
      homeTenant: user.homeTenant === undefined ? undefined : tenantNamed(user.homeTenant),
      overage: user.overage,
    })),
    apps: file.apps.map((app) => ({
      kind: 'app' as const,
      name: app.name,
      tenant: tenantNamed(app.tenant),
      appId: app.appId,
      oid: app.oid,
      secret: app.secret,
      appRoles: app.appRoles,
    })),
  };
}

/**
 * The tenant a URL path segment names: its GUID (any case) or its domain, as
 * Entra accepts both; `undefined` when the directory has no such tenant.
 */
function findTenant(directory: Directory, segment: string): Tenant | undefined {
  const wanted = segment.toLowerCase();
  return directory.tenants.find(
    (tenant) => tenant.id.toLowerCase() === wanted || tenant.domain.toLowerCase() === wanted,
  );
}

/** A tenant by its directory name, for tests and tools that speak in names. */
function tenantByName(directory: Directory, name: string): Tenant | undefined {
  return directory.tenants.find((tenant) => tenant.name === name);
}

/** The user or app a developer names, or `undefined`. */
function findPrincipal(directory: Directory, name: string): User | App | undefined {
  return (
    directory.users.find((user) => user.name === name) ??
    directory.apps.find((app) => app.name === name)
  );
}

export {
  DEFAULT_DIRECTORY_PATH,
  DirectoryError,
  findPrincipal,
  findTenant,
  loadDirectory,
  parseDirectory,
  tenantByName,
};
export type { ApiRegistration, App, Client, Directory, Tenant, User };
