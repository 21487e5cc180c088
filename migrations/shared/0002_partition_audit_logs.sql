-- migrate:up

-- public.audit_logs partitioned by month on created_at, as seeds 003 and 004 suggest: old
-- months can be detached or dropped whole, and `tenantctl maintain` (task "partitions")
-- creates the coming months ahead. A partitioned table's primary key must contain the
-- partition key, so the key becomes (id, created_at); id stays gen_random_uuid().
-- Rows whose month has no partition land in audit_logs_default, never in an error;
-- `tenantctl maintain` moves them into their own month.

ALTER TABLE public.audit_logs RENAME TO audit_logs_unpartitioned;
ALTER TABLE public.audit_logs_unpartitioned RENAME CONSTRAINT audit_logs_pkey TO audit_logs_unpartitioned_pkey;
ALTER INDEX public.idx_audit_logs_tenant_created RENAME TO idx_audit_logs_unpartitioned_tenant_created;
ALTER INDEX public.idx_audit_logs_entity RENAME TO idx_audit_logs_unpartitioned_entity;

CREATE TABLE public.audit_logs (
    id UUID NOT NULL DEFAULT gen_random_uuid(),
    tenant_id UUID REFERENCES public.tenants(id),
    user_id UUID,
    action VARCHAR(100) NOT NULL,
    entity_type VARCHAR(100) NOT NULL,
    entity_id VARCHAR(255),
    old_values JSONB,
    new_values JSONB,
    ip_address INET,
    user_agent TEXT,
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT audit_logs_pkey PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

CREATE INDEX idx_audit_logs_tenant_created ON public.audit_logs(tenant_id, created_at);
CREATE INDEX idx_audit_logs_entity ON public.audit_logs(entity_type, entity_id);

COMMENT ON TABLE public.audit_logs IS 'Audit trail for all platform actions (partitioned by month on created_at)';

-- One partition per UTC month, from the oldest existing row (or this month) to three months
-- ahead, named audit_logs_pYYYY_MM; bounds are UTC month starts.
DO $$
DECLARE
    first_month timestamptz;
    last_month  timestamptz := date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '3 months';
    m           timestamptz;
BEGIN
    SELECT least(
               coalesce(date_trunc('month', min(created_at) AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'infinity'),
               date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')
      INTO first_month
      FROM public.audit_logs_unpartitioned;
    m := first_month;
    WHILE m <= last_month LOOP
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.audit_logs FOR VALUES FROM (%L) TO (%L)',
                       'audit_logs_p' || to_char(m AT TIME ZONE 'UTC', 'YYYY_MM'),
                       to_char(m AT TIME ZONE 'UTC', 'YYYY-MM-DD 00:00:00+00'),
                       to_char((m AT TIME ZONE 'UTC') + interval '1 month', 'YYYY-MM-DD 00:00:00+00'));
        m := ((m AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC';
    END LOOP;
END
$$;

CREATE TABLE public.audit_logs_default PARTITION OF public.audit_logs DEFAULT;

INSERT INTO public.audit_logs
    (id, tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent, metadata, created_at)
SELECT id, tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent, metadata, created_at
FROM public.audit_logs_unpartitioned;

DROP TABLE public.audit_logs_unpartitioned;


-- migrate:down

-- Back to one plain table with the seed's primary key (id). Fails, changing nothing, if two
-- rows share an id (possible only once the key was (id, created_at)).

CREATE TABLE public.audit_logs_flat (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID REFERENCES public.tenants(id),
    user_id UUID,
    action VARCHAR(100) NOT NULL,
    entity_type VARCHAR(100) NOT NULL,
    entity_id VARCHAR(255),
    old_values JSONB,
    new_values JSONB,
    ip_address INET,
    user_agent TEXT,
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

INSERT INTO public.audit_logs_flat
    (id, tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent, metadata, created_at)
SELECT id, tenant_id, user_id, action, entity_type, entity_id, old_values, new_values, ip_address, user_agent, metadata, created_at
FROM public.audit_logs;

-- Dropping the partitioned table drops every partition with it.
DROP TABLE public.audit_logs;

ALTER TABLE public.audit_logs_flat RENAME TO audit_logs;
ALTER TABLE public.audit_logs RENAME CONSTRAINT audit_logs_flat_pkey TO audit_logs_pkey;
ALTER TABLE public.audit_logs RENAME CONSTRAINT audit_logs_flat_tenant_id_fkey TO audit_logs_tenant_id_fkey;
CREATE INDEX idx_audit_logs_tenant_created ON public.audit_logs(tenant_id, created_at);
CREATE INDEX idx_audit_logs_entity ON public.audit_logs(entity_type, entity_id);

COMMENT ON TABLE public.audit_logs IS 'Audit trail for all platform actions';
