"""The demo company that ``harbour demo`` seeds: a Hong Kong trading company of about 200 people."""
