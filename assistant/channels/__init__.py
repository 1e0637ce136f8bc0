"""Chat channels (Slack, WeCom): platform event -> IncomingMessage -> services -> OutgoingMessage."""
