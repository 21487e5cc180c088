-- migrate:up

-- Shared platform schema (public). Source: seeds/004 "Database Schema".

-- ---------------------------------------------------------------------------
-- tenants
-- ---------------------------------------------------------------------------
CREATE TABLE public.tenants (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(255) NOT NULL,
    slug VARCHAR(100) UNIQUE NOT NULL,
    domain VARCHAR(255),
    schema_name VARCHAR(100) UNIQUE NOT NULL,
    logo_url VARCHAR(500),
    status VARCHAR(50) NOT NULL DEFAULT 'active',
    settings JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ,
    CONSTRAINT tenants_status_check
        CHECK (status IN ('active', 'suspended', 'cancelled'))
);

-- Settings JSONB structure:
-- {
--   "timezone": "Asia/Kolkata",
--   "currency": "INR",
--   "date_format": "DD/MM/YYYY",
--   "business_name": "Acme Corp",
--   "gstin": "XXXXXXXXX",
--   "support_email": "support@acme.com",
--   "branding": {
--     "primary_color": "#3B82F6",
--     "logo_dark": "url"
--   }
-- }

COMMENT ON TABLE public.tenants IS 'Stores tenant (organization) information';
COMMENT ON COLUMN public.tenants.slug IS 'URL-friendly unique identifier';
COMMENT ON COLUMN public.tenants.schema_name IS 'PostgreSQL schema name for tenant data';
COMMENT ON COLUMN public.tenants.status IS 'active, suspended, cancelled';

-- ---------------------------------------------------------------------------
-- plans
-- ---------------------------------------------------------------------------
CREATE TABLE public.plans (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(50) UNIQUE NOT NULL,
    description TEXT,
    price_monthly DECIMAL(10, 2) NOT NULL,
    price_yearly DECIMAL(10, 2),
    max_users INT,
    max_orders_per_month INT,
    max_channels INT,
    is_active BOOLEAN NOT NULL DEFAULT true,
    sort_order INT NOT NULL DEFAULT 0,
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

-- Sample plans. NULL limits mean unlimited; Enterprise is priced per
-- contract (price_monthly 0 + metadata.custom_pricing = true).
-- price_yearly is not specified by the source document and is left NULL.
INSERT INTO public.plans
    (name, code, description, price_monthly, price_yearly,
     max_users, max_orders_per_month, max_channels, sort_order, metadata)
VALUES
('Starter', 'starter', 'For new sellers: one sales channel and core order, shipment and NDR tools',
    999.00, NULL, 2, 500, 1, 1, '{}'),
('Professional', 'professional', 'For growing sellers: multiple channels, inventory sync, finance reports and bulk operations',
    2499.00, NULL, 5, 2000, 3, 2, '{}'),
('Business', 'business', 'For established brands: NDR automation, advanced analytics, API access and custom couriers',
    4999.00, NULL, 15, 10000, 5, 3, '{}'),
('Enterprise', 'enterprise', 'Custom pricing, unlimited users, orders and channels, all features including white label',
    0.00, NULL, NULL, NULL, NULL, 4, '{"custom_pricing": true}');

COMMENT ON TABLE public.plans IS 'Subscription plans available on the platform';

-- ---------------------------------------------------------------------------
-- features
-- ---------------------------------------------------------------------------
CREATE TABLE public.features (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(100) UNIQUE NOT NULL,
    description TEXT,
    category VARCHAR(100),
    is_active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- The documented category list omits 'branding', but the seed's own
    -- 'white_label' feature uses it, so it is part of the domain.
    CONSTRAINT features_category_check
        CHECK (category IN ('orders', 'shipments', 'ndr', 'inventory', 'channels',
                            'finance', 'analytics', 'integrations', 'branding'))
);

-- Feature Categories:
-- orders, shipments, ndr, inventory, channels, finance, analytics, integrations
-- (+ branding, used by white_label)

INSERT INTO public.features (name, code, category, description) VALUES
('Order Management', 'orders_management', 'orders', 'Basic order management capabilities'),
('Multi-Channel', 'multi_channel', 'channels', 'Connect multiple sales channels'),
('Inventory Sync', 'inventory_sync', 'inventory', 'Auto-sync inventory across channels'),
('Shipment Management', 'shipment_management', 'shipments', 'Create and track shipments'),
('NDR Management', 'ndr_management', 'ndr', 'NDR inbox and follow-ups'),
('NDR Automation', 'ndr_automation', 'ndr', 'Automated NDR workflows'),
('Finance Reports', 'finance_reports', 'finance', 'P&L and expense tracking'),
('Advanced Analytics', 'advanced_analytics', 'analytics', 'Detailed analytics dashboards'),
('API Access', 'api_access', 'integrations', 'API key generation'),
('Custom Couriers', 'custom_couriers', 'shipments', 'Add custom courier integrations'),
('Bulk Operations', 'bulk_operations', 'orders', 'Bulk order/shipment actions'),
('Export Data', 'export_data', 'analytics', 'Export data to CSV/Excel'),
('White Label', 'white_label', 'branding', 'Custom branding');

COMMENT ON TABLE public.features IS 'Master list of platform features';

-- ---------------------------------------------------------------------------
-- plan_features
-- ---------------------------------------------------------------------------
CREATE TABLE public.plan_features (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id UUID NOT NULL REFERENCES public.plans(id) ON DELETE CASCADE,
    feature_id UUID NOT NULL REFERENCES public.features(id) ON DELETE CASCADE,
    is_enabled BOOLEAN NOT NULL DEFAULT true,
    config JSONB DEFAULT '{}',
    UNIQUE(plan_id, feature_id)
);

-- Config JSONB can contain feature-specific limits:
-- { "max_ndr_per_day": 100, "max_export_rows": 1000 }

-- Feature tiers (each plan includes everything of the plan below it):
--   starter      : orders_management, shipment_management, ndr_management, export_data
--   professional : + multi_channel, inventory_sync, finance_reports, bulk_operations
--   business     : + ndr_automation, advanced_analytics, api_access, custom_couriers
--   enterprise   : + white_label (i.e. every feature)
INSERT INTO public.plan_features (plan_id, feature_id)
SELECT p.id, f.id
FROM (VALUES
    ('starter',      'orders_management'),
    ('starter',      'shipment_management'),
    ('starter',      'ndr_management'),
    ('starter',      'export_data'),

    ('professional', 'orders_management'),
    ('professional', 'shipment_management'),
    ('professional', 'ndr_management'),
    ('professional', 'export_data'),
    ('professional', 'multi_channel'),
    ('professional', 'inventory_sync'),
    ('professional', 'finance_reports'),
    ('professional', 'bulk_operations'),

    ('business',     'orders_management'),
    ('business',     'shipment_management'),
    ('business',     'ndr_management'),
    ('business',     'export_data'),
    ('business',     'multi_channel'),
    ('business',     'inventory_sync'),
    ('business',     'finance_reports'),
    ('business',     'bulk_operations'),
    ('business',     'ndr_automation'),
    ('business',     'advanced_analytics'),
    ('business',     'api_access'),
    ('business',     'custom_couriers')
) AS m(plan_code, feature_code)
JOIN public.plans p ON p.code = m.plan_code
JOIN public.features f ON f.code = m.feature_code;

INSERT INTO public.plan_features (plan_id, feature_id)
SELECT p.id, f.id
FROM public.plans p
CROSS JOIN public.features f
WHERE p.code = 'enterprise';

COMMENT ON TABLE public.plan_features IS 'Features included in each subscription plan';

-- ---------------------------------------------------------------------------
-- subscriptions
-- ---------------------------------------------------------------------------
CREATE TABLE public.subscriptions (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    plan_id UUID NOT NULL REFERENCES public.plans(id),
    status VARCHAR(50) NOT NULL DEFAULT 'active',
    trial_ends_at TIMESTAMPTZ,
    current_period_start TIMESTAMPTZ NOT NULL,
    current_period_end TIMESTAMPTZ NOT NULL,
    cancelled_at TIMESTAMPTZ,
    payment_provider VARCHAR(50),
    external_subscription_id VARCHAR(255),
    metadata JSONB DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    CONSTRAINT subscriptions_status_check
        CHECK (status IN ('trial', 'active', 'past_due', 'cancelled', 'expired')),
    CONSTRAINT subscriptions_payment_provider_check
        CHECK (payment_provider IN ('stripe', 'razorpay', 'manual'))
);

-- Status values: trial, active, past_due, cancelled, expired
-- Payment providers: stripe, razorpay, manual

COMMENT ON TABLE public.subscriptions IS 'Tenant subscription records';
COMMENT ON COLUMN public.subscriptions.status IS 'trial, active, past_due, cancelled, expired';

-- ---------------------------------------------------------------------------
-- tenant_features
-- ---------------------------------------------------------------------------
CREATE TABLE public.tenant_features (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL REFERENCES public.tenants(id) ON DELETE CASCADE,
    feature_id UUID NOT NULL REFERENCES public.features(id) ON DELETE CASCADE,
    is_enabled BOOLEAN NOT NULL,
    config JSONB DEFAULT '{}',
    override_reason VARCHAR(500),
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    UNIQUE(tenant_id, feature_id)
);

COMMENT ON TABLE public.tenant_features IS 'Tenant-level feature overrides';

-- ---------------------------------------------------------------------------
-- super_admins
-- ---------------------------------------------------------------------------
CREATE TABLE public.super_admins (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    name VARCHAR(255) NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT true,
    last_login_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

COMMENT ON TABLE public.super_admins IS 'Platform owner/administrator accounts';

-- ---------------------------------------------------------------------------
-- audit_logs
-- ---------------------------------------------------------------------------
CREATE TABLE public.audit_logs (
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

-- The source suggests monthly partitioning; the table is created
-- unpartitioned here (a partitioned table's primary key would have to
-- include created_at, changing the documented key).
CREATE INDEX idx_audit_logs_tenant_created ON public.audit_logs(tenant_id, created_at);
CREATE INDEX idx_audit_logs_entity ON public.audit_logs(entity_type, entity_id);

COMMENT ON TABLE public.audit_logs IS 'Audit trail for all platform actions';

-- ---------------------------------------------------------------------------
-- channel_types
-- ---------------------------------------------------------------------------
CREATE TABLE public.channel_types (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(50) UNIQUE NOT NULL,
    logo_url VARCHAR(500),
    is_active BOOLEAN NOT NULL DEFAULT true,
    config_schema JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

INSERT INTO public.channel_types (name, code, logo_url, config_schema) VALUES
('Shopify', 'shopify', '/images/channels/shopify.svg', '{
  "type": "object",
  "required": ["shop_domain", "access_token"],
  "properties": {
    "shop_domain": { "type": "string", "description": "Your Shopify store domain" },
    "access_token": { "type": "string", "description": "API access token" },
    "api_version": { "type": "string", "default": "2024-01" }
  }
}'),
('Amazon', 'amazon', '/images/channels/amazon.svg', '{
  "type": "object",
  "required": ["seller_id", "mws_auth_token", "marketplace_id"],
  "properties": {
    "seller_id": { "type": "string" },
    "mws_auth_token": { "type": "string" },
    "marketplace_id": { "type": "string" },
    "region": { "type": "string", "enum": ["IN", "US", "EU"] }
  }
}'),
('Flipkart', 'flipkart', '/images/channels/flipkart.svg', NULL),
('Meesho', 'meesho', '/images/channels/meesho.svg', NULL),
('WooCommerce', 'woocommerce', '/images/channels/woocommerce.svg', NULL);

COMMENT ON TABLE public.channel_types IS 'Supported sales channel types';

-- ---------------------------------------------------------------------------
-- plan_channels
-- ---------------------------------------------------------------------------
CREATE TABLE public.plan_channels (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    plan_id UUID NOT NULL REFERENCES public.plans(id) ON DELETE CASCADE,
    channel_type_id UUID NOT NULL REFERENCES public.channel_types(id) ON DELETE CASCADE,
    max_connections INT DEFAULT 1,
    UNIQUE(plan_id, channel_type_id)
);

-- Channel access per plan. For the limited plans the sum of
-- max_connections equals plans.max_channels:
--   starter      (1): shopify
--   professional (3): shopify, amazon, flipkart
--   business     (5): every channel type, one connection each
--   enterprise   (unlimited): every channel type, max_connections NULL
INSERT INTO public.plan_channels (plan_id, channel_type_id, max_connections)
SELECT p.id, ct.id, m.max_connections
FROM (VALUES
    ('starter',      'shopify',     1),
    ('professional', 'shopify',     1),
    ('professional', 'amazon',      1),
    ('professional', 'flipkart',    1),
    ('business',     'shopify',     1),
    ('business',     'amazon',      1),
    ('business',     'flipkart',    1),
    ('business',     'meesho',      1),
    ('business',     'woocommerce', 1)
) AS m(plan_code, channel_code, max_connections)
JOIN public.plans p ON p.code = m.plan_code
JOIN public.channel_types ct ON ct.code = m.channel_code;

INSERT INTO public.plan_channels (plan_id, channel_type_id, max_connections)
SELECT p.id, ct.id, NULL
FROM public.plans p
CROSS JOIN public.channel_types ct
WHERE p.code = 'enterprise';

COMMENT ON TABLE public.plan_channels IS 'Channel access per subscription plan';

-- ---------------------------------------------------------------------------
-- courier_types
-- ---------------------------------------------------------------------------
CREATE TABLE public.courier_types (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    name VARCHAR(100) NOT NULL,
    code VARCHAR(50) UNIQUE NOT NULL,
    logo_url VARCHAR(500),
    is_active BOOLEAN NOT NULL DEFAULT true,
    is_default BOOLEAN NOT NULL DEFAULT false,
    config_schema JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
);

INSERT INTO public.courier_types (name, code, is_default, config_schema) VALUES
('Shiprocket', 'shiprocket', true, '{
  "type": "object",
  "required": ["email", "password"],
  "properties": {
    "email": { "type": "string" },
    "password": { "type": "string" }
  }
}'),
('Delhivery', 'delhivery', false, NULL),
('BlueDart', 'bluedart', false, NULL),
('DTDC', 'dtdc', false, NULL),
('Custom', 'custom', false, NULL);

COMMENT ON TABLE public.courier_types IS 'Supported courier/shipping providers';


-- migrate:down

DROP TABLE public.courier_types;
DROP TABLE public.plan_channels;
DROP TABLE public.channel_types;
DROP TABLE public.audit_logs;
DROP TABLE public.super_admins;
DROP TABLE public.tenant_features;
DROP TABLE public.subscriptions;
DROP TABLE public.plan_features;
DROP TABLE public.features;
DROP TABLE public.plans;
DROP TABLE public.tenants;
