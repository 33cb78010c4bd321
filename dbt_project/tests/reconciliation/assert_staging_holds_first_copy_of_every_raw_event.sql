-- Every event events_raw held before this run whose first-received copy lies in the rebuilt
-- window is in stg_events once, with that copy's occurred_at and received_at.
{%- set margin_seconds = var('dedupe_margin_hours') | int * 3600 %}

with raw_first_copies as (
    select
        tenant_id,
        event_id,
        argMin(tuple(occurred_at, received_at), tuple(received_at, occurred_at, batch_id)) as first_copy
    from {{ source('eventhouse', 'events_raw') }}
    where
        occurred_at >= {{ lookback_start() }} - toIntervalSecond({{ margin_seconds }})
        and received_at < {{ reconcile_cutoff() }}
    group by tenant_id, event_id
    having first_copy.1 >= {{ lookback_start() }}
),

staged as (
    select
        tenant_id,
        event_id,
        occurred_at,
        received_at
    from {{ ref('stg_events') }}
    where occurred_at >= {{ lookback_start() }} - toIntervalSecond({{ margin_seconds }})
)

select
    raw_first_copies.tenant_id,
    raw_first_copies.event_id,
    raw_first_copies.first_copy,
    staged.occurred_at as staged_occurred_at,
    staged.received_at as staged_received_at
from raw_first_copies
left join staged
    on
        raw_first_copies.tenant_id = staged.tenant_id
        and raw_first_copies.event_id = staged.event_id
where
    staged.occurred_at != raw_first_copies.first_copy.1
    or staged.received_at != raw_first_copies.first_copy.2
