import { describe, expect, it } from 'vitest';
import { archiveFormat, chunkedSchemas, lockBudget, lockTableSlots, planChunks, relationsPerChunk, scheduleChunks } from '../../src/backup/chunks.js';

// PostgreSQL 15's defaults: 64 locks × (100 connections + 3 autovacuum workers + launcher + 8 background workers + 10 WAL senders).
const defaults = { maxLocksPerTransaction: 64, maxConnections: 100, maxPreparedTransactions: 0, otherBackends: 22 };
const fleet = (n: number) => [{ schema: 'public', relations: 12 }, { schema: 'tenantctl', relations: 3 }, ...Array.from({ length: n }, (_, i) => ({ schema: `tenant_t${String(i).padStart(4, '0')}`, relations: 33 }))];
const base = new Set(['public', 'tenantctl']);

describe('chunk planning', () => {
  it('auto writes one custom file per chunk when single pg_dumps run side by side, a directory when one pg_dump has workers', () => {
    const budget = lockBudget(defaults);
    expect(archiveFormat('auto', scheduleChunks(fleet(1000), base, budget, 2).jobsPerDump)).toBe('custom');
    expect(archiveFormat('auto', scheduleChunks(fleet(1000), base, budget, 1).jobsPerDump)).toBe('custom');
    // A pooled database: its tenants share public, so one chunk, dumped by one pg_dump with 2 workers.
    expect(archiveFormat('auto', scheduleChunks([{ schema: 'public', relations: 200 }], base, budget, 2).jobsPerDump)).toBe('directory');
    expect(archiveFormat('directory', 1)).toBe('directory');
    expect(archiveFormat('custom', 4)).toBe('custom');
  });

  it('sizes the lock table as PostgreSQL does and leaves what others hold', () => {
    expect(lockTableSlots(defaults)).toBe(64 * 122);
    expect(lockBudget(defaults)).toBe(Math.floor(64 * 122 * 0.75));
    expect(lockBudget({ ...defaults, locksHeld: 2808 })).toBe(3750);
    // More held than the table is sized for: the floor of one small chunk, never a negative budget.
    expect(lockBudget({ ...defaults, locksHeld: 100_000 })).toBe(0);
    expect(relationsPerChunk(0, 2)).toBe(50);
    expect(lockBudget(defaults, 100)).toBe(100);
  });

  it('keeps 1,000 tenant schemas within the default lock table: two single pg_dumps side by side, each half the budget', () => {
    const budget = lockBudget(defaults);
    const { plan, limit, dumpsAtOnce, jobsPerDump } = scheduleChunks(fleet(1000), base, budget, 2);
    expect({ dumpsAtOnce, jobsPerDump }).toEqual({ dumpsAtOnce: 2, jobsPerDump: 1 });
    expect(limit * dumpsAtOnce).toBeLessThanOrEqual(budget);
    expect(plan[0]).toMatchObject({ name: 'chunk-000', kind: 'base', schemas: ['public', 'tenantctl'] });
    for (const c of plan.slice(1)) expect(c.relations).toBeLessThanOrEqual(limit);
    const all = chunkedSchemas(plan);
    expect(new Set(all).size).toBe(1000);
    // 33,000 relations in chunks of at most 2,928 (88 tenants): 12 chunks and the base (60 % of
    // the table made 15 + 1, and the first plan 22 + 1).
    expect(plan.length).toBe(13);
  });

  it('a database too small for two chunks gets one pg_dump at a time with its -j workers (leader + workers: half the budget)', () => {
    const { plan, limit, dumpsAtOnce, jobsPerDump } = scheduleChunks(fleet(10), base, 4000, 2);
    expect({ limit, dumpsAtOnce, jobsPerDump }).toEqual({ limit: 2000, dumpsAtOnce: 1, jobsPerDump: 2 });
    expect(plan.map((c) => c.kind)).toEqual(['base', 'schemas']);
    expect(scheduleChunks(fleet(10), base, 4000, 1)).toMatchObject({ limit: 4000, dumpsAtOnce: 1, jobsPerDump: 1 });
  });

  it('gives a schema larger than the limit a chunk of its own', () => {
    const chunks = planChunks([{ schema: 'a', relations: 10 }, { schema: 'huge', relations: 5000 }, { schema: 'z', relations: 10 }], new Set(), 100);
    expect(chunks.map((c) => c.schemas)).toEqual([[], ['a'], ['huge'], ['z']]);
  });

  it('uses a bigger budget when the server allows more locks', () => {
    expect(lockBudget({ ...defaults, maxLocksPerTransaction: 1024 })).toBe(Math.floor(1024 * 122 * 0.75));
    expect(scheduleChunks(fleet(1000), base, lockBudget({ ...defaults, maxLocksPerTransaction: 1024 }), 2).plan.length).toBeLessThan(5);
  });
});
