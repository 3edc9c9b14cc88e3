"""Service levels: business-time calendars and the desk's response/resolution targets."""
