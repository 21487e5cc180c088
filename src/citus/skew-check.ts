import type { CheckDefinition } from '../monitor/check-list.js';
import { formatBytes } from '../output/format.js';
import { detectCitus } from './detect.js';
import { nodeReports } from './nodes.js';

/**
 * `monitor check`'s node-skew check: the share of all tenant bytes held by the most loaded
 * worker. Nothing to judge on plain PostgreSQL or with fewer than two workers.
 */
export const NODE_SKEW_CHECK: CheckDefinition = {
  name: 'node-skew', unit: 'percent', higherIsWorse: true, warning: '60%', critical: '80%',
  description: 'Citus: share of tenant bytes on the most loaded worker (run `tenantctl tenant rebalance`)',
  async measure({ sql, targets }) {
    const info = await detectCitus(sql);
    if (!info || info.workers.length < 2) return { value: null, message: info ? 'fewer than two Citus workers' : 'not a Citus coordinator' };
    const nodes = await nodeReports(sql, targets, 1);
    const top = nodes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    if (top.bytes === 0) return { value: null, message: 'no tenant data on the workers yet' };
    const pct = Math.round(top.share * 1000) / 10;
    return { value: pct, message: `${top.node} holds ${pct}% of tenant bytes (${formatBytes(top.bytes)}, ${top.tenants} tenants; even is ${Math.round(1000 / nodes.length) / 10}%)` };
  },
};
