import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditFieldNames } from '../../shared/audit/audit-fields.js';

const queryDirectory = 'ops/queries';
const queryFiles = readdirSync(queryDirectory)
  .filter((file) => file.endsWith('.logsinsights')).sort();

// The Logs Insights words that are not field names.
const keywords = new Set(['fields', 'filter', 'stats', 'sort', 'limit',
  'display', 'dedup', 'by', 'as', 'in', 'like', 'and', 'or', 'not', 'asc',
  'desc']);

/**
 * The audit fields a query reads: every identifier that is not a keyword,
 * a function, a Logs Insights `@` field, an alias the query defines with
 * `as`, or inside a string, a regex or a duration.
 */
function fieldsNamed(query: string): { fields: string[]; aliases: string[] } {
  const code = query.split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, ' ')
    .replace(/\/(?:[^/\\\n]|\\.)+\//g, ' ')
    .replace(/\b\d+[smhd]\b/g, ' ');
  const aliases = [...code.matchAll(/\bas\s+([A-Za-z_]\w*)/g)]
    .map((match) => match[1] ?? '');
  const fields = [...code.matchAll(/(@?[A-Za-z_][\w.]*)(\s*\()?/g)]
    .filter(([, name, call]) => !call && !name?.startsWith('@') &&
      !keywords.has(name ?? '') && !aliases.includes(name ?? ''))
    .map(([, name]) => name ?? '');
  return { fields: [...new Set(fields)], aliases };
}

describe('saved audit queries', () => {
  it('ship the six queries the audit needs', () => {
    expect(queryFiles).toEqual(['caller-volume.logsinsights',
      'credentials-issued.logsinsights', 'denials-by-reason.logsinsights',
      'foreign-tenant-or-audience.logsinsights', 'person-history.logsinsights',
      'upstream-failures.logsinsights']);
  });

  it.each(queryFiles)('%s names only fields the audit events carry',
    (file) => {
      const { fields, aliases } = fieldsNamed(
        readFileSync(`${queryDirectory}/${file}`, 'utf8'));

      expect(fields.length).toBeGreaterThan(0);
      expect(fields.filter((field) =>
        !(auditFieldNames as string[]).includes(field))).toEqual([]);
      expect(aliases.filter((alias) =>
        (auditFieldNames as string[]).includes(alias))).toEqual([]);
    });

  it('finds a renamed field in a query', () => {
    const { fields } = fieldsNamed('filter event = "credential.issued"\n' +
      '| stats count(*) as issued by tenant_id, oid | sort issued desc');

    expect(fields.filter((field) =>
      !(auditFieldNames as string[]).includes(field))).toEqual(['tenant_id']);
  });

  it('are each a query definition of the stack, by file', () => {
    const definitions = parse(readFileSync('ops/audit-queries.yml', 'utf8')) as
      Record<string, { Type: string; Properties: { Name: string;
        QueryString: string } }>;
    const shipped = Object.values(definitions).map(({ Type, Properties }) => ({
      type: Type,
      name: Properties.Name.replace('${sls:stage}', 'STAGE'),
      file: Properties.QueryString,
    }));

    expect(shipped).toHaveLength(queryFiles.length);
    for (const file of queryFiles) {
      const name = file.replace('.logsinsights', '');
      expect(shipped).toContainEqual({
        type: 'AWS::Logs::QueryDefinition',
        name: `aurora-aad/STAGE/${name}`,
        file: `\${file(${queryDirectory}/${file})}`,
      });
    }
  });

  it('and every audit field are described in docs/audit.md', () => {
    const docs = readFileSync('docs/audit.md', 'utf8');

    for (const field of auditFieldNames) {
      expect(docs, field).toMatch(new RegExp(`^\\| \`${field}\` \\|`, 'm'));
    }
    for (const file of queryFiles) {
      expect(docs).toContain(`\`${file.replace('.logsinsights', '')}\``);
    }
  });
});
