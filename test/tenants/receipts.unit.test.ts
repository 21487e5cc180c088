import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex } from '../../src/tenants/digest.js';
import { suggestSlug, validateTenantInput } from '../../src/tenants/input.js';
import { sealReceipt, verifyReceipts, type Receipt, type ReceiptBody } from '../../src/tenants/receipts.js';

const body = (sequence: number, previous: string | null): ReceiptBody => ({
  format: 'tenantctl.erasure-receipt/1',
  sequence,
  tenant_id: `00000000-0000-4000-8000-00000000000${sequence}`,
  slug_sha256: sha256Hex(`t${sequence}`),
  actor: 'ops',
  reason: 'GDPR',
  ticket: null,
  counts: { tenant_storage: { users: 2 }, shared: { 'public.tenants': 1 }, bookkeeping: {} },
  started_at: '2026-01-01T00:00:00.000Z',
  finished_at: '2026-01-01T00:00:01.000Z',
  previous_digest: previous,
});

function chain(n: number): Receipt[] {
  const out: Receipt[] = [];
  for (let i = 1; i <= n; i += 1) {
    const b = body(i, out.at(-1)?.digest ?? null);
    const { canonical, digest } = sealReceipt(b);
    out.push({ sequence: i, tenantId: b.tenant_id, slugSha256: b.slug_sha256, erasedAt: new Date(b.finished_at), actor: b.actor, ticket: b.ticket, body: b, canonical, digest, previousDigest: b.previous_digest });
  }
  return out;
}

describe('erasure receipts', () => {
  it('canonical JSON sorts keys at every level and has no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: 'x' }], c: true } })).toBe('{"a":{"c":true,"d":[2,{"y":"x","z":null}]},"b":1}');
  });

  it('verifies an intact chain, and finds a removed, edited or re-sealed receipt', () => {
    expect(verifyReceipts(chain(3))).toEqual([]);
    const removed = chain(3).filter((r) => r.sequence !== 2);
    expect(verifyReceipts(removed).map((p) => p.sequence)).toContain(3);
    const edited = chain(3);
    edited[0]!.canonical = edited[0]!.canonical.replace('"GDPR"', '"routine"');
    expect(verifyReceipts(edited)[0]).toMatchObject({ sequence: 1, problem: expect.stringContaining('digest does not match') });
    // Re-sealing an edited receipt makes its digest fit, but breaks the link from the next one.
    const resealed = chain(3);
    const b = { ...resealed[0]!.body, reason: 'routine' };
    Object.assign(resealed[0]!, { body: b, ...sealReceipt(b) });
    expect(verifyReceipts(resealed)).toEqual([{ sequence: 2, problem: expect.stringContaining('chain is broken') }]);
  });
});

describe('tenant input', () => {
  it('suggests a valid slug from a company name', () => {
    expect(suggestSlug('Acme Corp.')).toBe('acme_corp');
    expect(suggestSlug('Ünïcode & Co')).toBe('unicode_co');
    expect(suggestSlug('42 Labs')).toBe('t_42_labs');
    // A long name, and one that also needs the t_ prefix: the suggestion is still a valid slug.
    for (const name of ['Acme '.repeat(20), `7 ${'Seas Trading '.repeat(6)}`]) {
      const slug = suggestSlug(name);
      expect(slug.length, slug).toBeLessThanOrEqual(56);
      expect(validateTenantInput({ slug, name, plan: 'starter', ownerEmail: 'a@acme.test' }).slug).toBe(slug);
    }
  });

  it('refuses a slug too long for its schema name, saying its length and the limit', () => {
    const ok = 'a'.repeat(56);
    expect(validateTenantInput({ slug: ok, name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test' }).slug).toBe(ok);
    for (const slug of ['a'.repeat(57), 'a'.repeat(64), 'a'.repeat(100)]) {
      expect(() => validateTenantInput({ slug, name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test' })).toThrow(new RegExp(`it is ${slug.length} characters; a slug is at most 56`));
    }
    expect(() => validateTenantInput({ slug: 'Acme', name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test' })).toThrow(/a slug is 1–56 characters/);
  });

  it('fills defaults and rejects bad values naming the flag', () => {
    expect(validateTenantInput({ slug: 'acme', name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test' })).toMatchObject({ timezone: 'UTC', currency: 'INR', trialDays: 0, ownerName: 'a' });
    expect(() => validateTenantInput({ slug: 'acme', name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test', timezone: 'Mars/Olympus' })).toThrow(/--timezone/);
    expect(() => validateTenantInput({ slug: 'acme', name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test', currency: 'XYZ1' })).toThrow(/--currency/);
    expect(() => validateTenantInput({ slug: "Robert'); --", name: 'Acme', plan: 'starter', ownerEmail: 'a@acme.test' })).toThrow(/Invalid slug/);
  });
});
