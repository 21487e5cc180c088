/**
 * ABParts data written by hand (an adversarial review's reproduction): a customer whose order
 * names the distributor (oraseas_ee), whose user was invited by and audited by the
 * distributor's super admin, into whose warehouse the distributor transferred 20 units, of
 * which it returned 2 (its stock: 18).
 */
export const ORASEAS = '00000000-0000-0000-0000-0000000000e0';
export const CUST_A = '0a000000-0000-0000-0000-000000000000';
export const ROOT = 'e1000000-0000-0000-0000-000000000001';
export const A_ADMIN = 'a1000000-0000-0000-0000-000000000001';
export const ORASEAS_WH = 'e5000000-0000-0000-0000-000000000001';
export const A_WH = 'a5000000-0000-0000-0000-000000000001';
export const TRANSFER_IN = 'e8000000-0000-0000-0000-000000000002';
/** A's return of 2 units into the distributor's warehouse: A's row, the distributor's stock derives from it. */
export const TRANSFER_OUT = 'a8000000-0000-0000-0000-000000000001';
export const ORDER = 'ac000000-0000-0000-0000-000000000001';

export const DATA = `
insert into organizations (id, name, organization_type) values ('${ORASEAS}', 'Oraseas EE', 'oraseas_ee'), ('${CUST_A}', 'Cust A', 'customer');
insert into users (id, organization_id, username, password_hash, email, role, user_status) values ('${ROOT}', '${ORASEAS}', 'root', 'h', 'root@oraseas.example', 'super_admin', 'active');
insert into users (id, organization_id, username, password_hash, email, role, user_status, invited_by_user_id) values ('${A_ADMIN}', '${CUST_A}', 'a.admin', 'h', 'admin@a.example', 'admin', 'active', '${ROOT}');
insert into user_management_audit_logs (id, user_id, action, performed_by_user_id) values ('a2000000-0000-0000-0000-000000000001', '${A_ADMIN}', 'user_created', '${ROOT}');
insert into warehouses (id, organization_id, name) values ('${ORASEAS_WH}', '${ORASEAS}', 'Oraseas WH'), ('${A_WH}', '${CUST_A}', 'A WH');
insert into parts (id, part_number, name, part_type, is_proprietary, unit_of_measure) values ('f0000000-0000-0000-0000-000000000001', 'P-1', 'Filter', 'consumable', false, 'pcs');
insert into inventory (id, warehouse_id, part_id, current_stock, minimum_stock_recommendation, unit_of_measure) values ('a7000000-0000-0000-0000-000000000001', '${A_WH}', 'f0000000-0000-0000-0000-000000000001', 18, 0, 'pcs');
insert into transactions (id, transaction_type, part_id, from_warehouse_id, to_warehouse_id, quantity, unit_of_measure, performed_by_user_id, transaction_date)
  values ('${TRANSFER_IN}', 'transfer', 'f0000000-0000-0000-0000-000000000001', '${ORASEAS_WH}', '${A_WH}', 20, 'pcs', '${ROOT}', now()),
         ('${TRANSFER_OUT}', 'transfer', 'f0000000-0000-0000-0000-000000000001', '${A_WH}', '${ORASEAS_WH}', 2, 'pcs', '${A_ADMIN}', now());
insert into customer_orders (id, customer_organization_id, oraseas_organization_id, order_date, status, notes) values ('${ORDER}', '${CUST_A}', '${ORASEAS}', now(), 'Pending', 'first order');
insert into customer_order_items (id, customer_order_id, part_id, quantity) values ('ad000000-0000-0000-0000-000000000001', '${ORDER}', 'f0000000-0000-0000-0000-000000000001', 3);
`;
