import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The string operators the stand-in evaluates, without set prefix or IfExists suffix. */
const STRING_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
] as const;

const OPERATOR_PATTERN = new RegExp(
  `^(?:(?:ForAnyValue|ForAllValues):)?(?:${STRING_OPERATORS.join('|')})(?:IfExists)?$|^Null$`,
);

const stringOrList = z.union([z.string(), z.array(z.string()).min(1)]);

// The stand-in does not expand policy variables; refusing them at load keeps a
// policy that relies on one from silently matching nothing.
const conditionString = z.union([z.string(), z.boolean().transform(String)]).refine(
  (value) => !value.includes('${'),
  { message: 'policy variables (${...}) are not supported by the STS stand-in' },
);

const conditionValue = z.union([conditionString, z.array(conditionString).min(1)]);

const conditionBlock = z
  .record(z.string(), z.record(z.string().min(1), conditionValue))
  .superRefine((block, context) => {
    for (const operator of Object.keys(block)) {
      if (OPERATOR_PATTERN.test(operator)) continue;
      context.addIssue({
        code: 'custom',
        path: [operator],
        message:
          'unsupported condition operator; use String(Not)Equals(IgnoreCase) or ' +
          'String(Not)Like, optionally with ForAnyValue:/ForAllValues: and IfExists, or Null',
      });
    }
  });

const principal = z.union([
  z.literal('*'),
  z.strictObject({
    Federated: stringOrList.optional(),
    AWS: stringOrList.optional(),
    Service: stringOrList.optional(),
  }),
]);

const statement = z.strictObject({
  Sid: z.string().optional(),
  Effect: z.enum(['Allow', 'Deny']),
  Principal: principal,
  Action: stringOrList,
  Condition: conditionBlock.optional(),
});

const trustPolicy = z.strictObject({
  Version: z.literal('2012-10-17'),
  // IAM accepts one statement or a list; wrapping first keeps error paths precise.
  Statement: z.preprocess(
    (value) => (Array.isArray(value) ? value : [value]),
    z.array(statement).min(1),
  ),
});

const provider = z.strictObject({
  // IAM takes https issuers only; the stand-in also takes http on the
  // loopback, where the local stack serves the broker's own issuer.
  url: z
    .url({ message: 'must be an https:// issuer URL' })
    .refine((value) => /^https:\/\/|^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(value), {
      message: 'must be an https:// issuer URL (http only on the loopback)',
    })
    .refine((value) => !value.includes('?') && !value.includes('#'), {
      message: 'must not carry a query or fragment',
    }),
  clientIds: z.array(z.string().min(1).max(255)).min(1).max(100),
  jwksUri: z.url({ protocol: /^https?$/, message: 'must be an http(s):// URL' }),
});

const role = z.strictObject({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, {
    message: 'must be 1-64 characters of letters, digits and _+=,.@-',
  }),
  path: z
    .string()
    .regex(/^\/(?:[\x21-\x7e]*\/)?$/, { message: 'must start and end with "/"' })
    .default('/'),
  maxSessionDuration: z.number().int().min(3600).max(43200).default(3600),
  trustPolicy,
});

const accountFile = z.strictObject({
  account: z.string().regex(/^\d{12}$/, { message: 'must be a 12-digit account id' }),
  oidcProviders: z.array(provider),
  roles: z.array(role),
});

/** A statement of a role's trust policy, normalised so Statement is always a list. */
type TrustStatement = z.infer<typeof statement>;

/** A role trust policy in IAM's JSON shape. */
type TrustPolicy = z.infer<typeof trustPolicy>;

/**
 * An IAM OpenID Connect provider as registered in the account. `key` is the
 * URL without `https://`: IAM names the provider ARN and the condition keys
 * after it, so it is computed once here.
 */
interface OidcProvider {
  readonly url: string;
  readonly key: string;
  readonly arn: string;
  readonly clientIds: readonly string[];
  readonly jwksUri: string;
}

/** An IAM role the stand-in can hand out sessions for. */
interface Role {
  readonly name: string;
  readonly path: string;
  readonly arn: string;
  readonly maxSessionDuration: number;
  readonly trustPolicy: TrustPolicy;
}

/** The AWS account the STS stand-in plays: its OIDC providers and roles. */
interface Account {
  readonly id: string;
  readonly oidcProviders: readonly OidcProvider[];
  readonly roles: readonly Role[];
}

/** Values substituted into the account file; `{entra}` is the Entra stand-in's base URL. */
interface AccountVars {
  entra?: string;
}

/** Raised when the account file cannot be read or does not validate; names the setting. */
class AccountFileError extends Error {
  override readonly name = 'AccountFileError';
}

const DEFAULT_ACCOUNT_FILE = fileURLToPath(new URL('./aws.yaml', import.meta.url));

/**
 * Reads and validates the account file (by default the checked-in `aws.yaml`
 * beside this module), so a wrong setting stops the stand-in at start rather
 * than surfacing as a puzzling refusal later.
 */
function loadAccount(path: string = DEFAULT_ACCOUNT_FILE, vars: AccountVars = {}): Account {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new AccountFileError(`Cannot read the STS account file ${path}.`, { cause });
  }
  return parseAccount(text, vars, path);
}

/**
 * Validates account YAML already in memory; tests use it to describe their own
 * roles without writing files.
 */
function parseAccount(text: string, vars: AccountVars = {}, origin = 'account YAML'): Account {
  const substituted = substitute(text, vars, origin);

  let document: unknown;
  try {
    document = parseYaml(substituted, { prettyErrors: true });
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    throw new AccountFileError(`${origin} is not valid YAML: ${detail}`, { cause });
  }

  const parsed = accountFile.safeParse(document);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`,
    );
    throw new AccountFileError(`${origin} has invalid settings: ${problems.join('; ')}`);
  }

  return toAccount(parsed.data, origin);
}

function substitute(text: string, vars: AccountVars, origin: string): string {
  if (!text.includes('{entra}')) return text;
  if (vars.entra === undefined) {
    throw new AccountFileError(
      `${origin} uses {entra} in a jwksUri; pass the Entra stand-in's base URL ` +
        '(loadAccount(path, { entra }) or --entra URL).',
    );
  }
  return text.replaceAll('{entra}', vars.entra.replace(/\/+$/, ''));
}

function toAccount(data: z.infer<typeof accountFile>, origin: string): Account {
  const oidcProviders = data.oidcProviders.map((entry) => {
    const key = entry.url.replace(/^https?:\/\//, '');
    return {
      url: entry.url,
      key,
      arn: `arn:aws:iam::${data.account}:oidc-provider/${key}`,
      clientIds: entry.clientIds,
      jwksUri: entry.jwksUri,
    };
  });
  assertUnique(oidcProviders.map((entry) => entry.url), 'oidcProviders.url', origin);

  const roles = data.roles.map((entry) => ({
    name: entry.name,
    path: entry.path,
    arn: `arn:aws:iam::${data.account}:role${entry.path}${entry.name}`,
    maxSessionDuration: entry.maxSessionDuration,
    trustPolicy: entry.trustPolicy,
  }));
  // IAM role names are unique within an account regardless of path and case.
  assertUnique(roles.map((entry) => entry.name.toLowerCase()), 'roles.name', origin);

  return { id: data.account, oidcProviders, roles };
}

function assertUnique(values: string[], setting: string, origin: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) {
      throw new AccountFileError(`${origin} has invalid settings: ${setting}: "${value}" repeats`);
    }
    seen.add(value);
  }
}

export {
  AccountFileError,
  DEFAULT_ACCOUNT_FILE,
  STRING_OPERATORS,
  loadAccount,
  parseAccount,
};
export type { Account, AccountVars, OidcProvider, Role, TrustPolicy, TrustStatement };
