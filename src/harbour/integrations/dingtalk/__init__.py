"""The DingTalk connector: adopt a company's DingTalk directory, keep it in step with Harbour, take DingTalk's
events back, and post alerts to DingTalk groups through a custom robot."""
