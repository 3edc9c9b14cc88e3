"""The outbox: replies written in the ticket's transaction, delivered once by a worker."""
