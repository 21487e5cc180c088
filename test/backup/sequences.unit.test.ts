import { describe, expect, it } from 'vitest';
import { parseSetvals, setBackSequences, type SequenceState } from '../../src/backup/sequences.js';

const state = (schema: string, name: string, last: bigint, called: boolean, ascending = true): [string, SequenceState] => [`${schema}.${name}`, { schema, name, last, called, ascending }];

describe('sequence values set back after the snapshot', () => {
  it("reads pg_dump's setval() lines, quoted names included, and nothing else", () => {
    const script = [
      '-- Name: tickets_id_seq; Type: SEQUENCE SET; Schema: tenant_acme; Owner: app',
      "SELECT pg_catalog.setval('tenant_acme.tickets_id_seq', 500, true);",
      "SELECT pg_catalog.setval('public.\"Odd''s seq\"', 1, false);",
      "SELECT pg_catalog.setval('public.down', -20, true);",
      "INSERT INTO t VALUES ('SELECT pg_catalog.setval(''x.y'', 1, true);');",
    ].join('\n');
    expect(parseSetvals(script)).toEqual(
      new Map([
        ['tenant_acme.tickets_id_seq', { last: 500n, called: true }],
        ['public."Odd\'s seq"', { last: 1n, called: false }],
        ['public.down', { last: -20n, called: true }],
      ]),
    );
  });

  it('flags a value behind the one before the snapshot, by the next value to be handed out, either direction', () => {
    const before = new Map([
      state('tenant_acme', 'tickets_id_seq', 500n, true),
      state('tenant_acme', 'fresh_seq', 1n, false),
      state('public', 'down', -20n, true, false),
      state('public', 'moved_on', 7n, true),
    ]);
    const dumped = new Map([
      ['tenant_acme.tickets_id_seq', { last: 501n, called: false }], // setval(501, false): next 501, as before
      ['tenant_acme.fresh_seq', { last: 1n, called: false }],
      ['public.down', { last: -19n, called: true }], // descending, set back up
      ['public.moved_on', { last: 6n, called: true }], // one below
      ['public.created_later', { last: 1n, called: false }],
    ]);
    expect(setBackSequences(before, dumped)).toEqual(['public.down', 'public.moved_on']);
    expect(setBackSequences(before, new Map([['tenant_acme.tickets_id_seq', { last: 500n, called: false }]]))).toEqual(['tenant_acme.tickets_id_seq']);
  });
});
