"""Email channel: RFC 5322 parsing, threading headers, and outbound composition."""
