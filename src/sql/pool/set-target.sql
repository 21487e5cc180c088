-- Remember the pool size asked for, for `maintain` to refill to. $1 size
insert into tenantctl.tenant_pool_target (one, size) values (true, $1)
on conflict (one) do update set size = excluded.size
