"""Every write of the DingTalk connector, one module per concern."""
