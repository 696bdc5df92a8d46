import type { TrustPolicy, TrustStatement } from './account.js';

/**
 * The request context a trust policy is judged against: condition key to its
 * values. Keys are stored lower-case because IAM matches condition key names
 * case-insensitively; an absent key is simply not in the map.
 */
type RequestContext = ReadonlyMap<string, readonly string[]>;

/** What IAM concludes for one action: an Allow, an explicit Deny, or no Allow at all. */
type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** The principal and action being authorised, plus the context for conditions. */
interface AuthorizationRequest {
  readonly federatedPrincipal: string;
  readonly action: string;
  readonly context: RequestContext;
}

/**
 * Evaluates a role trust policy the way IAM does: a matching Deny wins over
 * any Allow, and without a matching Allow the answer is an implicit deny.
 */
function evaluateTrustPolicy(policy: TrustPolicy, request: AuthorizationRequest): Decision {
  let allowed = false;
  for (const statement of policy.Statement) {
    if (!statementApplies(statement, request)) continue;
    if (statement.Effect === 'Deny') return 'explicit-deny';
    allowed = true;
  }
  return allowed ? 'allow' : 'implicit-deny';
}

function statementApplies(statement: TrustStatement, request: AuthorizationRequest): boolean {
  return (
    principalMatches(statement.Principal, request.federatedPrincipal) &&
    list(statement.Action).some((pattern) => actionMatches(pattern, request.action)) &&
    conditionsHold(statement.Condition ?? {}, request.context)
  );
}

function principalMatches(principal: TrustStatement['Principal'], federated: string): boolean {
  // "*" and {"AWS": "*"} both mean everyone, web identity users included.
  if (principal === '*' || list(principal.AWS ?? []).includes('*')) return true;
  // Federated principals are compared exactly: IAM allows no wildcards there.
  return list(principal.Federated ?? []).includes(federated);
}

function actionMatches(pattern: string, action: string): boolean {
  // Action names are case-insensitive in IAM, and may carry * and ? wildcards.
  return wildcardMatches(action.toLowerCase(), pattern.toLowerCase());
}

/**
 * Every operator in the block must hold, and every key under an operator must
 * hold (both AND); the values listed for one key are alternatives.
 */
function conditionsHold(
  block: Record<string, Record<string, string | string[]>>,
  context: RequestContext,
): boolean {
  return Object.entries(block).every(([operator, keys]) =>
    Object.entries(keys).every(([key, expected]) =>
      conditionHolds(operator, context.get(key.toLowerCase()), list(expected)),
    ),
  );
}

function conditionHolds(
  operator: string,
  actual: readonly string[] | undefined,
  expected: readonly string[],
): boolean {
  if (operator === 'Null') {
    // Null: "true" asks for the key to be absent, "false" for it to be present.
    const absent = actual === undefined || actual.length === 0;
    return expected.some((value) => (value.toLowerCase() === 'true') === absent);
  }

  const parsed = parseOperator(operator);
  const present = actual !== undefined && actual.length > 0;

  if (!present) {
    if (parsed.ifExists) return true;
    if (parsed.set === 'ForAllValues') return true;
    if (parsed.set === 'ForAnyValue') return false;
    // A missing key matches nothing, so only a negated operator holds.
    return parsed.negated;
  }

  const matchesAny = (value: string) =>
    expected.some((pattern) => parsed.compare(value, pattern));

  if (parsed.set === 'ForAllValues') {
    return actual.every((value) => (parsed.negated ? !matchesAny(value) : matchesAny(value)));
  }
  if (parsed.set === 'ForAnyValue') {
    return actual.some((value) => (parsed.negated ? !matchesAny(value) : matchesAny(value)));
  }
  // A plain operator over several request values holds when any value matches;
  // its negated form therefore holds only when no value matches (NOR).
  const anyMatch = actual.some(matchesAny);
  return parsed.negated ? !anyMatch : anyMatch;
}

const STRING_OPERATOR =
  /^(?:(ForAnyValue|ForAllValues):)?String(Not)?(Equals|EqualsIgnoreCase|Like)(IfExists)?$/;

interface ParsedOperator {
  readonly set: 'ForAnyValue' | 'ForAllValues' | undefined;
  readonly negated: boolean;
  readonly ifExists: boolean;
  readonly compare: (value: string, pattern: string) => boolean;
}

function parseOperator(operator: string): ParsedOperator {
  const match = STRING_OPERATOR.exec(operator);
  if (!match) {
    // The account schema admits only the operators above; reaching this is a bug.
    throw new Error(`Unsupported condition operator ${operator}`);
  }
  const [, set, not, kind, ifExists] = match;
  const compare =
    kind === 'Like'
      ? wildcardMatches
      : kind === 'EqualsIgnoreCase'
        ? (value: string, pattern: string) => value.toLowerCase() === pattern.toLowerCase()
        : (value: string, pattern: string) => value === pattern;
  return {
    set: set as ParsedOperator['set'],
    negated: not !== undefined,
    ifExists: ifExists !== undefined,
    compare,
  };
}

/** `*` matches any run of characters and `?` exactly one, case-sensitively. */
function wildcardMatches(value: string, pattern: string): boolean {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : escapeRegExp(char)))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

function escapeRegExp(char: string): string {
  return /[\\^$.*+?()[\]{}|/-]/.test(char) ? `\\${char}` : char;
}

function list<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? value : [value as T];
}

export { evaluateTrustPolicy, wildcardMatches };
export type { AuthorizationRequest, Decision, RequestContext };
