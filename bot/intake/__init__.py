"""The intake core: one pipeline of small steps that turns an inbound message into ticket work."""
