"""Operations: health and metrics for the people who run the bot."""
