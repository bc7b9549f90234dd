{{ stage_call_events('infinity') }}
