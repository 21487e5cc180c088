-- The tenant's active masking rules. Needs the tenant schema on the search_path.
select field_name, field_type, mask_pattern
from data_masking_rules
where is_active
order by field_name
