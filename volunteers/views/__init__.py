"""Views of volunteering, one module per area; each module has its own `urlpatterns`:
- `people`: signing up as a volunteer, the coordinator's list and decisions, certificates, the paper form;
- `rosters`: weekly shifts, signing up, stand-ins, gaps, the host's confirmation and the calendar feed;
- `hours`: hours given, their approval and export, allowance payments and the yearly statement;
- `carers`: informal carers, their support contacts and the mantelzorgwaardering;
- `help`: burenhulp requests, matching and follow-up.
"""
