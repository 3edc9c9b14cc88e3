"""A channel-independent form: asking a customer for what a ticket still lacks, one question at
a time, with its state kept in the database so a conversation survives restarts."""
