import type { Sql } from '../../src/db/connect.js';

/**
 * Rows at known ages around each default retention cut-off, in one tenant schema. Every row
 * says in a text column whether the policy must remove it ('old') or keep it ('keep').
 */
export async function seedRetentionRows(sql: Sql, schema: string): Promise<{ old: number; keep: number }> {
  const s = (table: string) => sql(`${schema}.${table}`);
  const [user] = await sql`insert into ${s('users')} (email, name) values ('ops@example.com', 'Ops') returning id`;
  const [channel] = await sql`insert into ${s('sales_channels')} (channel_type_code, name, credentials) values ('shopify', 'Shop', '{}') returning id`;
  const [courier] = await sql`insert into ${s('courier_configs')} (courier_type_code, name, credentials) values ('delhivery', 'D', '{}') returning id`;
  const [order] = await sql`
    insert into ${s('orders')} (order_number, channel_id, external_order_id, customer_name, shipping_address, subtotal, total_amount, order_date)
    values ('O-1', ${channel!.id}, 'X-1', 'Asha', '{}', 10, 10, now()) returning id`;
  const [shipment] = await sql`
    insert into ${s('shipments')} (shipment_number, order_id, courier_config_id, delivery_address)
    values ('S-1', ${order!.id}, ${courier!.id}, '{}') returning id`;
  // shipment_tracking: 1 year on event_time.
  await sql`insert into ${s('shipment_tracking')} (shipment_id, status, description, event_time) values
    (${shipment!.id}, 'in_transit', 'old', now() - interval '1 year' - interval '1 day'),
    (${shipment!.id}, 'in_transit', 'old', now() - interval '3 years'),
    (${shipment!.id}, 'delivered', 'keep', now() - interval '1 year' + interval '1 day'),
    (${shipment!.id}, 'delivered', 'keep', now())`;
  // notification_logs and security_violations: 6 months on created_at.
  await sql`insert into ${s('notification_logs')} (type, recipient, body, status, subject, created_at) values
    ('sms', '9876543210', 'hi', 'sent', 'old', now() - interval '6 months' - interval '1 day'),
    ('sms', '9876543210', 'hi', 'sent', 'keep', now() - interval '6 months' + interval '1 day')`;
  await sql`insert into ${s('security_violations')} (violation_type, description, created_at) values
    ('copy_attempt', 'old', now() - interval '6 months' - interval '1 hour'),
    ('copy_attempt', 'keep', now() - interval '6 months' + interval '1 hour')`;
  // refresh_tokens: expired ones go; user_sessions: expired or terminated ones go.
  await sql`insert into ${s('refresh_tokens')} (user_id, token, expires_at) values
    (${user!.id}, 'old-1', now() - interval '1 minute'),
    (${user!.id}, 'keep-1', now() + interval '1 day')`;
  await sql`insert into ${s('user_sessions')} (user_id, session_token, ip_address, expires_at, terminated_at, device_name) values
    (${user!.id}, 's1', '10.0.0.1', now() - interval '1 minute', null, 'old'),
    (${user!.id}, 's2', '10.0.0.1', now() + interval '1 day', now() - interval '1 hour', 'old'),
    (${user!.id}, 's3', '10.0.0.1', now() + interval '1 day', null, 'keep')`;
  return { old: 2 + 1 + 1 + 1 + 2, keep: 2 + 1 + 1 + 1 + 1 };
}

/** What each retention table of a schema holds, by marker: { 'shipment_tracking:old': 2, … }. */
export async function retentionMarkers(sql: Sql, schema: string): Promise<Record<string, number>> {
  const rows = await sql`
    select 'shipment_tracking:' || description as k, count(*)::int as n from ${sql(`${schema}.shipment_tracking`)} group by 1
    union all select 'notification_logs:' || subject, count(*)::int from ${sql(`${schema}.notification_logs`)} group by 1
    union all select 'security_violations:' || description, count(*)::int from ${sql(`${schema}.security_violations`)} group by 1
    union all select 'refresh_tokens:' || split_part(token, '-', 1), count(*)::int from ${sql(`${schema}.refresh_tokens`)} group by 1
    union all select 'user_sessions:' || device_name, count(*)::int from ${sql(`${schema}.user_sessions`)} group by 1`;
  return Object.fromEntries(rows.map((r) => [r.k as string, r.n as number]));
}

/** md5 of every row of every table in the given schemas, for "changed nothing" checks. */
export async function schemaChecksum(sql: Sql, schemas: string[]): Promise<string> {
  const tables = await sql`select schemaname, tablename from pg_tables where schemaname = any(${schemas}) order by 1, 2`;
  const parts: string[] = [];
  for (const t of tables) {
    const [row] = await sql`select count(*)::int as n, md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${sql(`${t.schemaname}.${t.tablename}`)} x`;
    parts.push(`${t.schemaname}.${t.tablename}:${row!.n}:${row!.h}`);
  }
  return parts.join('\n');
}
