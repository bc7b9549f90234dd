{{ stage_call_events('responsetap') }}
