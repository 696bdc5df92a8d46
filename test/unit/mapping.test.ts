import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadMapping, MappingError, parseMapping } from '../../shared/config/mapping.js';

const shipped = readFileSync('config/mapping.yaml', 'utf8');

function refusal(text: string): string {
  try {
    parseMapping(text, 'mapping.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError);
    return (error as Error).message;
  }
  throw new Error('the mapping was accepted');
}

describe('the mapping file', () => {
  it('loads the shipped mapping', () => {
    const mapping = loadMapping('config/mapping.yaml');

    expect(mapping.tenants).toEqual(['cfe917f4-2d4b-4269-87e5-caaf86008490']);
    expect(mapping.targets['orders-prod']?.partition).toBe('aws');
    expect(mapping.rules.map((rule) => rule.id)).toEqual([
      'billing-orders-reader', 'orders-writers', 'orders-readers',
      'inventory-writers',
    ]);
  });

  it('names the line and setting of a bad port', () => {
    const message = refusal(shipped.replace('port: 5432', 'port: "5432"'));

    expect(message).toMatch(/^mapping\.yaml:\d+: targets\.orders-prod\.port /);
    const line = Number(/:(\d+):/.exec(message)?.[1]);
    expect(shipped.split('\n')[line - 1]).toContain('port: 5432');
  });

  it('refuses a local address as a target host', () => {
    const message = refusal(shipped.replace(
      'orders.cluster-c1a2b3c4d5e6.eu-west-1.rds.amazonaws.com', '127.0.0.1',
    ));

    expect(message).toContain('targets.orders-prod.host');
    expect(message).toContain('never a tunnel or local address');
  });

  it('refuses a grant for an unknown target, naming its line', () => {
    const message = refusal(shipped.replace('target: inventory', 'target: nowhere'));

    expect(message).toMatch(/rules\.3\.grant\.target "nowhere" is not one of targets/);
    const line = Number(/:(\d+):/.exec(message)?.[1]);
    expect(shipped.split('\n')[line - 1]).toContain('target: inventory');
  });

  it('refuses duplicate rule ids', () => {
    const message = refusal(shipped.replace('id: orders-readers', 'id: orders-writers'));

    expect(message).toContain('rules.2.id "orders-writers" is used by an earlier rule');
  });

  it('refuses a rule that names nobody', () => {
    const message = refusal(shipped.replace(
      'when: { appRoles: [ Inventory.Write ] }', 'when: {}',
    ));

    expect(message).toContain('rules.3.when must name groups, appRoles or principals');
  });

  it('refuses unknown settings instead of ignoring them', () => {
    const message = refusal(`${shipped}\naudience: api://typo\n`);

    expect(message).toContain('audience');
  });

  it('reports broken YAML with its line', () => {
    const message = refusal('tenants: [\n  oops: {\n');

    expect(message).toMatch(/^mapping\.yaml:\d+: not valid YAML/);
  });

  it('names the file and MAPPING_FILE when the file is missing', () => {
    expect(() => loadMapping('/nonexistent/mapping.yaml')).toThrow(
      /Cannot read the mapping file \/nonexistent\/mapping\.yaml \(MAPPING_FILE\)/,
    );
  });
});
