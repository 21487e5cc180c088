import type { Pool, Sql } from '../db/connect.js';
import { ensureTables } from '../db/bootstrap.js';
import { query } from '../db/queries.js';
import { canonicalJson, sha256Hex } from './digest.js';

/** What an erasure receipt says. Contains no personal data: the slug only as a hash. */
export interface ReceiptBody {
  format: 'tenantctl.erasure-receipt/1';
  sequence: number;
  tenant_id: string;
  slug_sha256: string;
  actor: string;
  reason: string;
  ticket: string | null;
  /** Rows removed per table: the tenant's own tables by table name, shared ones as schema.table. */
  counts: { tenant_storage: Record<string, number>; shared: Record<string, number>; bookkeeping: Record<string, number> };
  /** Pooled erasures: what the erasure could not promise (free text not searched, reported references). */
  notes?: string[];
  started_at: string;
  finished_at: string;
  previous_digest: string | null;
}

/** A stored receipt: its body, the exact text hashed, and the digests. */
export interface Receipt {
  sequence: number;
  tenantId: string;
  slugSha256: string;
  erasedAt: Date;
  actor: string;
  ticket: string | null;
  body: ReceiptBody;
  /** Canonical JSON of `body`: sha256 of exactly this text is `digest`. */
  canonical: string;
  digest: string;
  previousDigest: string | null;
}

/** One finding of `tenant receipts --verify`. */
export interface ReceiptProblem {
  sequence: number;
  problem: string;
}

/** Create tenantctl.erasure_receipts if missing. */
export async function ensureReceipts(sql: Pool): Promise<void> {
  await ensureTables(sql, 'tenantctl.erasure_receipts', 'tenants/bootstrap-receipts');
}

/** sha256 of a slug, as receipts store it. */
export const slugHash = (slug: string): string => sha256Hex(slug);

/** Seal a body: its canonical JSON and the sha256 digest over it. Pure. */
export function sealReceipt(body: ReceiptBody): { canonical: string; digest: string } {
  const canonical = canonicalJson(body);
  return { canonical, digest: sha256Hex(canonical) };
}

/** Append a receipt at the end of the chain, in the caller's (erasure) transaction. */
export async function appendReceipt(tx: Sql, build: (chain: { sequence: number; previousDigest: string | null }) => ReceiptBody): Promise<Receipt> {
  const [end] = await query<{ sequence: string | null; digest: string | null }>(tx, 'tenants/receipt-previous');
  const sequence = end?.sequence ? Number(end.sequence) + 1 : 1;
  const body = build({ sequence, previousDigest: end?.digest ?? null });
  const { canonical, digest } = sealReceipt(body);
  await query(tx, 'tenants/receipt-insert', [sequence, body.tenant_id, body.slug_sha256, new Date(body.finished_at), body.actor, body.ticket, canonical, digest, body.previous_digest]);
  return { sequence, tenantId: body.tenant_id, slugSha256: body.slug_sha256, erasedAt: new Date(body.finished_at), actor: body.actor, ticket: body.ticket, body, canonical, digest, previousDigest: body.previous_digest };
}

/** Receipts in chain order; only those of one slug when given. */
export async function listReceipts(sql: Pool, slug?: string): Promise<Receipt[]> {
  await ensureReceipts(sql);
  const rows = await query<{ sequence: number; tenant_id: string; slug_sha256: string; erased_at: Date; actor: string; ticket: string | null; body: string; digest: string; previous_digest: string | null }>(sql, 'tenants/receipts-list', [slug === undefined ? null : slugHash(slug)]);
  return rows.map((r) => ({ sequence: r.sequence, tenantId: r.tenant_id, slugSha256: r.slug_sha256, erasedAt: r.erased_at, actor: r.actor, ticket: r.ticket, body: JSON.parse(r.body) as ReceiptBody, canonical: r.body, digest: r.digest, previousDigest: r.previous_digest }));
}

/**
 * Recompute every digest and walk the chain: each body must hash to its digest, be in
 * canonical form, agree with the indexed columns, carry its sequence number, and name the
 * previous receipt's digest. A removed, edited or reordered receipt shows up here. Pure.
 */
export function verifyReceipts(receipts: readonly Receipt[]): ReceiptProblem[] {
  const problems: ReceiptProblem[] = [];
  let previous: string | null = null;
  receipts.forEach((r, index) => {
    const add = (problem: string): void => void problems.push({ sequence: r.sequence, problem });
    if (sha256Hex(r.canonical) !== r.digest) add('digest does not match the receipt body (the body or the digest was changed)');
    if (canonicalJson(r.body) !== r.canonical) add('body is not in canonical form');
    if (r.body.sequence !== r.sequence || r.sequence !== index + 1) add(`sequence ${r.sequence} is out of place (expected ${index + 1}): a receipt before it is missing`);
    if (r.body.previous_digest !== previous || r.previousDigest !== previous) add(`previous_digest does not match receipt ${index}: the chain is broken`);
    if (r.body.tenant_id !== r.tenantId || r.body.slug_sha256 !== r.slugSha256 || r.body.actor !== r.actor || r.body.ticket !== r.ticket) add('columns disagree with the receipt body');
    previous = r.digest;
  });
  return problems;
}
