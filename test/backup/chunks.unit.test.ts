import { describe, expect, it } from 'vitest';
import { chunkedSchemas, planChunks, relationsPerChunk } from '../../src/backup/chunks.js';

const defaults = { maxLocksPerTransaction: 64, maxConnections: 100, maxPreparedTransactions: 0 };

describe('chunk planning', () => {
  it('keeps every pg_dump of 1,000 tenant schemas within the default lock table', () => {
    const schemas = [{ schema: 'public', relations: 12 }, { schema: 'tenantctl', relations: 3 }, ...Array.from({ length: 1000 }, (_, i) => ({ schema: `tenant_t${i}`, relations: 33 }))];
    const limit = relationsPerChunk(defaults, 2);
    // Leader + workers must fit in half of 64 × 100 lock slots (checksums hold one table at a time).
    expect(limit * 2).toBeLessThanOrEqual(3200);
    const chunks = planChunks(schemas, new Set(['public', 'tenantctl']), limit);
    expect(chunks[0]).toMatchObject({ name: 'chunk-000', kind: 'base', schemas: ['public', 'tenantctl'] });
    for (const c of chunks.slice(1)) expect(c.relations).toBeLessThanOrEqual(limit);
    const all = chunkedSchemas(chunks);
    expect(all.length).toBe(1000);
    expect(new Set(all).size).toBe(1000);
    expect(chunks.length).toBeGreaterThan(20);
  });

  it('gives a schema larger than the limit a chunk of its own', () => {
    const chunks = planChunks([{ schema: 'a', relations: 10 }, { schema: 'huge', relations: 5000 }, { schema: 'z', relations: 10 }], new Set(), 100);
    expect(chunks.map((c) => c.schemas)).toEqual([[], ['a'], ['huge'], ['z']]);
  });

  it('uses a bigger budget when the server allows more locks', () => {
    expect(relationsPerChunk({ ...defaults, maxLocksPerTransaction: 1024 }, 1)).toBe(Math.floor((1024 * 100) / 2));
    expect(relationsPerChunk({ maxLocksPerTransaction: 1, maxConnections: 2, maxPreparedTransactions: 0 })).toBe(50);
  });
});
