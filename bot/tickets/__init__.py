"""What engineers do to tickets, whatever they do it from (Slack, the command line)."""
