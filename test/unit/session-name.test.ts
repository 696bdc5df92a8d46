import { describe, expect, it } from 'vitest';
import { roleSessionName } from '../../shared/sts/session-name.js';
import { aCaller } from '../support/callers.js';

const allowed = /^[\w+=,.@-]{2,64}$/;

describe('roleSessionName', () => {
  it('joins the display hint and the object id', () => {
    const name = roleSessionName(aCaller({ displayName: 'alice@contoso.com' }));

    expect(name).toBe('alice@contoso.com.c87be44a-faf5-4c45-addf-91578618fbca');
    expect(name).toMatch(allowed);
  });

  it('keeps a guest\'s home identity and drops #EXT#', () => {
    const name = roleSessionName(aCaller({
      displayName: 'bob_fabrikam.com#EXT#@contoso.onmicrosoft.com',
      objectId: 'afc92fc8-7e6b-47a1-af8a-2675aaba973d',
    }));

    expect(name).toBe('bob_fabrikam.com.afc92fc8-7e6b-47a1-af8a-2675aaba973d');
    expect(name).not.toContain('#');
  });

  it('keeps the name before the @ of a UPN too long to fit', () => {
    const name = roleSessionName(aCaller());

    expect(name).toBe('alice.c87be44a-faf5-4c45-addf-91578618fbca');
  });

  it('replaces characters STS refuses and stays within 64', () => {
    const name = roleSessionName(aCaller({
      displayName: 'José Müller (ops)/üñí©ødé and a very long tail of text',
    }));

    expect(name).toMatch(allowed);
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name.endsWith('.c87be44a-faf5-4c45-addf-91578618fbca')).toBe(true);
  });

  it('names apps by their object id', () => {
    const name = roleSessionName(aCaller({
      principalType: 'app',
      displayName: undefined,
      objectId: 'f3773758-2772-49cf-9158-ea94c265b3bb',
    }));

    expect(name).toBe('app.f3773758-2772-49cf-9158-ea94c265b3bb');
  });

  it('falls back to the object id alone without a hint', () => {
    const name = roleSessionName(aCaller({ displayName: '###' }));

    expect(name).toBe('c87be44a-faf5-4c45-addf-91578618fbca');
  });
});
