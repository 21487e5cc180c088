import type { CheckDefinition } from '../monitor/check-list.js';
import { formatBytes } from '../output/format.js';
import { detectCitus } from './detect.js';
import { describeDown, nodeStates } from './node-states.js';
import { nodeReports } from './nodes.js';

/**
 * `monitor check`'s citus-nodes check: workers that are registered but unreachable or
 * disabled. Their tenants are down, and every size and skew figure is unknown without them.
 */
export const NODES_DOWN_CHECK: CheckDefinition = {
  name: 'citus-nodes', unit: 'count', higherIsWorse: true, warning: 'none', critical: '1',
  description: 'Citus: workers that are unreachable or disabled (their tenants are unavailable)',
  async measure({ sql }) {
    const info = await detectCitus(sql);
    if (!info) return { value: null, message: 'not a Citus coordinator' };
    const down = (await nodeStates(sql, info)).filter((s) => s.state !== 'up');
    if (!down.length) return { value: 0, message: `all ${info.workers.length} workers answer` };
    return { value: down.length, message: `${describeDown(down)}: start or activate ${down.length === 1 ? 'it' : 'them'}` };
  },
};

/**
 * `monitor check`'s node-skew check: the share of all tenant bytes held by the most loaded
 * worker. Nothing to judge on plain PostgreSQL or with fewer than two workers; unknown while
 * a worker does not answer (its bytes are not measured, and counting them as 0 would lie).
 */
export const NODE_SKEW_CHECK: CheckDefinition = {
  name: 'node-skew', unit: 'percent', higherIsWorse: true, warning: '60%', critical: '80%',
  description: 'Citus: share of tenant bytes on the most loaded worker (run `tenantctl tenant rebalance`)',
  async measure({ sql, targets }) {
    const info = await detectCitus(sql);
    if (!info || info.workers.length + info.disabled.length < 2) return { value: null, message: info ? 'fewer than two Citus workers' : 'not a Citus coordinator' };
    const nodes = await nodeReports(sql, targets, 1);
    const down = nodes.filter((n) => n.state !== 'up');
    if (down.length) return { value: null, message: 'skew not computed', incomplete: `${down.map((n) => `${n.node} (${n.state})`).join(', ')} did not report ${down.length === 1 ? 'its' : 'their'} bytes` };
    const top = nodes.reduce((a, b) => (b.bytes! > a.bytes! ? b : a));
    if (top.bytes === 0) return { value: null, message: 'no tenant data on the workers yet' };
    const pct = Math.round(top.share! * 1000) / 10;
    return { value: pct, message: `${top.node} holds ${pct}% of tenant bytes (${formatBytes(top.bytes!)}, ${top.tenants} tenants; even is ${Math.round(1000 / nodes.length) / 10}%)` };
  },
};
