"""Support contracts: importing them, and what they entitle a report to."""
