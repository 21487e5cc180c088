-- Erasure receipts: proof that a tenant was erased, without its personal data. No foreign
-- key to the tenant registry, so a receipt outlives the tenant it describes. Idempotent.
create schema if not exists tenantctl;

create table if not exists tenantctl.erasure_receipts (
    sequence         bigint      primary key,
    tenant_id        uuid        not null,
    slug_sha256      text        not null,
    erased_at        timestamptz not null,
    actor            text        not null,
    ticket           text,
    -- the canonical JSON the digest is computed over, byte for byte
    body             text        not null,
    digest           text        not null unique,
    previous_digest  text        unique
);

create index if not exists erasure_receipts_slug_sha256 on tenantctl.erasure_receipts (slug_sha256);

-- Receipts are append-only; the digest chain shows it if someone goes around this.
create or replace function tenantctl.erasure_receipts_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'tenantctl.erasure_receipts is append-only (% refused)', tg_op
        using hint = 'Receipts are proof of erasure; they are never changed or removed.';
end
$$;

drop trigger if exists erasure_receipts_append_only on tenantctl.erasure_receipts;
create trigger erasure_receipts_append_only
    before update or delete on tenantctl.erasure_receipts
    for each row execute function tenantctl.erasure_receipts_append_only();
