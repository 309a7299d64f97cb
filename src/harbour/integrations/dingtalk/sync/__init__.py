"""The DingTalk sync engine: read DingTalk, plan an adoption (DingTalk → Harbour) or a sync (Harbour →
DingTalk), apply it item by item, remove leavers, and reflect DingTalk's events back into Harbour."""
