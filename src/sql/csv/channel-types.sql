-- Codes of the channel types the platform supports (public.channel_types).
select code from public.channel_types order by code
