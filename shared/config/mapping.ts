import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import type { Document } from 'yaml';
import { mappingSchema } from './mapping-schema.js';
import type { Mapping } from './mapping-schema.js';

/**
 * A problem in the mapping file. The message names the file, the line and
 * the setting, so a bad deploy or start points straight at the fix.
 */
class MappingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

/** Reads, parses and validates the mapping file at `path`. */
function loadMapping(path: string): Mapping {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new MappingError(
      `Cannot read the mapping file ${path} (MAPPING_FILE): ` +
        `${(error as Error).message}`,
    );
  }
  return parseMapping(text, path);
}

/** Parses and validates mapping YAML; `source` names it in errors. */
function parseMapping(text: string, source = 'mapping'): Mapping {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length > 0) {
    const first = document.errors[0]!;
    const { line } = lines.linePos(first.pos[0]);
    throw new MappingError(
      `${source}:${line}: not valid YAML: ${first.message.split('\n')[0]}`,
    );
  }

  const parsed = mappingSchema.safeParse(document.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const path = issue.path.map(String);
      return `${source}:${lineOf(document, lines, path)}: ` +
        `${path.join('.') || '(top level)'} ${issue.message}`;
    });
    throw new MappingError(problems.join('\n'));
  }

  checkReferences(parsed.data, (path) => lineOf(document, lines, path), source);
  return parsed.data;
}

// Cross-field rules the schema cannot state: grants name known targets and
// rule ids are unique, so audit events name one rule unambiguously.
function checkReferences(
  mapping: Mapping,
  lineAt: (path: string[]) => number,
  source: string,
): void {
  const seen = new Set<string>();
  const problems: string[] = [];
  mapping.rules.forEach((rule, index) => {
    const at = ['rules', String(index)];
    if (seen.has(rule.id)) {
      problems.push(`${source}:${lineAt([...at, 'id'])}: rules.${index}.id ` +
        `"${rule.id}" is used by an earlier rule; rule ids must be unique`);
    }
    seen.add(rule.id);
    if (!Object.hasOwn(mapping.targets, rule.grant.target)) {
      problems.push(`${source}:${lineAt([...at, 'grant', 'target'])}: ` +
        `rules.${index}.grant.target "${rule.grant.target}" is not one of ` +
        `targets (${Object.keys(mapping.targets).join(', ') || 'none'})`);
    }
  });
  if (problems.length > 0) throw new MappingError(problems.join('\n'));
}

function lineOf(document: Document, lines: LineCounter, path: string[]) {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node = document.getIn(path.slice(0, depth), true) as
      | { range?: [number, number, number] }
      | undefined;
    if (node?.range) return lines.linePos(node.range[0]).line;
  }
  return 1;
}

export { loadMapping, parseMapping, MappingError };
